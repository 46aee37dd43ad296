"""The notification email task (``django-tasks``; with Django 6 the import becomes
``django.tasks``). Tasks take plain ids, never model instances, and are queued with
``transaction.on_commit`` by the services that need them. Each task lives with the work it
runs: ``jobs.run_job`` beside the job runner, ``reminders.daily_tick`` beside the reminders,
so no module needs to import back the one that imports it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from caicach.core import clock
from caicach.core.middleware import FALLBACK_SITE_URL
from caicach.core.models import Notification

logger = logging.getLogger(__name__)


def _email_for(notification: Notification, site: str) -> EmailMessage:
    recipient = notification.recipient
    title = " ".join(notification.title.split())  # a header must not contain a newline
    link = (settings.SITE_URL or site or FALLBACK_SITE_URL).rstrip("/") + reverse(
        "notification_open", args=[notification.pk]
    )
    lines = [
        _("Kính gửi %(name)s,") % {"name": recipient.get_full_name()},
        "",
        title,
    ]
    if notification.body:
        lines += ["", notification.body]
    lines += [
        "",
        _("Xem chi tiết: %(link)s") % {"link": link},
        "",
        "—",
        _("Thư này được gửi tự động từ hệ thống Cải cách, vui lòng không trả lời thư này."),
    ]
    return EmailMessage(
        subject=_("[Cải cách] %(title)s") % {"title": title},
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


@task()
def send_notification_emails(notification_ids: list[int], site: str = "") -> int:
    """One email per notification (one per recipient of a ``notify`` batch). Each row is
    claimed by a conditional UPDATE before its message goes out, so a retried or twice
    delivered task never sends the same notification twice; a message that fails to send
    releases its claim and the task fails, so a retry sends exactly the missing ones.
    ``site`` is the site's address when the emails were queued (core.middleware.site_url):
    the worker has no request to ask; SITE_URL, when set, wins."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .filter(recipient__is_active=True)
        .select_related("recipient")
        .order_by("pk")
    )
    if not rows:
        return 0
    sent = 0
    errors: list[int] = []
    with translation.override(settings.LANGUAGE_CODE), get_connection() as mail:
        for row in rows:
            claimed = Notification.objects.filter(pk=row.pk, emailed_at__isnull=True).update(
                emailed_at=clock.now()
            )
            if not claimed:
                continue  # another delivery of this task got there first
            try:
                mail.send_messages([_email_for(row, site)])
            except Exception:
                logger.exception("Email for notification %s failed", row.pk)
                Notification.objects.filter(pk=row.pk).update(emailed_at=None)
                errors.append(row.pk)
            else:
                sent += 1
    if errors:
        raise RuntimeError(f"Emails not sent for notifications {errors}")
    return sent
