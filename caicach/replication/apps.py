from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "caicach.replication"
    label = "replication"
    verbose_name = _("Nhân rộng mô hình, cách làm hay")

    def ready(self) -> None:
        """Each area registers its rules (importing them registers them), audit labels,
        object pages, reminders, to-dos and menu entries; core imports no domain app."""
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.demo import register_demo_loader
        from caicach.core.todos import register_todo_provider
        from caicach.core.units.services import on_unit_merge
        from caicach.replication import audit_labels
        from caicach.replication.adoption import reminders as adoption_reminders  # noqa: F401
        from caicach.replication.adoption import rules as adoption_rules
        from caicach.replication.adoption.queries import reports_awaiting_review, reports_to_send
        from caicach.replication.demo import load_demo_replication
        from caicach.replication.directives import rules as directive_rules  # noqa: F401
        from caicach.replication.directives.queries import directives_to_sign
        from caicach.replication.directives.services import AUDIT_LABELS as DIRECTIVE_LABELS
        from caicach.replication.directives.services import obligations_hand_over
        from caicach.replication.models import Directive, Practice
        from caicach.replication.monitoring import rules as monitoring_rules  # noqa: F401
        from caicach.replication.practices import rules as practice_rules  # noqa: F401
        from caicach.replication.practices.queries import proposals_to_evaluate
        from caicach.replication.practices.services import AUDIT_LABELS as PRACTICE_LABELS

        # Seed 004's directive, after the initiatives (10) and the work program (20).
        register_demo_loader("replication", load_demo_replication, order=30)
        audit_labels.register()  # change keys that are not model fields

        # Practices: the committee's catalogue, and Home Affairs' to-do of proposals.
        register_action_labels(PRACTICE_LABELS)
        register_object_url(Practice, "replication:practice_detail")
        register_todo_provider("replication.practices_to_evaluate", proposals_to_evaluate, order=61)

        # Directives: a leader's to-do of drafts to sign; a merged unit's obligations go to
        # its successor.
        register_action_labels(DIRECTIVE_LABELS)
        register_object_url(Directive, "replication:directive_detail")
        register_todo_provider("replication.sign_directives", directives_to_sign, order=62)
        on_unit_merge(obligations_hand_over)

        # Adoption reports: the units' to-do and reminders, Home Affairs' review.
        adoption_rules.register_labels()
        register_todo_provider("replication.reports_to_send", reports_to_send, order=63)
        register_todo_provider("replication.reports_to_review", reports_awaiting_review, order=64)

        # The menu, in the order of the work: the catalogue, the directives, a unit's own
        # obligations, Home Affairs' monitoring.
        for url_name, label, description, action in (
            (
                "replication:practice_list",
                _("Mô hình, cách làm hay"),
                _("Danh mục mô hình, giải pháp, cách làm hay để nhân rộng; đề xuất của các đơn vị"),
                "replication.view_practices",
            ),
            (
                "replication:directive_list",
                _("Nhân rộng"),
                _("Văn bản chỉ đạo nhân rộng mô hình, cách làm hay và các đơn vị được giao"),
                "replication.view_directives",
            ),
            (
                "replication:obligation_list",
                _("Nhiệm vụ nhân rộng"),
                _("Mô hình, giải pháp đơn vị được giao nhân rộng và báo cáo kết quả theo kỳ"),
                "replication.file_reports",
            ),
            (
                "replication:monitoring_matrix",
                _("Theo dõi nhân rộng"),
                _("Mức độ triển khai các mô hình, giải pháp theo đơn vị; đơn vị chậm triển khai"),
                "replication.monitor",
            ),
        ):
            add_nav_item(url_name, label, description, action, before="unit_list")
