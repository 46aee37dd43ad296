"""Every meeting test counts working days under the Government's official 2024-2026
notices (swapped days and make-up Saturdays), as the Office does."""

from __future__ import annotations

import pytest

from caicach.core.calendar.services import calendar_load_official


@pytest.fixture(autouse=True)
def official_calendar(db: None) -> None:
    calendar_load_official(actor=None)
