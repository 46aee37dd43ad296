from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "caicach.initiatives"
    label = "initiatives"
    verbose_name = _("Sáng kiến")

    def ready(self) -> None:
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.demo import register_demo_loader

        # Importing each area's rules, reminders and tasks registers them.
        from caicach.initiatives.campaigns import reminders, tasks  # noqa: F401
        from caicach.initiatives.demo import load_demo
        from caicach.initiatives.dossiers import rules  # noqa: F401
        from caicach.initiatives.models import Campaign
        from caicach.initiatives.recognition import rules as recognition_rules  # noqa: F401
        from caicach.initiatives.recognition import tasks as recognition_tasks  # noqa: F401
        from caicach.initiatives.review import reminders as review_reminders  # noqa: F401
        from caicach.initiatives.review import rules as review_rules  # noqa: F401
        from caicach.initiatives.search import tasks as search_tasks  # noqa: F401

        register_demo_loader("initiatives", load_demo, order=10)

        # The home page's to-do list: what waits for the person in the dossiers' workflow.
        from caicach.core.todos import register_todo_provider
        from caicach.initiatives.review.queries import sheets_to_score
        from caicach.initiatives.workflow.queries import (
            dossiers_returned,
            dossiers_to_confirm,
            dossiers_to_receive,
        )

        register_todo_provider("initiatives.confirm", dossiers_to_confirm, order=10)
        register_todo_provider("initiatives.receive", dossiers_to_receive, order=20)
        register_todo_provider("initiatives.score", sheets_to_score, order=30)
        register_todo_provider("initiatives.returned", dossiers_returned, order=40)

        add_nav_item(
            "initiatives:initiative_list",
            _("Sáng kiến"),
            _("Hồ sơ sáng kiến và các đợt phát động sáng kiến, giải pháp cải cách hành chính"),
            "initiatives.view_initiatives",
            before="unit_list",
        )
        add_nav_item(
            "initiatives:review_mine",
            _("Chấm điểm"),
            _("Các hồ sơ sáng kiến Hội đồng giao cho bạn chấm điểm"),
            "initiatives.score_reviews",
            before="unit_list",
        )
        register_action_labels(
            {
                "campaign.create": _("Lập kế hoạch phát động"),
                "campaign.update": _("Sửa kế hoạch phát động"),
                "campaign.publish": _("Ban hành kế hoạch, cấp số"),
                "campaign.extend": _("Gia hạn, mở lại thời gian nhận sáng kiến"),
                "campaign.close": _("Kết thúc đợt phát động"),
            }
        )
        register_object_url(Campaign, "initiatives:campaign_detail")
        # The audit labels live with the services that record the actions.
        from caicach.initiatives.dossiers.services import ACTION_LABELS as DOSSIER_ACTION_LABELS
        from caicach.initiatives.models import Initiative

        register_action_labels(DOSSIER_ACTION_LABELS)
        from caicach.initiatives.workflow.services import ACTION_LABELS as WORKFLOW_ACTION_LABELS

        register_action_labels(WORKFLOW_ACTION_LABELS)
        register_object_url(Initiative, "initiatives:initiative_detail")
        from caicach.initiatives.models import EffectivenessReport
        from caicach.initiatives.recognition.services import AUDIT_LABELS as RECOGNITION_ACTION_LABELS

        register_action_labels(RECOGNITION_ACTION_LABELS)
        register_object_url(EffectivenessReport, "initiatives:effectiveness_detail")
        from caicach.initiatives import audit_labels

        audit_labels.register()  # the audit trail's labels of keys that are not model fields
