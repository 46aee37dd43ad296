"""Who may see a notification and a background job.

A notification belongs to its recipient alone (not even an administrator reads someone
else's inbox); a job and its result file belong to whoever started it, and to the
administrators who support them."""

from __future__ import annotations

from caicach.core.models import Job, Notification
from caicach.core.permissions import Principal, rule


@rule(Notification, "view", "change")
def _own_notification(who: Principal, notification: Notification) -> bool:
    return notification.recipient_id == who.user.pk


@rule(Job, "view")
def _own_job(who: Principal, job: Job) -> bool:
    return who.is_admin or (job.created_by_id is not None and job.created_by_id == who.user.pk)


@rule(Job, "restart")
def _restart_own_job(who: Principal, job: Job) -> bool:
    """Only the starter: the job runs with its starter's rights, and an administrator
    restarting someone else's export would run it with theirs."""
    return job.created_by_id is not None and job.created_by_id == who.user.pk and who.user.is_active
