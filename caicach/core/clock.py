"""What time it is, for the services.

Services ask ``clock.now()`` / ``clock.today()`` rather than the system clock, so that one
thing can move time deliberately: the demo loader replays the Châu Thành 2024 campaign on the
dates it happened (``travel_to``), with windows, the one-year filing limit and receipts
checked as they were then. Nothing else sets the clock."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment: ContextVar[datetime.datetime | None] = ContextVar("caicach_clock", default=None)


def now() -> datetime.datetime:
    return _moment.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def travel_to(moment: datetime.datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("travel_to() needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
