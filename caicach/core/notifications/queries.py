"""Reads of the inbox."""

from __future__ import annotations

from caicach.core.models import Notification, User


def unread_count(user: User) -> int:
    """One indexed COUNT (recipient, read_at)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
