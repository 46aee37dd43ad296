"""A synthetic country for the national benchmark (``bench/national.py``): the unit tree, people
and roles, campaigns with their dossiers, authors, councils and reviews, the work programs
of every committee with their items, monthly reports and adjustment requests, each
province's replication catalogue, directive, obligations, quarterly adoption reports and
summaries, its consultations of the committee's members with their opinions, the audit
trail and the inboxes.

Written with ``bulk_create`` in chunks (memory stays bounded whatever the size) and without
the services: a million audit events through the services would take hours. What
``save()`` or a service would derive is derived here the same way: the folded
``search_text`` columns (``build_search_text`` / the dossier services' ``TEXT_FIELDS``);
the unit closure table is kept by the database triggers.

Import this module only after ``django.setup()``."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import ClassVar, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from caicach.core.calendar.services import calendar_load_official
from caicach.core.demo import REFORM_FIELDS, REFORM_INDICES
from caicach.core.models import (
    AuditEvent,
    DocumentType,
    Membership,
    Notification,
    NumberSequence,
    ReformField,
    ReformIndex,
    RegisteredDocument,
    Role,
    Unit,
    UnitKind,
    User,
)
from caicach.core.text import fold
from caicach.deliberation.models import Answer, Consultation, ConsultationStatus, DraftKind, Opinion, Result
from caicach.initiatives.demo import SEED_CAMPAIGN
from caicach.initiatives.dossiers.services import TEXT_FIELDS
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    CampaignStatus,
    Council,
    CouncilMember,
    Criterion,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
    ReviewAssignment,
    ReviewScore,
    RoundStatus,
)
from caicach.initiatives.review.rubrics import ensure_demo_rubrics
from caicach.oversight.models import Task, TaskSource, TaskStatus
from caicach.replication.adoption.services import refresh_latest_reports
from caicach.replication.cycles import Cycle, cycle_of
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    Assignment,
    AssignmentRole,
    Directive,
    DirectivePractice,
    DirectiveStatus,
    Obligation,
    Practice,
    PracticeKind,
    PracticeStatus,
    ReplicationSummary,
    ReportingCycle,
    TargetGroup,
)
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    ProgramItem,
    ReportStatus,
    RequestStatus,
    SubmissionKind,
    WorkProgram,
)

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

PASSWORD = "Bench@Password-2026"
YEAR = 2026
BATCH = 2000
CHUNK = 5000


@dataclass(frozen=True)
class Sizes:
    """How much of everything; ``authors`` and ``report_lines`` are targets, met closely."""

    units: int
    provinces: int
    users: int
    campaigns: int
    initiatives: int
    authors: int
    reviewed: int
    items: int
    report_lines: int
    adjustment_requests: int
    audit_events: int
    notifications: int
    practices: int  # in all, shared among provinces; each directive lists up to 9 of its own
    consultations: int
    tasks: int = 0  # assigned tasks (oversight), shared among provinces

    def describe(self) -> str:
        return ", ".join(f"{name}={value:,}" for name, value in self.__dict__.items())


PRESETS: dict[str, Sizes] = {
    "national": Sizes(
        units=4013,
        provinces=34,
        users=60_000,
        campaigns=50,
        initiatives=200_000,
        authors=460_000,
        reviewed=20_000,
        items=300_000,
        report_lines=250_000,
        adjustment_requests=3_000,
        audit_events=1_000_000,
        notifications=100_000,
        practices=408,
        consultations=1_360,
        tasks=34_000,
    ),
    "province": Sizes(
        units=1000,
        provinces=1,
        users=5_000,
        campaigns=10,
        initiatives=20_000,
        authors=46_000,
        reviewed=2_000,
        items=30_000,
        report_lines=25_000,
        adjustment_requests=300,
        audit_events=100_000,
        notifications=10_000,
        practices=12,
        consultations=40,
        tasks=1_500,
    ),
    "small": Sizes(
        units=120,
        provinces=1,
        users=300,
        campaigns=5,
        initiatives=1_000,
        authors=2_300,
        reviewed=100,
        items=1_500,
        report_lines=1_250,
        adjustment_requests=15,
        audit_events=5_000,
        notifications=1_000,
        practices=12,
        consultations=10,
        tasks=150,
    ),
}


def sizes_with(base: Sizes, overrides: dict[str, int | None]) -> Sizes:
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


# --- Names ----------------------------------------------------------------------------------------

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa",
    "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
]  # fmt: skip
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
# The Office first (the work program's keeper), the Department of Home Affairs second.
DEPARTMENTS = [
    ("VP", "Văn phòng Ủy ban nhân dân", UnitKind.OFFICE),
    ("SNV", "Sở Nội vụ", UnitKind.DEPARTMENT),
    ("STP", "Sở Tư pháp", UnitKind.DEPARTMENT),
    ("STC", "Sở Tài chính", UnitKind.DEPARTMENT),
    ("SYT", "Sở Y tế", UnitKind.DEPARTMENT),
    ("SGDDT", "Sở Giáo dục và Đào tạo", UnitKind.DEPARTMENT),
    ("SKHCN", "Sở Khoa học và Công nghệ", UnitKind.DEPARTMENT),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", UnitKind.DEPARTMENT),
    ("SXD", "Sở Xây dựng", UnitKind.DEPARTMENT),
    ("SCT", "Sở Công Thương", UnitKind.DEPARTMENT),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", UnitKind.DEPARTMENT),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", UnitKind.DEPARTMENT),
    ("TTR", "Thanh tra", UnitKind.DEPARTMENT),
    ("SNGV", "Sở Ngoại vụ", UnitKind.DEPARTMENT),
]
SYLLABLES = [
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Phước", "Hưng", "Thuận", "Mỹ", "Đông",
    "Tây", "Nam", "Bắc", "Trung", "Vĩnh", "Hiệp", "Thành", "Lộc", "Xuân", "Quang", "Minh", "Đức",
    "Hải", "Sơn", "Lâm", "Định", "Kim", "Ninh", "Hảo", "Điền", "Khánh", "Thới", "Châu", "Gia",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quốc", "Thu", "Hoàng", "Kim", "Công"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Lan", "Linh",
    "Long", "Mai", "Nam", "Ngân", "Phúc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng",
    "Trang", "Trung", "Tuấn", "Vân", "Yến", "Khoa", "Nhung", "Thủy", "Đạt", "Giang", "Khải",
]  # fmt: skip
POSITIONS = [
    "Chuyên viên", "Chuyên viên chính", "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch",
    "Công chức Địa chính - Xây dựng", "Phó Trưởng phòng", "Trưởng phòng", "Cán sự",
]  # fmt: skip
QUALIFICATIONS = [
    "Cử nhân Luật", "Cử nhân Hành chính", "Kỹ sư Công nghệ thông tin", "Thạc sĩ Quản lý công",
    "Cử nhân Kinh tế",
]  # fmt: skip
PAST_ITEM_WEIGHTS = [0.55, 0.15, 0.18, 0.06, 0.06]
PAST_ITEM_STATUSES = [
    ItemStatus.ISSUED, ItemStatus.SUBMITTED, ItemStatus.PLANNED, ItemStatus.POSTPONED, ItemStatus.WITHDRAWN,
]  # fmt: skip

INITIATIVE_VERBS = [
    "Nâng cao hiệu quả", "Ứng dụng công nghệ thông tin trong", "Đổi mới", "Cải tiến quy trình",
    "Số hóa", "Rút ngắn thời gian", "Chuẩn hóa", "Tăng cường", "Giải pháp nâng cao chất lượng",
    "Xây dựng mô hình",
]  # fmt: skip
INITIATIVE_OBJECTS = [
    "tiếp nhận và giải quyết thủ tục hành chính", "công tác văn thư, lưu trữ", "tiếp công dân",
    "quản lý hồ sơ hộ tịch", "cấp giấy chứng nhận quyền sử dụng đất", "thanh toán trực tuyến phí, lệ phí",
    "chuyển đổi số tại Bộ phận Một cửa", "lấy ý kiến người dân về chất lượng phục vụ",
    "quản lý cán bộ, công chức", "kiểm soát thủ tục hành chính", "báo cáo thống kê",
    "phổ biến, giáo dục pháp luật", "tiếp nhận phản ánh, kiến nghị qua Zalo OA",
]  # fmt: skip
SECTION_TEXTS = [
    "Trước đây hồ sơ được tiếp nhận trên giấy, công chức phải nhập lại vào phần mềm, dễ sai sót và "
    "người dân phải đi lại nhiều lần.",
    "Giải pháp giúp nâng cao hiệu quả phục vụ người dân, rút ngắn thời gian giải quyết hồ sơ từ 5 ngày "
    "làm việc xuống còn 3 ngày làm việc.",
    "Xây dựng quy trình mẫu, hướng dẫn công chức và người dân sử dụng dịch vụ công trực tuyến toàn trình, "
    "kết hợp tin nhắn nhắc hạn tự động.",
    "Áp dụng thử tại đơn vị từ tháng 3, tỷ lệ hồ sơ trực tuyến tăng từ 40% lên 85%, không còn hồ sơ trễ hạn.",
    "Có thể nhân rộng cho các xã, phường và các sở, ban, ngành có thủ tục hành chính tương tự.",
    "Tiết kiệm chi phí in ấn, đi lại; tăng mức độ hài lòng của người dân, tổ chức (Chỉ số SIPAS).",
]
ITEM_KINDS = ["Kế hoạch", "Quyết định ban hành Quy định", "Đề án", "Báo cáo", "Chương trình",
              "Nghị quyết quy định", "Phương án", "Chỉ thị về"]  # fmt: skip
ITEM_TOPICS = [
    "cải cách hành chính", "chuyển đổi số", "phát triển đô thị", "phòng, chống thiên tai",
    "xây dựng nông thôn mới", "tuyển dụng công chức", "kiểm tra, rà soát văn bản quy phạm pháp luật",
    "phát triển giáo dục mầm non", "phòng, chống dịch bệnh", "quản lý chất lượng công trình xây dựng",
    "nâng cao hiệu quả thực hiện Quy chế làm việc", "thực hiện dự toán ngân sách nhà nước",
    "công tác văn thư, lưu trữ", "phát triển du lịch", "hỗ trợ doanh nghiệp đổi mới công nghệ",
]  # fmt: skip
AUDIT_ACTIONS = [
    "initiative.update", "initiative.submit", "initiative.accept", "initiative.create", "item.update",
    "item.submit", "monthly_report.submit", "unit.update", "user.login", "review.submit",
]  # fmt: skip


# --- What the benchmark needs to know afterwards ----------------------------------------------------


@dataclass
class Built:
    """Ids picked from the dataset for the pages, and the counts actually written."""

    personas: dict[str, int] = field(default_factory=dict)  # persona -> user id
    ids: dict[str, int] = field(default_factory=dict)  # "national_campaign" -> pk, ...
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(model: type[M], objs: Iterable[M]) -> int:
    total = 0
    for chunk in _chunks(objs):
        model._default_manager.bulk_create(chunk, batch_size=BATCH)
        total += len(chunk)
    return total


def _aware(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` divided in proportion to ``weights``, summing exactly to ``total``."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Builder:
    def __init__(self, sizes: Sizes, *, seed: int = 2026, log: Callable[[str], None] = print) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.log = log
        self.built = Built()
        self.today = datetime.date.today()
        # Filled while building.
        self.root_id = 0
        self.province_ids: list[int] = []
        self.province_names: dict[int, str] = {}
        self.department_ids: dict[int, list[int]] = {}  # province -> office and departments
        self.commune_ids: dict[int, list[int]] = {}  # province -> communes
        self.unit_names: dict[int, str] = {}
        self.unit_symbols: dict[int, str] = {}
        self.province_of: dict[int, int] = {}
        self.users_by_unit: dict[int, list[int]] = {}
        self.user_names: dict[int, str] = {}
        self.heads: dict[int, int] = {}  # unit -> head (or leader) user id
        self.leaders: dict[int, int] = {}  # province committee -> leader user id
        self.sequences: dict[tuple[int, str, int], int] = {}

    # -- steps ------------------------------------------------------------------------------------

    def build(self) -> Built:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("reference data", self.reference_data),
            ("units", self.units),
            ("users and roles", self.users),
            ("personas", self.personas),
            ("campaigns and councils", self.campaigns),
            ("initiatives, authors, receipts, reviews", self.initiatives),
            ("work programs, items, reports, requests", self.work_programs),
            ("replication: practices, directives, reports", self.replication),
            ("deliberation: consultations, opinions", self.deliberation),
            ("oversight: assigned tasks", self.oversight),
            ("audit events", self.audit_events),
            ("notifications", self.notifications),
            ("number sequences", self.number_sequences),
            ("persona objects", self.persona_objects),
        ]
        for label, step in steps:
            start = time.perf_counter()
            step()
            took = time.perf_counter() - start
            self.built.seconds[label] = took
            self.log(f"  built {label:<45} {took:7.1f} s")
        return self.built

    def reference_data(self) -> None:
        calendar_load_official(actor=None)
        for position, (code, name) in enumerate(REFORM_FIELDS):
            ReformField.objects.get_or_create(code=code, defaults={"name": name, "position": position})
        for position, (code, name, publisher) in enumerate(REFORM_INDICES):
            ReformIndex.objects.get_or_create(
                code=code, defaults={"name": name, "publisher": publisher, "position": position}
            )

    def units(self) -> None:
        sizes = self.sizes
        provinces = min(sizes.provinces, len(PROVINCES))
        fixed = 1 + provinces * (1 + len(DEPARTMENTS))
        communes = max(sizes.units - fixed, provinces)
        root = Unit(
            code="BNV",
            name="Bộ Nội vụ",
            short_name="BNV",
            kind=UnitKind.OTHER,
            document_symbol="BNV",
            place_name="Hà Nội",
        )
        root.search_text = root.build_search_text()
        root.save()
        self.root_id = root.pk
        self.unit_names[root.pk] = root.name
        self.unit_symbols[root.pk] = "BNV"
        committees: list[Unit] = []
        for p in range(provinces):
            place = PROVINCES[p]
            word = "thành phố" if place in CITIES else "tỉnh"
            unit = Unit(
                code=f"T{p:02d}",
                name=f"Ủy ban nhân dân {word} {place}",
                short_name=f"UBND {word} {place}",
                kind=UnitKind.PROVINCE_COMMITTEE,
                parent_id=root.pk,
                document_symbol="UBND",
                place_name=place,
            )
            unit.search_text = unit.build_search_text()
            committees.append(unit)
        Unit.objects.bulk_create(committees, batch_size=BATCH)
        for unit in committees:
            self.province_ids.append(unit.pk)
            self.province_names[unit.pk] = unit.place_name
            self.unit_names[unit.pk] = unit.name
            self.unit_symbols[unit.pk] = "UBND"
            self.province_of[unit.pk] = unit.pk
        per_province = _split(communes, [1.0] * provinces)
        children: list[Unit] = []
        for p, province_id in enumerate(self.province_ids):
            place = self.province_names[province_id]
            word = "thành phố" if place in CITIES else "tỉnh"
            for code, name, kind in DEPARTMENTS:
                children.append(
                    Unit(
                        code=f"T{p:02d}-{code}",
                        name=f"{name} {word} {place}",
                        short_name=code,
                        kind=kind,
                        parent_id=province_id,
                        document_symbol=code,
                        place_name=place,
                    )
                )
            for c in range(per_province[p]):
                a = SYLLABLES[c % len(SYLLABLES)]
                b = SYLLABLES[(c // len(SYLLABLES) + c) % len(SYLLABLES)]
                ward = c % 4 == 0
                label = f"{'phường' if ward else 'xã'} {a} {b}"
                suffix = f" {c // (len(SYLLABLES) ** 2) + 1}" if c >= len(SYLLABLES) ** 2 else ""
                children.append(
                    Unit(
                        code=f"T{p:02d}-X{c:04d}",
                        name=f"Ủy ban nhân dân {label}{suffix}",
                        short_name=f"UBND {label}{suffix}",
                        kind=UnitKind.COMMUNE_COMMITTEE,
                        parent_id=province_id,
                        document_symbol="UBND",
                        place_name=f"{a} {b}",
                    )
                )
        for unit in children:
            unit.search_text = unit.build_search_text()
        for chunk in _chunks(children):
            Unit.objects.bulk_create(chunk, batch_size=BATCH)
        for unit in children:
            assert unit.parent_id is not None
            self.unit_names[unit.pk] = unit.name
            self.unit_symbols[unit.pk] = unit.document_symbol
            self.province_of[unit.pk] = unit.parent_id
            if unit.kind == UnitKind.COMMUNE_COMMITTEE:
                self.commune_ids.setdefault(unit.parent_id, []).append(unit.pk)
            else:
                self.department_ids.setdefault(unit.parent_id, []).append(unit.pk)
        self.built.counts["units"] = 1 + len(committees) + len(children)

    def _name(self) -> str:
        rng = self.rng
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def users(self) -> None:
        """Staff spread over the units (departments larger than communes); every one holds
        UNIT_STAFF where they work, the first of each unit heads it; each province has a
        leader, a reform officer at its Department of Home Affairs and an office officer at
        its Office."""
        unit_ids = [self.root_id, *self.province_ids]
        weights = [20.0, *([5.0] * len(self.province_ids))]
        for province_id in self.province_ids:
            unit_ids += self.department_ids[province_id]
            weights += [30.0] * len(self.department_ids[province_id])
            unit_ids += self.commune_ids[province_id]
            weights += [12.0] * len(self.commune_ids[province_id])
        counts = _split(max(self.sizes.users, 3 * len(unit_ids)), weights)
        counts = [max(c, 3) for c in counts]

        def people() -> Iterator[User]:
            n = 0
            for unit_id, count in zip(unit_ids, counts, strict=True):
                for _ in range(count):
                    n += 1
                    user = User(
                        username=f"cb{n:06d}",
                        full_name=self._name(),
                        email=f"cb{n:06d}@example.gov.vn",
                        password="!bench-unusable",
                        unit_id=unit_id,
                        position=self.rng.choice(POSITIONS),
                        qualification=self.rng.choice(QUALIFICATIONS),
                    )
                    user.search_text = user.build_search_text()
                    yield user

        total = 0
        for chunk in _chunks(people()):
            User.objects.bulk_create(chunk, batch_size=BATCH)
            for user in chunk:
                assert user.unit_id is not None
                self.users_by_unit.setdefault(user.unit_id, []).append(user.pk)
                self.user_names[user.pk] = user.full_name
            total += len(chunk)
        self.built.counts["users"] = total

        province_set = set(self.province_ids)
        office_ids = {self.department_ids[p][0] for p in self.province_ids}
        home_affairs_ids = {self.department_ids[p][1] for p in self.province_ids}

        def memberships() -> Iterator[Membership]:
            for unit_id, members in self.users_by_unit.items():
                for i, user_id in enumerate(members):
                    if i == 0:
                        role = Role.LEADER if unit_id in province_set else Role.UNIT_HEAD
                        self.heads[unit_id] = user_id
                        if unit_id in province_set:
                            self.leaders[unit_id] = user_id
                        yield Membership(user_id=user_id, unit_id=unit_id, role=role)
                        continue
                    if i == 1 and unit_id in home_affairs_ids:
                        yield Membership(user_id=user_id, unit_id=unit_id, role=Role.REFORM_OFFICER)
                    if i == 1 and unit_id in office_ids:
                        yield Membership(user_id=user_id, unit_id=unit_id, role=Role.OFFICE_OFFICER)
                    yield Membership(user_id=user_id, unit_id=unit_id, role=Role.UNIT_STAFF)

        self.built.counts["memberships"] = _insert(Membership, memberships())

    def personas(self) -> None:
        """The four people the benchmark signs in as (password ``PASSWORD``).

        - ``national``: reform officer and office officer of the Ministry of Home Affairs, a
          unit of kind OTHER at the root of the tree. A unit with no committee above it is
          its own jurisdiction (``UnitTree.jurisdiction``), and the subtree of the root is
          the whole country: the permission module's own way to a national scope.
        - ``province``: reform officer at the first province's Department of Home Affairs
          and office officer at its Office (its jurisdiction: the province).
        - ``unit``: staff of a commune of the first province, author of some dossiers.
        - ``admin``: a superuser holding SYSTEM_ADMIN."""
        first = self.province_ids[0]
        home_affairs = self.department_ids[first][1]
        office = self.department_ids[first][0]
        commune = self.commune_ids[first][0]
        specs: list[tuple[str, str, int, list[tuple[int, str]], bool]] = [
            ("admin", "Quản Trị Hệ Thống", self.root_id, [(self.root_id, Role.SYSTEM_ADMIN)], True),
            (
                "national",
                "Trần Quốc Gia",
                self.root_id,
                [(self.root_id, Role.REFORM_OFFICER), (self.root_id, Role.OFFICE_OFFICER)],
                False,
            ),
            (
                "province",
                "Lê Thị Tỉnh",
                home_affairs,
                [(home_affairs, Role.REFORM_OFFICER), (office, Role.OFFICE_OFFICER)],
                False,
            ),
            ("unit", "Phạm Văn Xã", commune, [(commune, Role.UNIT_STAFF)], False),
        ]
        for key, name, unit_id, roles, superuser in specs:
            user = User(
                username=f"bench.{key}",
                full_name=name,
                email=f"bench.{key}@example.gov.vn",
                unit_id=unit_id,
                is_superuser=superuser,
                is_staff=superuser,
                position="Chuyên viên",
            )
            user.set_password(PASSWORD)
            user.save()
            for role_unit, role in roles:
                Membership.objects.create(user=user, unit_id=role_unit, role=role)
            self.built.personas[key] = user.pk
            self.users_by_unit.setdefault(unit_id, []).append(user.pk)
            self.user_names[user.pk] = name
        self.built.ids["first_province"] = first
        self.built.ids["persona_commune"] = commune

    def _number(self, unit_id: int, document_type: str, year: int) -> int:
        key = (unit_id, document_type, year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return self.sequences[key]

    def campaigns(self) -> None:
        """Campaign 0 is national (issued by the root, open to every department and commune
        in the country: ~3,978 units at national size); the others belong to a province,
        open to its departments and communes."""
        admin = User.objects.get(pk=self.built.personas["admin"])
        rubric = ensure_demo_rubrics(admin)[0]
        self.criteria = list(Criterion.objects.filter(rubric=rubric).values_list("pk", "max_points"))
        text = {
            name: value
            for name, value in SEED_CAMPAIGN.items()
            if isinstance(value, str) and name not in {"title", "place", "signer_authority", "signer_title"}
        }
        eligible_all = [u for p in self.province_ids for u in self.department_ids[p] + self.commune_ids[p]]
        self.campaign_rows: list[tuple[int, int, int, list[int], datetime.date]] = []
        fields_ids = list(ReformField.objects.values_list("pk", flat=True))
        for i in range(max(self.sizes.campaigns, 1)):
            if i == 0:
                issuing = receiving = self.root_id
                eligible = eligible_all
                place = "Hà Nội"
                title = (
                    f"Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm {YEAR} toàn quốc"
                )
            else:
                province = self.province_ids[(i - 1) % len(self.province_ids)]
                issuing = province
                receiving = self.department_ids[province][1]
                eligible = self.department_ids[province] + self.commune_ids[province]
                place = self.province_names[province]
                year = YEAR - ((i - 1) // len(self.province_ids)) % 3
                title = (
                    f"Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm {year} "
                    f"của {self.unit_names[province].replace('Ủy ban nhân dân ', '')}"
                )
            year = YEAR if i == 0 else YEAR - ((i - 1) // len(self.province_ids)) % 3
            start = datetime.date(year, 3, 2) + datetime.timedelta(days=i % 20)
            end = datetime.date(year, 9, 30)
            status = CampaignStatus.CLOSED if year < YEAR else CampaignStatus.PUBLISHED
            number = self._number(issuing, DocumentType.PLAN, year)
            document = RegisteredDocument.objects.create(
                unit_id=issuing,
                document_type=DocumentType.PLAN,
                year=year,
                number=number,
                symbol=f"KH-{self.unit_symbols[issuing]}",
                title=title,
                issued_on=start - datetime.timedelta(days=3),
            )
            campaign = Campaign.objects.create(
                issuing_unit_id=issuing,
                receiving_unit_id=receiving,
                registered_document=document,
                title=title,
                place=place,
                signer_title="PHÓ CHỦ TỊCH",
                signer_authority="KT. CHỦ TỊCH",
                signer_name=self._name(),
                window_start=start,
                window_end=end,
                issued_on=start - datetime.timedelta(days=3),
                status=status,
                rubric=rubric,
                created_by=admin,
                **text,
            )
            campaign.reform_fields.set(fields_ids)
            through = Campaign.eligible_units.through
            _insert(through, (through(campaign_id=campaign.pk, unit_id=u) for u in eligible))
            council = Council.objects.create(
                campaign=campaign,
                name=f"Hội đồng sáng kiến — {title[:200]}",
                scoring_deadline=end + datetime.timedelta(days=30),
                # Closed: the dossiers below include recognised ones, so scoring has ended.
                round_status=RoundStatus.CLOSED,
            )
            pool = self.users_by_unit[receiving][:5]
            if len(pool) < 5:
                pool += [u for u in self.users_by_unit[self.province_ids[0]] if u not in pool][
                    : 5 - len(pool)
                ]
            members = CouncilMember.objects.bulk_create(
                [CouncilMember(council=council, user_id=u, position=k) for k, u in enumerate(pool)]
            )
            self.campaign_rows.append((campaign.pk, receiving, council.pk, eligible, start))
            self.council_members = getattr(self, "council_members", {})
            self.council_members[council.pk] = [m.pk for m in members]
            if i == 0:
                self.built.ids["national_campaign"] = campaign.pk
                self.built.ids["national_council"] = council.pk
            elif issuing == self.province_ids[0] and "province_campaign" not in self.built.ids:
                self.built.ids["province_campaign"] = campaign.pk
                self.built.ids["province_council"] = council.pk
        self.built.counts["campaigns"] = len(self.campaign_rows)
        self.fields_ids = fields_ids

    def initiatives(self) -> None:
        sizes = self.sizes
        rng = self.rng
        n = sizes.initiatives
        shares = [4.0] + [1.0] * (len(self.campaign_rows) - 1)
        per_campaign = _split(n, shares)
        reviewed_fraction = min(sizes.reviewed / n, 0.5) if n else 0.0
        # (status, weight): the reviewed ones split in_review / recognised / not recognised.
        statuses = [
            (InitiativeStatus.DRAFT, 0.15),
            (InitiativeStatus.AWAITING_CONFIRMATION, 0.03),
            (InitiativeStatus.SUBMITTED, 0.12),
            (InitiativeStatus.RETURNED, 0.02),
            (InitiativeStatus.ACCEPTED, max(0.68 - reviewed_fraction, 0.0)),
            (InitiativeStatus.IN_REVIEW, reviewed_fraction * 0.4),
            (InitiativeStatus.RECOGNISED, reviewed_fraction * 0.4),
            (InitiativeStatus.NOT_RECOGNISED, reviewed_fraction * 0.2),
        ]
        status_values = [s for s, _ in statuses]
        status_weights = [w for _, w in statuses]
        received = {
            InitiativeStatus.ACCEPTED,
            InitiativeStatus.IN_REVIEW,
            InitiativeStatus.RECOGNISED,
            InitiativeStatus.NOT_RECOGNISED,
        }
        reviewed = {InitiativeStatus.IN_REVIEW, InitiativeStatus.RECOGNISED, InitiativeStatus.NOT_RECOGNISED}
        author_counts = [1, 2, 3, 4, 5]
        author_weights = [0.30, 0.30, 0.25, 0.10, 0.05]
        scale = (sizes.authors / n) / 2.3 if n else 1.0
        persona_unit = self.built.ids["persona_commune"]
        persona_user = self.built.personas["unit"]
        persona_quota = 25
        totals = {"initiatives": 0, "authorships": 0, "receipts": 0, "review_assignments": 0, "scores": 0}
        totals["recognitions"] = 0

        def plan() -> Iterator[tuple[int, int, int, int, datetime.date]]:
            for (campaign_id, receiving, council_id, eligible, start), count in zip(
                self.campaign_rows, per_campaign, strict=True
            ):
                for _ in range(count):
                    yield campaign_id, receiving, council_id, rng.choice(eligible), start

        for chunk in _chunks(plan()):
            initiatives: list[Initiative] = []
            authors: list[list[Authorship]] = []
            receipts: list[RegisteredDocument | None] = []
            for campaign_id, receiving, _council, unit_id, start in chunk:
                status = rng.choices(status_values, status_weights)[0]
                staff = self.users_by_unit.get(unit_id) or [self.heads[self.province_of[unit_id]]]
                creator = rng.choice(staff)
                if unit_id == persona_unit and persona_quota > 0:
                    creator, persona_quota = persona_user, persona_quota - 1
                verb = rng.choice(INITIATIVE_VERBS)
                obj = rng.choice(INITIATIVE_OBJECTS)
                unit_name = self.unit_names[unit_id].replace("Ủy ban nhân dân", "UBND")
                sections = rng.sample(SECTION_TEXTS, 3)
                submitted = start + datetime.timedelta(days=rng.randrange(0, 150))
                initiative = Initiative(
                    campaign_id=campaign_id,
                    unit_id=unit_id,
                    kind=InitiativeKind.SOLUTION if rng.random() < 0.8 else InitiativeKind.EXPERIENCE,
                    status=status,
                    title=f"{verb} {obj} tại {unit_name}",
                    addressee="Hội đồng sáng kiến",
                    application_field="Cải cách thủ tục hành chính",
                    first_applied_on=submitted - datetime.timedelta(days=60),
                    essence=sections[0],
                    previous_solution=sections[1],
                    solution_steps=sections[2],
                    benefits=SECTION_TEXTS[5],
                    created_by_id=creator,
                )
                if status != InitiativeStatus.DRAFT:
                    initiative.first_submitted_at = initiative.submitted_at = _aware(submitted, 10)
                    initiative.revision = 1
                if status in received:
                    initiative.accepted_on = submitted + datetime.timedelta(days=3)
                    initiative.result_due_on = submitted + datetime.timedelta(days=33)
                if status == InitiativeStatus.RETURNED:
                    initiative.return_comment = "Đề nghị bổ sung số liệu minh chứng hiệu quả áp dụng."
                    initiative.returned_at = _aware(submitted + datetime.timedelta(days=5))
                k = max(1, min(5, round(rng.choices(author_counts, author_weights)[0] * scale)))
                share = (Decimal(100) / k).quantize(Decimal("0.01"))
                rows = []
                for position in range(1, k + 1):
                    lead = position == 1
                    user_id = creator if lead else (rng.choice(staff) if rng.random() < 0.5 else None)
                    name = self.user_names.get(user_id, "") if user_id else self._name()
                    rows.append(
                        Authorship(
                            position=position,
                            user_id=user_id,
                            full_name=name or self._name(),
                            workplace=self.unit_names[unit_id],
                            job_title="Chuyên viên",
                            qualification=rng.choice(QUALIFICATIONS),
                            share=share if not lead else Decimal(100) - share * (k - 1),
                            contribution="Xây dựng và áp dụng thử giải pháp",
                            is_lead=lead,
                        )
                    )
                names = [a.full_name for a in rows]
                parts = [
                    initiative.title,
                    *names,
                    *(getattr(initiative, f) for f in TEXT_FIELDS if f != "title"),
                ]
                initiative.search_text = fold(" ".join(str(p) for p in parts if p))
                receipt = None
                if status in received:
                    assert initiative.accepted_on is not None
                    year = initiative.accepted_on.year
                    receipt = RegisteredDocument(
                        unit_id=receiving,
                        document_type=DocumentType.RECEIPT,
                        year=year,
                        number=self._number(receiving, DocumentType.RECEIPT, year),
                        symbol=f"GBN-{self.unit_symbols[receiving]}",
                        title=f"Giấy biên nhận hồ sơ sáng kiến “{initiative.title[:400]}”",
                        issued_on=initiative.accepted_on,
                    )
                initiatives.append(initiative)
                authors.append(rows)
                receipts.append(receipt)
            documents = [r for r in receipts if r is not None]
            RegisteredDocument.objects.bulk_create(documents, batch_size=BATCH)
            for initiative, receipt in zip(initiatives, receipts, strict=True):
                if receipt is not None:
                    initiative.receipt_id = receipt.pk
            Initiative.objects.bulk_create(initiatives, batch_size=BATCH)
            flat: list[Authorship] = []
            for initiative, rows in zip(initiatives, authors, strict=True):
                for row in rows:
                    row.initiative_id = initiative.pk
                    flat.append(row)
            Authorship.objects.bulk_create(flat, batch_size=BATCH)
            through = Initiative.reform_fields.through
            through.objects.bulk_create(
                [
                    through(initiative_id=i.pk, reformfield_id=rng.choice(self.fields_ids))
                    for i in initiatives
                ],
                batch_size=BATCH,
            )
            under_review = [
                (i, c[2]) for i, c in zip(initiatives, chunk, strict=True) if i.status in reviewed
            ]
            counts = self._reviews(under_review)
            for key, value in counts.items():
                totals[key] += value
            totals["initiatives"] += len(initiatives)
            totals["authorships"] += len(flat)
            totals["receipts"] += len(documents)
        self.built.counts.update(totals)

    def _reviews(self, rows: list[tuple[Initiative, int]]) -> dict[str, int]:
        """Three council members score each reviewed dossier; recognised / not recognised
        ones get the council's vote."""
        rng = self.rng
        assignments: list[ReviewAssignment] = []
        recognitions: list[Recognition] = []
        now = timezone.now()
        for initiative, council_id in rows:
            members = rng.sample(self.council_members[council_id], 3)
            done = initiative.status != InitiativeStatus.IN_REVIEW or rng.random() < 0.5
            for member in members:
                total = Decimal(rng.randrange(35, 95))
                assignments.append(
                    ReviewAssignment(
                        initiative_id=initiative.pk,
                        member_id=member,
                        submitted_at=now if done else None,
                        total=total if done else None,
                        comment="Giải pháp có tính mới, hiệu quả rõ." if done else "",
                    )
                )
            if initiative.status in {InitiativeStatus.RECOGNISED, InitiativeStatus.NOT_RECOGNISED}:
                recognised = initiative.status == InitiativeStatus.RECOGNISED
                recognitions.append(
                    Recognition(
                        initiative_id=initiative.pk,
                        members_present=5,
                        votes_for=5 if recognised else 2,
                        votes_against=0 if recognised else 3,
                        mean_score=Decimal(rng.randrange(50, 90) if recognised else rng.randrange(30, 50)),
                        recognised=recognised,
                        level=RecognitionLevel.PROVINCIAL if recognised else "",
                        reasons="" if recognised else "Chưa chứng minh được hiệu quả áp dụng.",
                    )
                )
        ReviewAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        scores = [
            ReviewScore(
                assignment_id=a.pk,
                criterion_id=criterion,
                points=min(Decimal(rng.randrange(10, 30)), max_points),
            )
            for a in assignments
            if a.submitted_at is not None
            for criterion, max_points in self.criteria
        ]
        ReviewScore.objects.bulk_create(scores, batch_size=BATCH)
        Recognition.objects.bulk_create(recognitions, batch_size=BATCH)
        return {
            "review_assignments": len(assignments),
            "scores": len(scores),
            "recognitions": len(recognitions),
        }

    def work_programs(self) -> None:
        """Every committee (provinces and communes) has its 2026 program; a province's items
        are led by its departments, a commune's by the commune. Monthly reports cover
        January to November: one line per item in the month it is due."""
        sizes = self.sizes
        rng = self.rng
        committees = [*self.province_ids, *(c for p in self.province_ids for c in self.commune_ids[p])]
        province_set = set(self.province_ids)
        weights = [4.0 if c in province_set else 1.0 for c in committees]
        per_program = _split(sizes.items, weights)
        months_reported = min(self.today.month - 1, 11) if self.today.year == YEAR else 11
        line_probability = min(1.0, sizes.report_lines / max(sizes.items * months_reported / 12, 1))
        request_probability = min(1.0, sizes.adjustment_requests / max(sizes.items, 1))
        reasons = list(AdjustmentReason.objects.values_list("pk", flat=True))
        totals = dict.fromkeys(("programs", "items", "reports", "report_lines", "requests"), 0)
        programs = [
            WorkProgram(
                issuing_unit_id=c,
                year=YEAR,
                title=f"Chương trình công tác năm {YEAR} của {self.unit_names[c]}",
                decision_number=f"{rng.randrange(1, 300):02d}/QĐ-UBND",
                decision_date=datetime.date(YEAR - 1, 12, 28),
            )
            for c in committees
        ]
        for chunk in _chunks(programs, 500):
            WorkProgram.objects.bulk_create(chunk, batch_size=BATCH)
        totals["programs"] = len(programs)
        self.built.ids["province_program"] = programs[0].pk
        commune = self.built.ids["persona_commune"]
        self.built.ids["commune_program"] = next(p.pk for p in programs if p.issuing_unit_id == commune)

        start = 0
        while start < len(programs):
            group = list(zip(programs[start : start + 200], per_program[start : start + 200], strict=True))
            start += 200
            items: list[ProgramItem] = []
            for program, count in group:
                committee = program.issuing_unit_id
                is_province = committee in province_set
                leads = self.department_ids[committee] if is_province else [committee]
                leader = self.leaders.get(committee) or self.heads.get(committee)
                for position in range(1, count + 1):
                    month = rng.randrange(1, 13)
                    due = datetime.date(YEAR, month, 1)
                    past = due < datetime.date(self.today.year, self.today.month, 1)
                    if past:
                        status = rng.choices(PAST_ITEM_STATUSES, PAST_ITEM_WEIGHTS)[0]
                    else:
                        status = ItemStatus.PLANNED if rng.random() < 0.8 else ItemStatus.SUBMITTED
                    place = self.province_names[self.province_of[committee]]
                    title = (
                        f"{rng.choice(ITEM_KINDS)} {rng.choice(ITEM_TOPICS)} năm {YEAR} trên địa bàn {place}"
                    )
                    item = ProgramItem(
                        program_id=program.pk,
                        position=position,
                        title=title,
                        submission_kind=SubmissionKind.COMMITTEE,
                        is_legal_document=rng.random() < 0.15,
                        lead_unit_id=rng.choice(leads),
                        supervising_leader_id=leader,
                        due_month=due,
                        original_due_month=due,
                        status=status,
                    )
                    if status in {ItemStatus.SUBMITTED, ItemStatus.ISSUED}:
                        item.submitted_on = due + datetime.timedelta(days=rng.randrange(0, 27))
                        item.submission_reference = (
                            f"{rng.randrange(1, 500):02d}/TTr-{self.unit_symbols[item.lead_unit_id]}"
                        )
                    if status == ItemStatus.ISSUED:
                        assert item.submitted_on is not None
                        item.issued_on = item.submitted_on + datetime.timedelta(days=rng.randrange(3, 20))
                        item.issued_reference = f"{rng.randrange(1, 3000):02d}/QĐ-UBND"
                    item.search_text = item.build_search_text()
                    items.append(item)
            ProgramItem.objects.bulk_create(items, batch_size=BATCH)
            totals["items"] += len(items)
            through = ProgramItem.coordinating_units.through
            coordination = []
            for item in items:
                committee = (
                    self.province_of[item.lead_unit_id] if item.lead_unit_id not in province_set else 0
                )
                if item.lead_unit_id in self.department_ids.get(committee, []):
                    others = [d for d in self.department_ids[committee] if d != item.lead_unit_id]
                    for unit_id in rng.sample(others, rng.randrange(0, 3)):
                        coordination.append(through(programitem_id=item.pk, unit_id=unit_id))
            through.objects.bulk_create(coordination, batch_size=BATCH)
            # Monthly reports: a line for an item in the month it is due.
            reports: dict[tuple[int, int, int], MonthlyReport] = {}
            lines: list[tuple[tuple[int, int, int], MonthlyReportLine]] = []
            for item in items:
                month = item.due_month.month
                if month > months_reported or item.status == ItemStatus.WITHDRAWN:
                    continue
                if rng.random() > line_probability:
                    continue
                key = (item.program_id, item.lead_unit_id, month)
                if key not in reports:
                    period = datetime.date(YEAR, month, 1)
                    due_date = datetime.date(YEAR + month // 12, month % 12 + 1, 14)
                    submitted = month < months_reported or rng.random() < 0.6
                    late = submitted and rng.random() < 0.1
                    reports[key] = MonthlyReport(
                        program_id=item.program_id,
                        unit_id=item.lead_unit_id,
                        period=period,
                        due_date=due_date,
                        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
                        submitted_at=_aware(due_date + datetime.timedelta(days=3 if late else -2))
                        if submitted
                        else None,
                        submitted_by_id=self.heads.get(item.lead_unit_id) if submitted else None,
                        is_late=late,
                    )
                done = item.status in {ItemStatus.ISSUED, ItemStatus.SUBMITTED}
                delayed = item.status == ItemStatus.PLANNED
                line = MonthlyReportLine(
                    item_id=item.pk,
                    status=LineStatus.DONE
                    if done
                    else LineStatus.DELAYED
                    if delayed
                    else LineStatus.ON_TRACK,
                    progress_note="Đã hoàn thành dự thảo, lấy ý kiến các cơ quan liên quan.",
                    delay_cause="Chờ ý kiến thẩm định của Sở Tư pháp." if delayed else "",
                    remedy="Đôn đốc cơ quan phối hợp gửi ý kiến." if delayed else "",
                )
                lines.append((key, line))
            MonthlyReport.objects.bulk_create(list(reports.values()), batch_size=BATCH)
            for key, line in lines:
                line.report_id = reports[key].pk
            MonthlyReportLine.objects.bulk_create([line for _, line in lines], batch_size=BATCH)
            totals["reports"] += len(reports)
            totals["report_lines"] += len(lines)
            requests = []
            for item in items:
                if rng.random() >= request_probability or item.status == ItemStatus.WITHDRAWN:
                    continue
                kind = rng.choice([AdjustmentKind.POSTPONE, AdjustmentKind.WITHDRAW, AdjustmentKind.CHANGE])
                decision = rng.choices(
                    [RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.REJECTED], [0.4, 0.45, 0.15]
                )[0]
                pending = decision == RequestStatus.PENDING
                head = self.heads.get(item.lead_unit_id) or item.supervising_leader_id
                assert head is not None
                requests.append(
                    AdjustmentRequest(
                        program_id=item.program_id,
                        item_id=item.pk,
                        kind=kind,
                        reason_id=rng.choice(reasons),
                        explanation="Cần thêm thời gian lấy ý kiến các cơ quan, đơn vị liên quan.",
                        necessity="Bảo đảm chất lượng văn bản trước khi trình.",
                        impact="Không ảnh hưởng đến công tác chỉ đạo, điều hành chung.",
                        proposed_month=item.due_month + datetime.timedelta(days=62)
                        if kind == AdjustmentKind.POSTPONE
                        else None,
                        lead_unit_id=item.lead_unit_id,
                        requested_by_id=head,
                        leader_id=item.supervising_leader_id,
                        status=decision,
                        decided_by_id=None if pending else item.supervising_leader_id,
                        decided_at=None if pending else timezone.now(),
                    )
                )
            AdjustmentRequest.objects.bulk_create(requests, batch_size=BATCH)
            totals["requests"] += len(requests)
        self.built.counts.update(totals)

    def replication(self) -> None:
        """Per province: its catalogue of practices (``practices`` shared out; most accepted,
        some published), one issued quarterly directive listing up to nine accepted ones,
        assigned to its departments and communes (one obligation per unit × practice), four
        closed quarters of adoption reports (about one in eight missing, a few returned or
        still drafts) and two summaries by Home Affairs. Directives are not numbered (no
        registered document): the pages read the rows, not the register."""
        quarters = [cycle_of(self.today, ReportingCycle.QUARTERLY).previous()]
        for _ in range(3):
            quarters.insert(0, quarters[0].previous())
        issued_on = quarters[0].start - datetime.timedelta(days=20)
        per_province = _split(self.sizes.practices, [1.0] * len(self.province_ids))
        kinds = list(PracticeKind)
        ids = self.built.ids
        for province, count in zip(self.province_ids, per_province, strict=True):
            home_affairs = self.department_ids[province][1]
            officer = self.users_by_unit[home_affairs][0]
            units = self.department_ids[province] + self.commune_ids[province]
            practices = []
            for i in range(count):
                status = PracticeStatus.ACCEPTED if i % 5 else PracticeStatus.PROPOSED
                published = status == PracticeStatus.ACCEPTED and i % 3 == 0
                practice = Practice(
                    committee_id=province,
                    name=f"{self.rng.choice(INITIATIVE_VERBS)} {self.rng.choice(INITIATIVE_OBJECTS)}",
                    kind=kinds[i % len(kinds)],
                    status=status,
                    origin_unit_id=self.rng.choice(units),
                    summary=SECTION_TEXTS[i % len(SECTION_TEXTS)],
                    implementation_steps="Rà soát quy trình; số hoá hồ sơ; công khai kết quả.",
                    is_published=published,
                    published_at=_aware(issued_on) if published else None,
                    created_by_id=officer,
                    created_at=_aware(issued_on - datetime.timedelta(days=60 - i)),
                )
                practice.search_text = practice.build_search_text()
                practices.append(practice)
            _insert(Practice, practices)
            saved = list(Practice.objects.filter(committee_id=province).order_by("pk"))
            listed = [p for p in saved if p.status == PracticeStatus.ACCEPTED][:9]
            directive = Directive(
                issuing_unit_id=province,
                title=f"Nhân rộng các mô hình, giải pháp cải cách hành chính năm {issued_on.year}",
                status=DirectiveStatus.ISSUED,
                coordinator_unit_id=home_affairs,
                reporting_cycle=ReportingCycle.QUARTERLY,
                issued_on=issued_on,
                signer_id=self.leaders.get(province),
                signer_name=self.user_names.get(self.leaders.get(province, 0), ""),
                created_by_id=officer,
                created_at=_aware(issued_on - datetime.timedelta(days=5)),
            )
            directive.save()
            _insert(
                DirectivePractice,
                (
                    DirectivePractice(directive=directive, practice=p, label=str(n), position=n)
                    for n, p in enumerate(listed, 1)
                ),
            )
            groups = [
                (TargetGroup.DEPARTMENTS, self.department_ids[province]),
                (TargetGroup.COMMUNE_COMMITTEES, self.commune_ids[province]),
            ]
            for position, (group, members) in enumerate(groups, 1):
                assignment = Assignment.objects.create(
                    directive=directive, target_group=group, role=AssignmentRole.APPLY, position=position
                )
                assignment.practices.set(listed)
                _insert(
                    Obligation,
                    (
                        Obligation(
                            assignment=assignment,
                            unit_id=unit,
                            practice=p,
                            role=AssignmentRole.APPLY,
                            directive=directive,
                            starts_on=issued_on,
                        )
                        for unit in members
                        for p in listed
                    ),
                )
            obligations = list(Obligation.objects.filter(directive=directive).values_list("pk", "unit_id"))

            _insert(AdoptionReport, self._adoption_reports(obligations, quarters, officer))
            # Bulk inserts skip the report services, which keep each obligation's latest.
            refresh_latest_reports(Obligation.objects.filter(directive=directive))
            summaries = [
                ReplicationSummary(
                    issuing_unit_id=home_affairs,
                    directive=directive,
                    period_start=quarter.start,
                    period_end=quarter.end,
                    assessment="Các đơn vị cơ bản triển khai đúng kế hoạch; một số đơn vị chưa báo cáo.",
                    created_by_id=officer,
                )
                for quarter in quarters[-2:]
            ]
            _insert(ReplicationSummary, summaries)
            if province == self.province_ids[0]:
                ids["practice"] = listed[0].pk
                ids["directive"] = directive.pk
                ids["summary"] = (
                    ReplicationSummary.objects.filter(directive=directive).values_list("pk", flat=True).last()
                    or 0
                )
                ids["unit_adoption_report"] = (
                    AdoptionReport.objects.filter(
                        obligation__directive=directive,
                        obligation__unit_id=ids["persona_commune"],
                        status=AdoptionReportStatus.SUBMITTED,
                    )
                    .values_list("pk", flat=True)
                    .first()
                    or 0
                )
                ids["adoption_report"] = (
                    AdoptionReport.objects.filter(
                        obligation__directive=directive, status=AdoptionReportStatus.SUBMITTED
                    )
                    .values_list("pk", flat=True)
                    .first()
                    or 0
                )

    def deliberation(self) -> None:
        """Per province, its share of ``consultations`` from the Office to the committee's
        members (the leader and the heads of its departments), most closed with every
        answer, the newest still open with some answers missing."""
        per_province = _split(self.sizes.consultations, [1.0] * len(self.province_ids))
        first_id = 0
        for province, count in zip(self.province_ids, per_province, strict=True):
            office = self.department_ids[province][0]
            clerk = self.users_by_unit[office][0]
            leader = self.leaders.get(province)
            members = [self.heads[d] for d in self.department_ids[province] if d in self.heads][:12]
            if leader is not None and leader not in members:
                members.insert(0, leader)
            rows = []
            for i in range(count):
                sent = self.today - datetime.timedelta(days=7 * (count - i))
                closed = i < count - 3
                topic = f"{self.rng.choice(ITEM_KINDS).lower()} về {self.rng.choice(INITIATIVE_OBJECTS)}"
                rows.append(
                    Consultation(
                        committee_id=province,
                        lead_unit_id=self.rng.choice(self.department_ids[province]),
                        kind=self.rng.choice(list(DraftKind)),
                        title=f"Dự thảo {topic}",
                        status=ConsultationStatus.CLOSED if closed else ConsultationStatus.SENT,
                        reply_working_days=5,
                        sent_on=sent,
                        deadline=sent + datetime.timedelta(days=7),
                        sent_by_id=clerk,
                        closed_on=sent + datetime.timedelta(days=9) if closed else None,
                        result=Result.PASSED if closed else "",
                        created_by_id=clerk,
                        created_at=_aware(sent - datetime.timedelta(days=2)),
                    )
                )
                rows[-1].search_text = rows[-1].build_search_text()
            _insert(Consultation, rows)
            saved = list(
                Consultation.objects.filter(committee_id=province).values_list(
                    "pk", "status", "sent_on", "deadline"
                )
            )

            _insert(Opinion, self._opinions(saved, members, leader))
            if not first_id:
                first_id = saved[0][0] if saved else 0
        self.built.ids["consultation"] = first_id

    def oversight(self) -> None:
        """Per province, its share of ``tasks`` assigned by its leader to its departments over
        the last year: most done (a quarter of them late), some overdue, the rest not yet
        due, a few extended or cancelled — the statistics page's GROUP BY reads them all."""
        per_province = _split(self.sizes.tasks, [1.0] * len(self.province_ids))
        for province, count in zip(self.province_ids, per_province, strict=True):
            leader = self.leaders.get(province)
            departments = self.department_ids[province]
            if leader is None or not departments or not count:
                continue
            clerk = (self.users_by_unit.get(departments[0]) or [leader])[0]
            rows = []
            for i in range(count):
                source_date = self.today - datetime.timedelta(days=365 * (count - i) // count + 20)
                due = source_date + datetime.timedelta(days=self.rng.choice((15, 30, 45, 60)))
                roll = self.rng.random()
                kind = self.rng.choice(ITEM_KINDS)
                status, done_on, deadline = TaskStatus.IN_PROGRESS, None, due
                if roll < 0.04:
                    status = TaskStatus.CANCELLED
                elif due < self.today and roll < 0.85:
                    late = self.rng.random() < 0.25
                    status = TaskStatus.DONE
                    done_on = (
                        min(due + datetime.timedelta(days=self.rng.randint(1, 20)), self.today)
                        if late
                        else due
                    )
                if 0.85 <= roll < 0.92:
                    deadline = due + datetime.timedelta(days=20)
                rows.append(
                    Task(
                        committee_id=province,
                        source=TaskSource.DOCUMENT if i % 4 else TaskSource.ORAL,
                        source_reference=f"{i + 1}/UBND-VP" if i % 4 else "",
                        source_date=source_date,
                        content=f"Tham mưu {kind.lower()} về {self.rng.choice(INITIATIVE_OBJECTS)}",
                        assigned_by_id=leader,
                        lead_unit_id=self.rng.choice(departments),
                        original_deadline=due,
                        deadline=deadline,
                        status=status,
                        done_on=done_on,
                        cancel_reason="Không còn phù hợp" if status == TaskStatus.CANCELLED else "",
                        created_by_id=clerk,
                        created_at=_aware(source_date),
                    )
                )
            _insert(Task, rows)

    ADOPTION_WEIGHTS: ClassVar[list[tuple[str, float]]] = [
        (AdoptionStatus.NOT_STARTED, 3.0),
        (AdoptionStatus.STUDYING, 2.0),
        (AdoptionStatus.PILOTING, 2.0),
        (AdoptionStatus.APPLIED, 4.0),
        (AdoptionStatus.APPLIED_WIDELY, 1.0),
    ]

    def _adoption_reports(
        self, obligations: list[tuple[int, int]], quarters: list[Cycle], officer: int
    ) -> Iterator[AdoptionReport]:
        statuses = [a for a, _ in self.ADOPTION_WEIGHTS]
        weights = [w for _, w in self.ADOPTION_WEIGHTS]
        for pk, unit in obligations:
            reporter = (self.users_by_unit.get(unit) or [officer])[0]
            started = False
            for quarter in quarters:
                roll = self.rng.random()
                if roll < 0.12:
                    continue  # missing: the laggards
                due = quarter.end + datetime.timedelta(days=10)
                started = started or self.rng.random() < 0.5
                if roll > 0.2:
                    status = AdoptionReportStatus.SUBMITTED
                elif roll > 0.16:
                    status = AdoptionReportStatus.RETURNED
                else:
                    status = AdoptionReportStatus.DRAFT
                sent = status != AdoptionReportStatus.DRAFT
                late = sent and roll > 0.9
                returned = status == AdoptionReportStatus.RETURNED
                yield AdoptionReport(
                    obligation_id=pk,
                    period_start=quarter.start,
                    period_end=quarter.end,
                    due_on=due,
                    status=status,
                    adoption_status=self.rng.choices(statuses, weights)[0]
                    if started
                    else AdoptionStatus.NOT_STARTED,
                    scope="Toàn bộ hồ sơ tiếp nhận tại Bộ phận Một cửa.",
                    submitted_at=_aware(due + datetime.timedelta(days=3 if late else -2)) if sent else None,
                    submitted_by_id=reporter if sent else None,
                    is_late=late,
                    returned_at=_aware(due) if returned else None,
                    returned_by_id=officer if returned else None,
                    return_note="Bổ sung số liệu kết quả." if returned else "",
                )

    def _opinions(
        self,
        consultations: list[tuple[int, str, datetime.date | None, datetime.date | None]],
        members: list[int],
        leader: int | None,
    ) -> Iterator[Opinion]:
        answers = [Answer.AGREE] * 6 + [Answer.AGREE_WITH_COMMENTS] * 3 + [Answer.DISAGREE]
        for pk, status, sent_on, deadline in consultations:
            assert sent_on is not None and deadline is not None  # every one was sent
            for member in members:
                if status == ConsultationStatus.SENT and self.rng.random() < 0.4:
                    yield Opinion(consultation_id=pk, member_id=member, is_chairman=member == leader)
                    continue
                answer = self.rng.choice(answers)
                day = sent_on + datetime.timedelta(days=self.rng.randint(1, 9))
                yield Opinion(
                    consultation_id=pk,
                    member_id=member,
                    is_chairman=member == leader,
                    answer=answer,
                    comment="" if answer == Answer.AGREE else "Đề nghị làm rõ nguồn kinh phí.",
                    first_answered_on=day,
                    answered_at=_aware(day, 15),
                    is_late=day > deadline,
                )

    def audit_events(self) -> None:
        rng = self.rng
        types = {
            "initiative": ContentType.objects.get_for_model(Initiative),
            "item": ContentType.objects.get_for_model(ProgramItem),
            "unit": ContentType.objects.get_for_model(Unit),
            "user": ContentType.objects.get_for_model(User),
            "monthly_report": ContentType.objects.get_for_model(MonthlyReport),
            "review": ContentType.objects.get_for_model(ReviewAssignment),
        }
        bounds: dict[str, tuple[int, int]] = {}
        for key, model in [
            ("initiative", Initiative),
            ("item", ProgramItem),
            ("unit", Unit),
            ("user", User),
            ("monthly_report", MonthlyReport),
            ("review", ReviewAssignment),
        ]:
            low = model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 0
            high = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
            bounds[key] = (low, high)
        user_ids = [u for members in self.users_by_unit.values() for u in members]
        first = _aware(datetime.date(YEAR - 1, 1, 2))
        span = max(int((timezone.now() - first).total_seconds()), 1)

        def events() -> Iterator[AuditEvent]:
            for _ in range(self.sizes.audit_events):
                action = rng.choice(AUDIT_ACTIONS)
                key = action.split(".")[0]
                if key not in types:
                    key = "user"
                low, high = bounds[key]
                object_id = rng.randint(low, high) if high else 0
                actor = rng.choice(user_ids)
                yield AuditEvent(
                    created_at=first + datetime.timedelta(seconds=rng.randrange(span)),
                    actor_id=actor,
                    actor_name=self.user_names.get(actor, ""),
                    action=action,
                    content_type=types[key],
                    object_id=str(object_id),
                    object_repr=f"{key} #{object_id}",
                    search_text=f"{key} {object_id}",  # search_words() of the name, as save() writes it
                    changes={"status": ["draft", "submitted"]} if rng.random() < 0.5 else {},
                    ip_address="10.0.0.1",
                )

        self.built.counts["audit_events"] = _insert(AuditEvent, events())

    def notifications(self) -> None:
        rng = self.rng
        user_ids = [u for members in self.users_by_unit.values() for u in members]
        personas = list(self.built.personas.values())
        now = timezone.now()

        def rows() -> Iterator[Notification]:
            for i in range(self.sizes.notifications):
                recipient = personas[i % len(personas)] if i < 300 * len(personas) else rng.choice(user_ids)
                yield Notification(
                    recipient_id=recipient,
                    title="Hồ sơ sáng kiến đã được tiếp nhận",
                    body="Hồ sơ sáng kiến của đơn vị đã được tiếp nhận và chuyển Hội đồng sáng kiến.",
                    url="",
                    created_at=now - datetime.timedelta(minutes=i),
                    read_at=None if rng.random() < 0.3 else now,
                )

        self.built.counts["notifications"] = _insert(Notification, rows())

    def number_sequences(self) -> None:
        """The registers' counters agree with the numbers written, as a service would leave them."""
        _insert(
            NumberSequence,
            (
                NumberSequence(unit_id=unit, document_type=kind, year=year, last_number=last)
                for (unit, kind, year), last in self.sequences.items()
            ),
        )

    def persona_objects(self) -> None:
        """Objects each persona can open: a recognised dossier of the national campaign and of
        the province's campaign, a dossier of the unit persona, an item, a report and a
        request of the province's program."""
        ids = self.built.ids
        recognised = Initiative.objects.filter(status=InitiativeStatus.RECOGNISED)
        ids["national_initiative"] = (
            recognised.filter(campaign_id=ids["national_campaign"]).values_list("pk", flat=True).first() or 0
        )
        if "province_campaign" in ids:
            ids["province_initiative"] = (
                recognised.filter(campaign_id=ids["province_campaign"]).values_list("pk", flat=True).first()
                or ids["national_initiative"]
            )
        else:
            ids["province_campaign"] = ids["national_campaign"]
            ids["province_council"] = ids["national_council"]
            ids["province_initiative"] = ids["national_initiative"]
        ids["unit_initiative"] = (
            Initiative.objects.filter(created_by_id=self.built.personas["unit"])
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        program = ids["province_program"]
        ids["province_item"] = (
            ProgramItem.objects.filter(program_id=program).values_list("pk", flat=True).order_by("pk").first()
            or 0
        )
        ids["province_report"] = (
            MonthlyReport.objects.filter(program_id=program)
            .values_list("pk", flat=True)
            .order_by("pk")
            .first()
            or 0
        )
        ids["province_request"] = (
            AdjustmentRequest.objects.filter(program_id=program)
            .values_list("pk", flat=True)
            .order_by("pk")
            .first()
            or 0
        )
        ids["user"] = self.users_by_unit[self.department_ids[self.province_ids[0]][1]][0]
        ids["report_month"] = min(max(self.today.month - 1, 1), 11) if self.today.year == YEAR else 11


def build(sizes: Sizes, *, seed: int = 2026, log: Callable[[str], None] = print) -> Built:
    built = Builder(sizes, seed=seed, log=log).build()
    if connection.vendor == "postgresql":
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE {time.perf_counter() - start:.1f} s")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return built


def table_sizes() -> dict[str, int]:
    """Row counts of the main tables, as written (for the report)."""
    models_counted: list[tuple[str, type[models.Model]]] = [
        ("units", Unit),
        ("users", User),
        ("memberships", Membership),
        ("campaigns", Campaign),
        ("campaign eligible units", Campaign.eligible_units.through),
        ("initiatives", Initiative),
        ("authorships", Authorship),
        ("review assignments", ReviewAssignment),
        ("recognitions", Recognition),
        ("registered documents", RegisteredDocument),
        ("programs", WorkProgram),
        ("program items", ProgramItem),
        ("monthly reports", MonthlyReport),
        ("monthly report lines", MonthlyReportLine),
        ("adjustment requests", AdjustmentRequest),
        ("practices", Practice),
        ("replication obligations", Obligation),
        ("adoption reports", AdoptionReport),
        ("consultations", Consultation),
        ("opinions", Opinion),
        ("assigned tasks", Task),
        ("audit events", AuditEvent),
        ("notifications", Notification),
    ]
    return {label: model._default_manager.count() for label, model in models_counted}
