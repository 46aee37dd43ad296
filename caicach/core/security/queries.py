"""Reads of the security log: the system administrators' search (the caller checks
``core.search_security_log``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from caicach.core.models import SecurityEvent
from caicach.core.search import search as text_search


@dataclass(frozen=True)
class SecurityFilters:
    kind: str = ""
    user: str = ""
    ip_address: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(filters: SecurityFilters) -> QuerySet[SecurityEvent]:
    """Events matching every given filter, newest first."""
    events: QuerySet[SecurityEvent] = SecurityEvent.objects.select_related("user", "content_type").order_by(
        "-created_at", "-id"
    )
    if filters.kind:
        # "mfa." finds every MFA event, as the audit search does with its actions.
        kind = filters.kind
        events = events.filter(kind__startswith=kind) if kind.endswith(".") else events.filter(kind=kind)
    if filters.user:
        name = filters.user.strip()
        events = events.filter(
            Q(username__iexact=name) | Q(user__username__iexact=name) | Q(user__full_name__icontains=name)
        )
    if filters.ip_address:
        events = events.filter(ip_address=filters.ip_address)
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if filters.text:
        # Names, objects and addresses visited, by the one search service (newest first kept).
        events = text_search(events, filters.text)
    return events
