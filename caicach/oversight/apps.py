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
