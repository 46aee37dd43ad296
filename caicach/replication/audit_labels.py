"""Labels of replication's audit change keys that are not fields of the audited model
(see core.audit.queries.register_change_labels), and of actions several areas share."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caicach.core.audit.queries import register_change_labels
from caicach.replication.models import AdoptionReport, Directive


def register() -> None:
    register_change_labels(AdoptionReport, {"results": _("Kết quả đo lường")})
    register_change_labels(Directive, {"practices": _("Mô hình, giải pháp nêu trong văn bản")})
