"""Notifications: inbox rows written in bulk, email copies sent by a background task that
is queued only once the transaction that created them has committed."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from caicach.core import clock
from caicach.core.middleware import site_url
from caicach.core.models import Notification, User
from caicach.core.permissions import authorize
from caicach.core.text import nfc

TITLE_MAX = Notification._meta.get_field("title").max_length or 255
URL_MAX = Notification._meta.get_field("url").max_length or 500


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """One inbox row per distinct active recipient, written with one INSERT. With ``email``,
    one task is queued after commit for the whole batch (not one per row): a rolled-back
    transaction sends nothing, and a thousand recipients make one queue entry."""
    unique: dict[int, User] = {}
    for user in recipients:
        if user.pk is not None and user.is_active:
            unique.setdefault(user.pk, user)
    if not unique:
        return []
    now = clock.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=nfc(title)[:TITLE_MAX],
                body=nfc(body),
                url=url[:URL_MAX],
                created_at=now,
            )
            for user in unique.values()
        ]
    )
    if email:
        to_email = [row.pk for row in rows if row.recipient.email]
        if to_email:
            # Imported here: the task module imports the job and reminder registries, which
            # in turn use the services.
            from caicach.core.notifications.tasks import send_notification_emails

            # The site's address now, while the request that caused the email is at hand.
            transaction.on_commit(partial(send_notification_emails.enqueue, to_email, site_url()))
    return rows


# Marking read changes nothing but the reader's own inbox state (like opening a letter):
# it is not a change to shared data, nobody else can see it, and recording it would fill
# the audit trail with noise. So these two services write no audit event.


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    authorize(user, "change", notification)
    if notification.read_at is None:
        now = clock.now()
        # Conditional UPDATE: a second tab marking the same row keeps the first read time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())
