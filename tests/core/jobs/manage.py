"""``manage.py`` for a process that also knows the slow test jobs (the worker kill test):
``python -m tests.core.jobs.manage db_worker …`` or ``… watch_jobs``."""

from __future__ import annotations

import os
import sys

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caicach.settings")
    django.setup()
    from django.core.management import execute_from_command_line

    import tests.core.jobs.slow_jobs  # noqa: F401  (registers the handlers)

    execute_from_command_line(["manage.py", *sys.argv[1:]])
