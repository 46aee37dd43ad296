"""Background work of the API: the daily purge of expired idempotency keys."""

from __future__ import annotations

import datetime
import logging

from caicach.api import idempotency
from caicach.core.reminders import daily

logger = logging.getLogger(__name__)


@daily("api.idempotency_keys_purge")
def purge_idempotency_keys(day: datetime.date) -> None:
    purged = idempotency.purge_expired()
    logger.info("idempotency key purge: %d expired keys removed", purged)
