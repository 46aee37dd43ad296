"""Reads of a meeting's invitation and conclusion notice."""

from __future__ import annotations

from typing import Any

from caicach.core.models import User
from caicach.deliberation.models import Meeting


def meeting_panel(meeting: Meeting, user: User) -> dict[str, Any]:
    """What the meeting's page shows of its documents (filled by the notices area)."""
    return {}
