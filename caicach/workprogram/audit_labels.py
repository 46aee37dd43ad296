"""Labels of the work program's audit change keys that are not fields of the audited model
(see core.audit.queries.register_change_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caicach.core.audit.queries import register_change_labels
from caicach.workprogram.models import ProgramItem


def register() -> None:
    # Events written before the coordinating units were recorded under their field's name
    # used its Vietnamese label as the key.
    register_change_labels(ProgramItem, {"cơ quan phối hợp": _("Cơ quan phối hợp")})
