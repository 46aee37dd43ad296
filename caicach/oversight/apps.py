from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "caicach.oversight"
    label = "oversight"
    verbose_name = _("Theo dõi nhiệm vụ được giao")

    def ready(self) -> None:
        # Each area registers its rules, nav entries, to-do providers, reminders and demo
        # loaders here, in its own block (areas: followup, urging, statistics).
        from caicach.oversight import rules  # noqa: F401  (the app's access rules, every area's)

        # --- followup ---
        from caicach.oversight.followup import setup as followup_setup

        followup_setup.register()
        self._ready_urging()
        self._ready_statistics()

    def _ready_urging(self) -> None:
        # urging -----------------------------------------------------------------------------
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.todos import register_todo_provider
        from caicach.oversight.models import UrgingNotice
        from caicach.oversight.urging import reminders, rules  # noqa: F401  (rules, the daily reminders)
        from caicach.oversight.urging.queries import unit_tasks
        from caicach.oversight.urging.services import AUDIT_LABELS

        add_nav_item(
            "oversight:notice_list",
            _("Đôn đốc nhiệm vụ"),
            _("Văn bản đôn đốc đơn vị có nhiệm vụ quá hạn, nhiệm vụ chậm trễ nhiều lần"),
            "oversight.view_notices",
            before="unit_list",
        )
        register_action_labels(AUDIT_LABELS)
        register_object_url(UrgingNotice, "oversight:notice_detail")
        register_todo_provider("oversight.unit_tasks", unit_tasks, order=72)

    def _ready_statistics(self) -> None:
        # statistics -------------------------------------------------------------------------
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.demo import register_demo_loader
        from caicach.oversight import demo
        from caicach.oversight.models import TaskReport
        from caicach.oversight.statistics import rules as statistics_rules  # noqa: F401  (the rules)

        add_nav_item(
            "oversight:statistics",
            _("Thống kê nhiệm vụ"),
            _("Nhiệm vụ được giao: đúng hạn, quá hạn, xếp hạng đơn vị, báo cáo định kỳ"),
            "oversight.view_statistics",
            before="unit_list",
        )
        register_action_labels(
            {
                "task_report.create": _("Soạn báo cáo tình hình thực hiện nhiệm vụ"),
                "task_report.update": _("Sửa báo cáo tình hình thực hiện nhiệm vụ"),
                "task_report.issue": _("Ban hành báo cáo tình hình thực hiện nhiệm vụ"),
            }
        )
        register_object_url(TaskReport, "oversight:task_report_detail")
        # After deliberation's (40): the tasks come from its meetings' conclusion points.
        register_demo_loader("oversight", lambda units: demo.load_demo_tasks(), order=50)
        # end statistics
