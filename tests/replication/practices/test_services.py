"""The practice services: Home Affairs keeps the catalogue, units propose, Home Affairs
evaluates and publishes, and a recognised initiative becomes a practice in one action.
Every refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from caicach.core.models import AuditEvent, Notification, ReformField, ReformIndex
from caicach.initiatives.models import InitiativeStatus
from caicach.replication.models import Practice, PracticeAttachment, PracticeKind, PracticeStatus
from caicach.replication.practices.services import (
    practice_attach,
    practice_create,
    practice_evaluate,
    practice_from_initiative,
    practice_propose,
    practice_publish,
    practice_update,
)
from tests.conftest import Org, People
from tests.initiatives.factories import make_campaign, make_dossier
from tests.replication.practices.conftest import Catalogue

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _content(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Ngày thứ bảy lắng nghe dân nói",
        "kind": PracticeKind.MODEL,
        "summary": "Lãnh đạo tiếp và đối thoại với người dân vào sáng thứ bảy.",
        "implementation_steps": "1. Thông báo lịch.\n2. Tổ chức đối thoại.",
        "conditions": "Có phòng tiếp dân.",
        "cost": "Không phát sinh.",
        "contact": "Văn phòng UBND huyện.",
    }
    values.update(overrides)
    return values


def _state(practice: Practice) -> tuple[Any, ...]:
    practice.refresh_from_db()
    return (practice.status, practice.version, practice.name, practice.is_published, practice.evaluation_note)


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_home_affairs_adds_an_accepted_practice_with_its_fields_and_indices(org: Org, people: People) -> None:
    field = ReformField.objects.create(code="TTHC", name="Cải cách thủ tục hành chính")
    papi = ReformIndex.objects.create(code="PAPI", name="PAPI")
    practice = practice_create(
        actor=people.reform_officer,
        committee=org.province,
        origin_unit=org.district,
        reform_fields=[field],
        indices=[papi],
        **_content(),
    )
    assert practice.status == PracticeStatus.ACCEPTED
    assert list(practice.indices.all()) == [papi]
    assert list(practice.reform_fields.all()) == [field]
    assert practice.search_text.startswith("ngay thu bay lang nghe dan noi")
    assert _events("replication_practice.create") == 1


def test_a_unit_cannot_add_to_the_catalogue(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        practice_create(actor=people.unit_head, committee=org.province, origin_unit=org.science, **_content())
    assert not Practice.objects.exists()


def test_a_practice_needs_an_origin_ours_or_external_but_not_both(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as missing:
        practice_create(actor=people.reform_officer, committee=org.province, **_content())
    assert "origin_unit" in missing.value.message_dict
    with pytest.raises(ValidationError) as both:
        practice_create(
            actor=people.reform_officer,
            committee=org.province,
            origin_unit=org.district,
            **_content(origin_external_name="UBND tỉnh Đồng Tháp"),
        )
    assert "origin_external_name" in both.value.message_dict
    external = practice_create(
        actor=people.reform_officer,
        committee=org.province,
        **_content(origin_external_name="UBND tỉnh Đồng Tháp"),
    )
    assert external.origin_name == "UBND tỉnh Đồng Tháp"
    assert Practice.objects.count() == 1


def test_an_edit_from_a_stale_copy_is_refused_and_changes_nothing(
    people: People, catalogue: Catalogue
) -> None:
    practice = catalogue.accepted
    before = _state(practice)
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        practice_update(
            actor=people.reform_officer,
            practice=practice,
            version=practice.version + 1,
            origin_unit=practice.origin_unit,
            **_content(name="Tên mới"),
        )
    assert _state(practice) == before
    updated = practice_update(
        actor=people.reform_officer,
        practice=practice,
        version=practice.version,
        origin_unit=practice.origin_unit,
        **_content(name="Tên mới"),
    )
    assert (updated.name, updated.version) == ("Tên mới", before[1] + 1)
    event = AuditEvent.objects.get(action="replication_practice.update")
    assert event.changes["name"][1] == "Tên mới"


def test_a_leader_sees_but_does_not_edit(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.accepted
    before = _state(practice)
    with pytest.raises(PermissionDenied):
        practice_update(
            actor=people.leader,
            practice=practice,
            version=practice.version,
            origin_unit=practice.origin_unit,
            **_content(name="Tên mới"),
        )
    assert _state(practice) == before


def test_a_unit_proposes_to_the_committee_above_it(org: Org, people: People) -> None:
    practice = practice_propose(
        actor=people.unit_staff,
        proposing_unit=org.science,
        proposal_note="Sở đã áp dụng từ năm 2023, giảm 30% thời gian.",
        **_content(),
    )
    assert practice.status == PracticeStatus.PROPOSED
    assert practice.committee == org.province
    assert practice.origin_unit == org.science  # its own, unless it names where it was seen
    assert practice.proposed_by == people.unit_staff
    assert _events("replication_practice.propose") == 1


def test_a_proposal_needs_its_note_and_the_proposers_own_unit(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        practice_propose(actor=people.unit_staff, proposing_unit=org.science, proposal_note=" ", **_content())
    assert "proposal_note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        practice_propose(
            actor=people.unit_staff, proposing_unit=org.commune, proposal_note="Có", **_content()
        )
    assert not Practice.objects.exists()


def test_accepting_a_proposal_tells_the_proposer(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.proposed
    practice_evaluate(actor=people.reform_officer, practice=practice, version=practice.version, accept=True)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.ACCEPTED
    assert practice.evaluated_by == people.reform_officer
    notice = Notification.objects.get(recipient=people.unit_staff)
    assert "được chọn để nhân rộng" in notice.title
    assert notice.url == practice.get_absolute_url()
    assert _events("replication_practice.accept") == 1


def test_declining_needs_a_note_and_the_proposer_reads_it(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.proposed
    before = _state(practice)
    with pytest.raises(ValidationError) as error:
        practice_evaluate(
            actor=people.reform_officer, practice=practice, version=practice.version, accept=False, note=""
        )
    assert "note" in error.value.message_dict
    assert _state(practice) == before
    assert not Notification.objects.exists()
    practice_evaluate(
        actor=people.reform_officer,
        practice=practice,
        version=practice.version,
        accept=False,
        note="Trùng với mô hình đã có.",
    )
    assert _state(practice)[0] == PracticeStatus.DECLINED
    notice = Notification.objects.get(recipient=people.unit_staff)
    assert notice.body == "Trùng với mô hình đã có."


def test_a_decided_proposal_cannot_be_decided_again(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.declined
    before = _state(practice)
    with pytest.raises(ValidationError, match="đã được đánh giá"):
        practice_evaluate(
            actor=people.reform_officer, practice=practice, version=practice.version, accept=True
        )
    assert _state(practice) == before


def test_another_committees_home_affairs_cannot_evaluate(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.proposed
    before = _state(practice)
    with pytest.raises(PermissionDenied):
        practice_evaluate(
            actor=catalogue.district_officer, practice=practice, version=practice.version, accept=True
        )
    assert _state(practice) == before


def test_only_accepted_practices_are_published_and_can_be_taken_off(
    people: People, catalogue: Catalogue
) -> None:
    proposed = catalogue.proposed
    before = _state(proposed)
    with pytest.raises(ValidationError, match="đã được chọn"):
        practice_publish(
            actor=people.reform_officer, practice=proposed, version=proposed.version, publish=True
        )
    assert _state(proposed) == before
    practice = catalogue.accepted
    practice_publish(actor=people.reform_officer, practice=practice, version=practice.version, publish=True)
    practice.refresh_from_db()
    assert practice.is_published and practice.published_at is not None
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        practice_publish(actor=people.reform_officer, practice=practice, version=1, publish=False)
    practice_publish(actor=people.reform_officer, practice=practice, version=practice.version, publish=False)
    practice.refresh_from_db()
    assert not practice.is_published and practice.published_at is None
    assert _events("replication_practice.publish") == _events("replication_practice.unpublish") == 1


def test_an_attachment_is_checked_and_keeps_its_public_flag(people: People, catalogue: Catalogue) -> None:
    practice = catalogue.accepted
    attachment = practice_attach(
        actor=people.reform_officer,
        practice=practice,
        upload=SimpleUploadedFile("Hướng dẫn thực hiện.pdf", PDF),
        description="Hướng dẫn",
        is_public=True,
    )
    assert attachment.is_public and attachment.name == "Hướng dẫn thực hiện.pdf"
    with pytest.raises(ValidationError):
        practice_attach(
            actor=people.reform_officer,
            practice=practice,
            upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 10),
        )
    with pytest.raises(PermissionDenied):
        practice_attach(actor=people.unit_staff, practice=practice, upload=SimpleUploadedFile("a.pdf", PDF))
    assert PracticeAttachment.objects.count() == 1
    assert _events("replication_practice.attach") == 1


def test_a_recognised_initiative_becomes_a_practice_once(org: Org, people: People) -> None:
    campaign = make_campaign(org, people)
    initiative = make_dossier(campaign, org.science, status=InitiativeStatus.RECOGNISED)
    initiative.essence = "Lắng nghe ý kiến người dân mỗi sáng thứ bảy."
    initiative.solution_steps = "Bước 1: lập lịch. Bước 2: đối thoại."
    initiative.application_conditions = "Có lãnh đạo trực."
    initiative.save()
    papi = ReformIndex.objects.create(code="PAPI", name="PAPI")
    initiative.target_indices.add(papi)
    practice = practice_from_initiative(actor=people.reform_officer, initiative=initiative)
    assert practice.initiative == initiative
    assert practice.committee == campaign.issuing_unit
    assert (practice.name, practice.origin_unit) == (initiative.title, org.science)
    assert practice.summary == initiative.essence
    assert practice.implementation_steps == initiative.solution_steps
    assert practice.conditions == initiative.application_conditions
    assert list(practice.indices.all()) == [papi]
    assert practice.status == PracticeStatus.ACCEPTED
    with pytest.raises(ValidationError, match="đã có mô hình"):
        practice_from_initiative(actor=people.reform_officer, initiative=initiative)
    assert Practice.objects.count() == 1
    assert _events("replication_practice.from_initiative") == 1


def test_an_initiative_not_recognised_does_not_become_a_practice(org: Org, people: People) -> None:
    initiative = make_dossier(make_campaign(org, people), org.science, status=InitiativeStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        practice_from_initiative(actor=people.reform_officer, initiative=initiative)
    recognised = make_dossier(make_campaign(org, people), org.science, status=InitiativeStatus.RECOGNISED)
    with pytest.raises(PermissionDenied):
        practice_from_initiative(actor=people.unit_head, initiative=recognised)
    assert not Practice.objects.exists()
