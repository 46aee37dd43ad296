"""What the initiatives app prints: the campaign plan (Kế hoạch, seed 002)."""

from __future__ import annotations

import re

from caicach.core.models import DocumentType
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Inline,
    Run,
    bullet,
    committee_short,
    is_committee,
    issuing_body_for,
    para,
    sentences,
    short_date,
    signature_as_signed,
)
from caicach.initiatives.models import Campaign

ROMAN = ("I", "II", "III", "IV", "V", "VI")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _item(line: str) -> str:
    """A list item without the dash the user may have typed (the renderer adds it)."""
    return line[1:].strip() if line.startswith(("-", "–", "•")) else line


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def campaign_plan_spec(campaign: Campaign) -> DocumentSpec:
    """The plan launching the campaign, in the structure of seed 002. Expects
    ``issuing_unit__parent``, ``receiving_unit`` and ``registered_document`` loaded."""
    issuer = campaign.issuing_unit
    body: list[Block] = []
    for line in _lines(campaign.legal_basis):
        body.append(para(line))
    body.append(
        para(
            campaign.introduction
            or f"{issuer.name} xây dựng Kế hoạch {_first_lower(campaign.title)} cụ thể như sau:"
        )
    )

    body.append(Heading(f"{ROMAN[0]}. MỤC ĐÍCH, YÊU CẦU"))
    body.append(Heading("1. Mục đích", level=2))
    body += [bullet(_item(line)) for line in _lines(campaign.purpose)]
    body.append(Heading("2. Yêu cầu", level=2))
    body += [bullet(_item(line)) for line in _lines(campaign.requirements)]

    body.append(Heading(f"{ROMAN[1]}. NỘI DUNG YÊU CẦU, ĐỐI TƯỢNG, THỜI GIAN"))
    number = 1
    body.append(Heading(f"{number}. Yêu cầu:", level=2))
    body += [para(line) for line in _lines(campaign.initiative_requirements)]
    number += 1
    body.append(Heading(f"{number}. Đối tượng phát động tham gia giải pháp, sáng kiến:", level=2))
    participants = _lines(campaign.participants)
    minimum = (
        f"Mỗi cơ quan, đơn vị, địa phương đề xuất ít nhất {campaign.min_initiatives_per_unit} sáng kiến, "
        f"giải pháp "
        "về công tác CCHC của cơ quan, đơn vị, địa phương đã được triển khai hoặc đang được triển khai "
        "thực hiện."
    )
    if participants:
        participants[-1] = sentences(participants[-1], minimum)
    else:
        participants = [minimum]
    body += [para(line) for line in participants]
    if campaign.presentation_requirements or campaign.solution_scope:
        number += 1
        body.append(Heading(f"{number}. Nội dung giải pháp, sáng kiến:", level=2))
        letter = iter("abcdefgh")
        if campaign.presentation_requirements:
            body.append(Heading(f"{next(letter)}) Phần trình bày:", level=3))
            body += [para(line) for line in _lines(campaign.presentation_requirements)]
        if campaign.solution_scope:
            body.append(Heading(f"{next(letter)}) Phần sáng kiến, giải pháp:", level=3))
            body += [para(line) for line in _lines(campaign.solution_scope)]
    number += 1
    body.append(Heading(f"{number}. Thời gian gửi sáng kiến, giải pháp:", level=2))
    window = f"{short_date(campaign.window_start)} đến hết ngày {short_date(campaign.window_end)}"
    body.append(bullet("Thời gian gửi sáng kiến, giải pháp từ ngày ", Run(window, bold=True), "."))
    where: list[Inline] = [
        f"Các cơ quan, đơn vị gửi sáng kiến, giải pháp cải cách hành chính về {committee_short(issuer.name)}"
    ]
    if campaign.receiving_unit_id != campaign.issuing_unit_id:
        where.append(f" (qua {campaign.receiving_unit.name})")
    contact = campaign.contact.strip()
    if contact:
        where += [
            " địa chỉ email: " if _EMAIL.match(contact) else ", liên hệ: ",
            Run(contact, bold=True, italic=True),
        ]
    where.append(".")
    body.append(bullet(*where))
    if campaign.submission_form:
        body.append(bullet(f"Hình thức gửi {campaign.submission_form.rstrip('.')}."))

    if campaign.implementation:
        body.append(Heading(f"{ROMAN[2]}. TỔ CHỨC THỰC HIỆN"))
        for index, item in enumerate(campaign.implementation, start=1):
            body.append(Heading(f"{index}. {str(item.get('heading', '')).strip()}", level=2))
            body += [para(line) for line in _lines(str(item.get("duties", "")))]

    closing = campaign.closing.strip() or f"Trên đây là Kế hoạch {campaign.title}"
    if not closing.endswith("./."):
        closing = closing.rstrip(".") + "./."
    body.append(para(closing))

    registered = campaign.registered_document
    return DocumentSpec(
        issuing_body=issuing_body_for(issuer),
        title="Kế hoạch",  # the document speaks Vietnamese whatever the UI language
        subtitle=campaign.title,
        place=campaign.place,
        issued_on=campaign.issued_on,
        year=campaign.window_start.year,
        document_type=DocumentType.PLAN.value,
        symbol=registered.symbol if registered else document_symbol(issuer, DocumentType.PLAN.value),
        number=registered.number if registered else None,
        body=tuple(body),
        signature=signature_as_signed(
            title=campaign.signer_title,
            name=campaign.signer_name,
            authority=campaign.signer_authority,
            for_committee=is_committee(issuer),
        ),
        recipients=tuple(_lines(campaign.recipients)),
    )
