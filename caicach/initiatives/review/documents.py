"""What the council prints: the scoring sheet (Phiếu chấm điểm sáng kiến) of a member for a
dossier, filled in or blank for paper scoring, and the minutes of the council's meeting
(Biên bản họp Hội đồng sáng kiến), numbered "BB" from the campaign issuing unit's register."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone

from caicach.core import clock
from caicach.core.models import DocumentType, User
from caicach.core.numbering import document_symbol
from caicach.core.permissions import get_for_user
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    IssuingBody,
    Run,
    Signature,
    Table,
    bullet,
    committee_short,
    issuing_body_for,
    para,
    short_date,
)
from caicach.core.text import nfc
from caicach.initiatives.models import (
    Council,
    CouncilMember,
    CouncilRole,
    Criterion,
    Initiative,
    RecognitionLevel,
    Rubric,
)
from caicach.initiatives.review.queries import (
    DossierAggregate,
    council_dossiers,
    council_members,
    councils_with_relations,
    dossier_aggregates,
    review_sheet,
    rubric_with_criteria,
    sheet_scores,
)

BLANK = "." * 60
SHORT_BLANK = "." * 12


def points(value: Decimal | None) -> str:
    """ "30", "27,5": Vietnamese writes the decimal comma."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _council_body(council: Council) -> IssuingBody:
    """The council speaks under the body that set it up: "UBND HUYỆN CHÂU THÀNH" / "HỘI ĐỒNG
    SÁNG KIẾN"."""
    issuer = council.campaign.issuing_unit
    return IssuingBody(name="HỘI ĐỒNG SÁNG KIẾN", superior=nfc(committee_short(issuer.name)).upper())


def council_basis(council: Council) -> str:
    """The decision setting up the council, with what it decided: "Quyết định số 12/QĐ-UBND
    ngày … của UBND tỉnh về việc thành lập Hội đồng sáng kiến …" (a reader of the minutes
    sees which decision it is without fetching it)."""
    text = " ".join(nfc(council.established_by).split()).rstrip(".;, ")
    if "về việc" in text.lower() or " về " in text.lower():
        return text
    return f"{text} về việc thành lập {council.name}"


def _authors(initiative: Initiative) -> str:
    return ", ".join(a.full_name for a in initiative.authorships.all())


def _criterion_text(criterion: Criterion) -> str:
    lines = [criterion.name]
    lines += [
        f"- {points(b.min_points)}–{points(b.max_points)} điểm: {b.description}"
        for b in criterion.bands.all()
    ]
    return "\n".join(lines)


def scoring_sheet_spec(
    *,
    council: Council,
    initiative: Initiative,
    rubric: Rubric,
    member: CouncilMember | None = None,
    scores: dict[int, Decimal] | None = None,
    comment: str = "",
    signed_on: datetime.date | None = None,
) -> DocumentSpec:
    """A member's sheet for a dossier; without ``member`` and ``scores``, the blank sheet to
    print for scoring on paper. Expects the rubric's criteria and bands and the dossier's
    authors loaded."""
    criteria = list(rubric.criteria.all())
    filled = scores is not None
    given = scores or {}
    cap = sum((c.max_points for c in criteria), Decimal(0))
    rows = [
        (str(n), _criterion_text(c), points(c.max_points), points(given.get(c.pk)) if filled else "")
        for n, c in enumerate(criteria, start=1)
    ]
    total = sum(given.values(), Decimal(0)) if filled and given else None
    rows.append(("", "Tổng cộng", points(cap), points(total)))
    name = member.user.full_name or member.user.username if member is not None else ""
    body: list[Block] = [
        para("Họ và tên thành viên Hội đồng: ", Run(name, bold=True) if name else BLANK, indent=False),
        para(
            "Chức danh trong Hội đồng: ",
            str(CouncilRole(member.role).label) if member is not None else BLANK,
            indent=False,
        ),
        para("Tên sáng kiến: ", Run(initiative.title, bold=True), indent=False),
        para("Tác giả: ", _authors(initiative) or BLANK, indent=False),
        para("Đơn vị đề xuất: ", initiative.unit.name, indent=False),
        para(
            f"Bộ tiêu chí: {rubric.name}. Điểm đạt: {points(rubric.pass_mark)}/{points(cap)} điểm.",
            indent=False,
        ),
        Table(
            header=("STT", "Tiêu chí và mức điểm", "Điểm tối đa", "Điểm chấm"),
            rows=tuple(rows),
            widths_mm=(12, 113, 20, 20),
        ),
        para("Nhận xét, đánh giá:", indent=False),
    ]
    if filled and comment.strip():
        body += [para(line) for line in comment.splitlines() if line.strip()]
    else:
        body += [para(BLANK + BLANK[:25], indent=False) for _ in range(3)]
    campaign = council.campaign
    return DocumentSpec(
        issuing_body=_council_body(council),
        title="Phiếu chấm điểm sáng kiến",
        subtitle=council.name,
        place=campaign.place,
        issued_on=signed_on,
        year=(signed_on or campaign.window_start).year,
        numbered=False,
        with_recipients=False,
        body=tuple(body),
        # The member signs as the one who scored (Decree 13/2012 councils: each member's own sheet).
        signature=Signature(title="Người chấm điểm", name=name, note="(Ký và ghi rõ họ tên)"),
        filename_hint=f"phieu cham {initiative.title}",
    )


LEVEL_TEXT = {
    RecognitionLevel.GRASSROOTS: "Cấp cơ sở",
    RecognitionLevel.PROVINCIAL: "Cấp tỉnh",
    RecognitionLevel.NATIONAL: "Toàn quốc",
}


def _outcome(aggregate: DossierAggregate) -> tuple[str, str]:
    recognition = aggregate.recognition
    if recognition is None:
        return "", "Chưa biểu quyết"
    votes = f"{recognition.votes_for}/{recognition.members_present}"
    if recognition.recognised:
        return votes, f"Công nhận ({LEVEL_TEXT.get(RecognitionLevel(recognition.level), '')})"
    return votes, "Không công nhận"


def minutes_spec(
    *, council: Council, members: Sequence[CouncilMember], aggregates: Sequence[DossierAggregate]
) -> DocumentSpec:
    """The minutes of the meeting: when and where, who sat, how the council scored and voted
    on each dossier (in ranking order), and the outcome. Expects the campaign's issuing unit
    (with its parent), its rubric and the minutes' register row loaded."""
    campaign = council.campaign
    rubric = campaign.rubric
    issuer = campaign.issuing_unit
    day = council.meeting_on
    body: list[Block] = []
    if council.established_by:
        body.append(para(f"Căn cứ {council_basis(council)};"))
    when = f"ngày {short_date(day)}" if day else f"ngày {SHORT_BLANK}"
    subject = f"{campaign.title[:1].lower()}{campaign.title[1:]}"
    place = council.meeting_place or BLANK
    body.append(
        para(f"Hôm nay, {when}, tại {place}, {council.name} họp xét công nhận sáng kiến của {subject}.")
    )
    body.append(Heading("I. THÀNH PHẦN THAM DỰ"))
    for member in members:
        body.append(
            bullet(f"{member.user.full_name or member.user.username}, {CouncilRole(member.role).label};")
        )
    body.append(Heading("II. NỘI DUNG"))
    if rubric is not None:
        cap = sum((c.max_points for c in rubric.criteria.all()), Decimal(0))
        body.append(
            para(
                f"Hội đồng đã xem xét {len(aggregates)} hồ sơ sáng kiến, chấm điểm theo {rubric.name} "
                f"(thang điểm {points(cap)}, điểm đạt {points(rubric.pass_mark)}) và biểu quyết; "
                "sáng kiến được đề nghị công nhận khi có ít nhất "
                f"{rubric.vote_numerator}/{rubric.vote_denominator} số thành viên dự họp tán thành và "
                "điểm trung bình đạt điểm đạt. Thành viên là tác giả hoặc cùng đơn vị với tác giả "
                "không chấm điểm, không biểu quyết hồ sơ đó."
            )
        )
    rows = []
    for n, aggregate in enumerate(aggregates, start=1):
        initiative = aggregate.initiative
        votes, outcome = _outcome(aggregate)
        rows.append(
            (
                str(n),
                initiative.title,
                f"{_authors(initiative)} ({initiative.unit.name})",
                points(aggregate.mean),
                votes,
                outcome,
            )
        )
    body.append(
        Table(
            header=("STT", "Tên sáng kiến", "Tác giả (đơn vị)", "Điểm TB", "Tán thành/ dự họp", "Kết quả"),
            rows=tuple(rows),
            widths_mm=(11, 52, 40, 17, 20, 25),
        )
    )
    recognised = sum(1 for a in aggregates if a.recognition is not None and a.recognition.recognised)
    refused = sum(1 for a in aggregates if a.recognition is not None and not a.recognition.recognised)
    body.append(Heading("III. KẾT LUẬN"))
    body.append(
        para(
            f"Hội đồng thống nhất đề nghị công nhận {recognised} sáng kiến và không công nhận "
            f"{refused} sáng kiến theo kết quả nêu trên."
        )
    )
    for aggregate in aggregates:
        recognition = aggregate.recognition
        if recognition is not None and not recognition.recognised and recognition.reasons:
            body.append(bullet(f"“{aggregate.initiative.title}”: {recognition.reasons.rstrip('.')}."))
    secretary = next((m for m in members if m.role == CouncilRole.SECRETARY), None)
    chair = next((m for m in members if m.role == CouncilRole.CHAIR), None)
    closing = "Biên bản được thông qua tại cuộc họp, các thành viên dự họp thống nhất nội dung./."
    body.append(para(closing))
    registered = council.minutes
    issued_on = registered.issued_on if registered is not None else None
    return DocumentSpec(
        issuing_body=issuing_body_for(issuer),
        title="Biên bản",
        subtitle=f"Họp {council.name[:1].lower()}{council.name[1:]}",
        place=campaign.place,
        issued_on=issued_on,
        year=(day or campaign.window_start or clock.today()).year,
        document_type=DocumentType.MINUTES.value,
        symbol=registered.symbol if registered else document_symbol(issuer, DocumentType.MINUTES.value),
        number=registered.number if registered else None,
        body=tuple(body),
        # Minutes are signed by who chaired and who wrote them, side by side.
        signature=Signature(
            title="Chủ tịch Hội đồng", name=chair.user.full_name if chair is not None else ""
        ),
        left_signature=Signature(
            title="Thư ký Hội đồng", name=secretary.user.full_name if secretary is not None else ""
        ),
        recipients=(
            "Thành viên Hội đồng;",
            f"{committee_short(campaign.receiving_unit.name)};",
            "Lưu: VT, HĐSK.",
        ),
        filename_hint=f"bien ban {council.name}",
    )


# --- The documents a user may have --------------------------------------------------------------
# Shared by the download views and the PDF job (which checks again when it runs). Each raises
# Http404 for anything the user may not see.


def _council_for(user: User, council_id: Any, action: str) -> Council:
    return get_for_user(user, councils_with_relations(), council_id, action)


def minutes_for(user: User, council_id: Any) -> DocumentSpec:
    council = _council_for(user, council_id, "minutes")
    return minutes_spec(
        council=council, members=council_members(council), aggregates=dossier_aggregates(council)
    )


def sheet_for(user: User, assignment_id: Any) -> DocumentSpec:
    """A member's filled sheet: their own at any time, others' once the round is closed."""
    try:
        pk = int(assignment_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    assignment = get_for_user(user, review_sheet(pk), pk, "view")
    council = assignment.member.council
    rubric = rubric_with_criteria(council.campaign.rubric_id)
    if rubric is None or assignment.excluded:
        raise Http404
    initiative = (
        Initiative.objects.prefetch_related("authorships")
        .select_related("unit")
        .get(pk=assignment.initiative_id)
    )
    signed = timezone.localtime(assignment.submitted_at).date() if assignment.submitted_at else None
    return scoring_sheet_spec(
        council=council, initiative=initiative, rubric=rubric, member=assignment.member,
        scores=sheet_scores(assignment), comment=assignment.comment, signed_on=signed,
    )  # fmt: skip


def blank_sheet_for(user: User, council_id: Any, initiative_id: Any) -> DocumentSpec:
    """The blank sheet of a dossier given to the council, for its members and managers."""
    council = _council_for(user, council_id, "view")
    rubric = rubric_with_criteria(council.campaign.rubric_id)
    try:
        initiative = council_dossiers(council).get(pk=initiative_id)
    except (Initiative.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if rubric is None:
        raise Http404
    return scoring_sheet_spec(council=council, initiative=initiative, rubric=rubric)
