"""Labels of the deliberation audit change keys that are not fields of the audited model
(see core.audit.queries.register_change_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caicach.core.audit.queries import register_change_labels
from caicach.deliberation.models import Consultation, MeetingDocument, Opinion


def register() -> None:
    register_change_labels(
        Consultation, {"files": _("Tệp dự thảo"), "members": _("Số thành viên được lấy ý kiến")}
    )
    register_change_labels(Opinion, {"response": _("Tiếp thu, giải trình")})
    register_change_labels(MeetingDocument, {"points": _("Số nội dung kết luận")})
