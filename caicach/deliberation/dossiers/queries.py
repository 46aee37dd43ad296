"""Reads of meeting dossiers (checklists, the proposed withdrawal list)."""

from __future__ import annotations

from typing import Any

from caicach.core.models import User
from caicach.deliberation.models import AgendaItem, Meeting


def meeting_panel(meeting: Meeting, user: User) -> dict[str, Any]:
    """What the meeting's page shows of its dossiers (filled by the dossiers area)."""
    return {}


def agenda_item_panel(agenda_item: AgendaItem, user: User) -> dict[str, Any]:
    """What an agenda item's page shows of its dossier checklist (filled by the dossiers area)."""
    return {}
