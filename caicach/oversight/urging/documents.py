"""What an urging notice prints (Văn bản đôn đốc): an official letter of the committee
(Decree 30/2020 layout, no type code: "Số: …/UBND-VP"), drafted by its Office, addressed to
the urged unit, with the text the Office wrote (by default, each overdue task with its
source, deadline and working days overdue), signed by a leader of the committee.

Documents speak Vietnamese whatever the user's language: the strings here are not
translated."""

from __future__ import annotations

from caicach.core import clock
from caicach.core.models import DocumentType, Unit, UnitKind, User
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Run,
    committee_short,
    filename_for,
    is_committee,
    issuing_body_for,
    para,
    signature_as_signed,
)
from caicach.oversight.models import UrgingNotice
from caicach.replication.directives.documents import leader_signature

EXCERPT = "V/v đôn đốc thực hiện nhiệm vụ quá hạn"
NUMBERING_TITLE = "Đôn đốc thực hiện nhiệm vụ quá hạn"


def office_of(committee: Unit) -> Unit:
    """The committee's Office, which drafts the letter; the committee itself without one."""
    office = Unit.objects.filter(parent=committee, kind=UnitKind.OFFICE).order_by("code").first()
    return office if office is not None else committee


def body_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and not lines[-1].endswith("./."):
        lines[-1] = lines[-1].rstrip(".") + "./."
    return lines


def default_recipients(committee: Unit, office: Unit) -> str:
    short = committee_short(committee.name)
    keeper = office.document_symbol or "VP"
    return "\n".join(("Như trên;", f"Chủ tịch, các Phó Chủ tịch {short};", f"Lưu: VT, {keeper}."))


def notice_spec(notice: UrgingNotice, *, office: Unit, signer: User | None = None) -> DocumentSpec:
    """The notice as printed. ``office``: the drafting unit (``office_of``); ``signer``: the
    leader about to sign a draft (the issued one prints its own signer)."""
    committee = notice.committee
    registered = notice.registered_document
    symbol = (
        registered.symbol
        if registered is not None
        else document_symbol(committee, DocumentType.OFFICIAL_LETTER, drafting_unit=office)
    )
    body: list[Block] = [
        para(Run("Kính gửi: ", bold=False), f"{notice.unit.name}.", align="center", indent=False),
        *(para(line) for line in body_lines(notice.body)),
    ]
    if notice.signer_title:
        signature = signature_as_signed(
            title=notice.signer_title,
            name=notice.signer_name,
            authority=notice.signer_authority,
            for_committee=is_committee(committee),
        )
    else:
        signature = leader_signature(signer, for_committee=is_committee(committee))
    recipients = [line.strip() for line in notice.recipients.splitlines() if line.strip()] or (
        default_recipients(committee, office).splitlines()
    )
    day = notice.issued_on
    place = committee.place_name or (committee.parent.place_name if committee.parent else "")
    return DocumentSpec(
        issuing_body=issuing_body_for(committee),
        title="",
        excerpt=EXCERPT,
        place=place,
        issued_on=day,
        year=day.year if day else clock.today().year,
        document_type=DocumentType.OFFICIAL_LETTER,
        symbol=symbol,
        number=registered.number if registered is not None else None,
        body=tuple(body),
        signature=signature,
        recipients=tuple(recipients),
        filename_hint="don doc nhiem vu",
    )


def notice_filename(spec: DocumentSpec) -> str:
    return filename_for(spec, "docx")
