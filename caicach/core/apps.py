from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "caicach.core"
    label = "core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        from caicach.core import choices

        # Every write forgets the kept entries that read its table, when it commits.
        connection_created.connect(choices.install_write_watch)
        for connection in connections.all(initialized_only=True):
            choices.install_write_watch(connection)
        # Permission rules, job handlers and daily reminders register themselves on import;
        # the web processes and the task worker must both know them.
        from caicach.core import tasks as core_tasks  # noqa: F401
        from caicach.core.accounts import queries, rules  # noqa: F401  (queries: the audit labels)
        from caicach.core.accounts import tasks as account_tasks  # noqa: F401
        from caicach.core.jobs import services  # noqa: F401
        from caicach.core.jobs import tasks as job_tasks  # noqa: F401
        from caicach.core.mfa import checks as mfa_checks  # noqa: F401
        from caicach.core.mfa import queries as mfa_queries  # noqa: F401  (the audit labels)
        from caicach.core.notifications import rules as notification_rules  # noqa: F401
        from caicach.core.notifications import tasks  # noqa: F401
        from caicach.core.security import tasks as security_tasks  # noqa: F401
        from caicach.core.units import tasks as unit_tasks  # noqa: F401
