from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "caicach.replication"
    label = "replication"
    verbose_name = _("Nhân rộng mô hình, cách làm hay")

    def ready(self) -> None:
        # Each area registers its rules, reminders, to-dos, audit labels and navigation here.
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.units.services import on_unit_merge

        # Directives: rules, audit labels, the object's page, the menu, and the hand-over of
        # a merged unit's obligations to its successor.
        from caicach.replication.directives import rules as directive_rules  # noqa: F401
        from caicach.replication.directives.services import AUDIT_LABELS as DIRECTIVE_LABELS
        from caicach.replication.directives.services import obligations_hand_over
        from caicach.replication.models import Directive

        register_action_labels(DIRECTIVE_LABELS)
        register_object_url(Directive, "replication:directive_detail")
        on_unit_merge(obligations_hand_over)
        from caicach.core.todos import register_todo_provider
        from caicach.replication.directives.queries import directives_to_sign

        register_todo_provider("replication.sign_directives", directives_to_sign, order=62)
        add_nav_item(
            "replication:directive_list",
            _("Nhân rộng"),
            _("Văn bản chỉ đạo nhân rộng mô hình, cách làm hay và các đơn vị được giao"),
            "replication.view_directives",
            before="unit_list",
        )
