from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "caicach.initiatives"
    label = "initiatives"
    verbose_name = _("Sáng kiến")

    def ready(self) -> None:
        from caicach.core.context_processors import add_nav_item
        from caicach.core.queries.audit import register_action_labels, register_object_url
        from caicach.initiatives import (  # noqa: F401  (registers the permission rules and job handlers)
            rules,
            tasks,
        )
        from caicach.initiatives.models import Campaign

        add_nav_item(
            "initiatives:campaign_list",
            _("Sáng kiến"),
            _("Các đợt phát động sáng kiến, giải pháp cải cách hành chính"),
            "initiatives.view_campaigns",
            before="unit_list",
        )
        register_action_labels(
            {
                "campaign.create": _("Lập kế hoạch phát động"),
                "campaign.update": _("Sửa kế hoạch phát động"),
                "campaign.publish": _("Ban hành kế hoạch, cấp số"),
            }
        )
        register_object_url(Campaign, "initiatives:campaign_detail")
