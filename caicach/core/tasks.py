"""Background work of core's shared modules: the daily purge of used one-time form tokens."""

from __future__ import annotations

import datetime
import logging

from caicach.core import once
from caicach.core.reminders import daily

logger = logging.getLogger(__name__)


@daily("core.form_tokens_purge")
def purge_form_tokens(day: datetime.date) -> None:
    """Used create-form tokens older than FORM_TOKEN_RETENTION_DAYS (see ``once.purge_used``)."""
    purged = once.purge_used()
    logger.info("form token purge: %d used tokens removed", purged)
