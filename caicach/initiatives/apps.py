from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "caicach.initiatives"
    label = "initiatives"
    verbose_name = _("Sáng kiến")

    def ready(self) -> None:
        from caicach.initiatives import rules  # noqa: F401  (registers the permission rules)
