from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "caicach.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from caicach.api import rules, tasks  # noqa: F401  (the permission rules, the daily purge)
        from caicach.core.audit.queries import register_action_labels
        from caicach.core.context_processors import add_nav_item

        add_nav_item(
            "api_tokens",
            _("Mã truy cập API"),
            _("Mã cho các hệ thống khác đọc và gửi dữ liệu qua API"),
            "api.manage_own_tokens",
        )

        register_action_labels(
            {
                "api_token.create": _("Tạo mã truy cập API"),
                "api_token.revoke": _("Thu hồi mã truy cập API"),
            }
        )
