"""Give up on background jobs whose worker died: run it before starting a worker (the jobs
the previous one was running when it stopped), or from cron every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from caicach.core.jobs.services import job_watch
from caicach.core.models import JobStatus


class Command(BaseCommand):
    help = _("Đánh dấu lỗi (hoặc chạy lại một lần) các công việc nền bị ngắt giữa chừng.")

    def handle(self, *args: Any, **options: Any) -> None:
        given_up = job_watch()
        requeued = sum(1 for job in given_up if job.status == JobStatus.QUEUED)
        self.stdout.write(
            _("Công việc bị ngắt: %(failed)s đánh dấu lỗi, %(requeued)s được chạy lại.")
            % {"failed": len(given_up) - requeued, "requeued": requeued}
        )
