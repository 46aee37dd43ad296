"""What the follow-up area registers when the app is ready: its nav entry, the leaders'
to-do, the audit labels, the import job."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from caicach.core.audit.queries import register_action_labels, register_object_url
    from caicach.core.context_processors import add_nav_item
    from caicach.core.todos import register_todo_provider
    from caicach.oversight.followup import tasks  # noqa: F401  (the import job)
    from caicach.oversight.followup.queries import extensions_to_decide
    from caicach.oversight.models import Task

    add_nav_item(
        "oversight:task_list",
        _("Nhiệm vụ được giao"),
        _("Nhiệm vụ UBND và lãnh đạo UBND giao: tiến độ, gia hạn, kết quả thực hiện"),
        "oversight.view_tasks",
        before="unit_list",
    )
    register_action_labels(
        {
            "task.create": _("Giao nhiệm vụ"),
            "task.update": _("Sửa nhiệm vụ được giao"),
            "task.cancel": _("Hủy nhiệm vụ được giao"),
            "task.progress": _("Báo cáo tiến độ nhiệm vụ"),
            "task.complete": _("Báo cáo hoàn thành nhiệm vụ"),
            "task.repeat": _("Giao nhiệm vụ định kỳ kỳ tiếp theo"),
            "extension.request": _("Đề nghị gia hạn nhiệm vụ"),
            "extension.approve": _("Đồng ý gia hạn nhiệm vụ"),
            "extension.refuse": _("Không đồng ý gia hạn nhiệm vụ"),
        }
    )
    register_object_url(Task, "oversight:task_detail")
    register_todo_provider("oversight.extensions_to_decide", extensions_to_decide, order=47)
