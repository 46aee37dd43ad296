"""Demo data: a plausible province (Tây Ninh) with its departments, the legacy district of
Châu Thành and its communes (dissolved on 1 July 2025, each commune pointing to the commune
that took it over), the new communes and wards, and one account per role.

The structure is plausible, not an official record of the 2025 mergers."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from caicach.core.audit import services as audit
from caicach.core.models import Membership, ReformField, ReformIndex, Role, Unit, UnitKind, User

DEMO_PASSWORD = "CaiCach@2026"
REFORM_DAY = datetime.date(2025, 7, 1)  # the two-tier local government took effect
LAST_DISTRICT_DAY = REFORM_DAY - datetime.timedelta(days=1)

K = UnitKind

# code, name, short name, kind, parent code, document symbol, place name
PROVINCE = (
    "TN",
    "Ủy ban nhân dân tỉnh Tây Ninh",
    "UBND tỉnh",
    K.PROVINCE_COMMITTEE,
    None,
    "UBND",
    "Tây Ninh",
)
DEPARTMENTS = [
    ("TN-VP", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", K.OFFICE, "TN", "VP", "Tây Ninh"),
    (
        "TN-VP-PTH",
        "Phòng Tổng hợp, Văn phòng UBND tỉnh",
        "Phòng Tổng hợp",
        K.OTHER,
        "TN-VP",
        "VP",
        "Tây Ninh",
    ),
    ("TN-SNV", "Sở Nội vụ", "SNV", K.DEPARTMENT, "TN", "SNV", "Tây Ninh"),
    ("TN-SKHCN", "Sở Khoa học và Công nghệ", "SKHCN", K.DEPARTMENT, "TN", "SKHCN", "Tây Ninh"),
    ("TN-STP", "Sở Tư pháp", "STP", K.DEPARTMENT, "TN", "STP", "Tây Ninh"),
    ("TN-STC", "Sở Tài chính", "STC", K.DEPARTMENT, "TN", "STC", "Tây Ninh"),
    ("TN-SYT", "Sở Y tế", "SYT", K.DEPARTMENT, "TN", "SYT", "Tây Ninh"),
    ("TN-SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT", K.DEPARTMENT, "TN", "SGDĐT", "Tây Ninh"),
    ("TN-SNNMT", "Sở Nông nghiệp và Môi trường", "SNNMT", K.DEPARTMENT, "TN", "SNNMT", "Tây Ninh"),
    ("TN-SXD", "Sở Xây dựng", "SXD", K.DEPARTMENT, "TN", "SXD", "Tây Ninh"),
    ("TN-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", K.DEPARTMENT, "TN", "SVHTTDL", "Tây Ninh"),
]
# The new communes and wards (from 1 July 2025), directly under the province.
NEW_COMMUNES = [
    ("X-CHAUTHANH", "Ủy ban nhân dân xã Châu Thành", "UBND xã Châu Thành", "Châu Thành"),
    ("X-HAODUOC", "Ủy ban nhân dân xã Hảo Đước", "UBND xã Hảo Đước", "Hảo Đước"),
    ("X-NINHDIEN", "Ủy ban nhân dân xã Ninh Điền", "UBND xã Ninh Điền", "Ninh Điền"),
    ("X-HOAHOI", "Ủy ban nhân dân xã Hòa Hội", "UBND xã Hòa Hội", "Hòa Hội"),
    ("P-TANNINH", "Ủy ban nhân dân phường Tân Ninh", "UBND phường Tân Ninh", "Tân Ninh"),
    ("P-BINHMINH", "Ủy ban nhân dân phường Bình Minh", "UBND phường Bình Minh", "Bình Minh"),
]
DISTRICT = (
    "CT",
    "Ủy ban nhân dân huyện Châu Thành",
    "UBND huyện Châu Thành",
    K.DISTRICT_COMMITTEE,
    "TN",
    "UBND",
    "Châu Thành",
)
DISTRICT_DIVISIONS = [
    ("CT-VP", "Văn phòng HĐND và UBND huyện Châu Thành", "VP HĐND-UBND huyện", "VP"),
    ("CT-PNV", "Phòng Nội vụ huyện Châu Thành", "PNV", "PNV"),
    ("CT-PTP", "Phòng Tư pháp huyện Châu Thành", "PTP", "PTP"),
    ("CT-PTCKH", "Phòng Tài chính - Kế hoạch huyện Châu Thành", "PTCKH", "PTCKH"),
    ("CT-PVHTT", "Phòng Văn hóa và Thông tin huyện Châu Thành", "PVHTT", "PVHTT"),
]
# Old communes of the district: code, name, short name, place, successor (new commune).
DISTRICT_COMMUNES = [
    ("CT-TT", "Ủy ban nhân dân thị trấn Châu Thành", "UBND thị trấn Châu Thành", "Châu Thành", "X-CHAUTHANH"),
    ("CT-TRIBINH", "Ủy ban nhân dân xã Trí Bình", "UBND xã Trí Bình", "Trí Bình", "X-CHAUTHANH"),
    ("CT-HAODUOC", "Ủy ban nhân dân xã Hảo Đước", "UBND xã Hảo Đước (cũ)", "Hảo Đước", "X-HAODUOC"),
    ("CT-ANBINH", "Ủy ban nhân dân xã An Bình", "UBND xã An Bình", "An Bình", "X-HAODUOC"),
    ("CT-NINHDIEN", "Ủy ban nhân dân xã Ninh Điền", "UBND xã Ninh Điền (cũ)", "Ninh Điền", "X-NINHDIEN"),
    ("CT-BIENGIOI", "Ủy ban nhân dân xã Biên Giới", "UBND xã Biên Giới", "Biên Giới", "X-NINHDIEN"),
    ("CT-HOAHOI", "Ủy ban nhân dân xã Hòa Hội", "UBND xã Hòa Hội (cũ)", "Hòa Hội", "X-HOAHOI"),
    ("CT-THANHDIEN", "Ủy ban nhân dân xã Thanh Điền", "UBND xã Thanh Điền", "Thanh Điền", "X-HOAHOI"),
]

REFORM_FIELDS = [
    ("VBQPPL", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật"),
    ("TTHC", "Cải cách thủ tục hành chính"),
    ("BOMAY", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("CONGVU", "Cải cách chế độ công vụ"),
    ("TAICHINH", "Cải cách tài chính công"),
    ("CQS", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]
REFORM_INDICES = [
    ("PAR INDEX", "Chỉ số cải cách hành chính", "Bộ Nội vụ"),
    (
        "SIPAS",
        "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
        "Bộ Nội vụ",
    ),
    ("PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh", "UNDP và các đối tác"),
    (
        "ICT",
        "Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin và truyền thông (ICT Index / DTI)",
        "Bộ Khoa học và Công nghệ",
    ),
    ("PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh", "VCCI"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit: str
    roles: tuple[str, ...]
    position: str = ""
    qualification: str = "Đại học"
    date_of_birth: datetime.date | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())  # further (role, unit code)


ACCOUNTS = [
    DemoAccount(
        "quantri", "Nguyễn Quản Trị", "TN-VP", (Role.SYSTEM_ADMIN,), "Chuyên viên Công nghệ thông tin"
    ),
    DemoAccount(
        "cchc.snv",
        "Lê Thị Hồng Nhung",
        "TN-SNV",
        (Role.REFORM_OFFICER,),
        "Chuyên viên phòng CCHC",
        date_of_birth=datetime.date(1988, 3, 12),
    ),
    DemoAccount(
        "cchc.chauthanh",
        "Trần Minh Khoa",
        "CT-PNV",
        (Role.REFORM_OFFICER,),
        "Chuyên viên Phòng Nội vụ",
        date_of_birth=datetime.date(1990, 9, 2),
    ),
    DemoAccount("vanphong", "Phạm Thu Hà", "TN-VP", (Role.OFFICE_OFFICER,), "Chuyên viên phòng Tổng hợp"),
    DemoAccount("truong.skhcn", "Võ Văn Thành", "TN-SKHCN", (Role.UNIT_HEAD,), "Giám đốc Sở", "Tiến sĩ"),
    DemoAccount("canbo.skhcn", "Nguyễn Thị Mai", "TN-SKHCN", (Role.UNIT_STAFF,), "Chuyên viên"),
    DemoAccount("truong.haoduoc", "Huỳnh Văn Lợi", "CT-HAODUOC", (Role.UNIT_HEAD,), "Chủ tịch UBND xã"),
    DemoAccount(
        "canbo.haoduoc",
        "Đặng Thị Kim Thoa",
        "CT-HAODUOC",
        (Role.UNIT_STAFF,),
        "Công chức Văn phòng - Thống kê",
    ),
    DemoAccount(
        "hoidong.1", "Trương Văn Hòa", "TN-SNV", (Role.COUNCIL_MEMBER,), "Phó Giám đốc Sở Nội vụ", "Thạc sĩ"
    ),
    DemoAccount("hoidong.2", "Lý Thị Ngọc Ánh", "TN-STP", (Role.COUNCIL_MEMBER,), "Trưởng phòng", "Thạc sĩ"),
    DemoAccount(
        "hoidong.3", "Bùi Quốc Tuấn", "TN-SKHCN", (Role.COUNCIL_MEMBER,), "Phó Giám đốc Sở", "Tiến sĩ"
    ),
    DemoAccount(
        "thanhvien",
        "Đoàn Văn Sơn",
        "TN-STP",
        (Role.COMMITTEE_MEMBER, Role.UNIT_HEAD),
        "Giám đốc Sở Tư pháp",
        "Thạc sĩ",
    ),
    DemoAccount("lanhdao", "Ngô Thanh Bình", "TN", (Role.LEADER,), "Phó Chủ tịch UBND tỉnh", "Tiến sĩ"),
    DemoAccount(
        "lanhdao.chauthanh", "Phan Văn Dũng", "CT", (Role.LEADER,), "Phó Chủ tịch UBND huyện", "Thạc sĩ"
    ),
    # The authors and head of the provincial Office's initiative (seeds 000/001), carried
    # through the province's 2024 campaign to a certificate (caicach.initiatives.demo).
    DemoAccount(
        "tacgia.vp",
        "Đông Thị Huệ",
        "TN-VP",
        (Role.UNIT_STAFF,),
        "Chuyên viên phòng Tổng hợp",
        "Thạc sĩ",
        date_of_birth=datetime.date(1989, 6, 30),
    ),
    DemoAccount(
        "truong.vp", "Phạm Văn Đà", "TN-VP", (Role.UNIT_HEAD,), "Phó Chánh Văn phòng UBND tỉnh", "Thạc sĩ"
    ),
    # The province's work program (caicach.workprogram.demo): its other leaders, and the units
    # that file adjustment requests and monthly reports.
    DemoAccount("chutich", "Lâm Quốc Trung", "TN", (Role.CHAIRMAN,), "Chủ tịch UBND tỉnh", "Tiến sĩ"),
    DemoAccount(
        "lanhdao.kinhte", "Hồ Thị Phương Lan", "TN", (Role.LEADER,), "Phó Chủ tịch UBND tỉnh", "Thạc sĩ"
    ),
    DemoAccount(
        "truong.snv", "Mai Xuân Trường", "TN-SNV", (Role.UNIT_HEAD,), "Giám đốc Sở Nội vụ", "Thạc sĩ"
    ),
    # The people who file the units' replication reports (caicach.replication.demo).
    DemoAccount("canbo.stc", "Trần Quốc Bảo", "TN-STC", (Role.UNIT_STAFF,), "Chuyên viên phòng Doanh nghiệp"),
    DemoAccount("canbo.snnmt", "Lê Văn Phước", "TN-SNNMT", (Role.UNIT_STAFF,), "Chuyên viên Trung tâm CNTT"),
    DemoAccount("canbo.syt", "Nguyễn Thị Thu Hằng", "TN-SYT", (Role.UNIT_STAFF,), "Chuyên viên Văn phòng Sở"),
    DemoAccount(
        "canbo.xchauthanh",
        "Võ Thị Ngọc Hân",
        "X-CHAUTHANH",
        (Role.UNIT_STAFF,),
        "Công chức Văn phòng - Thống kê",
    ),
    DemoAccount(
        "canbo.xhaoduoc", "Phạm Minh Tâm", "X-HAODUOC", (Role.UNIT_STAFF,), "Công chức Văn phòng - Thống kê"
    ),
    DemoAccount(
        "canbo.ptanninh", "Đỗ Thanh Tùng", "P-TANNINH", (Role.UNIT_STAFF,), "Công chức Văn phòng - Thống kê"
    ),
    DemoAccount(
        "canbo.chauthanh",
        "Tô Minh Nhựt",
        "CT",
        (Role.UNIT_STAFF,),
        "Chuyên viên Văn phòng HĐND và UBND huyện",
    ),
]


def demo_loaded() -> bool:
    return Unit.objects.filter(code=PROVINCE[0]).exists()


@transaction.atomic
def demo_load_organisation() -> dict[str, Unit]:
    """Units, reform fields and indices, and the demo accounts, each creation audited."""
    units: dict[str, Unit] = {}

    def add(
        code: str,
        name: str,
        short: str,
        kind: str,
        parent: str | None,
        symbol: str,
        place: str,
        **extra: object,
    ) -> Unit:
        unit = Unit.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            parent=units[parent] if parent else None,
            document_symbol=symbol,
            place_name=place,
            **extra,
        )
        audit.record(actor=None, action="unit.create", obj=unit, message="Dữ liệu mẫu")
        units[code] = unit
        return unit

    add(*PROVINCE)
    for row in DEPARTMENTS:
        add(*row)
    for code, name, short, place in NEW_COMMUNES:
        kind = K.COMMUNE_COMMITTEE
        add(code, name, short, kind, "TN", "UBND", place, valid_from=REFORM_DAY)
    add(*DISTRICT, valid_to=LAST_DISTRICT_DAY)
    for code, name, short, symbol in DISTRICT_DIVISIONS:
        add(code, name, short, K.DISTRICT_DIVISION, "CT", symbol, "Châu Thành", valid_to=LAST_DISTRICT_DAY)
    for code, name, short, place, successor in DISTRICT_COMMUNES:
        add(
            code,
            name,
            short,
            K.COMMUNE_COMMITTEE,
            "CT",
            "UBND",
            place,
            valid_to=LAST_DISTRICT_DAY,
            successor=units[successor],
        )

    for position, (code, name) in enumerate(REFORM_FIELDS):
        ReformField.objects.create(code=code, name=name, position=position)
    for position, (code, name, publisher) in enumerate(REFORM_INDICES):
        ReformIndex.objects.create(code=code, name=name, publisher=publisher, position=position)

    for account in ACCOUNTS:
        user = User(
            username=account.username,
            full_name=account.full_name,
            unit=units[account.unit],
            position=account.position,
            qualification=account.qualification,
            date_of_birth=account.date_of_birth,
            email=f"{account.username}@demo.caicach.local",
            is_superuser=Role.SYSTEM_ADMIN in account.roles,
            is_staff=Role.SYSTEM_ADMIN in account.roles,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit.record(actor=None, action="user.create", obj=user, message="Dữ liệu mẫu")
        for role in account.roles:
            membership = Membership.objects.create(user=user, unit=units[account.unit], role=role)
            audit.record(
                actor=None,
                action="membership.add",
                obj=user,
                changes={"role": [None, membership.get_role_display()]},
                message=str(units[account.unit]),
            )
    return units


# --- Loaders of the domain apps -------------------------------------------------------------------

# Core loads the organisation, the people and the calendar; each domain app adds its own
# records through a loader it registers in ``AppConfig.ready`` (core imports no domain app).
# A loader receives the demo units by code; ``order`` runs them in a stable sequence.
DemoLoader = Callable[[Mapping[str, Unit]], object]
_loaders: dict[str, tuple[int, DemoLoader]] = {}


def register_demo_loader(name: str, loader: DemoLoader, *, order: int) -> None:
    _loaders[name] = (order, loader)


def demo_loaders() -> list[DemoLoader]:
    return [loader for _order, loader in sorted(_loaders.values(), key=lambda entry: entry[0])]
