"""Test data for the initiatives app, built through the services where a real office would
act (a draft through ``initiative_create``, a council through ``council_create``...), one
section per area."""

from __future__ import annotations

import datetime
import io
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument

from caicach.core import clock
from caicach.core.models import Role, Unit, User
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.dossiers.services import initiative_create
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    CouncilRole,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
    ReviewAssignment,
    ReviewScore,
    Rubric,
)
from caicach.initiatives.review.rubrics import ensure_demo_rubrics
from caicach.initiatives.review.services import council_member_add, council_save
from caicach.initiatives.workflow.services import initiative_accept, initiative_confirm, initiative_submit
from tests.conftest import Org, People
from tests.core.factories import person

# --- Dossiers -------------------------------------------------------------------------------------
# Builders for dossier tests (and for other areas' tests that need a dossier): an open
# campaign, the seed 001 authors table, a draft made through the service.


SEED_TITLE = (
    "Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
)


def seed_authors(lead_user: User | None = None) -> list[dict[str, Any]]:
    """The authors table of seeds 000/001 (30/30/40, the lead is the idea's originator)."""
    return [
        {
            "full_name": "Lê Tuấn Phú",
            "date_of_birth": datetime.date(1967, 1, 28),
            "workplace": "Văn phòng UBND tỉnh",
            "job_title": "Chánh Văn phòng",
            "qualification": "Thạc sỹ",
            "share": Decimal("30"),
            "contribution": "Đóng góp vào nội dung của Sáng kiến",
            "is_lead": False,
            "user": None,
        },
        {
            "full_name": "Nguyễn Phương Thảo",
            "date_of_birth": datetime.date(1982, 7, 3),
            "workplace": "Phòng Tổng hợp",
            "job_title": "Trưởng phòng Tổng hợp",
            "qualification": "Thạc sỹ",
            "share": Decimal("30"),
            "contribution": "Đóng góp vào nội dung của Sáng kiến",
            "is_lead": False,
            "user": None,
        },
        {
            "full_name": "Đông Thị Huệ",
            "date_of_birth": datetime.date(1989, 6, 30),
            "workplace": "Phòng Tổng hợp",
            "job_title": "Chuyên viên",
            "qualification": "Thạc sỹ",
            "share": Decimal("40"),
            "contribution": "Chủ trì nghĩ ra ý tưởng; hoàn thiện và đóng góp vào nội dung của Sáng kiến",
            "is_lead": True,
            "user": lead_user,
        },
    ]


def open_campaign(
    *, actor: User, issuing_unit: Unit, receiving_unit: Unit, eligible_units: Iterable[Unit]
) -> Campaign:
    """The seed campaign, issued, with its submission window moved around today."""
    campaign = load_seed_campaign(
        actor=actor,
        issuing_unit=issuing_unit,
        receiving_unit=receiving_unit,
        eligible_units=eligible_units,
        issued_on=datetime.date(2024, 5, 10),
    )
    today = clock.today()
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=today - datetime.timedelta(days=10), window_end=today + datetime.timedelta(days=30)
    )
    campaign.refresh_from_db()
    return campaign


def make_draft(
    *,
    actor: User,
    unit: Unit,
    campaign: Campaign | None = None,
    kind: str = InitiativeKind.SOLUTION,
    data: Mapping[str, Any] | None = None,
    authors: Sequence[Mapping[str, Any]] | None = None,
) -> Initiative:
    fields: dict[str, Any] = {
        "title": SEED_TITLE,
        "first_applied_on": datetime.date(2024, 2, 29),
        "essence": "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc.",
    }
    if kind == InitiativeKind.SOLUTION:
        fields["previous_solution"] = "Trách nhiệm của một số cơ quan trong phối hợp chưa cao."
    else:
        fields["context"] = "Trước xu thế toàn cầu hóa về kinh tế và văn hóa."
    fields.update(data or {})
    return initiative_create(
        actor=actor,
        unit=unit,
        campaign=campaign,
        kind=kind,
        data=fields,
        authors=authors if authors is not None else seed_authors(actor),
    )


# --- Workflow -------------------------------------------------------------------------------------
# Builders for the workflow, documents and ZIP tests: a complete dossier of the Department
# of Science & Technology in a province campaign received by the Department of Home Affairs,
# and the steps that carry it along (through the services, as a user would).


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
    return clock.today() - datetime.timedelta(days=days)


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


# --- Review ---------------------------------------------------------------------------------------
# Builders for the council tests: a published campaign with a rubric, accepted dossiers,
# a council with its chair, secretary and members, and sheets scored at random (fixed seed).
#
# Dossiers are written straight to the database in the state the council receives them
# (accepted): how they got there is the dossier and workflow tests' business.


ISSUED = datetime.date(2024, 5, 10)


@dataclass
class Board:
    """A campaign of the province received by Home Affairs, its council and the people."""

    campaign: Campaign
    council: Council
    rubric: Rubric
    chair: User
    secretary: User
    member: User  # an ordinary member from the committee's Office
    colleague: User  # a member working in Science & Technology, the dossiers' unit
    chair_seat: CouncilMember
    secretary_seat: CouncilMember
    member_seat: CouncilMember
    colleague_seat: CouncilMember


def make_campaign(org: Org, people: People, rubric: Rubric | None = None) -> Campaign:
    campaign = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=ISSUED,
    )  # fmt: skip
    if rubric is not None:
        Campaign.objects.filter(pk=campaign.pk).update(rubric=rubric)
        campaign.rubric = rubric
    return campaign


def make_dossier(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str = "Nâng cao hiệu quả tiếp nhận hồ sơ",
    author: User | None = None,
    created_by: User | None = None,
    status: str = InitiativeStatus.ACCEPTED,
) -> Initiative:
    initiative = Initiative.objects.create(
        campaign=campaign, unit=unit, title=title, status=status, created_by=created_by
    )
    Authorship.objects.create(
        initiative=initiative,
        position=1,
        user=author,
        full_name=author.full_name if author else "Trần Văn Tác Giả",
        share=Decimal(100),
        is_lead=True,
    )
    return initiative


def make_board(org: Org, people: People, *, rubric: Rubric | None = None) -> Board:
    if rubric is None:
        rubric = ensure_demo_rubrics(people.admin)[0]
    campaign = make_campaign(org, people, rubric)
    council = council_save(
        campaign=campaign,
        actor=people.reform_officer,
        data={"name": "Hội đồng sáng kiến tỉnh Tây Ninh", "established_by": "Quyết định số 12/QĐ-UBND",
              "scoring_deadline": datetime.date(2024, 8, 30), "reminder_working_days": 2},
    )  # fmt: skip
    chair = person("chutich.hd", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Lâm Chủ Tịch")
    secretary = people.council_member
    member = person("thanhvien.hd", org.office, Role.COUNCIL_MEMBER, full_name="Đỗ Thành Viên")
    colleague = person("khcn.hd", org.science, Role.COUNCIL_MEMBER, full_name="Mai Đồng Nghiệp")
    seats = [
        council_member_add(council=council, actor=people.reform_officer, user=user, role=role)
        for user, role in (
            (chair, CouncilRole.CHAIR),
            (secretary, CouncilRole.SECRETARY),
            (member, CouncilRole.MEMBER),
            (colleague, CouncilRole.MEMBER),
        )
    ]
    return Board(campaign, council, rubric, chair, secretary, member, colleague, *seats)


def random_points(rubric: Rubric, rng: random.Random) -> dict[int, Decimal]:
    """Points per criterion in 0..max with at most two decimals."""
    return {
        c.pk: Decimal(rng.randint(0, int(c.max_points * 100))) / 100
        for c in rubric.criteria.order_by("position")
    }


def fill_sheets(council: Council, rubric: Rubric, rng: random.Random, *, submitted: bool = True) -> None:
    """Score every non-excluded assignment of the council directly in the database (fast
    enough for hundreds of sheets; the scoring service has its own tests)."""

    scores = []
    assignments = list(ReviewAssignment.objects.filter(member__council=council, excluded=False))
    for assignment in assignments:
        points = random_points(rubric, rng)
        scores += [ReviewScore(assignment=assignment, criterion_id=c, points=p) for c, p in points.items()]
        assignment.total = sum(points.values(), Decimal(0))
        assignment.submitted_at = clock.now() if submitted else None
    ReviewScore.objects.bulk_create(scores)
    ReviewAssignment.objects.bulk_update(assignments, ["total", "submitted_at"])


# --- Recognition ----------------------------------------------------------------------------------
# Builders for the recognition tests: an issued campaign, dossiers written straight to the
# database in the state the council leaves them, and the council's outcome (``Recognition``),
# so these tests do not depend on how dossiers and votes are entered.


PLAN_DAY = datetime.date(2024, 5, 10)


DECISION_DAY = datetime.date(2024, 9, 16)


RECOGNITION_SEED_TITLE = "Chỉ thị về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"


SEED_AUTHORS: tuple[tuple[str, str, datetime.date], ...] = (
    ("Lê Tuấn Phú", "30", datetime.date(1967, 1, 28)),
    ("Nguyễn Phương Thảo", "30", datetime.date(1982, 7, 3)),
    ("Đông Thị Huệ", "40", datetime.date(1989, 6, 30)),
)


def issued_campaign(org: Org, people: People) -> Campaign:
    """Seed 002's campaign of the Châu Thành district, issued (01/KH-UBND)."""
    return load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.district,
        receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune, org.science],
        signer_name="Nguyễn Văn Thành",
        issued_on=PLAN_DAY,
    )


def council_for(campaign: Campaign, *, minutes_day: datetime.date | None = None) -> Council:
    return Council.objects.create(
        campaign=campaign, name="Hội đồng sáng kiến huyện Châu Thành", meeting_on=minutes_day
    )


def dossier(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str = RECOGNITION_SEED_TITLE,
    authors: Sequence[tuple[str, str, datetime.date | None]] = SEED_AUTHORS,
    author_user: User | None = None,
    created_by: User | None = None,
    status: str = InitiativeStatus.IN_REVIEW,
    essence: str = "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc.",
) -> Initiative:
    """A dossier past the council's scoring; ``author_user`` holds the account of the last
    (lead) author."""
    initiative = Initiative.objects.create(
        campaign=campaign,
        unit=unit,
        title=title,
        status=status,
        essence=essence,
        first_applied_on=datetime.date(2024, 2, 29),
        created_by=created_by,
    )
    Authorship.objects.bulk_create(
        Authorship(
            initiative=initiative,
            position=position,
            full_name=name,
            date_of_birth=born,
            workplace="Văn phòng UBND tỉnh",
            job_title="Chuyên viên",
            qualification="Thạc sỹ",
            share=Decimal(share),
            contribution="Đóng góp vào nội dung của Sáng kiến",
            is_lead=position == len(authors),
            user=author_user if position == len(authors) else None,
        )
        for position, (name, share, born) in enumerate(authors, start=1)
    )
    return initiative


def outcome(
    initiative: Initiative,
    *,
    recognised: bool,
    level: str = RecognitionLevel.GRASSROOTS,
    reasons: str = "",
    members_present: int = 5,
    votes_for: int | None = None,
    mean_score: str = "71.50",
    decided_by: User | None = None,
) -> Recognition:
    """The council's vote as ``services.review.recognition_record`` leaves it."""
    if votes_for is None:
        votes_for = members_present if recognised else 1
    recognition = Recognition.objects.create(
        initiative=initiative,
        members_present=members_present,
        votes_for=votes_for,
        votes_against=members_present - votes_for,
        mean_score=Decimal(mean_score),
        recognised=recognised,
        level=level if recognised else "",
        reasons="" if recognised else reasons,
        decided_by=decided_by,
    )
    Initiative.objects.filter(pk=initiative.pk).update(
        status=InitiativeStatus.RECOGNISED if recognised else InitiativeStatus.NOT_RECOGNISED
    )
    initiative.refresh_from_db()
    return recognition


# --- Imported files -------------------------------------------------------------------------------
# Files for the import tests: the seed documents 000 (effectiveness report) and 001
# (description) as .txt — copies of ../shared/seeds, checked equal when that folder is present —
# and the same documents rebuilt as .docx the way Word holds them: paragraphs with bold and
# italic runs instead of Markdown stars, the authors table as a real table with merged header
# cells, optionally the signatures side by side in a two-column table.


FIXTURES = Path(__file__).resolve().parent / "import_fixtures"


SHARED_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


SEED_000 = "seed_000_effectiveness_report.txt"


SEED_001 = "seed_001_description.txt"


SHARED_NAMES = {SEED_000: "000_0f70f0c41037c782.txt", SEED_001: "001_f51286a28348d762.txt"}


SIGNATURE_LINES = ("Xác nhận của cơ quan, đơn vị", "(Chữ ký, dấu)", "Phạm Văn Đà", "Đại diện nhóm tác giả")


def seed_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def seed_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _add_markdown_paragraph(document: DocxDocument, line: str) -> None:
    """ "**bold**", "*italic*" and "***…**" become runs with those properties."""
    paragraph = document.add_paragraph()
    bold = italic = False
    for token in re.split(r"(\*\*|\*)", line):
        if token == "**":
            bold = not bold
        elif token == "*":
            italic = not italic
        elif token:
            run = paragraph.add_run(token)
            run.bold = bold
            run.italic = italic


def _add_authors_table(document: DocxDocument, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c in range(width):
            table.cell(r, c).text = row[c] if c < len(row) else ""
    # The two header rows of the form: "Tỷ lệ (%) và nội dung đóng góp" spans the last two
    # columns; the other headings span both rows.
    first, second = rows[0], rows[1] if len(rows) > 1 else []
    for c in range(width - 1):
        if first[c] if c < len(first) else "":
            next_empty = c + 1 >= len(first) or not first[c + 1]
            if next_empty and c + 1 < len(second) and second[c + 1]:
                table.cell(0, c).merge(table.cell(0, c + 1))
            elif c < len(second) and not second[c]:
                merged = table.cell(0, c).merge(table.cell(1, c))
                merged.text = first[c]


def docx_from_text(text: str, *, signatures_in_table: bool = False) -> bytes:
    """The document as Word would hold it. With ``signatures_in_table`` the closing
    signatures sit side by side in a two-column table, as most offices lay them out."""
    document = docx.Document()
    lines = text.split("\n")
    if signatures_in_table:
        start = lines.index(SIGNATURE_LINES[0])
        tail = [line for line in lines[start:] if line.strip()]
        lines = lines[:start]
    index = 0
    while index < len(lines):
        if "\t" in lines[index]:
            rows = []
            while index < len(lines) and "\t" in lines[index]:
                rows.append(lines[index].split("\t"))
                index += 1
            _add_authors_table(document, rows)
            continue
        if lines[index].strip():
            _add_markdown_paragraph(document, lines[index])
        index += 1
    if signatures_in_table:
        split = tail.index(SIGNATURE_LINES[3])
        table = document.add_table(rows=1, cols=2)
        for cell, part in zip(table.rows[0].cells, (tail[:split], tail[split:]), strict=True):
            cell.text = "\n".join(part)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_EXPLICIT_NUMBER = re.compile(r"^(\d+(?:\.\d+)*\.)\s+")


def docx_with_word_numbering(text: str) -> bytes:
    """The document with its "1." … "7.3." drawn by Word's list numbering instead of typed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(docx_from_text(text)))
    for paragraph in document.paragraphs:
        match = _EXPLICIT_NUMBER.match(paragraph.text)
        if not match:
            continue
        for run in paragraph.runs:
            if run.text.startswith(match.group(0)):
                run.text = run.text[len(match.group(0)) :]
                break
        else:
            continue
        level = OxmlElement("w:ilvl")
        level.set(qn("w:val"), str(match.group(1).count(".") - 1))
        number = OxmlElement("w:numId")
        number.set(qn("w:val"), "1")
        numbering = OxmlElement("w:numPr")
        numbering.append(level)
        numbering.append(number)
        paragraph._p.get_or_add_pPr().append(numbering)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
