"""What a dossier prints: the application (Circular 18/2013/TT-BKHCN, annex I), the
description (thuyết minh, seed 001) or the experience-initiative report (seed 003), and the
receipt (giấy biên nhận) the receiving body issues on acceptance.

The application and the description are forms an author signs, not administrative
documents: they carry no number and no recipients list. The receipt is numbered in the
receiving unit's register ("Số: 05/GBN-PNV")."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import re
from collections.abc import Sequence
from typing import Literal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from caicach.core import clock, rendering
from caicach.core.document_numbers import padded_number
from caicach.core.models import DocumentType
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Inline,
    Run,
    Signature,
    Table,
    bullet,
    committee_short,
    issuing_body_for,
    para,
    short_date,
)
from caicach.core.text import fold
from caicach.initiatives.models import Authorship, Initiative, InitiativeAttachment, InitiativeKind

DocumentKind = Literal["application", "description", "receipt"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("application", "description", "receipt")

APPLICATION_TITLE = "Đơn yêu cầu công nhận sáng kiến"
# Seed 001 breaks its title over two lines: "THUYẾT MINH MÔ TẢ GIẢI PHÁP / VÀ KẾT QUẢ …".
DESCRIPTION_TITLE = "Thuyết minh mô tả giải pháp"
DESCRIPTION_SUBTITLE = "VÀ KẾT QUẢ THỰC HIỆN SÁNG KIẾN"
EXPERIENCE_TITLE = "Sáng kiến kinh nghiệm"
RECEIPT_TITLE = "Giấy biên nhận"
COMMITMENT_APPLICATION = (
    "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và hoàn toàn "
    "chịu trách nhiệm trước pháp luật."
)
COMMITMENT_DESCRIPTION = (
    "Chúng tôi cam đoan những điều khai trên đây là đúng sự thật và không sao chép hoặc vi phạm bản quyền."
)
AUTHOR_HEADER = (
    "Số TT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Nơi công tác (hoặc nơi thường trú)",
    "Chức danh",
    "Trình độ chuyên môn",
    "Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến",
    "Nội dung đóng góp",
)
# 165 mm of text width (Decree 30 margins) over eight columns, each wide enough for the
# longest word of its header in 13 pt bold ("Số TT", "chuyên môn", "công tác"), so no
# header word breaks mid-word; a date of birth fits on one line.
AUTHOR_WIDTHS_MM = (12.0, 25.0, 26.0, 22.0, 19.0, 21.0, 18.0, 22.0)
# Circular 18/2013, annex I: the people who took part in the first application, as a table.
PARTICIPANT_HEADER = (
    "Số TT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Nơi công tác (hoặc nơi thường trú)",
    "Chức danh",
    "Trình độ chuyên môn",
    "Nội dung công việc hỗ trợ",
)
PARTICIPANT_WIDTHS_MM = (12.0, 28.0, 26.0, 26.0, 20.0, 21.0, 32.0)
_FIELD_SEPARATORS = re.compile(r"\s*[;\t|]\s*")

# The experience-initiative report of seed 003: part, then its numbered sections.
EXPERIENCE_PARTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "PHẦN MỞ ĐẦU",
        (
            ("context", "Bối cảnh của vấn đề nghiên cứu"),
            ("reasons", "Lý do chọn đề tài"),
            ("study_scope", "Phạm vi và đối tượng nghiên cứu"),
            ("study_purpose", "Mục đích nghiên cứu"),
            ("novelty", "Điểm mới trong kết quả nghiên cứu"),
        ),
    ),
    (
        "PHẦN NỘI DUNG",
        (
            ("current_situation", "Thực trạng của vấn đề"),
            ("measures", "Các biện pháp đã tiến hành để giải quyết vấn đề"),
            ("effectiveness", "Hiệu quả của sáng kiến kinh nghiệm"),
        ),
    ),
    (
        "PHẦN KẾT LUẬN",
        (
            ("lessons", "Những bài học kinh nghiệm"),
            ("significance", "Ý nghĩa của sáng kiến kinh nghiệm"),
            ("applicability", "Khả năng ứng dụng, triển khai"),
            ("recommendations", "Những kiến nghị, đề xuất"),
        ),
    ),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI")
_BULLETS = ("- ", "– ", "• ", "+ ")


CURRENT_ATTACHMENTS = InitiativeAttachment.objects.filter(removed_at__isnull=True).order_by(
    "uploaded_at", "pk"
)


def dossiers_for_documents() -> QuerySet[Initiative]:
    """Dossiers with everything the documents read, in a fixed number of queries."""
    return Initiative.objects.select_related(
        "unit__parent",
        "campaign__issuing_unit",
        "campaign__receiving_unit",
        "campaign__registered_document",
        "receipt__unit__parent",
        "receipt__created_by",
        "confirmed_by",
        "created_by",
    ).prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.order_by("position")),
        Prefetch(
            "attachments",
            queryset=InitiativeAttachment.objects.filter(removed_at__isnull=True).order_by(
                "uploaded_at", "pk"
            ),
            to_attr="current_attachments",
        ),
    )


# --- Pieces -------------------------------------------------------------------------------------


def percent(value: decimal.Decimal) -> str:
    """30.00 -> "30%", 33.5 -> "33,5%": a Vietnamese reader's percentage."""
    text = format(value.normalize(), "f")
    return f"{text.replace('.', ',')}%"


def text_blocks(text: str) -> list[Block]:
    """An author's text as paragraphs: one per line, a line starting with a dash a list item
    (the renderer draws the dash)."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(_BULLETS):
            blocks.append(bullet(line[2:].strip()))
        else:
            blocks.append(para(line))
    return blocks


def _authors(initiative: Initiative) -> list[Authorship]:
    return list(initiative.authorships.all())


def _lead(authors: Sequence[Authorship]) -> Authorship | None:
    return next((a for a in authors if a.is_lead), authors[0] if authors else None)


def authors_table(authors: Sequence[Authorship]) -> Table:
    rows = tuple(
        (
            str(index),
            a.full_name,
            short_date(a.date_of_birth) if a.date_of_birth else "",
            a.workplace,
            a.job_title,
            a.qualification,
            percent(a.share),
            a.contribution,
        )
        for index, a in enumerate(authors, start=1)
    )
    return Table(header=AUTHOR_HEADER, rows=rows, widths_mm=AUTHOR_WIDTHS_MM)


def participants_table(text: str) -> Table | None:
    """The participants typed one person a line, fields separated by ";" (name; date of
    birth; workplace; title; qualification; work done), as the template's table; None when
    there are none."""
    rows: list[tuple[str, ...]] = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-–•+").strip()
        if not line or fold(line) in ("khong", "khong co"):
            continue
        fields = [f.strip() for f in _FIELD_SEPARATORS.split(line)][: len(PARTICIPANT_HEADER) - 1]
        fields += [""] * (len(PARTICIPANT_HEADER) - 1 - len(fields))
        rows.append((str(len(rows) + 1), *fields))
    if not rows:
        return None
    return Table(header=PARTICIPANT_HEADER, rows=tuple(rows), widths_mm=PARTICIPANT_WIDTHS_MM)


def _labelled(label: str, value: str, *, empty: str = "") -> list[Block]:
    """ "- Label: value" when the value is one short line; otherwise the label, then the text
    as paragraphs."""
    value = value.strip()
    if not value:
        return [bullet(f"{label}: {empty}".rstrip())]
    if "\n" not in value and len(value) <= 200:
        return [bullet(f"{label}: ", value)]
    return [bullet(f"{label}:"), *text_blocks(value)]


def _place(initiative: Initiative) -> str:
    unit = initiative.unit
    if unit.place_name:
        return unit.place_name
    parent = unit.parent
    return parent.place_name if parent is not None and parent.place_name else ""


def _submitted_on(initiative: Initiative) -> datetime.date | None:
    return timezone.localdate(initiative.submitted_at) if initiative.submitted_at else None


def _year(initiative: Initiative) -> int:
    moment = initiative.submitted_at or initiative.created_at or clock.now()
    return timezone.localdate(moment).year


# --- The application (đơn yêu cầu công nhận sáng kiến) ---------------------------------------------


def application_spec(initiative: Initiative) -> DocumentSpec:
    """Circular 18/2013/TT-BKHCN, annex I, every field in its order. Expects the dossier
    from ``dossiers_for_documents()``."""
    authors = _authors(initiative)
    lead = _lead(authors)
    addressee = initiative.addressee or (
        initiative.campaign.receiving_unit.name if initiative.campaign is not None else ""
    )
    body: list[Block] = [
        para(Run("Kính gửi: ", bold=True), addressee, align="center", indent=False),
        para("Tôi (chúng tôi) ghi tên dưới đây:"),
        authors_table(authors),
        para(
            "Là tác giả (nhóm tác giả) đề nghị xét công nhận sáng kiến: ",
            Run(initiative.title, bold=True),
        ),
    ]
    body += _labelled(
        "Chủ đầu tư tạo ra sáng kiến (trường hợp tác giả không đồng thời là chủ đầu tư tạo ra sáng kiến)",
        initiative.investor,
        empty="Không",
    )
    body += _labelled("Lĩnh vực áp dụng sáng kiến", initiative.application_field)
    applied = short_date(initiative.first_applied_on) if initiative.first_applied_on else ""
    body += _labelled("Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử (ghi ngày nào sớm hơn)", applied)
    body += _labelled("Mô tả bản chất của sáng kiến", initiative.essence)
    body += _labelled(
        "Những thông tin cần được bảo mật (nếu có)", initiative.confidential_info, empty="Không"
    )
    body += _labelled("Những điều kiện cần thiết để áp dụng sáng kiến", initiative.application_conditions)
    body += _labelled(
        "Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của tác giả",
        initiative.author_assessed_benefits,
    )
    body += _labelled(
        "Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của tổ "
        "chức, cá nhân đã tham gia áp dụng sáng kiến lần đầu, kể cả áp dụng thử (nếu có)",
        initiative.trial_assessed_benefits,
        empty="Không",
    )
    participants_label = (
        "Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến lần đầu (nếu có)"
    )
    participants = participants_table(initiative.first_application_participants)
    if participants is None:
        body += _labelled(participants_label, "", empty="Không")
    else:
        body += [bullet(f"{participants_label}:"), participants]
    body.append(para(COMMITMENT_APPLICATION))
    return DocumentSpec(
        issuing_body=issuing_body_for(initiative.unit),
        title=APPLICATION_TITLE,
        place=_place(initiative),
        issued_on=_submitted_on(initiative),
        year=_year(initiative),
        body=tuple(body),
        signature=Signature(
            title="Người nộp đơn",
            name=lead.full_name if lead else "",
            note="(Ký và ghi rõ họ tên)",
            capitals=False,
        ),
        numbered=False,
        with_recipients=False,
        # Circular 18/2013, annex I: the applicant files in their own name, under the motto.
        agency_header=False,
        filename_hint="don yeu cau cong nhan",
    )


# --- The description (thuyết minh) or the experience-initiative report --------------------------


def _confirmation_note(initiative: Initiative) -> list[Block]:
    """What the unit head wrote when confirming, with the day, above the signatures."""
    if initiative.confirmed_at is None or not initiative.confirmation_note.strip():
        return []
    when = short_date(timezone.localdate(initiative.confirmed_at))
    return [
        para(Run(f"Ý kiến xác nhận của cơ quan, đơn vị (ngày {when}):", bold=True), indent=False),
        *text_blocks(initiative.confirmation_note),
    ]


def _confirmation(initiative: Initiative) -> Signature:
    """ "Xác nhận của cơ quan, đơn vị / (Chữ ký, dấu)" over the name of who confirmed (seed
    001); room for the signature and seal, and no name, before it is confirmed."""
    who = initiative.confirmed_by if initiative.confirmed_at is not None else None
    name = (who.full_name or who.get_username()) if who is not None else ""
    return Signature(title="Xác nhận của cơ quan, đơn vị", note="(Chữ ký, dấu)", name=name, capitals=False)


def authors_signature(authors: Sequence[Authorship]) -> Signature:
    """A single author signs "Tác giả"; a group through its representative (seed 001)."""
    lead = _lead(authors)
    title = "Tác giả" if len(authors) <= 1 else "Đại diện nhóm tác giả"
    return Signature(title=title, name=lead.full_name if lead else "", capitals=False)


def _solution_body(initiative: Initiative) -> list[Block]:
    applied = short_date(initiative.first_applied_on) if initiative.first_applied_on else ""
    body: list[Block] = [
        para(Run("1. Tên sáng kiến: ", bold=True), initiative.title),
        para(Run("2. Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử: ", bold=True), applied),
        para(
            Run("3. Các thông tin cần bảo mật (nếu có): ", bold=True),
            initiative.confidential_info.strip() or "Không",
        ),
    ]
    for heading, text in (
        ("4. Mô tả các giải pháp cũ thường làm:", initiative.previous_solution),
        ("5. Sự cần thiết phải áp dụng giải pháp sáng kiến:", initiative.necessity),
        ("6. Mục đích của giải pháp sáng kiến:", initiative.purpose),
    ):
        body.append(Heading(heading, level=2))
        body += text_blocks(text)
    body.append(Heading("7. Nội dung:", level=2))
    body.append(Heading("7.1. Thuyết minh giải pháp mới hoặc cải tiến:", level=2))
    body += text_blocks(initiative.solution_steps)
    if initiative.results.strip():
        body.append(Heading("* Kết quả của sáng kiến:", level=2))
        body += text_blocks(initiative.results)
    body.append(Heading("7.2. Thuyết minh về phạm vi áp dụng sáng kiến:", level=2))
    body += text_blocks(initiative.application_scope)
    body.append(Heading("7.3. Thuyết minh về lợi ích kinh tế, xã hội của sáng kiến:", level=2))
    body += text_blocks(initiative.benefits)
    return body


def _experience_body(initiative: Initiative, authors: Sequence[Authorship]) -> list[Block]:
    names = ", ".join(a.full_name for a in authors)
    body: list[Block] = [
        para(Run("Tác giả: ", bold=True), names, align="center", indent=False),
        para(Run("Đơn vị: ", bold=True), initiative.unit.name, align="center", indent=False),
    ]
    if initiative.first_applied_on:
        body.append(
            para(
                Run("Ngày áp dụng lần đầu: ", bold=True),
                short_date(initiative.first_applied_on),
                align="center",
                indent=False,
            )
        )
    for part, sections in EXPERIENCE_PARTS:
        body.append(para(Run(part, bold=True), align="center", indent=False))
        number = 0
        for name, label in sections:
            text = getattr(initiative, name)
            if not text.strip():
                continue
            body.append(Heading(f"{ROMAN[number]}. {label}:", level=2))
            body += text_blocks(text)
            number += 1
    return body


def description_spec(initiative: Initiative) -> DocumentSpec:
    """Seed 001's description for a solution; seed 003's introduction / content / conclusion
    for an experience initiative. Both end with the commitment, the unit's confirmation and
    the authors' representative."""
    authors = _authors(initiative)
    experience = initiative.kind == InitiativeKind.EXPERIENCE
    body = _experience_body(initiative, authors) if experience else _solution_body(initiative)
    body.append(para(Run("* Cam kết: ", bold=True), COMMITMENT_DESCRIPTION))
    body += _confirmation_note(initiative)
    return DocumentSpec(
        issuing_body=issuing_body_for(initiative.unit),
        title=EXPERIENCE_TITLE if experience else DESCRIPTION_TITLE,
        subtitle=initiative.title if experience else DESCRIPTION_SUBTITLE,
        place=_place(initiative),
        issued_on=_submitted_on(initiative),
        year=_year(initiative),
        body=tuple(body),
        signature=authors_signature(authors),
        left_signature=_confirmation(initiative),
        numbered=False,
        with_recipients=False,
        agency_header=False,  # seed 001: the national motto alone
        filename_hint="sang kien kinh nghiem" if experience else "thuyet minh sang kien",
    )


# --- The receipt (giấy biên nhận) -------------------------------------------------------------------


def receipt_spec(initiative: Initiative) -> DocumentSpec:
    """The receipt of an accepted dossier: what was received, from whom, when, and when the
    result is due. Raises ValueError for a dossier not yet accepted."""
    receipt = initiative.receipt
    if receipt is None or initiative.accepted_on is None or initiative.result_due_on is None:
        raise ValueError("The dossier has not been accepted: it has no receipt.")
    receiver = receipt.unit
    authors = _authors(initiative)
    experience = initiative.kind == InitiativeKind.EXPERIENCE
    attachments: list[InitiativeAttachment] = getattr(
        initiative, "current_attachments", list(initiative.attachments.filter(removed_at__isnull=True))
    )
    body: list[Block] = [
        para(f"{receiver.name} đã tiếp nhận hồ sơ đề nghị công nhận sáng kiến sau đây:"),
        bullet("Tên sáng kiến: ", Run(initiative.title, bold=True), "."),
        bullet(
            "Tác giả (nhóm tác giả): ",
            "; ".join(f"{a.full_name} ({percent(a.share)})" for a in authors) + ".",
        ),
        bullet(f"Đơn vị đề xuất: {initiative.unit.name}."),
    ]
    campaign = initiative.campaign
    if campaign is not None:
        plan = campaign.registered_document
        where: list[Inline] = [f"Thuộc đợt phát động: {campaign.title}"]
        if plan is not None:
            where.append(f" (Kế hoạch số {plan.reference} của {committee_short(campaign.issuing_unit.name)})")
        where.append(".")
        body.append(bullet(*where))
    documents = [
        APPLICATION_TITLE,
        "Báo cáo sáng kiến kinh nghiệm"
        if experience
        else "Bản thuyết minh mô tả giải pháp và kết quả thực hiện sáng kiến",
    ]
    if attachments:
        documents.append(f"{len(attachments)} tệp tài liệu kèm theo")
    body.append(bullet("Hồ sơ gồm: ", "; ".join(documents) + "."))
    body += [bullet(f"Tệp kèm theo: {a.original_name}") for a in attachments]
    body.append(
        bullet(
            f"Ngày tiếp nhận: {short_date(initiative.accepted_on)}",
            f" (hồ sơ gửi lần {initiative.revision})." if initiative.revision > 1 else ".",
        )
    )
    body.append(
        bullet(
            "Thời hạn trả kết quả xét công nhận sáng kiến: ",
            Run(short_date(initiative.result_due_on), bold=True),
            ".",
        )
    )
    body.append(
        para(
            f"Trong thời hạn nêu trên, {receiver.name} thông báo kết quả cho tác giả: công nhận sáng kiến và "
            "cấp Giấy chứng nhận sáng kiến, hoặc trả lời bằng văn bản nêu rõ lý do không công nhận."
        )
    )
    receiver_person = receipt.created_by
    lead = _lead(authors)
    return DocumentSpec(
        issuing_body=issuing_body_for(receiver),
        title=RECEIPT_TITLE,
        subtitle="Hồ sơ đề nghị công nhận sáng kiến",
        place=receiver.place_name or _place(initiative),
        issued_on=receipt.issued_on,
        year=receipt.year,
        document_type=DocumentType.RECEIPT.value,
        symbol=receipt.symbol,
        number=receipt.number,
        body=tuple(body),
        signature=Signature(
            title="Người tiếp nhận hồ sơ",
            name=(receiver_person.full_name or receiver_person.get_username()) if receiver_person else "",
        ),
        recipients=(
            f"{lead.full_name if lead else 'Tác giả'} (đại diện nhóm tác giả);",
            f"{initiative.unit.name};",
            "Lưu: VT, hồ sơ sáng kiến.",
        ),
        filename_hint="bien nhan sang kien",
    )


# --- One entry point ---------------------------------------------------------------------------


def _filename(kind: DocumentKind, initiative: Initiative, fmt: rendering.Format) -> str:
    """ASCII names a clerk sorts by: "don-yeu-cau-sang-kien-12.docx",
    "GBN-05-2024-bien-nhan-sang-kien-12.pdf"."""
    if kind == "receipt" and initiative.receipt is not None:
        receipt = initiative.receipt
        return f"GBN-{padded_number(receipt.number)}-{receipt.year}-bien-nhan-sang-kien-{initiative.pk}.{fmt}"
    stem = {
        "application": "don-yeu-cau-sang-kien",
        "description": "sang-kien-kinh-nghiem"
        if initiative.kind == InitiativeKind.EXPERIENCE
        else "thuyet-minh-sang-kien",
        "receipt": "bien-nhan-sang-kien",
    }[kind]
    return f"{stem}-{initiative.pk}.{fmt}"


def spec_for(kind: DocumentKind, initiative: Initiative) -> DocumentSpec:
    if kind == "application":
        return application_spec(initiative)
    if kind == "description":
        return description_spec(initiative)
    return receipt_spec(initiative)


def render_dossier_document(
    kind: DocumentKind, initiative: Initiative, fmt: rendering.Format = "docx"
) -> rendering.RenderedDocument:
    document = rendering.render(spec_for(kind, initiative), fmt)
    return dataclasses.replace(document, filename=_filename(kind, initiative, fmt))
