"""Builders for the workflow, documents and ZIP tests: a complete dossier of the Department
of Science & Technology in a province campaign received by the Department of Home Affairs,
and the steps that carry it along (through the services, as a user would)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from caicach.core.models import Unit, User
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind
from caicach.initiatives.services.workflow import (
    initiative_accept,
    initiative_confirm,
    initiative_submit,
)
from tests.conftest import Org, People
from tests.initiatives.dossier_builders import make_draft, open_campaign

SOLUTION_TEXT: dict[str, Any] = {
    "addressee": "Hội đồng sáng kiến tỉnh Tây Ninh",
    "application_field": "Cải cách hành chính; chỉ đạo, điều hành",
    "essence": "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc của UBND tỉnh.",
    "application_conditions": "Có Hệ thống quản lý văn bản và điều hành tác nghiệp.",
    "author_assessed_benefits": "Kỷ luật, kỷ cương hành chính được nâng lên.",
    "previous_solution": "Trách nhiệm của một số cơ quan trong phối hợp chưa cao.\n- Chậm tham gia ý kiến.",
    "necessity": "Còn một số cơ quan thực hiện Quy chế làm việc chưa nghiêm túc.",
    "purpose": "Tăng cường kỷ luật, kỷ cương hành chính.",
    "solution_steps": "Chủ tịch UBND tỉnh yêu cầu thực hiện nghiêm túc 4 nội dung.",
    "results": "Chất lượng chuẩn bị, trình các nội dung ngày càng được nâng cao.",
    "application_scope": "Sáng kiến đã triển khai trên toàn tỉnh.",
    "benefits": "Phát huy hiệu lực, hiệu quả chỉ đạo, điều hành.",
}
EXPERIENCE_TEXT: dict[str, Any] = {
    "context": "Trước xu thế toàn cầu hóa về kinh tế và văn hóa, cải cách hành chính trở thành một trào lưu.",
    "reasons": "Cải cách thủ tục hành chính là nội dung phản ánh rõ nhất quan hệ nhà nước và công dân.",
    "study_scope": "Nghiên cứu trong phạm vi Ủy ban nhân dân xã Hương Thọ.",
    "study_purpose": "Giúp cán bộ công chức nhận thức sâu sắc ý nghĩa của cải cách thủ tục hành chính.",
    "novelty": "Lấy sự hài lòng của người dân làm thước đo.",
    "current_situation": "Một bộ phận cán bộ còn e ngại đổi mới.",
    "measures": "1. Quán triệt chủ trương, quan điểm của Đảng và Nhà nước.\n2. Niêm yết công khai thủ tục.",
    "effectiveness": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%.",
    "lessons": "Phải có sự lãnh đạo trực tiếp của cấp ủy.",
    "significance": "Góp phần xây dựng chính quyền trong sạch, vững mạnh.",
    "applicability": "Có thể giới thiệu cho các xã, phường tham khảo.",
    "recommendations": "Trang bị phương tiện để đẩy mạnh ứng dụng công nghệ thông tin.",
}


def recent(days: int = 30) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def province_campaign(org: Org, people: People) -> Campaign:
    """The seed campaign issued by the province, received by its Department of Home Affairs
    (where ``people.reform_officer`` works), open to the Department of Science & Technology
    (where ``people.unit_staff`` and ``people.unit_head`` work); the window runs around today."""
    return open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science],
    )


def complete_draft(
    *,
    author: User,
    unit: Unit,
    campaign: Campaign | None,
    kind: str = InitiativeKind.SOLUTION,
    data: Mapping[str, Any] | None = None,
    authors: list[dict[str, Any]] | None = None,
) -> Initiative:
    """A draft with every required field, first applied a month ago."""
    fields: dict[str, Any] = {"first_applied_on": recent()}
    fields.update(SOLUTION_TEXT if kind == InitiativeKind.SOLUTION else EXPERIENCE_TEXT)
    if kind == InitiativeKind.EXPERIENCE:
        fields["title"] = "Một số giải pháp nâng cao hiệu quả công tác cải cách hành chính tại xã Hương Thọ"
        fields["essence"] = ""
    fields.update(data or {})
    return make_draft(actor=author, unit=unit, campaign=campaign, kind=kind, data=fields, authors=authors)


def submit(initiative: Initiative, author: User) -> Initiative:
    initiative.refresh_from_db()
    return initiative_submit(initiative=initiative, actor=author, version=initiative.version)


def send(initiative: Initiative, people: People, *, note: str = "") -> Initiative:
    """Submitted by its author and confirmed by the unit head: it reached the campaign."""
    submit(initiative, people.unit_staff)
    return initiative_confirm(initiative=initiative, actor=people.unit_head, note=note)


def accept(initiative: Initiative, people: People, accepted_on: datetime.date | None = None) -> Initiative:
    send(initiative, people)
    return initiative_accept(initiative=initiative, actor=people.reform_officer, accepted_on=accepted_on)
