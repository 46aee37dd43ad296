"""Every dossier test runs on the real 2026 calendar: the Government's notices (the swapped
day of January and its make-up Saturday) loaded the way a fresh installation loads them."""

from __future__ import annotations

import pytest

from caicach.core.calendar.services import calendar_load_official


@pytest.fixture(autouse=True)
def official_calendar(db: None) -> None:
    calendar_load_official(actor=None)
