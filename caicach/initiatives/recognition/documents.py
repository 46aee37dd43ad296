"""What recognition prints: the decision (Quyết định công nhận sáng kiến), the refusal letter
(công văn with the reasons), the certificate (Giấy chứng nhận sáng kiến, with its
verification QR code) and the authors' effectiveness report (seed 000).

All go through ``caicach.core.rendering``: the decision, the letter and the report as Decree
30/2020 documents; the certificate, not an administrative text, as its one-page landscape
award."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

from caicach.core import clock, rendering
from caicach.core.models import DocumentType, Unit
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Inline,
    RenderedDocument,
    Run,
    Signature,
    Table,
    bullet,
    committee_short,
    is_committee,
    issuing_body_for,
    para,
    place_date_line,
    short_date,
    signature_as_signed,
)
from caicach.core.text import fold, nfc
from caicach.initiatives.dossiers.documents import AUTHOR_WIDTHS_MM
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Certificate,
    Council,
    EffectivenessReport,
    Recognition,
    RecognitionDecision,
    RecognitionLevel,
    display_code,
)

# The committee decides under the law organising it (since 1 July 2025, the Law on Local
# Government Organisation No. 72/2025/QH15): the first legal basis of its decisions.
LOCAL_GOVERNMENT_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
DECREE_13 = (
    "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02 tháng 3 năm 2012 của Chính phủ ban hành Điều lệ Sáng kiến;"
)
CIRCULAR_18 = (
    "Căn cứ Thông tư số 18/2013/TT-BKHCN ngày 01 tháng 8 năm 2013 của Bộ trưởng Bộ Khoa học và Công nghệ "
    "hướng dẫn thi hành một số quy định của Điều lệ Sáng kiến được ban hành theo Nghị định số 13/2012/NĐ-CP "
    "ngày 02 tháng 3 năm 2012 của Chính phủ;"
)
LETTER_EXCERPT = "V/v trả lời đơn yêu cầu công nhận sáng kiến"
_AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


# --- Shared wording ------------------------------------------------------------------------------


def level_text(level: str) -> str:
    """ "Cấp cơ sở": documents speak Vietnamese whatever the language of the person printing."""
    if not level:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(RecognitionLevel(level).label)


def format_share(share: Decimal) -> str:
    """ "30%", "33,33%": no trailing zeros, a decimal comma."""
    text = f"{share.normalize():f}" if share == share.to_integral() else f"{share:f}".rstrip("0")
    return text.replace(".", ",") + "%"


def authors_with_shares(authorships: Sequence[Authorship]) -> str:
    return ", ".join(f"{a.full_name} ({format_share(a.share)})" for a in authorships)


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def decision_subtitle(campaign: Campaign) -> str:
    """ "Về việc công nhận sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024 …"
    from a campaign titled "Phát động sáng kiến, giải pháp …"; otherwise the plan is named."""
    words = nfc(campaign.title).split()
    if len(words) > 3 and [fold(w) for w in words[:3]] == ["phat", "dong", "sang"]:
        return "Về việc công nhận " + " ".join(words[2:])
    plan = campaign.registered_document
    if plan is not None and campaign.issued_on is not None:
        day = short_date(campaign.issued_on)
        return f"Về việc công nhận sáng kiến theo Kế hoạch số {plan.reference} ngày {day}"
    return f"Về việc công nhận sáng kiến năm {campaign.window_start.year}"


def authority_line(signer_authority: str, signer_title: str, issuer: Unit) -> str:
    """Who decides, in capitals above the legal bases (Decree 30/2020, Annex I): "ỦY BAN NHÂN
    DÂN HUYỆN CHÂU THÀNH" when signed "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN
    CHÂU THÀNH" when signed "KT. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ" for a department's director."""
    holder = signer_authority.strip()
    for prefix in _AUTHORITY_PREFIXES:
        if holder.upper().startswith(prefix):
            holder = holder[len(prefix) :].strip()
            break
    holder = holder or signer_title.strip()
    name = nfc(issuer.name)
    if not holder or fold(name).startswith(fold(holder)):
        return name.upper()
    return f"{holder} {name}".upper()


def decision_signature(decision: RecognitionDecision) -> Signature:
    """The decision's signer as offices sign (also on its certificates). Decree 13/2012, Art.
    5: the head of the body recognises, so the decision is the Chairman's ("KT. CHỦ TỊCH" /
    "PHÓ CHỦ TỊCH" for a vice-chairman) unless the campaign says it is the committee's
    ("TM. ỦY BAN NHÂN DÂN")."""
    return signature_as_signed(
        title=decision.signer_title, name=decision.signer_name, authority=decision.signer_authority
    )


def decision_authority(decision: RecognitionDecision) -> str:
    """Who decides, read from the signature as signed: "TM. ỦY BAN NHÂN DÂN" → the committee."""
    signature = decision_signature(decision)
    return authority_line(signature.authority.split("\n")[0], signature.title, decision.campaign.issuing_unit)


def _short(unit: Unit) -> str:
    return committee_short(unit.name)


# --- The decision -------------------------------------------------------------------------------------


def decision_spec(
    decision: RecognitionDecision, recognitions: Sequence[Recognition], council: Council | None
) -> DocumentSpec:
    """The decision listing ``recognitions`` (with initiative, unit and authors loaded).
    Expects ``decision.campaign`` with its issuing and receiving units and plan number."""
    campaign = decision.campaign
    issuer = campaign.issuing_unit
    body: list[Block] = [
        para(
            Run(decision_authority(decision), bold=True),
            align="center",
            indent=False,
        ),
        para(Run(LOCAL_GOVERNMENT_LAW, italic=True)),
        para(Run(DECREE_13, italic=True)),
        para(Run(CIRCULAR_18, italic=True)),
    ]
    plan = campaign.registered_document
    if plan is not None and campaign.issued_on is not None:
        body.append(
            para(
                Run(
                    f"Căn cứ Kế hoạch số {plan.reference} ngày {short_date(campaign.issued_on)} của "
                    f"{issuer.name} về {_first_lower(campaign.title)};",
                    italic=True,
                )
            )
        )
    if council is not None:
        if council.minutes is not None:
            minutes = council.minutes
            basis = (
                f"Căn cứ Biên bản số {minutes.reference} ngày {short_date(minutes.issued_on)} của "
                f"{council.name} về việc xét công nhận sáng kiến;"
            )
        elif council.meeting_on is not None:
            basis = (
                f"Căn cứ kết quả họp xét công nhận sáng kiến ngày {short_date(council.meeting_on)} "
                f"của {council.name};"
            )
        else:
            basis = f"Căn cứ kết quả xét công nhận sáng kiến của {council.name};"
        body.append(para(Run(basis, italic=True)))
    if campaign.receiving_unit_id != campaign.issuing_unit_id:
        body.append(para(Run(f"Theo đề nghị của {campaign.receiving_unit.name}.", italic=True)))
    body.append(para(Run("QUYẾT ĐỊNH:", bold=True), align="center", indent=False))
    body.append(
        para(
            Run("Điều 1.", bold=True),
            f" Công nhận {len(recognitions):02d} sáng kiến sau đây (tác giả, tỷ lệ đóng góp, đơn vị và cấp "
            "công nhận):",
        )
    )
    rows = tuple(
        (
            str(index),
            r.initiative.title,
            "\n".join(f"{a.full_name} ({format_share(a.share)})" for a in r.initiative.authorships.all()),
            r.initiative.unit.name,
            level_text(r.level),
        )
        for index, r in enumerate(recognitions, start=1)
    )
    body.append(
        Table(
            header=("STT", "Tên sáng kiến", "Tác giả (tỷ lệ đóng góp)", "Đơn vị", "Cấp công nhận"),
            rows=rows,
            widths_mm=(14, 53, 45, 33, 20),
        )
    )
    body.append(
        para(
            Run("Điều 2.", bold=True),
            " Các tác giả có sáng kiến được công nhận tại Điều 1 được hưởng các quyền lợi theo quy định của "
            "Điều lệ Sáng kiến ban hành kèm theo Nghị định số 13/2012/NĐ-CP ngày 02 tháng 3 năm 2012 của "
            "Chính phủ và các quy định hiện hành về thi đua, khen thưởng.",
        )
    )
    executors = "thủ trưởng các cơ quan, đơn vị có liên quan và các tác giả có tên tại Điều 1"
    if campaign.receiving_unit_id != campaign.issuing_unit_id:
        executors = f"Thủ trưởng {campaign.receiving_unit.name}, {executors}"
    else:
        executors = executors[:1].upper() + executors[1:]
    body.append(
        para(
            Run("Điều 3.", bold=True),
            f" Quyết định này có hiệu lực kể từ ngày ký. {executors} chịu trách nhiệm thi hành Quyết định "
            "này./.",
        )
    )
    keeper = campaign.receiving_unit.document_symbol or _short(campaign.receiving_unit)
    recipients = ["Như Điều 3;"]
    if council is not None:
        recipients.append(f"{council.name};")
    recipients.append(f"Lưu: VT, {keeper}.")
    # A draft (not yet issued: no register row) prints without number or date.
    registered = decision.registered_document if decision.registered_document_id else None
    return DocumentSpec(
        issuing_body=issuing_body_for(issuer),
        title="Quyết định",
        subtitle=decision_subtitle(campaign),
        place=campaign.place,
        issued_on=decision.issued_on if registered is not None else None,
        year=(decision.issued_on or clock.today()).year,
        document_type=DocumentType.DECISION.value,
        symbol=registered.symbol
        if registered is not None
        else document_symbol(issuer, DocumentType.DECISION),
        number=registered.number if registered is not None else None,
        body=tuple(body),
        signature=decision_signature(decision),
        recipients=tuple(recipients),
        filename_hint="cong nhan sang kien",
    )


# --- The refusal letter -----------------------------------------------------------------------------


def refusal_letter_spec(recognition: Recognition, council: Council | None) -> DocumentSpec:
    """The official letter (công văn) telling the authors their request is refused, and why.
    Expects the initiative with its unit, receipt, authors and campaign (issuing and receiving
    units) loaded, and ``recognition.refusal_letter``."""
    initiative = recognition.initiative
    campaign = initiative.campaign
    assert campaign is not None  # the council, hence a recognition, exists only in a campaign
    issuer = campaign.issuing_unit
    authors = list(initiative.authorships.all())
    body: list[Block] = []
    if len(authors) == 1:
        author = authors[0]
        where = f" ({author.workplace})" if author.workplace else ""
        body.append(para(f"Kính gửi: Ông (Bà) {author.full_name}{where}.", align="center", indent=False))
    else:
        body.append(para("Kính gửi:", align="center", indent=False))
        body += [
            bullet(f"Ông (Bà) {a.full_name}" + (f" ({a.workplace});" if a.workplace else ";"))
            for a in authors
        ]
    received: list[Inline] = [
        f"{issuer.name} nhận được Đơn yêu cầu công nhận sáng kiến “{initiative.title}” của "
        f"{_authors_phrase(authors)}"
    ]
    if initiative.receipt is not None and initiative.accepted_on is not None:
        received.append(
            f" (Giấy biên nhận số {initiative.receipt.reference} ngày {short_date(initiative.accepted_on)})"
        )
    received.append(".")
    body.append(para(*received))
    judged = (
        "Căn cứ Điều lệ Sáng kiến ban hành kèm theo Nghị định số 13/2012/NĐ-CP ngày 02 tháng 3 năm 2012 "
        "của Chính phủ và kết quả xét công nhận sáng kiến"
    )
    if council is not None:
        judged += f" của {council.name}"
    judged += (
        f" ({recognition.votes_for}/{recognition.members_present} thành viên dự họp tán thành), "
        f"{_short(issuer)} trả lời như sau: giải pháp nêu trên không được công nhận là sáng kiến, với các lý "
        "do:"
    )
    body.append(para(judged))
    body += [bullet(_item(line)) for line in recognition.reasons.splitlines() if line.strip()]
    body.append(
        para(
            "Trường hợp không đồng ý với kết quả xét công nhận, tác giả có quyền khiếu nại theo quy định của "
            f"pháp luật về khiếu nại. {_short(issuer)} trả lời để tác giả được biết./."
        )
    )
    keeper = campaign.receiving_unit.document_symbol or _short(campaign.receiving_unit)
    registered = recognition.refusal_letter
    day = registered.issued_on if registered is not None else None
    return DocumentSpec(
        issuing_body=issuing_body_for(issuer),
        title="",  # a letter has no title: its subject sits under the number
        excerpt=LETTER_EXCERPT,
        place=campaign.place,
        issued_on=day,
        year=day.year if day else clock.today().year,
        document_type=DocumentType.OFFICIAL_LETTER.value,
        symbol=registered.symbol
        if registered
        else document_symbol(
            issuer, DocumentType.OFFICIAL_LETTER.value, drafting_unit=campaign.receiving_unit
        ),
        number=registered.number if registered else None,
        body=tuple(body),
        signature=signature_as_signed(
            title=campaign.signer_title,
            name=campaign.signer_name,
            authority=campaign.signer_authority,
            for_committee=is_committee(issuer),
        ),
        recipients=("Như trên;", f"{initiative.unit.name};", f"Lưu: VT, {keeper}."),
        filename_hint="tra loi khong cong nhan",
    )


def _item(line: str) -> str:
    line = line.strip()
    return line[1:].strip() if line.startswith(("-", "–", "•", "+")) else line


def _authors_phrase(authors: Sequence[Authorship]) -> str:
    names = [a.full_name for a in authors]
    if len(names) == 1:
        return f"tác giả {names[0]}"
    return "nhóm tác giả " + ", ".join(names[:-1]) + f" và {names[-1]}"


def refusal_letter_docx(spec: DocumentSpec) -> bytes:
    """The letter as DOCX: no title, its subject under the number (the spec's excerpt)."""
    return rendering.render_docx(spec)


def refusal_letter_document(spec: DocumentSpec) -> RenderedDocument:
    return RenderedDocument(
        refusal_letter_docx(spec), rendering.filename_for(spec, "docx"), rendering.DOCX_CONTENT_TYPE
    )


# --- The effectiveness report (seed 000) --------------------------------------------------------


def effectiveness_report_spec(report: EffectivenessReport) -> DocumentSpec:
    """Seed 000's layout. Expects the initiative with its unit, campaign and authors loaded."""
    initiative = report.initiative
    authors = list(initiative.authorships.all())
    body: list[Block] = [
        Heading("I-THÔNG TIN CHUNG"),
        para(Run("1. Tên sáng kiến: ", bold=True), initiative.title),
        Heading(
            "2. Tác giả sáng kiến hoặc các đồng tác giả sáng kiến (nếu có) và tỷ lệ đóng góp của từng "
            "đồng tác giả",
            level=2,
        ),
        Table(
            header=(
                "Số TT",
                "Họ và tên",
                "Ngày tháng năm sinh",
                "Nơi công tác (hoặc nơi thường trú)",
                "Chức danh",
                "Trình độ chuyên môn",
                "Tỷ lệ (%)",
                "Nội dung đóng góp vào việc tạo ra sáng kiến",
            ),
            rows=tuple(
                (
                    str(index),
                    a.full_name,
                    short_date(a.date_of_birth) if a.date_of_birth else "",
                    a.workplace,
                    a.job_title,
                    a.qualification,
                    format_share(a.share),
                    a.contribution,
                )
                for index, a in enumerate(authors, start=1)
            ),
            widths_mm=AUTHOR_WIDTHS_MM,
        ),
        Heading("3. Nội dung, bản chất của sáng kiến", level=2),
        *[para(line) for line in _lines(report.essence)],
        para(
            Run(
                "4. Thời gian áp dụng sáng kiến (ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử): ",
                bold=True,
            ),
            f"{short_date(initiative.first_applied_on)}." if initiative.first_applied_on else "",
        ),
        Heading("II-ĐÁNH GIÁ HIỆU QUẢ ÁP DỤNG, KHẢ NĂNG NHÂN RỘNG CỦA SÁNG KIẾN"),
        Heading("1. Về hiệu quả áp dụng", level=2),
        *[para(line) for line in _lines(report.effectiveness)],
        Heading("2. Về khả năng nhân rộng", level=2),
        *[para(line) for line in _lines(report.replicability)],
    ]
    unit = initiative.unit
    campaign = initiative.campaign
    place = unit.place_name or (campaign.place if campaign is not None else "")
    day = report.submitted_at.date() if report.submitted_at is not None else None
    return DocumentSpec(
        issuing_body=issuing_body_for(unit),
        title="Báo cáo",
        subtitle="Hiệu quả áp dụng, khả năng nhân rộng của sáng kiến",
        place=place,
        issued_on=day,
        year=(day or report.created_at.date()).year,
        body=tuple(body),
        signature=Signature(
            title="Tác giả" if len(authors) <= 1 else "Đại diện nhóm tác giả",
            name=report.representative_name,
            capitals=False,
        ),
        left_signature=Signature(
            title="Xác nhận của cơ quan, đơn vị",
            note="(Chữ ký, dấu)",
            name=report.confirmed_by_name,
            capitals=False,
        ),
        numbered=False,
        with_recipients=False,
        filename_hint="bao cao hieu qua sang kien",
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def effectiveness_report_docx(report: EffectivenessReport) -> RenderedDocument:
    """The report with both signatures of seed 000, side by side: the unit's confirmation
    ("Xác nhận của cơ quan, đơn vị", signature and seal) and the author or the authors'
    representative."""
    spec = effectiveness_report_spec(report)
    name = f"bao-cao-hieu-qua-sang-kien-{report.initiative_id}.docx"
    return RenderedDocument(rendering.render_docx(spec), name, rendering.DOCX_CONTENT_TYPE)


# --- The certificate ------------------------------------------------------------------------------------

CERTIFICATE_QR_BORDER = 4  # modules of quiet zone around the QR code (ISO/IEC 18004)
CERTIFICATE_QR_SCALE = 8  # pixels per module in the embedded image: crisp at any zoom


def certificate_qr_png(url: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="png", scale=CERTIFICATE_QR_SCALE, border=CERTIFICATE_QR_BORDER
    )
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    registered = certificate.registered_document
    initiative = certificate.recognition.initiative
    spec = DocumentSpec(
        issuing_body=issuing_body_for(registered.unit),
        title="Giấy chứng nhận sáng kiến",
        place="",
        issued_on=certificate.issued_on,
        document_type=DocumentType.CERTIFICATE.value,
        symbol=registered.symbol,
        number=registered.number,
        filename_hint=initiative.title,
    )
    return rendering.filename_for(spec, "pdf")


def certificate_pdf(certificate: Certificate, *, verification_url: str) -> RenderedDocument:
    """One landscape A4 page: the issuing body and the national motto, the title, the
    initiative, every co-author with their share, the unit, the level and the decision, the
    certificate's number, its verification code and a QR code opening ``verification_url``,
    and the signature of the decision's signer. Expects the certificate with its
    recognition, initiative (unit, authors), decision (number, campaign, issuing unit)
    loaded. Raises ``rendering.RenderingUnavailable`` without a Vietnamese serif font."""
    reference = certificate.registered_document.reference
    pdf = _certificate_page(certificate, reference=reference, verification_url=verification_url)
    return RenderedDocument(pdf, certificate_filename(certificate), rendering.PDF_CONTENT_TYPE)


def certificate_draft_pdf(recognition: Recognition, *, issued_on: datetime.date) -> RenderedDocument:
    """The certificate ``recognition`` would receive if issued on ``issued_on``, marked as a
    draft, with neither number nor verification code (both exist only once issued): what
    the confirmation page offers to read before the numbers are taken. Nothing is saved."""
    draft = Certificate(recognition=recognition, issued_on=issued_on, verification_code="")
    pdf = _certificate_page(draft, reference=None, verification_url=None)
    return RenderedDocument(pdf, "Dự thảo giấy chứng nhận sáng kiến.pdf", rendering.PDF_CONTENT_TYPE)


def _certificate_page(
    certificate: Certificate, *, reference: str | None, verification_url: str | None
) -> bytes:
    """The certificate's page; ``reference`` None for a draft (no number, code nor QR)."""
    decision = certificate.recognition.decision
    assert decision is not None  # a certificate is issued only from a decision
    issuer = decision.campaign.issuing_unit

    def content(pen: rendering.AwardPen) -> list[Any]:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        return [
            rendering.award_header(pen, issuing_body_for(issuer)),
            Spacer(1, 9 * mm),
            pen.text("GIẤY CHỨNG NHẬN SÁNG KIẾN", 30, bold=True, color=CERTIFICATE_ACCENT),
            Spacer(1, 4 * mm),
            pen.text(decision_authority(decision), 14, bold=True),
            pen.text("chứng nhận sáng kiến", 14, italic=True),
            # A fixed height: the footer stays in place however long the title or the authors.
            pen.fixed_height(_certificate_middle(pen, certificate, decision), 72),
            _certificate_footer(pen, certificate, decision, reference, verification_url),
        ]

    return rendering.render_award_pdf(
        content,
        title=f"Giấy chứng nhận sáng kiến {reference or '(dự thảo)'}",
        author=issuer.name,
        border=CERTIFICATE_ACCENT,
    )


CERTIFICATE_ACCENT = "#8b1a1a"


def _certificate_middle(
    pen: rendering.AwardPen, certificate: Certificate, decision: RecognitionDecision
) -> list[Any]:
    """The initiative, its authors with their shares, the unit, and the recognising decision."""
    recognition = certificate.recognition
    initiative = recognition.initiative
    authors = list(initiative.authorships.all())
    return [
        pen.text(f"“{initiative.title}”", 19, bold=True, after=8),
        pen.labelled("Tác giả:" if len(authors) == 1 else "Đồng tác giả:", authors_with_shares(authors)),
        pen.labelled("Đơn vị:", initiative.unit.name),
        pen.text(
            f"Đã được công nhận là sáng kiến {level_text(recognition.level).lower()} theo Quyết định số "
            f"{decision.registered_document.reference} ngày {short_date(decision.issued_on)} "
            f"của {decision.campaign.issuing_unit.name}.",
            15,
        ),
    ]


def _certificate_footer(
    pen: rendering.AwardPen,
    certificate: Certificate,
    decision: RecognitionDecision,
    reference: str | None,
    verification_url: str | None,
) -> Any:
    """Number and verification code on the left, the QR code in the middle, the signature on
    the right; a draft says where its number and code will be."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer

    left: list[Any]
    middle: Any
    if reference is None or verification_url is None:
        left = [
            pen.text("Số: ……… (cấp khi ban hành)", 13, align="left"),
            pen.text("Mã xác minh: (cấp khi ban hành)", 13, align="left"),
        ]
        middle = pen.text("DỰ THẢO", 18, bold=True, color=CERTIFICATE_ACCENT)
    else:
        middle = Image(io.BytesIO(certificate_qr_png(verification_url)), width=30 * mm, height=30 * mm)
        left = [
            pen.text(f"Số: {reference}", 13, align="left"),
            pen.text(f"Mã xác minh: {display_code(certificate.verification_code)}", 13, bold=True,
                     align="left"),
            Spacer(1, 2 * mm),
            pen.text("Quét mã QR hoặc truy cập địa chỉ dưới đây để xác minh giấy chứng nhận:", 10,
                     italic=True, align="left"),
            pen.text(verification_url, 9, align="left"),
        ]  # fmt: skip
    right: list[Any] = [
        pen.text(place_date_line(decision.campaign.place, certificate.issued_on), 13, italic=True)
    ]
    for line in decision_signature(decision).heading_lines:
        right.append(pen.text(line, 13, bold=True))
    right.append(Spacer(1, 20 * mm))
    if decision.signer_name:
        right.append(pen.text(decision.signer_name, 13, bold=True))
    return pen.columns([left, middle, right], [0.38, 0.2, 0.42])


def decision_draft_spec(
    campaign: Campaign,
    recognitions: Sequence[Recognition],
    council: Council | None,
    *,
    signer_authority: str,
    signer_title: str,
    signer_name: str,
) -> DocumentSpec:
    """The decision as it will read once issued, without its number and date: the draft the
    user checks before confirming the issue (nothing is saved, no number consumed)."""
    draft = RecognitionDecision(
        campaign=campaign,
        signer_authority=signer_authority,
        signer_title=signer_title,
        signer_name=signer_name,
    )
    return decision_spec(draft, recognitions, council)
