"""Demo consultations (filled below)."""

from __future__ import annotations


def load_demo_consultations() -> None:
    return None
