"""The demo province's replication (seed 004), rebuilt on the demo's two-tier organisation:
the chairman's directive replicating three models and six solutions, drafted by Home
Affairs and issued by the Chairman at the start of the fourth-last closed quarter, and four
quarterly rounds of adoption reports with a realistic mix — applied with measured results,
piloting, studying, not started, one stopped with a reason, one returned for completion,
some late and several missing — so the laggards show at first glance.

The seed (2022) assigns models 1–3 and solutions 1.1–1.3 to the district committees "and
their communes"; since 1 July 2025 the communes report directly to the province, so the
demo assigns them to the commune committees, and says so in the assignment's text.

The dates are counted back from the day the demo is loaded (the last closed quarter is the
newest round), so the matrix is current whenever someone looks at it. Everything is written
through the services, as users would have, with the clock set to each step's day."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.initiatives.models import Initiative
from caicach.replication.adoption.queries import ReportContent, ResultInput
from caicach.replication.adoption.services import adoption_report_return, adoption_report_submit
from caicach.replication.cycles import Cycle, last_closed_cycle, report_due_on, settings_for
from caicach.replication.directives.services import (
    AssignmentDraft,
    ListingDraft,
    assignment_add,
    directive_create,
    directive_issue,
    directive_practices_set,
)
from caicach.replication.models import (
    AdoptionStatus,
    AssignmentRole,
    Directive,
    DirectiveSection,
    Obligation,
    Practice,
    PracticeKind,
    ReportingCycle,
    TargetGroup,
)
from caicach.replication.practices.services import (
    practice_create,
    practice_from_initiative,
    practice_propose,
    practice_publish,
)

S = AdoptionStatus


@dataclass(frozen=True)
class DemoPractice:
    key: str
    name: str
    kind: str
    origin: str  # unit code
    indices: tuple[str, ...]
    fields: tuple[str, ...]
    summary: str
    steps: str
    conditions: str
    cost: str
    contact: str
    section: str = DirectiveSection.MODELS
    group_title: str = ""


PAPI_GROUP = "Đối với chỉ số PAPI"
PAR_PCI_GROUP = "Đối với Chỉ số PAR INDEX và Chỉ số PCI"

PRACTICES = [
    DemoPractice(
        "m1",
        "Ngày thứ bảy lắng nghe dân nói",
        PracticeKind.MODEL,
        "CT-TT",
        ("PAPI",),
        ("TTHC",),
        "Thực hiện tổ chức đối thoại với công dân để kịp thời tiếp nhận và "
        "giải quyết kiến nghị của người dân.",
        "1. Chủ tịch UBND xã ban hành kế hoạch, công khai lịch đối thoại vào "
        "sáng thứ bảy tuần đầu mỗi tháng.\n"
        "2. Tiếp nhận trước kiến nghị qua tổ trưởng khu phố, hộp thư góp ý và trang thông tin điện tử.\n"
        "3. Tổ chức đối thoại, ghi biên bản, phân công xử lý từng kiến nghị, hẹn thời gian trả lời.\n"
        "4. Công khai kết quả giải quyết tại buổi đối thoại kế tiếp.",
        "Lãnh đạo UBND trực tiếp chủ trì; bố trí công chức ghi chép và theo dõi kiến nghị.",
        "Không phát sinh kinh phí lớn; sử dụng hội trường và kinh phí hoạt động thường xuyên.",
        "Văn phòng HĐND và UBND thị trấn Châu Thành.",
    ),
    DemoPractice(
        "m2",
        "Ký số Bản đồ khổ lớn",
        PracticeKind.MODEL,
        "TN-SNNMT",
        ("PAR INDEX", "ICT"),
        ("CQS", "TTHC"),
        "Ký số bản đồ khổ lớn thay bản đồ giấy trước đây để tiết kiệm thời gian, "
        "chi phí, thuận tiện cho cá nhân, "
        "tổ chức khi sử dụng dịch vụ công trực tuyến; nâng cao tỷ lệ hồ sơ được tiếp nhận, xử lý trực tuyến.",
        "1. Số hóa bản đồ khổ lớn, lưu trữ trên hệ thống thông tin giải quyết thủ tục hành chính.\n"
        "2. Cấp chứng thư số cho lãnh đạo và công chức có thẩm quyền ký.\n"
        "3. Trả kết quả bản đồ đã ký số qua Cổng dịch vụ công; dừng in bản đồ "
        "giấy khi người dân không yêu cầu.",
        "Có chứng thư số chuyên dùng; phần mềm ký số tệp khổ lớn; đường truyền ổn định.",
        "Kinh phí mua sắm phần mềm ký số và chứng thư số theo dự toán chuyển đổi số hằng năm.",
        "Trung tâm Công nghệ thông tin, Sở Nông nghiệp và Môi trường.",
    ),
    DemoPractice(
        "m3",
        "Ngày thứ năm không chờ",
        PracticeKind.MODEL,
        "X-HAODUOC",
        ("SIPAS",),
        ("TTHC",),
        "Chọn những thủ tục hành chính đơn giản, giải quyết ngay trong ngày, "
        "thời gian giải quyết từ 30 phút đến "
        "60 phút hoặc nửa buổi, giúp người dân không phải đi lại nhiều lần, tiết kiệm thời gian chờ đợi.",
        "1. Rà soát, lập danh mục thủ tục hành chính giải quyết ngay trong ngày.\n"
        "2. Thông báo công khai danh mục tại Bộ phận Một cửa và trên trang thông tin điện tử.\n"
        "3. Mỗi thứ năm bố trí đủ công chức chuyên môn trực tại Bộ phận Một cửa, ký duyệt trong ngày.",
        "Công chức chuyên môn và lãnh đạo có mặt đủ vào ngày thứ năm.",
        "Không phát sinh kinh phí.",
        "Bộ phận Một cửa UBND xã Hảo Đước.",
    ),
    DemoPractice(
        "s11",
        "Biên tập, xuất bản Tờ gấp tuyên truyền",
        PracticeKind.SOLUTION,
        "TN-SNV",
        ("PAPI",),
        ("BOMAY",),
        "Gửi tờ gấp xuống các thôn, ấp, khu phố để nhân dân nắm được nội dung "
        "hiệu quả quản trị và hành chính công; "
        "đưa tin, bài trên Cổng/Trang thông tin điện tử.",
        "1. Biên tập nội dung tờ gấp theo 8 chỉ số nội dung của PAPI.\n2. In, "
        "phát hành đến từng khu phố, ấp.\n"
        "3. Đăng tải bản điện tử trên trang thông tin của đơn vị.",
        "Có nội dung được Sở Nội vụ thống nhất.",
        "Kinh phí in ấn từ nguồn kinh phí cải cách hành chính.",
        "Phòng Cải cách hành chính, Sở Nội vụ.",
        DirectiveSection.SOLUTIONS,
        PAPI_GROUP,
    ),
    DemoPractice(
        "s12",
        "Tổ chức tập huấn phổ biến các nội dung nâng cao Chỉ số PAPI",
        PracticeKind.SOLUTION,
        "TN-SNV",
        ("PAPI",),
        ("CONGVU",),
        "Tập huấn cho cán bộ, công chức cấp xã và đội ngũ bí thư chi bộ, trưởng "
        "ấp, khu phố để tuyên truyền nâng cao "
        "hiệu quả quản trị và hành chính công tại địa phương.",
        "1. Xây dựng tài liệu tập huấn.\n2. Tổ chức lớp tập huấn tại xã, phường.\n3. Đánh giá sau tập huấn.",
        "Có báo cáo viên am hiểu Chỉ số PAPI.",
        "Kinh phí tập huấn từ nguồn cải cách hành chính của địa phương.",
        "Phòng Cải cách hành chính, Sở Nội vụ.",
        DirectiveSection.SOLUTIONS,
        PAPI_GROUP,
    ),
    DemoPractice(
        "s13",
        "Đảng ủy xã, phường ban hành Nghị quyết lãnh đạo, giám sát thực hiện Chỉ số PAPI",
        PracticeKind.SOLUTION,
        "X-NINHDIEN",
        ("PAPI",),
        ("BOMAY",),
        "Đảng ủy ban hành Nghị quyết để lãnh đạo, giám sát việc thực hiện Chỉ số "
        "PAPI; giao chính quyền cùng cấp "
        "phân công trách nhiệm cụ thể cho từng cán bộ, công chức; định kỳ hằng quý báo cáo Đảng ủy.",
        "1. Ban hành Nghị quyết chuyên đề.\n2. UBND phân công nhiệm vụ theo từng chỉ số thành phần.\n"
        "3. Báo cáo kết quả hằng quý cho Đảng ủy; Đảng ủy kiểm tra, giám sát.",
        "Sự thống nhất của cấp ủy.",
        "Không phát sinh kinh phí.",
        "Văn phòng Đảng ủy xã Ninh Điền.",
        DirectiveSection.SOLUTIONS,
        PAPI_GROUP,
    ),
    DemoPractice(
        "s21",
        "Lập nhóm Zalo với người dân, tổ chức đến thực hiện thủ tục hành chính",
        PracticeKind.SOLUTION,
        "P-TANNINH",
        ("PAR INDEX", "SIPAS"),
        ("TTHC", "CQS"),
        "Thông tin về tiến độ và kết quả giải quyết thủ tục hành chính; khảo sát "
        "sự hài lòng của người dân, doanh "
        "nghiệp qua tin nhắn Zalo để kịp thời chấn chỉnh, cải thiện chất lượng dịch vụ hành chính công.",
        "1. Lập nhóm Zalo của Bộ phận Một cửa.\n2. Mời người nộp hồ sơ tham gia khi tiếp nhận.\n"
        "3. Nhắn tin tiến độ, kết quả; gửi phiếu khảo sát hằng tháng.",
        "Có công chức quản trị nhóm; quy chế sử dụng nhóm.",
        "Không phát sinh kinh phí.",
        "Bộ phận Một cửa UBND phường Tân Ninh.",
        DirectiveSection.SOLUTIONS,
        PAR_PCI_GROUP,
    ),
    DemoPractice(
        "s22",
        "Thiết lập Trang thông tin PCI và Fanpage về các hoạt động đầu tư, cải thiện môi trường kinh doanh",
        PracticeKind.SOLUTION,
        "TN-STC",
        ("PCI",),
        ("CQS",),
        "Truyền tải kịp thời các chính sách của Trung ương, của tỉnh và các chỉ "
        "đạo của UBND tỉnh về khuyến khích "
        "đầu tư, cải thiện môi trường kinh doanh đến nhà đầu tư, doanh nghiệp trên địa bàn tỉnh.",
        "1. Thiết lập chuyên trang PCI và Fanpage.\n2. Cập nhật tin, bài hằng "
        "tuần.\n3. Trả lời câu hỏi trong 3 ngày làm việc.",
        "Có bộ phận biên tập, quản trị nội dung.",
        "Kinh phí duy trì từ nguồn chuyển đổi số.",
        "Phòng Doanh nghiệp, Sở Tài chính.",
        DirectiveSection.SOLUTIONS,
        PAR_PCI_GROUP,
    ),
    DemoPractice(
        "s23",
        "Hằng quý các sở, ngành chủ động đối thoại với doanh nghiệp",
        PracticeKind.SOLUTION,
        "TN-STC",
        ("PCI",),
        ("TTHC",),
        "Lắng nghe, kịp thời giải quyết, tháo gỡ khó khăn, vướng mắc của nhà "
        "đầu tư, tạo môi trường đầu tư kinh "
        "doanh minh bạch, ổn định.",
        "1. Lập kế hoạch đối thoại hằng quý.\n2. Tổng hợp kiến nghị trước buổi đối thoại.\n"
        "3. Trả lời, công khai kết quả giải quyết kiến nghị.",
        "Lãnh đạo sở, ngành chủ trì đối thoại.",
        "Kinh phí tổ chức hội nghị từ nguồn chi thường xuyên.",
        "Phòng Doanh nghiệp, Sở Tài chính.",
        DirectiveSection.SOLUTIONS,
        PAR_PCI_GROUP,
    ),
]

# Who files each obliged unit's reports.
REPORTERS = {
    "TN-SKHCN": "canbo.skhcn",
    "TN-SNV": "truong.snv",
    "TN-STP": "thanhvien",
    "TN-VP": "tacgia.vp",
    "TN-STC": "canbo.stc",
    "TN-SNNMT": "canbo.snnmt",
    "TN-SYT": "canbo.syt",
    "X-CHAUTHANH": "canbo.xchauthanh",
    "X-HAODUOC": "canbo.xhaoduoc",
    "P-TANNINH": "canbo.ptanninh",
}

# (unit, practice) → the status reported in each of the four rounds, oldest first; None: no
# report that round. Units and practices not listed send nothing (the silent ones).
STORY: dict[tuple[str, str], tuple[str | None, ...]] = {
    ("TN-SNNMT", "m2"): (S.APPLIED, S.APPLIED_WIDELY, S.APPLIED_WIDELY, S.APPLIED_WIDELY),
    ("TN-SKHCN", "m2"): (S.STUDYING, S.PILOTING, S.APPLIED, S.APPLIED),
    ("TN-SKHCN", "s21"): (S.STUDYING, S.STUDYING, S.PILOTING, S.APPLIED),
    ("TN-SNV", "m2"): (S.PILOTING, S.APPLIED, S.APPLIED, S.APPLIED_WIDELY),
    ("TN-STP", "m2"): (S.NOT_STARTED, S.NOT_STARTED, S.NOT_STARTED, S.NOT_STARTED),
    ("TN-VP", "m2"): (S.STUDYING, S.PILOTING, S.PILOTING, None),
    ("TN-STC", "m2"): (S.STUDYING, S.PILOTING, S.APPLIED, S.APPLIED),
    ("TN-STC", "s22"): (S.STUDYING, S.PILOTING, S.APPLIED, S.APPLIED),
    ("TN-STC", "s23"): (S.PILOTING, S.APPLIED, S.APPLIED, S.APPLIED_WIDELY),
    ("TN-SYT", "m2"): (S.STUDYING, S.STOPPED, S.STOPPED, S.STOPPED),
    ("X-CHAUTHANH", "m1"): (S.PILOTING, S.APPLIED, S.APPLIED, S.APPLIED_WIDELY),
    ("X-CHAUTHANH", "m2"): (S.NOT_STARTED, S.STUDYING, S.STUDYING, S.PILOTING),
    ("X-CHAUTHANH", "m3"): (S.APPLIED, S.APPLIED, S.APPLIED, S.APPLIED),
    ("X-CHAUTHANH", "s11"): (S.APPLIED, S.APPLIED, S.APPLIED, S.APPLIED),
    ("X-CHAUTHANH", "s12"): (S.STUDYING, S.PILOTING, S.PILOTING, S.APPLIED),
    ("X-CHAUTHANH", "s13"): (S.NOT_APPLICABLE, S.NOT_APPLICABLE, S.NOT_APPLICABLE, S.NOT_APPLICABLE),
    ("X-HAODUOC", "m1"): (S.STUDYING, S.PILOTING, S.APPLIED, S.APPLIED),
    ("X-HAODUOC", "m2"): (S.NOT_STARTED, S.NOT_STARTED, S.STUDYING, S.STUDYING),
    ("X-HAODUOC", "m3"): (S.APPLIED_WIDELY, S.APPLIED_WIDELY, S.APPLIED_WIDELY, S.APPLIED_WIDELY),
    ("X-HAODUOC", "s11"): (S.APPLIED, S.APPLIED, S.APPLIED, S.APPLIED),
    ("X-HAODUOC", "s12"): (S.PILOTING, S.APPLIED, S.APPLIED, S.APPLIED),
    ("X-HAODUOC", "s13"): (S.STUDYING, S.PILOTING, S.APPLIED, S.APPLIED),
    ("P-TANNINH", "m1"): (S.STUDYING, S.PILOTING, S.PILOTING, None),
    ("P-TANNINH", "m3"): (S.PILOTING, S.APPLIED, None, None),
    ("P-TANNINH", "s11"): (S.NOT_STARTED, None, None, None),
}

# Measured results of an applied practice: (indicator, unit of measure, baseline, step per round).
RESULTS: dict[str, tuple[str, str, Decimal, Decimal]] = {
    "m1": ("Số buổi đối thoại với người dân", "buổi", Decimal(0), Decimal(3)),
    "m2": ("Tỷ lệ hồ sơ tiếp nhận, xử lý trực tuyến", "%", Decimal("38.5"), Decimal("9.5")),
    "m3": ("Tỷ lệ thủ tục giải quyết trong ngày", "%", Decimal(12), Decimal(8)),
    "s11": ("Số tờ gấp đã phát hành", "tờ", Decimal(0), Decimal(1200)),
    "s12": ("Số người được tập huấn", "người", Decimal(0), Decimal(45)),
    "s13": ("Số chỉ số thành phần được phân công theo dõi", "chỉ số", Decimal(0), Decimal(2)),
    "s21": ("Mức độ hài lòng của người dân", "%", Decimal(82), Decimal("2.5")),
    "s22": ("Số lượt truy cập Trang thông tin PCI", "lượt", Decimal(0), Decimal(3500)),
    "s23": ("Số kiến nghị của doanh nghiệp được giải quyết", "kiến nghị", Decimal(0), Decimal(14)),
}

# A few reports sent after their due date (unit, practice, round).
LATE = {("TN-SNV", "m2", 1), ("X-CHAUTHANH", "s12", 2), ("TN-STC", "s22", 0)}
# One report Home Affairs returned for completion (the newest round).
RETURNED = ("X-HAODUOC", "s12", 3)
STOP_REASON = (
    "Đơn vị chưa có chứng thư số cho bản đồ khổ lớn và phần mềm hiện dùng không ký được tệp khổ A0; "
    "tạm dừng chờ dự án chuyển đổi số năm sau."
)
NOT_APPLICABLE_REASON = (
    "Đảng ủy xã đã ban hành Nghị quyết chuyên đề về PAPI từ trước; giải pháp trùng với việc đang làm."
)


@dataclass
class DemoReplication:
    practices: dict[str, Practice] = field(default_factory=dict)
    directive: Directive | None = None


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _rounds(today: datetime.date) -> list[Cycle]:
    last = last_closed_cycle(today, ReportingCycle.QUARTERLY)
    rounds = [last]
    while len(rounds) < 4:
        rounds.insert(0, rounds[0].previous())
    return rounds


def _content(key: str, status: str, index: int, started: datetime.date) -> ReportContent:
    results: tuple[ResultInput, ...] = ()
    if status in (S.PILOTING, S.APPLIED, S.APPLIED_WIDELY):
        indicator, measure, baseline, step = RESULTS[key]
        results = (ResultInput(indicator, measure, baseline, baseline + step * (index + 1)),)
    reason = {S.STOPPED: STOP_REASON, S.NOT_APPLICABLE: NOT_APPLICABLE_REASON}.get(S(status), "")
    return ReportContent(
        adoption_status=status,
        reason=reason,
        started_on=started if status not in (S.NOT_STARTED, S.STUDYING, S.NOT_APPLICABLE) else None,
        scope="Bộ phận Một cửa và các khu phố, ấp trên địa bàn" if results else "",
        difficulties="Nhân lực còn mỏng, phải kiêm nhiệm." if status == S.PILOTING else "",
        proposals="Đề nghị Sở Nội vụ tổ chức tập huấn, chia sẻ kinh nghiệm." if status == S.STUDYING else "",
        results=results,
    )


def _practices(units: Mapping[str, Unit], officer: User) -> dict[str, Practice]:
    """Home Affairs' catalogue: the seed's models and solutions, chosen for replication."""
    indices = {index.code: index for index in ReformIndex.objects.all()}
    fields = {reform_field.code: reform_field for reform_field in ReformField.objects.all()}
    return {
        spec.key: practice_create(
            actor=officer,
            committee=units["TN"],
            name=spec.name,
            kind=spec.kind,
            summary=spec.summary,
            origin_unit=units[spec.origin],
            implementation_steps=spec.steps,
            conditions=spec.conditions,
            cost=spec.cost,
            contact=spec.contact,
            reform_fields=[fields[code] for code in spec.fields],
            indices=[indices[code] for code in spec.indices],
        )
        for spec in PRACTICES
    }


def _recognised_initiative(officer: User, day: datetime.date) -> Practice | None:
    """The seed 001 initiative, recognised with its certificate (caicach.initiatives.demo),
    made a practice in one action and published on the showcase with the seed's models."""
    initiative = (
        Initiative.objects.filter(recognition__recognised=True, recognition__certificate__isnull=False)
        .order_by("pk")
        .first()
    )
    if initiative is None:
        return None
    with clock.travel_to(_at(day)):
        practice = practice_from_initiative(actor=officer, initiative=initiative)
        return practice_publish(actor=officer, practice=practice, version=practice.version, publish=True)


def _proposal(units: Mapping[str, Unit], day: datetime.date) -> None:
    """A commune introduces a way of working it saw elsewhere; Home Affairs has not yet
    evaluated it (it waits on Home Affairs' to-do list)."""
    with clock.travel_to(_at(day)):
        practice_propose(
            actor=_user("canbo.xhaoduoc"),
            proposing_unit=units["X-HAODUOC"],
            name="Cán bộ một cửa đến tận nhà người cao tuổi",
            kind=PracticeKind.WAY_OF_WORKING,
            summary=(
                "Công chức Bộ phận Một cửa đến nhà người cao tuổi, người khuyết tật để tiếp nhận "
                "hồ sơ và trả kết quả thủ tục hành chính."
            ),
            proposal_note="Xã học tập từ phường Long Hương (tỉnh Bà Rịa - Vũng Tàu) trong chuyến khảo sát "
            "cải cách hành chính; đã làm thử 3 tháng, người dân phản hồi tốt.",
            origin_external_name="UBND phường Long Hương, tỉnh Bà Rịa - Vũng Tàu",
        )


def _directive(
    units: Mapping[str, Unit], practices: Mapping[str, Practice], officer: User, issued_on: datetime.date
) -> Directive:
    province = units["TN"]
    with clock.travel_to(_at(issued_on - datetime.timedelta(days=5))):
        directive = directive_create(
            actor=officer,
            issuing_unit=province,
            title="Triển khai nhân rộng, áp dụng các mô hình sáng kiến, cách làm hay trong công tác CCHC "
            "trên địa bàn tỉnh",
            legal_basis="Căn cứ Kế hoạch cải cách hành chính của tỉnh;",
            preamble=(
                "Kết quả thực hiện công tác cải cách hành chính của các cơ quan, đơn "
                "vị trên địa bàn tỉnh vẫn duy "
                "trì theo chiều hướng tích cực; nhiều mô hình sáng kiến, cách làm hay "
                "phát huy hiệu quả, được người "
                "dân, doanh nghiệp tiếp nhận và phản hồi tốt cần được nhân rộng. Chủ "
                "tịch UBND tỉnh yêu cầu các cơ "
                "quan, đơn vị triển khai, áp dụng nhân rộng đảm bảo hiệu quả, đồng "
                "bộ, tiết kiệm, phù hợp với tình "
                "hình thực tế tại cơ quan, đơn vị."
            ),
            closing=(
                "Yêu cầu Thủ trưởng các cơ quan, đơn vị; Chủ tịch UBND các xã, phường nghiêm túc thực hiện."
            ),
            coordinator_unit=units["TN-SNV"],
            reporting_cycle=ReportingCycle.QUARTERLY,
            recipients="Như mục III;\nCT, các PCT UBND tỉnh;\nLưu: VT, SNV.",
        )
        listings = [
            ListingDraft(practice=practices[spec.key], section=spec.section, group_title=spec.group_title)
            for spec in PRACTICES
        ]
        directive_practices_set(
            actor=officer, directive=directive, version=directive.version, listings=listings
        )
        due = issued_on.replace(year=issued_on.year + 1)
        drafts = [
            AssignmentDraft(practices=[practices["m2"]], target_group=TargetGroup.DEPARTMENTS, due_on=due),
            AssignmentDraft(
                practices=[practices[key] for key in ("m1", "m2", "m3", "s11", "s12", "s13")],
                target_group=TargetGroup.COMMUNE_COMMITTEES,
                due_on=due,
                text=(
                    "UBND các xã, phường nghiên cứu mô hình 1, 2, 3 tại phần I và các "
                    "giải pháp 1.1, 1.2, 1.3 tại mục 1 phần II văn bản này triển khai áp dụng "
                    "tại địa phương (văn bản gốc giao UBND cấp huyện và UBND cấp xã trên địa "
                    "bàn; từ ngày 01/7/2025 không còn cấp huyện)."
                ),
            ),
            AssignmentDraft(
                practices=[practices["s21"]],
                target_group=TargetGroup.UNIT,
                target_unit=units["TN-SKHCN"],
                role=AssignmentRole.STUDY,
                coordinating_units=[units["TN-VP"]],
                due_on=due,
            ),
            AssignmentDraft(
                practices=[practices["s22"], practices["s23"]],
                target_group=TargetGroup.UNIT,
                target_unit=units["TN-STC"],
                role=AssignmentRole.STUDY,
                coordinating_units=[units["TN-SKHCN"]],
                due_on=due,
            ),
        ]
        for draft in drafts:
            assignment_add(actor=officer, directive=directive, version=directive.version, draft=draft)
    with clock.travel_to(_at(issued_on, 15)):
        directive_issue(
            actor=_user("chutich"), directive=directive, version=directive.version, issued_on=issued_on
        )
    return directive


def _reports(directive: Directive, practices: Mapping[str, Practice], rounds: list[Cycle]) -> None:
    key_of = {practice.pk: key for key, practice in practices.items()}
    settings = settings_for(directive.issuing_unit)
    officer = _user("cchc.snv")
    obligations = Obligation.objects.filter(directive=directive).select_related(
        "unit", "assignment__directive"
    )
    for obligation in obligations:
        key = key_of[obligation.practice_id]
        story = STORY.get((obligation.unit.code, key))
        reporter = REPORTERS.get(obligation.unit.code)
        if story is None or reporter is None:
            continue
        actor = _user(reporter)
        for index, (cycle, status) in enumerate(zip(rounds, story, strict=True)):
            if status is None:
                continue
            due = report_due_on(cycle, settings)
            late = (obligation.unit.code, key, index) in LATE
            sent = calendar.add_working_days(due, 2) if late else calendar.working_day_before(due, 3)
            with clock.travel_to(_at(sent)):
                report = adoption_report_submit(
                    actor=actor,
                    obligation=obligation,
                    period_start=cycle.start,
                    content=_content(key, status, index, directive.issued_on or cycle.start),
                    version=None,
                    at=_at(sent),
                )
            if (obligation.unit.code, key, index) == RETURNED:
                returned_on = calendar.add_working_days(sent, 2)
                with clock.travel_to(_at(returned_on, 14)):
                    adoption_report_return(
                        actor=officer,
                        report=report,
                        note=(
                            "Đề nghị bổ sung số người được tập huấn theo từng khu phố, ấp "
                            "và danh sách lớp kèm theo."
                        ),
                        version=report.version,
                        at=_at(returned_on, 14),
                    )


@transaction.atomic
def load_demo_replication(units: Mapping[str, Unit]) -> DemoReplication:
    today = clock.today()
    rounds = _rounds(today)
    officer = _user("cchc.snv")
    # Issued on the fifth working day of the first round's quarter.
    issued_on = calendar.add_working_days(rounds[0].start, 4)
    with clock.travel_to(_at(issued_on - datetime.timedelta(days=20))):
        practices = _practices(units, officer)
        for key in ("m1", "m2", "m3"):
            practices[key] = practice_publish(
                actor=officer, practice=practices[key], version=practices[key].version, publish=True
            )
    directive = _directive(units, practices, officer, issued_on)
    _reports(directive, practices, rounds)
    _recognised_initiative(officer, issued_on - datetime.timedelta(days=15))
    _proposal(units, rounds[-1].end - datetime.timedelta(days=10))
    return DemoReplication(practices=practices, directive=directive)
