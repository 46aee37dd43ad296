from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "caicach.replication"
    label = "replication"
    verbose_name = _("Nhân rộng mô hình, cách làm hay")

    def ready(self) -> None:
        # Each area registers its rules, reminders, to-dos, audit labels and navigation here.
        pass
