from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "caicach.core"
    label = "core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        # Permission rules, job handlers and daily reminders register themselves on import;
        # the web processes and the task worker must both know them.
        from caicach.core import jobs, rules_accounts, rules_notifications, tasks  # noqa: F401
