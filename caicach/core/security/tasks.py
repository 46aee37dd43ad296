"""Background work of the security log: the daily retention purge."""

from __future__ import annotations

import datetime
import logging

from caicach.core.reminders import daily
from caicach.core.security import services

logger = logging.getLogger("caicach.security")


@daily("core.security_log_purge")
def purge_security_log(day: datetime.date) -> None:
    """Events older than SECURITY_LOG_RETENTION_DAYS leave the log (the one delete it allows)."""
    purged = services.purge_expired()
    logger.info("security log purge: %d events older than the retention removed", purged)
