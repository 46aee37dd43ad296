"""What the follow-up area registers when the app is ready (nav entry, to-do, audit labels)."""

from __future__ import annotations


def register() -> None:
    pass
