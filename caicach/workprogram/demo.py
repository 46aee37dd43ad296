"""The demo province's 2024 work program: 60 items across the departments, the Office and
the legacy district of Châu Thành, with a realistic mix of outcomes — issued on time or
late, submitted and waiting, overdue, postponed into 2025 and withdrawn (each through an
approved request), one rejected request, one approved addition and one request still
waiting for the leader — written through the services, as users would have."""

from __future__ import annotations

import calendar as pycalendar
import datetime
import itertools
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caicach.core import clock
from caicach.core.models import Unit, User
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ProgramItem,
    RequestStatus,
    SubmissionKind,
    WorkProgram,
)
from caicach.workprogram.programs.queries import unit_signers
from caicach.workprogram.programs.services import (
    adjustment_request_approve,
    adjustment_request_approve_submission,
    adjustment_request_file,
    adjustment_request_reject,
    item_create,
    item_issue,
    item_submit,
    item_update,
    program_create,
)
from caicach.workprogram.reports.demo import load_demo_reports

YEAR = 2024
C, CH, P = SubmissionKind.COMMITTEE, SubmissionKind.CHAIRMAN, SubmissionKind.PARTY_COMMITTEE

# What happens to an item:
#   I  issued on time        IL issued after a late submission
#   S  submitted on time     SL submitted late (not yet issued)
#   P  planned: overdue now  Q  planned, a postponement request waits for the leader
#   PN postponed into 2025   PW postponed within the year, then submitted and issued
#   W  withdrawn             R  postponement rejected, then submitted late
# (lead unit, title, kind, legal document, due month, coordinating units, leader, fate)
ITEMS: list[tuple[str, str, str, bool, int, tuple[str, ...], str, str]] = [
    ("TN-VP", "Chỉ thị của Chủ tịch UBND tỉnh về nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh",
     CH, False, 2, ("TN-SNV",), "chutich", "I"),
    ("TN-SKHCN", "Kế hoạch phát triển thị trường khoa học và công nghệ tỉnh Tây Ninh đến năm 2025",
     C, False, 2, ("TN-STC",), "lanhdao", "I"),
    ("TN-SYT", "Kế hoạch phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh năm 2024",
     C, False, 2, ("TN-STC", "TN-SGDDT"), "lanhdao", "I"),
    ("TN-STP", "Kế hoạch kiểm tra, rà soát, hệ thống hóa văn bản quy phạm pháp luật năm 2024",
     C, False, 1, (), "lanhdao.kinhte", "I"),
    ("TN-VP", "Quyết định ban hành Quy chế làm việc của UBND tỉnh nhiệm kỳ 2021–2026 (sửa đổi, bổ sung)",
     C, True, 3, ("TN-STP", "TN-SNV"), "chutich", "I"),
    ("TN-SNV", "Quyết định ban hành Quy định phân cấp quản lý tổ chức bộ máy, biên chế và cán bộ, công chức, "
     "viên chức trên địa bàn tỉnh", C, True, 3, ("TN-STP", "TN-STC"), "lanhdao", "I"),
    ("TN-STP", "Quyết định ban hành Quy chế phối hợp trong công tác theo dõi tình hình thi hành pháp luật "
     "trên địa bàn tỉnh", C, True, 3, (), "lanhdao.kinhte", "I"),
    ("TN-SNNMT", "Phương án phòng, chống thiên tai và tìm kiếm cứu nạn năm 2024",
     C, False, 3, ("TN-SXD", "CT"), "lanhdao.kinhte", "I"),
    ("TN-SNV", "Báo cáo kết quả xác định Chỉ số cải cách hành chính năm 2023 của các sở, ban, ngành và UBND "
     "cấp huyện", CH, False, 4, (), "lanhdao", "I"),
    ("TN-SKHCN", "Đề án phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Tây Ninh đến năm 2030",
     C, False, 4, ("TN-STC", "TN-SGDDT"), "lanhdao", "IL"),
    ("TN-SYT", "Kế hoạch thực hiện Chương trình mục tiêu quốc gia về y tế – dân số năm 2024",
     C, False, 4, ("TN-STC",), "lanhdao", "I"),
    ("TN-SNNMT", "Kế hoạch thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm 2024",
     C, False, 4, ("TN-STC", "CT"), "lanhdao.kinhte", "I"),
    ("TN-SVHTTDL", "Đề án phát triển khu du lịch Núi Bà Đen thành khu du lịch quốc gia",
     P, False, 4, ("TN-SXD", "TN-SNNMT"), "lanhdao", "IL"),
    ("CT", "Đề án xây dựng huyện Châu Thành đạt chuẩn nông thôn mới nâng cao giai đoạn 2024–2025",
     C, False, 4, ("TN-SNNMT",), "lanhdao.kinhte", "IL"),
    ("TN-SNV", "Kế hoạch tuyển dụng công chức tỉnh Tây Ninh năm 2024",
     C, False, 5, (), "lanhdao", "I"),
    ("TN-SNV", "Quyết định ban hành Quy chế công tác văn thư, lưu trữ trên địa bàn tỉnh",
     C, True, 5, ("TN-STP",), "lanhdao", "R"),
    ("TN-STP", "Nghị quyết quy định mức chi bảo đảm cho công tác xây dựng và hoàn thiện hệ thống pháp luật "
     "trên địa bàn tỉnh", C, True, 5, ("TN-STC",), "lanhdao.kinhte", "I"),
    ("TN-SYT", "Đề án phát triển mạng lưới y tế cơ sở tỉnh Tây Ninh giai đoạn 2024–2030",
     P, False, 5, ("TN-SNV", "TN-STC"), "lanhdao", "SL"),
    ("TN-SNNMT", "Đề án phát triển vùng nguyên liệu mì (sắn) bền vững gắn với chế biến giai đoạn 2024–2030",
     C, False, 5, ("TN-SKHCN",), "lanhdao.kinhte", "I"),
    ("TN-SXD", "Kế hoạch phát triển đô thị tỉnh Tây Ninh giai đoạn 2024–2025",
     C, False, 5, ("TN-SNNMT",), "lanhdao.kinhte", "I"),
    ("TN-SNV", "Đề án vị trí việc làm và cơ cấu ngạch công chức trong các cơ quan hành chính cấp tỉnh",
     C, False, 6, ("TN-STC",), "lanhdao", "PW"),
    ("TN-SKHCN", "Quyết định ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
     C, True, 6, ("TN-STP", "TN-STC"), "lanhdao", "PN"),
    ("TN-STC", "Nghị quyết quy định phân cấp nguồn thu, nhiệm vụ chi giữa các cấp ngân sách giai đoạn "
     "2022–2025 (sửa đổi, bổ sung)", C, True, 6, ("TN-STP",), "lanhdao.kinhte", "IL"),
    ("TN-SGDDT", "Đề án phát triển giáo dục mầm non tỉnh Tây Ninh giai đoạn 2024–2030",
     C, False, 6, ("TN-SNV", "TN-STC"), "lanhdao", "S"),
    ("TN-SXD", "Quyết định ban hành Quy định phân cấp quản lý chất lượng công trình xây dựng "
     "trên địa bàn tỉnh",
     C, True, 6, ("TN-STP",), "lanhdao.kinhte", "I"),
    ("TN-VP", "Kế hoạch triển khai Hệ thống thông tin báo cáo tỉnh kết nối Hệ thống thông tin báo cáo "
     "Chính phủ", C, False, 6, ("TN-SKHCN",), "chutich", "I"),
    ("CT", "Phương án sắp xếp đơn vị hành chính cấp xã trên địa bàn huyện Châu Thành",
     P, False, 6, ("TN-SNV",), "lanhdao.kinhte", "PN"),
    ("TN-SKHCN", "Chương trình hỗ trợ doanh nghiệp đổi mới công nghệ giai đoạn 2024–2028",
     C, False, 7, ("TN-STC",), "lanhdao", "W"),
    ("TN-STP", "Quyết định bãi bỏ một số quyết định quy phạm pháp luật của UBND tỉnh không còn phù hợp",
     C, True, 7, (), "lanhdao.kinhte", "W"),
    ("TN-STC", "Báo cáo tình hình thực hiện dự toán ngân sách nhà nước 6 tháng đầu năm 2024",
     CH, False, 7, (), "lanhdao.kinhte", "I"),
    ("TN-SGDDT", "Kế hoạch thời gian năm học 2024–2025 đối với giáo dục mầm non, giáo dục phổ thông và "
     "giáo dục thường xuyên", CH, False, 7, (), "lanhdao", "I"),
    ("TN-SVHTTDL", "Đề án bảo tồn và phát huy giá trị nghệ thuật đờn ca tài tử Nam Bộ giai đoạn 2024–2030",
     C, False, 7, ("TN-STC",), "lanhdao", "S"),
    ("TN-SNV", "Đề án sắp xếp đơn vị hành chính cấp xã giai đoạn 2023–2025 trên địa bàn tỉnh",
     P, False, 8, ("TN-STP", "CT"), "lanhdao", "PN"),
    ("TN-STP", "Đề án nâng cao hiệu quả công tác phổ biến, giáo dục pháp luật giai đoạn 2024–2027",
     C, False, 8, ("TN-SGDDT",), "lanhdao.kinhte", "PN"),
    ("TN-SYT", "Quyết định quy định giá dịch vụ khám bệnh, chữa bệnh không thuộc phạm vi thanh toán của "
     "Quỹ bảo hiểm y tế", C, True, 8, ("TN-STC",), "lanhdao", "S"),
    ("TN-SGDDT", "Nghị quyết quy định mức thu học phí đối với cơ sở giáo dục công lập năm học 2024–2025",
     C, True, 8, ("TN-STC", "TN-STP"), "lanhdao", "IL"),
    ("TN-SXD", "Chương trình phát triển nhà ở tỉnh Tây Ninh giai đoạn 2021–2030 (điều chỉnh)",
     P, False, 8, ("TN-SNNMT", "TN-STC"), "lanhdao.kinhte", "SL"),
    ("CT", "Kế hoạch phát triển vùng trồng lúa chất lượng cao huyện Châu Thành",
     C, False, 8, ("TN-SNNMT",), "lanhdao.kinhte", "W"),
    ("TN-SKHCN", "Đề án xây dựng và phát triển tài sản trí tuệ cho sản phẩm đặc sản, đặc thù của tỉnh",
     C, False, 9, ("TN-SNNMT",), "lanhdao", "Q"),
    ("TN-STC", "Đề án quản lý, khai thác tài sản công tại các cơ quan, đơn vị thuộc tỉnh",
     C, False, 9, ("TN-SNV",), "lanhdao.kinhte", "P"),
    ("TN-SGDDT", "Kế hoạch sắp xếp, tổ chức lại các trường học trên địa bàn tỉnh",
     C, False, 9, ("TN-SNV", "CT"), "lanhdao", "SL"),
    ("TN-SNNMT", "Quyết định phê duyệt Bảng giá đất điều chỉnh áp dụng trên địa bàn tỉnh",
     C, True, 9, ("TN-STC", "TN-STP"), "lanhdao.kinhte", "IL"),
    ("TN-SVHTTDL", "Kế hoạch tổ chức Đại hội Thể dục thể thao tỉnh Tây Ninh lần thứ IX năm 2026",
     C, False, 9, ("TN-STC",), "lanhdao", "I"),
    ("CT", "Đề án đầu tư nâng cấp hạ tầng Khu kinh tế cửa khẩu Phước Tân",
     C, False, 9, ("TN-SXD", "TN-STC"), "lanhdao.kinhte", "SL"),
    ("TN-SKHCN", "Quyết định ban hành Danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2025",
     CH, False, 10, (), "lanhdao", "P"),
    ("TN-STP", "Quyết định ban hành Quy định về quản lý nhà nước đối với công tác hòa giải ở cơ sở",
     C, True, 10, (), "lanhdao.kinhte", "SL"),
    ("TN-STC", "Phương án sắp xếp lại, xử lý nhà, đất thuộc sở hữu nhà nước trên địa bàn tỉnh",
     P, False, 10, ("TN-SNNMT", "TN-SXD"), "lanhdao.kinhte", "P"),
    ("TN-SGDDT", "Quyết định ban hành Quy định về dạy thêm, học thêm trên địa bàn tỉnh",
     C, True, 10, ("TN-STP",), "lanhdao", "P"),
    ("TN-SNNMT", "Quyết định quy định hạn mức giao đất, công nhận quyền sử dụng đất trên địa bàn tỉnh",
     C, True, 10, ("TN-STP",), "lanhdao.kinhte", "P"),
    ("TN-SXD", "Đề án phát triển nhà ở xã hội cho công nhân các khu công nghiệp trên địa bàn tỉnh",
     C, False, 10, ("TN-SNNMT", "TN-STC"), "lanhdao.kinhte", "P"),
    ("CT", "Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế – xã hội khu vực biên giới "
     "huyện Châu Thành",
     CH, False, 10, (), "lanhdao.kinhte", "P"),
    ("TN-SNV", "Kế hoạch cải cách hành chính tỉnh Tây Ninh năm 2025",
     C, False, 11, (), "lanhdao", "I"),
    ("TN-STC", "Quyết định ban hành Bảng giá tính thuế tài nguyên trên địa bàn tỉnh năm 2025",
     C, True, 11, ("TN-SNNMT",), "lanhdao.kinhte", "S"),
    ("TN-SYT", "Đề án nâng cao năng lực Trung tâm Kiểm soát bệnh tật tỉnh Tây Ninh",
     C, False, 11, ("TN-SNV",), "lanhdao", "P"),
    ("TN-SNNMT", "Kế hoạch sử dụng đất năm 2025 của tỉnh Tây Ninh",
     C, False, 11, ("TN-SXD",), "lanhdao.kinhte", "S"),
    ("TN-SVHTTDL", "Quyết định ban hành Quy chế quản lý hoạt động quảng cáo ngoài trời trên địa bàn tỉnh",
     C, True, 11, ("TN-SXD", "TN-STP"), "lanhdao", "P"),
    ("TN-STC", "Quyết định giao dự toán thu, chi ngân sách nhà nước năm 2025",
     C, False, 12, (), "lanhdao.kinhte", "I"),
    ("TN-SXD", "Quy hoạch chung đô thị Tây Ninh đến năm 2045 (nhiệm vụ điều chỉnh)",
     C, False, 12, ("TN-SNNMT",), "lanhdao.kinhte", "S"),
    ("TN-VP", "Chương trình công tác năm 2025 của UBND tỉnh",
     C, False, 12, (), "chutich", "I"),
]  # fmt: skip

ADDITION = (
    "TN-SKHCN",
    "Đề án chuyển đổi số trong hoạt động quản lý nhà nước về khoa học và công nghệ tỉnh Tây Ninh",
    8,
    ("TN-SNV",),
    "lanhdao",
)

ISSUED_ON = datetime.date(YEAR - 1, 12, 28)
ADDITION_FILED_ON = datetime.date(YEAR, 5, 20)
DECISION_LAG = datetime.timedelta(days=6)

# Units whose people file the demo's requests (a head or staff member of the lead unit).
FILERS = {"TN-SNV": "truong.snv", "TN-SKHCN": "canbo.skhcn", "TN-STP": "thanhvien", "CT": "canbo.chauthanh"}

JUSTIFICATIONS = {
    "PN": (
        "legal_procedure",
        "Dự thảo đang chờ ý kiến thẩm định và hướng dẫn của bộ, ngành Trung ương; các văn bản quy định chi "
        "tiết của luật mới chưa được ban hành.",
        "Lùi thời gian trình để bảo đảm nội dung phù hợp với quy định mới, tránh phải sửa đổi ngay sau khi "
        "ban hành.",
        "Không ảnh hưởng đến các nhiệm vụ trọng tâm năm 2024; các quy định hiện hành vẫn bảo đảm quản lý "
        "trong thời gian chờ.",
    ),
    "PW": (
        "objective_cause",
        "Số liệu rà soát của các cơ quan, đơn vị gửi chậm so với kế hoạch, cần thêm thời gian tổng hợp.",
        "Bảo đảm đề án được xây dựng trên số liệu đầy đủ, chính xác.",
        "Lùi 3 tháng, vẫn hoàn thành trong năm; không ảnh hưởng đến công tác chỉ đạo, điều hành chung.",
    ),
    "W": (
        "steering_needs",
        "Nội dung đã được lồng ghép vào đề án khác cùng lĩnh vực đang triển khai.",
        "Tránh trùng lặp nhiệm vụ, tiết kiệm nguồn lực.",
        "Không ảnh hưởng; các nhiệm vụ liên quan được thực hiện trong đề án đã lồng ghép.",
    ),
    "R": (
        "objective_cause",
        "Cơ quan phối hợp chưa gửi ý kiến góp ý đối với dự thảo.",
        "Cần thêm thời gian tiếp thu, hoàn thiện dự thảo.",
        "Chậm một tháng so với chương trình.",
    ),
    "Q": (
        "leader_direction",
        "Thực hiện ý kiến chỉ đạo của Phó Chủ tịch UBND tỉnh tại cuộc họp ngày 10/9/2024 về việc khảo sát "
        "bổ sung các sản phẩm đặc thù.",
        "Bảo đảm danh mục sản phẩm đầy đủ, có tính khả thi.",
        "Lùi sang tháng 12/2024; không ảnh hưởng đến kế hoạch phát triển kinh tế – xã hội năm 2024.",
    ),
}

ISSUED_TYPES = (
    ("Kế hoạch", "KH-UBND"),
    ("Chỉ thị", "CT-UBND"),
    ("Báo cáo", "BC-UBND"),
    ("Chương trình", "CTr-UBND"),
    ("Nghị quyết", "NQ-HĐND"),
)


@dataclass
class _Counters:
    submissions: dict[str, itertools.count[int]]
    issued: itertools.count[int]

    def submission(self, unit: Unit) -> str:
        counter = self.submissions.setdefault(unit.code, itertools.count(12))
        return f"{next(counter):02d}/TTr-{unit.document_symbol}"

    def decision(self, item: ProgramItem) -> str:
        number = next(self.issued)
        for prefix, symbol in ISSUED_TYPES:
            if item.title.startswith(prefix):
                return f"{number:02d}/{symbol}"
        if item.is_legal_document:
            return f"{number:02d}/{YEAR}/QĐ-UBND"
        return f"{number:02d}/QĐ-UBND"


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """When the demo's step happened: services, audit events and notifications carry the date."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _end_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=pycalendar.monthrange(day.year, day.month)[1])


def _shift_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _submit_and_issue(
    item: ProgramItem, actor: User, counters: _Counters, *, late: bool, issue: bool, issue_after: int = 21
) -> ProgramItem:
    submitted_on = (
        _shift_months(item.due_month, 1).replace(day=14) if late else item.due_month.replace(day=18)
    )
    with clock.travel_to(_at(submitted_on)):
        item = item_submit(
            actor=actor,
            item=item,
            submitted_on=submitted_on,
            reference=counters.submission(item.lead_unit),
            version=item.version,
        )
    if issue:
        issued_on = submitted_on + datetime.timedelta(days=issue_after)
        with clock.travel_to(_at(issued_on, 10)):
            item = item_issue(
                actor=actor,
                item=item,
                issued_on=issued_on,
                reference=counters.decision(item),
                version=item.version,
            )
    return item


def _head_signs(request: AdjustmentRequest, day: datetime.date) -> AdjustmentRequest:
    """A member of staff's draft goes out once the unit head approves and signs it."""
    if request.status != RequestStatus.AWAITING_HEAD:
        return request
    head = unit_signers([request.lead_unit_id]).order_by("pk").first()
    assert head is not None, f"{request.lead_unit} has no head to sign its Tờ trình"
    return adjustment_request_approve_submission(
        actor=head, request=request, version=request.version, filed_on=day
    )


def _file(item: ProgramItem, fate: str, filer: User) -> AdjustmentRequest:
    """The lead unit's request for ``fate``, filed on the 5th of the item's due month."""
    kind, proposed = {
        "PN": (AdjustmentKind.POSTPONE, datetime.date(YEAR + 1, 3, 1)),
        "PW": (AdjustmentKind.POSTPONE, _shift_months(item.due_month, 3)),
        "R": (AdjustmentKind.POSTPONE, _shift_months(item.due_month, 1)),
        "Q": (AdjustmentKind.POSTPONE, datetime.date(YEAR, 12, 1)),
        "W": (AdjustmentKind.WITHDRAW, None),
    }[fate]
    code, explanation, necessity, impact = JUSTIFICATIONS[fate]
    filed_on = item.due_month.replace(day=5)
    with clock.travel_to(_at(filed_on)):
        return _head_signs(
            adjustment_request_file(
                actor=filer,
                program=item.program,
                item=item,
                kind=kind,
                reason=AdjustmentReason.objects.get(code=code),
                explanation=explanation,
                necessity=necessity,
                impact=impact,
                proposed_month=proposed,
                filed_on=filed_on,
            ),
            filed_on,
        )


def _decide(request: AdjustmentRequest, fate: str, leader: User) -> None:
    assert request.request_document is not None
    decided_on = request.request_document.issued_on + DECISION_LAG
    with clock.travel_to(_at(decided_on, 15)):
        if fate == "R":
            adjustment_request_reject(
                actor=leader, request=request, version=request.version, decided_on=decided_on,
                note="Lý do chưa thuyết phục; đề nghị Sở đôn đốc cơ quan phối hợp, trình đúng thời hạn.",
            )  # fmt: skip
            return
        note = {
            "PN": "Đồng ý lùi sang Quý I/2025; đề nghị đơn vị chủ động phối hợp, hoàn thiện hồ sơ.",
            "PW": "Đồng ý; đề nghị trình đúng thời gian đã điều chỉnh.",
            "W": "Đồng ý rút nội dung khỏi Chương trình công tác năm 2024.",
        }[fate]
        adjustment_request_approve(
            actor=leader, request=request, version=request.version, note=note, decided_on=decided_on
        )


@transaction.atomic
def load_demo_program() -> WorkProgram:
    """The 2024 program of the demo province (needs the organisation and accounts of
    caicach.core.demo), then the units' monthly reports on it."""
    units = {unit.code: unit for unit in Unit.objects.filter(Q(code__startswith="TN") | Q(code="CT"))}
    people = {user.username: user for user in User.objects.all()}
    # The Office enters the program the day it is issued.
    with clock.travel_to(_at(ISSUED_ON)):
        program, created = _enter_program(units, people)
    _replay_year(program, units, people, created)
    _load_draft_awaiting_head(program, units, people)
    load_demo_reports(program=program)
    return program


def _load_draft_awaiting_head(program: WorkProgram, units: dict[str, Unit], people: dict[str, User]) -> None:
    """Science & Technology's staff member drafts, in October, a request to postpone the
    unit's last item still planned; it waits for the head (truong.skhcn) to approve and sign."""
    item = (
        program.items.filter(lead_unit=units["TN-SKHCN"], status="planned", adjustment_requests__isnull=True)
        .order_by("-due_month", "-position")
        .first()
    )
    if item is None:
        return
    filed_on = datetime.date(YEAR, 10, 8)
    with clock.travel_to(_at(filed_on)):
        adjustment_request_file(
            actor=people["canbo.skhcn"],
            program=program,
            item=item,
            kind=AdjustmentKind.POSTPONE,
            reason=AdjustmentReason.objects.get(code="objective_cause"),
            explanation="Bộ Khoa học và Công nghệ chưa ban hành hướng dẫn xác định nhiệm vụ cấp tỉnh "
            "năm 2025.",
            necessity="Bảo đảm danh mục nhiệm vụ phù hợp với hướng dẫn mới của Trung ương.",
            impact="Không ảnh hưởng đến các nhiệm vụ đang triển khai; lùi một tháng.",
            proposed_month=_shift_months(item.due_month, 1),
            filed_on=filed_on,
        )


def _enter_program(
    units: dict[str, Unit], people: dict[str, User]
) -> tuple[WorkProgram, list[tuple[ProgramItem, str, str]]]:
    office = people["vanphong"]
    program = program_create(
        actor=office,
        data={
            "issuing_unit": units["TN"],
            "year": YEAR,
            "title": "Chương trình công tác năm 2024 của UBND tỉnh Tây Ninh",
            "decision_number": "3125/QĐ-UBND",
            "decision_date": ISSUED_ON,
            "notes": "Ban hành kèm theo Quyết định số 3125/QĐ-UBND ngày 28/12/2023 của UBND tỉnh.",
        },
    )
    created: list[tuple[ProgramItem, str, str]] = []
    for code, title, kind, legal, due, coordinating, leader, fate in ITEMS:
        item = item_create(
            actor=office,
            program=program,
            data={
                "title": title,
                "submission_kind": kind,
                "is_legal_document": legal,
                "lead_unit": units[code],
                "coordinating_units": [units[c] for c in coordinating],
                "supervising_leader": people[leader],
                "monitoring_officer": office,
                "due_month": datetime.date(YEAR, due, 1),
            },
        )
        created.append((item, fate, code))
    return program, created


def _replay_year(
    program: WorkProgram,
    units: dict[str, Unit],
    people: dict[str, User],
    created: list[tuple[ProgramItem, str, str]],
) -> None:
    """The year as it went: requests filed and decided, items submitted and issued."""
    office = people["vanphong"]
    # Requests in the order they were filed, so the registers' numbers follow their dates.
    filings = sorted(
        ((item.due_month, index, item, fate, code) for index, (item, fate, code) in enumerate(created)
         if fate in JUSTIFICATIONS),
        key=lambda filing: (filing[0], filing[1]),
    )  # fmt: skip
    addition_done = False
    for due_month, _index, item, fate, code in filings:
        if not addition_done and due_month > ADDITION_FILED_ON:
            _load_addition(program, units, people)
            addition_done = True
        request = _file(item, fate, people[FILERS[code]])
        if fate != "Q":
            assert item.supervising_leader is not None
            _decide(request, fate, item.supervising_leader)
    counters = _Counters(submissions={}, issued=itertools.count(5))
    submitted = [(item, fate) for item, fate, _code in created if fate in ("I", "IL", "S", "SL", "PW", "R")]
    submitted += [(item, "I") for item in program.items.filter(adjustment_requests__kind=AdjustmentKind.ADD)]
    for item, fate in sorted(submitted, key=lambda pair: (pair[0].due_month, pair[0].position)):
        item.refresh_from_db()
        _submit_and_issue(
            item, office, counters, late=fate in ("IL", "SL", "R"), issue=fate in ("I", "IL", "PW")
        )


def _load_addition(program: WorkProgram, units: dict[str, Unit], people: dict[str, User]) -> None:
    """Science & Technology asks, in May, to add an item; the leader agrees."""
    code, title, due, coordinating, leader = ADDITION
    with clock.travel_to(_at(ADDITION_FILED_ON)):
        request = adjustment_request_file(
            actor=people[FILERS[code]],
            program=program,
            kind=AdjustmentKind.ADD,
            lead_unit=units[code],
            reason=AdjustmentReason.objects.get(code="leader_direction"),
            explanation="Thực hiện chỉ đạo của Chủ tịch UBND tỉnh về đẩy mạnh chuyển đổi số trong các "
            "cơ quan nhà nước năm 2024.",
            necessity="Hoàn thiện nền tảng dữ liệu, quy trình số trong quản lý khoa học và công nghệ.",
            impact="Hỗ trợ trực tiếp mục tiêu chuyển đổi số của tỉnh; không làm thay đổi các nội dung khác.",
            proposed_title=title,
            proposed_month=datetime.date(YEAR, due, 1),
            proposed_data={
                "submission_kind": SubmissionKind.COMMITTEE,
                "is_legal_document": False,
                "coordinating_units": [units[c] for c in coordinating],
            },
            leader=people[leader],
            filed_on=ADDITION_FILED_ON,
        )
        request = _head_signs(request, ADDITION_FILED_ON)
    decided_on = ADDITION_FILED_ON + DECISION_LAG
    with clock.travel_to(_at(decided_on, 15)):
        approved = adjustment_request_approve(
            actor=people[leader],
            request=request,
            version=request.version,
            note="Đồng ý bổ sung vào Chương trình công tác năm 2024.",
            decided_on=decided_on,
        )
        assert approved.item is not None
        # The Office then assigns its officer to follow the new item.
        item_update(
            actor=people["vanphong"],
            item=approved.item,
            data={"monitoring_officer": people["vanphong"]},
            version=approved.item.version,
        )
