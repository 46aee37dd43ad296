"""After the council's vote: the recognition decision lists the recognised dossiers, refused
ones get a numbered letter with the reasons, recognised ones a numbered certificate with a
unique verification code, which can be revoked. Every step is audited and told to the
authors; bad input changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core import clock
from caicach.core.models import AuditEvent, DocumentType, Notification, RegisteredDocument, Role, Unit, User
from caicach.initiatives.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Campaign,
    Certificate,
    InitiativeStatus,
    Recognition,
    RecognitionDecision,
    RecognitionLevel,
    display_code,
    is_well_formed_code,
    normalise_code,
)
from caicach.initiatives.recognition import services
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    certificates_issue_all,
    recognition_decision_issue,
    refusal_letter_issue,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import DECISION_DAY, council_for, dossier, issued_campaign, outcome

SIGNER = {
    "signer_authority": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Văn Thành",
}


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


@pytest.fixture
def author(org: Org) -> User:
    return person("tacgia", org.science, Role.UNIT_STAFF, full_name="Đông Thị Huệ")


def decide(campaign: Campaign, actor: User, day: datetime.date = DECISION_DAY) -> RecognitionDecision:
    return recognition_decision_issue(campaign=campaign, actor=actor, issued_on=day, **SIGNER)


# --- The decision ---------------------------------------------------------------------------------


def test_the_decision_lists_only_recognised_dossiers_without_a_decision(
    campaign: Campaign, org: Org, people: People
) -> None:
    first = outcome(dossier(campaign, org.science, title="Sáng kiến một"), recognised=True)
    second = outcome(
        dossier(campaign, org.commune, title="Sáng kiến hai"),
        recognised=True,
        level=RecognitionLevel.PROVINCIAL,
    )
    refused = outcome(
        dossier(campaign, org.science, title="Sáng kiến ba"), recognised=False, reasons="Không mới."
    )
    still_scoring = dossier(campaign, org.science, title="Sáng kiến bốn")
    decision = decide(campaign, people.reform_officer)

    assert set(decision.recognitions.all()) == {first, second}
    assert decision.registered_document.reference == "01/QĐ-UBND"
    assert decision.registered_document.unit == org.district
    assert decision.registered_document.document_type == DocumentType.DECISION
    assert (decision.signer_authority, decision.signer_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    refused.refresh_from_db()
    assert refused.decision is None
    assert not Recognition.objects.filter(initiative=still_scoring).exists()

    # A later decision lists only the dossiers recognised since.
    third = outcome(dossier(campaign, org.commune, title="Sáng kiến năm"), recognised=True)
    later = decide(campaign, people.reform_officer, DECISION_DAY + datetime.timedelta(days=3))
    assert list(later.recognitions.all()) == [third]
    assert later.registered_document.reference == "02/QĐ-UBND"


def test_a_decision_with_nothing_to_recognise_is_refused_and_takes_no_number(
    campaign: Campaign, org: Org, people: People
) -> None:
    outcome(dossier(campaign, org.science), recognised=False, reasons="Không mới.")
    with pytest.raises(ValidationError, match="Chưa có sáng kiến nào"):
        decide(campaign, people.reform_officer)
    assert not RecognitionDecision.objects.exists()
    assert not RegisteredDocument.objects.filter(document_type=DocumentType.DECISION).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signer_title": "  "}, "signer_title"),
        ({"issued_on": clock.today() + datetime.timedelta(days=1)}, "issued_on"),
        ({"issued_on": DECISION_DAY - datetime.timedelta(days=1)}, "issued_on"),  # before the meeting
    ],
)
def test_bad_decision_input_changes_nothing(
    campaign: Campaign, org: Org, people: People, changes: dict[str, Any], field: str
) -> None:
    council_for(campaign, minutes_day=DECISION_DAY)
    recognition = outcome(dossier(campaign, org.science), recognised=True)
    events = AuditEvent.objects.count()
    values: dict[str, Any] = {**SIGNER, "issued_on": DECISION_DAY, **changes}
    with pytest.raises(ValidationError) as caught:
        recognition_decision_issue(campaign=campaign, actor=people.reform_officer, **values)
    assert field in caught.value.message_dict
    recognition.refresh_from_db()
    assert recognition.decision is None
    assert not RecognitionDecision.objects.exists()
    assert not RegisteredDocument.objects.filter(document_type=DocumentType.DECISION).exists()
    assert AuditEvent.objects.count() == events


def test_the_decision_is_audited_and_told_to_the_authors(
    campaign: Campaign, org: Org, people: People, author: User
) -> None:
    initiative = dossier(campaign, org.science, author_user=author, created_by=people.unit_staff)
    outcome(initiative, recognised=True)
    decision = decide(campaign, people.reform_officer)
    event = AuditEvent.objects.get(
        action="recognition_decision.issue",
        object_id=str(decision.pk),
        content_type__model="recognitiondecision",
    )
    assert event.actor == people.reform_officer
    assert event.changes["registered_document"] == [None, "01/QĐ-UBND"]
    assert event.message == "Công nhận 1 sáng kiến."
    on_dossier = AuditEvent.objects.get(
        action="recognition_decision.issue", object_id=str(initiative.pk), content_type__model="initiative"
    )
    assert on_dossier.message == "Quyết định số 01/QĐ-UBND ngày 16/09/2024."
    told = Notification.objects.filter(title="Sáng kiến của bạn đã được công nhận")
    assert set(told.values_list("recipient__username", flat=True)) == {"tacgia", people.unit_staff.username}
    assert "01/QĐ-UBND" in told.filter(recipient=author).get().body


# --- Refusal letters ------------------------------------------------------------------------------------


def test_a_refused_dossier_gets_a_numbered_letter_with_its_reasons(
    campaign: Campaign, org: Org, people: People, author: User
) -> None:
    recognition = outcome(
        dossier(campaign, org.science, author_user=author), recognised=False, reasons="Chưa có tính mới."
    )
    recognition = refusal_letter_issue(recognition=recognition, actor=people.reform_officer)
    letter = recognition.refusal_letter
    assert letter is not None
    assert letter.reference == "01/UBND-PNV"
    assert letter.document_type == DocumentType.OFFICIAL_LETTER
    assert letter.unit == org.district
    assert AuditEvent.objects.filter(
        action="recognition.refusal_letter", object_id=str(recognition.initiative_id)
    )
    assert Notification.objects.filter(recipient=author, title="Kết quả xét công nhận sáng kiến").exists()
    with pytest.raises(ValidationError, match="đã được ban hành"):
        refusal_letter_issue(recognition=recognition, actor=people.reform_officer)


def test_the_letter_may_restate_the_reasons_and_that_is_audited(
    campaign: Campaign, org: Org, people: People
) -> None:
    recognition = outcome(dossier(campaign, org.science), recognised=False, reasons="Không mới.")
    recognition = refusal_letter_issue(
        recognition=recognition,
        actor=people.reform_officer,
        reasons="Chưa áp dụng thử.\nTrùng sáng kiến đã có.",
    )
    recognition.refresh_from_db()
    assert recognition.reasons == "Chưa áp dụng thử.\nTrùng sáng kiến đã có."
    event = AuditEvent.objects.get(action="recognition.refusal_letter", content_type__model="recognition")
    assert event.changes["reasons"] == ["Không mới.", "Chưa áp dụng thử.\nTrùng sáng kiến đã có."]
    on_dossier = AuditEvent.objects.get(action="recognition.refusal_letter", content_type__model="initiative")
    assert on_dossier.message == "Văn bản số 01/UBND-PNV. Lý do: Chưa áp dụng thử.\nTrùng sáng kiến đã có."


def test_no_letter_without_reasons_nor_for_a_recognised_dossier(
    campaign: Campaign, org: Org, people: People
) -> None:
    refused = outcome(dossier(campaign, org.science), recognised=False, reasons="Không mới.")
    with pytest.raises(ValidationError) as caught:
        refusal_letter_issue(recognition=refused, actor=people.reform_officer, reasons="   ")
    assert "reasons" in caught.value.message_dict
    recognised = outcome(dossier(campaign, org.commune), recognised=True)
    with pytest.raises(ValidationError, match="đã được công nhận"):
        refusal_letter_issue(recognition=recognised, actor=people.reform_officer)
    refused.refresh_from_db()
    assert refused.refusal_letter is None and refused.reasons == "Không mới."
    assert not RegisteredDocument.objects.filter(document_type=DocumentType.OFFICIAL_LETTER).exists()


# --- Certificates ----------------------------------------------------------------------------------------


def test_a_certificate_needs_an_issued_decision(campaign: Campaign, org: Org, people: People) -> None:
    recognition = outcome(dossier(campaign, org.science), recognised=True)
    with pytest.raises(ValidationError, match="chưa có trong quyết định"):
        certificate_issue(recognition=recognition, actor=people.reform_officer)
    assert not Certificate.objects.exists()
    assert not RegisteredDocument.objects.filter(document_type=DocumentType.CERTIFICATE).exists()

    refused = outcome(dossier(campaign, org.commune), recognised=False, reasons="Không mới.")
    decide(campaign, people.reform_officer)
    with pytest.raises(ValidationError, match="Chỉ cấp giấy chứng nhận"):
        certificate_issue(recognition=refused, actor=people.reform_officer)

    recognition.refresh_from_db()
    certificate = certificate_issue(recognition=recognition, actor=people.reform_officer)
    assert certificate.registered_document.reference == "01/GCN-UBND"
    assert certificate.registered_document.unit == org.district
    assert certificate.issued_on == clock.today()
    assert is_well_formed_code(certificate.verification_code)
    assert AuditEvent.objects.filter(action="certificate.issue", object_id=str(recognition.initiative_id))
    with pytest.raises(ValidationError, match="đã được cấp"):
        certificate_issue(recognition=recognition, actor=people.reform_officer)
    assert Certificate.objects.count() == 1


def test_a_certificate_cannot_predate_its_decision(campaign: Campaign, org: Org, people: People) -> None:
    recognition = outcome(dossier(campaign, org.science), recognised=True)
    decide(campaign, people.reform_officer)
    with pytest.raises(ValidationError) as caught:
        certificate_issue(
            recognition=recognition,
            actor=people.reform_officer,
            issued_on=DECISION_DAY - datetime.timedelta(days=1),
        )
    assert "issued_on" in caught.value.message_dict
    assert not Certificate.objects.exists()


def test_verification_codes_are_unique_readable_and_never_reused(
    campaign: Campaign, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}"), recognised=True)
    decide(campaign, people.reform_officer)
    issued = certificates_issue_all(campaign=campaign, actor=people.reform_officer).issued
    codes = [c.verification_code for c in issued]
    assert len(set(codes)) == 6
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01ILO") & set(CODE_ALPHABET)
    numbers = sorted(c.registered_document.number for c in issued)
    assert numbers == [1, 2, 3, 4, 5, 6]

    # A drawn code that is already taken is drawn again, never stored twice.
    extra = outcome(dossier(campaign, org.commune, title="Sáng kiến thêm"), recognised=True)
    decide(campaign, people.reform_officer)
    draws = iter([codes[0], codes[1], "ABCDEFGHJKMN"])
    monkeypatch.setattr(services, "new_verification_code", lambda: next(draws))
    extra.refresh_from_db()
    assert (
        certificate_issue(recognition=extra, actor=people.reform_officer).verification_code == "ABCDEFGHJKMN"
    )


def test_codes_are_read_back_however_they_are_typed() -> None:
    assert display_code("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert normalise_code(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"
    assert is_well_formed_code("ABCDEFGHJKMN")
    assert not is_well_formed_code("ABCDEFGHJKM0")  # 0 is not in the alphabet
    assert not is_well_formed_code("ABCDEFGHJKM")


def test_issuing_all_certificates_skips_those_already_issued(
    campaign: Campaign, org: Org, people: People
) -> None:
    first = outcome(dossier(campaign, org.science, title="Một"), recognised=True)
    outcome(dossier(campaign, org.commune, title="Hai"), recognised=True)
    outcome(dossier(campaign, org.commune, title="Ba"), recognised=False, reasons="Không mới.")
    decide(campaign, people.reform_officer)
    first.refresh_from_db()
    certificate_issue(recognition=first, actor=people.reform_officer)
    steps: list[tuple[int, int]] = []
    result = certificates_issue_all(
        campaign=campaign,
        actor=people.reform_officer,
        progress=lambda done, total: steps.append((done, total)),
    )
    assert [c.recognition.initiative.title for c in result.issued] == ["Hai"]
    assert result.failures == [] and steps == [(1, 1)]
    assert certificates_issue_all(campaign=campaign, actor=people.reform_officer).issued == []


def test_issuing_all_reports_the_ones_it_could_not_number(
    campaign: Campaign, org: Org, people: People
) -> None:
    outcome(dossier(campaign, org.science, title="Một"), recognised=True)
    decide(campaign, people.reform_officer)
    Unit.objects.filter(pk=org.district.pk).update(document_symbol="")
    result = certificates_issue_all(campaign=campaign, actor=people.reform_officer)
    assert result.issued == []
    assert len(result.failures) == 1 and result.failures[0].startswith("Một: ")
    assert "chưa có ký hiệu" in result.failures[0]
    assert not Certificate.objects.exists()


def test_revoking_needs_a_reason_and_happens_once(
    campaign: Campaign, org: Org, people: People, author: User
) -> None:
    recognition = outcome(dossier(campaign, org.science, author_user=author), recognised=True)
    decide(campaign, people.reform_officer)
    recognition.refresh_from_db()
    certificate = certificate_issue(recognition=recognition, actor=people.reform_officer)
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(certificate=certificate, actor=people.reform_officer, reason=" ")
    assert "reason" in caught.value.message_dict
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    revoked = certificate_revoke(certificate=certificate, actor=people.reform_officer, reason="Cấp nhầm.")
    assert revoked.revoked_at is not None and revoked.revocation_reason == "Cấp nhầm."
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.message == "Giấy chứng nhận số 01/GCN-UBND. Lý do thu hồi: Cấp nhầm."
    assert Notification.objects.filter(
        recipient=author, title="Giấy chứng nhận sáng kiến đã bị thu hồi"
    ).exists()
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        certificate_revoke(certificate=revoked, actor=people.reform_officer, reason="Lần nữa.")


def test_the_dossier_status_is_left_to_the_council(campaign: Campaign, org: Org, people: People) -> None:
    recognition = outcome(dossier(campaign, org.science), recognised=True)
    decide(campaign, people.reform_officer)
    recognition.refresh_from_db()
    certificate_issue(recognition=recognition, actor=people.reform_officer)
    recognition.initiative.refresh_from_db()
    assert recognition.initiative.status == InitiativeStatus.RECOGNISED


# --- The access contract: each service checks the rule itself -------------------------------------


def _nothing_written() -> tuple[int, int, int, int]:
    return (
        AuditEvent.objects.count(),
        RegisteredDocument.objects.count(),
        RecognitionDecision.objects.count(),
        Certificate.objects.count(),
    )


def test_only_the_campaigns_managers_issue_decisions_letters_and_certificates(
    campaign: Campaign, org: Org, people: People
) -> None:
    recognised = outcome(dossier(campaign, org.science, title="Sáng kiến một"), recognised=True)
    refused = outcome(dossier(campaign, org.science, title="Sáng kiến hai"), recognised=False, reasons="Cũ.")
    before = _nothing_written()
    for actor in (people.unit_staff, people.unit_head, people.office_officer, people.leader, people.outsider):
        with pytest.raises(PermissionDenied):
            decide(campaign, actor)
        with pytest.raises(PermissionDenied):
            refusal_letter_issue(recognition=refused, actor=actor, issued_on=DECISION_DAY)
    assert _nothing_written() == before
    decide(campaign, people.reform_officer)
    before = _nothing_written()
    for actor in (people.unit_staff, people.unit_head, people.outsider):
        with pytest.raises(PermissionDenied):
            certificate_issue(recognition=recognised, actor=actor, issued_on=DECISION_DAY)
    assert _nothing_written() == before
    certificate = certificate_issue(
        recognition=recognised, actor=people.reform_officer, issued_on=DECISION_DAY
    )
    for actor in (people.unit_staff, people.unit_head, people.outsider):
        with pytest.raises(PermissionDenied):
            certificate_revoke(certificate=certificate, actor=actor, reason="Sao chép.")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
