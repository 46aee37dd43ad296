"""Labels of the initiatives' audit change keys that are not fields of the audited model: a
table summed up in one line (authors, criteria, members), a council's figures recorded on the
dossier (votes, mean score, level). Without them the trail would show "Authors",
"Mean_score" or the code "grassroots"; the demo-wide audit test fails on any key left out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caicach.core.audit.queries import register_change_labels
from caicach.initiatives.models import (
    Council,
    CouncilRole,
    EffectivenessReport,
    Initiative,
    RecognitionLevel,
    ReportStatus,
    Rubric,
)


def register() -> None:
    register_change_labels(
        Initiative,
        {
            "authors": _("Tác giả"),
            "reviewers": _("Thành viên được phân công chấm"),
            "votes": _("Kết quả biểu quyết (tán thành/dự họp)"),
            "mean_score": _("Điểm trung bình"),
            "level": _("Cấp công nhận"),
        },
        choices={"level": RecognitionLevel.choices},
    )
    register_change_labels(
        Council,
        {
            "members": _("Thành viên hội đồng"),
            "role": _("Vai trò trong hội đồng"),
            "missing_reviews": _("Số phiếu chấm chưa nộp"),
        },
        choices={"role": CouncilRole.choices},
    )
    register_change_labels(Rubric, {"criteria": _("Tiêu chí chấm điểm")})
    # The model's status field has no verbose_name (one would need a migration).
    register_change_labels(
        EffectivenessReport, {"status": _("Tình trạng")}, choices={"status": ReportStatus.choices}
    )
