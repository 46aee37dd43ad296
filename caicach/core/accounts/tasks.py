"""Background work of accounts: the daily clearing of login failures too old to count."""

from __future__ import annotations

import datetime

from caicach.core.accounts import services
from caicach.core.reminders import daily


@daily("core.login_failures_purge")
def purge_login_failures(day: datetime.date) -> None:
    """The throttle's counters outside every window (the security log keeps the failures)."""
    services.login_failures_purge()
