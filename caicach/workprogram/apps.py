from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkProgramConfig(AppConfig):
    name = "caicach.workprogram"
    label = "workprogram"
    verbose_name = _("Chương trình công tác")

    def ready(self) -> None:
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.demo import register_demo_loader
        from caicach.workprogram.demo import load_demo_program
        from caicach.workprogram.models import AdjustmentRequest, ProgramItem, WorkProgram
        from caicach.workprogram.programs import rules, tasks  # noqa: F401  (the permission rules, the import job)

        # The province's 2024 work program, its requests and the units' monthly reports.
        register_demo_loader("workprogram", lambda units: load_demo_program(), order=20)

        add_nav_item(
            "workprogram:program_list",
            _("Chương trình công tác"),
            _("Chương trình công tác năm: nội dung, đề án trình, tiến độ và đề nghị điều chỉnh"),
            "workprogram.view_programs",
            before="unit_list",
        )
        register_action_labels(
            {
                "program.create": _("Tạo chương trình công tác"),
                "program.update": _("Sửa chương trình công tác"),
                "program.import": _("Nhập nội dung chương trình từ Excel"),
                "item.create": _("Thêm nội dung vào chương trình"),
                "item.update": _("Sửa nội dung chương trình"),
                "item.submit": _("Ghi nhận đã trình"),
                "item.issue": _("Ghi nhận đã ban hành"),
                "item.adjust": _("Điều chỉnh theo đề nghị được chấp thuận"),
                "adjustment.file": _("Gửi đề nghị điều chỉnh chương trình"),
                "adjustment.draft": _("Gửi lãnh đạo đơn vị duyệt đề nghị điều chỉnh"),
                "adjustment.return": _("Lãnh đạo đơn vị trả lại đề nghị điều chỉnh"),
                "adjustment.revise": _("Sửa và gửi lại đề nghị điều chỉnh"),
                "adjustment.approve": _("Chấp thuận đề nghị điều chỉnh"),
                "adjustment.reject": _("Không chấp thuận đề nghị điều chỉnh"),
                "workprogram_settings.update": _("Sửa thiết lập chương trình công tác"),
                "adjustment_reason.create": _("Thêm lý do điều chỉnh chương trình"),
                "adjustment_reason.update": _("Sửa lý do điều chỉnh chương trình"),
            }
        )
        register_object_url(WorkProgram, "workprogram:program_detail")
        register_object_url(ProgramItem, "workprogram:item_detail")
        register_object_url(AdjustmentRequest, "workprogram:request_detail")
        from caicach.workprogram.reports import reminders  # noqa: F401  (the monthly report reminder)
        from caicach.workprogram.reports.rules import register_report_labels  # and the reports' rules

        register_report_labels()

        # The home page's to-do list: requests to decide or follow, reports due, overdue items.
        from caicach.core.todos import register_todo_provider
        from caicach.workprogram.programs.queries import (
            overdue_items_of_units,
            requests_in_office,
            requests_to_approve,
            requests_to_decide,
        )
        from caicach.workprogram.reports.queries import reports_due

        register_todo_provider("workprogram.approve_submissions", requests_to_approve, order=48)
        register_todo_provider("workprogram.decide", requests_to_decide, order=50)
        register_todo_provider("workprogram.follow_requests", requests_in_office, order=55)
        register_todo_provider("workprogram.reports_due", reports_due, order=60)
        register_todo_provider("workprogram.overdue_items", overdue_items_of_units, order=70)
        from caicach.workprogram import audit_labels

        audit_labels.register()  # the audit trail's labels of keys that are not model fields
