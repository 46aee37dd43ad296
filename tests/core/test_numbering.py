"""The numbering register: next number per unit, type and year; manual numbers; issuing."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from caicach.core.document_numbers import reference
from caicach.core.models import (
    AuditEvent,
    DocumentType,
    NumberSequence,
    RegisteredDocument,
    Unit,
)
from caicach.core.numbering import issue as numbering_issue
from caicach.core.numbering import register_external_number, register_number
from tests.conftest import Org, People
from tests.core.factories import take_number

DAY = datetime.date(2024, 5, 10)


def test_numbers_run_from_01_with_the_unit_symbol(org: Org, people: People) -> None:
    first = take_number(org.district, actor=people.admin)
    second = take_number(org.district, actor=people.admin)
    assert (first.number, second.number) == (1, 2)
    assert first.reference == "01/KH-UBND"
    assert second.symbol == "KH-UBND"
    assert first.created_by == people.admin


def test_numbers_restart_on_1_january(org: Org) -> None:
    take_number(org.district, day=datetime.date(2024, 12, 31))
    last_of_2024 = take_number(org.district, day=datetime.date(2024, 12, 31))
    first_of_2025 = take_number(org.district, day=datetime.date(2025, 1, 1))
    assert last_of_2024.number == 2
    assert (first_of_2025.year, first_of_2025.number) == (2025, 1)


def test_each_unit_and_document_type_has_its_own_sequence(org: Org) -> None:
    take_number(org.district)
    assert take_number(org.district, document_type=DocumentType.DECISION).reference == "01/QĐ-UBND"
    assert take_number(org.home_affairs).reference == "01/KH-SNV"
    assert take_number(org.district).number == 2


def test_taking_a_number_leaves_an_audit_event_linked_to_the_object(org: Org, people: People) -> None:
    document = register_number(
        unit=org.district, document_type="KH", year=2024, title="Kế hoạch", issued_on=DAY,
        actor=people.admin, obj=org.commune,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="document.number")
    assert event.object_id == str(document.pk)
    assert event.actor == people.admin
    assert event.changes["number"] == [None, "01/KH-UBND"]
    assert document.object_id == str(org.commune.pk)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"document_type": "XX"}, "Loại văn bản"),
        ({"year": 2023}, "Năm cấp số"),
        ({"title": "   "}, "trích yếu"),
    ],
)
def test_it_rejects_bad_requests(org: Org, kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "unit": org.district, "document_type": "KH", "year": 2024, "title": "Kế hoạch", "issued_on": DAY,
        "actor": None,
    }  # fmt: skip
    values.update(kwargs)
    with pytest.raises(ValidationError, match=message):
        register_number(**values)  # type: ignore[arg-type]
    assert not RegisteredDocument.objects.exists()


def test_it_rejects_a_unit_without_a_document_symbol(org: Org) -> None:
    unit = Unit.objects.create(code="NOSYM", name="Đơn vị chưa có ký hiệu", kind="other", document_symbol="")
    with pytest.raises(ValidationError, match="ký hiệu"):
        take_number(unit)


def test_an_external_number_moves_the_sequence_past_it(org: Org) -> None:
    take_number(org.district)
    manual = register_external_number(
        unit=org.district,
        document_type="KH",
        year=2024,
        number=7,
        title="Kế hoạch ký giấy",
        issued_on=DAY,
        actor=None,
    )
    assert manual.reference == "07/KH-UBND" == reference(7, manual.symbol)
    assert take_number(org.district).number == 8
    # A lower free number given by hand later does not move the sequence back.
    register_external_number(
        unit=org.district,
        document_type="KH",
        year=2024,
        number=4,
        title="Kế hoạch cũ",
        issued_on=DAY,
        actor=None,
    )
    assert NumberSequence.objects.get(unit=org.district, document_type="KH", year=2024).last_number == 8
    assert take_number(org.district).number == 9
    assert AuditEvent.objects.filter(action="document.number_external").count() == 2


def test_an_external_number_already_taken_is_refused(org: Org) -> None:
    take_number(org.district)
    with pytest.raises(ValidationError, match="01/KH-UBND"):
        register_external_number(
            unit=org.district,
            document_type="KH",
            year=2024,
            number=1,
            title="Trùng",
            issued_on=DAY,
            actor=None,
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_get_the_same_number(org: Org) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the in-memory SQLite test database cannot be shared between threads")
    threads_count, per_thread = 8, 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                take_number(org.district)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(RegisteredDocument.objects.filter(unit=org.district).values_list("number", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 1))


def test_an_official_letter_has_no_type_code_but_the_drafting_units_symbol(org: Org, people: People) -> None:
    """Decree 30/2020, Annex III: 'Số: 01/UBND-SNV', never '01/CV-UBND'."""
    letter = register_number(
        unit=org.province,
        document_type=DocumentType.OFFICIAL_LETTER,
        year=2024,
        title="V/v trả lời đơn",
        issued_on=datetime.date(2024, 9, 20),
        actor=people.admin,
        drafting_unit=org.home_affairs,
    )
    assert letter.reference == f"01/{org.province.document_symbol}-{org.home_affairs.document_symbol}"
    assert "CV" not in letter.reference


def test_an_official_letter_without_a_drafting_unit_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError, match="đơn vị soạn thảo"):
        register_number(
            unit=org.province,
            document_type=DocumentType.OFFICIAL_LETTER,
            year=2024,
            title="V/v trả lời đơn",
            issued_on=datetime.date(2024, 9, 20),
            actor=people.admin,
        )
    assert not RegisteredDocument.objects.exists()


def test_issue_numbers_links_stamps_moves_the_version_and_audits_in_one_step(
    org: Org, people: People
) -> None:
    # A draft campaign stands for any numbered object: issue() knows no domain model.
    from caicach.initiatives.campaigns.services import campaign_create
    from caicach.initiatives.demo import SEED_CAMPAIGN
    from caicach.initiatives.models import Campaign, CampaignStatus

    draft = campaign_create(
        actor=people.admin,
        data={**SEED_CAMPAIGN, "issuing_unit": org.province, "receiving_unit": org.home_affairs},
    )
    version = draft.version
    document = numbering_issue(
        obj=draft, document_field="registered_document", unit=org.province, document_type=DocumentType.PLAN,
        title="Kế hoạch phát động", issued_on=DAY, actor=people.reform_officer, action="campaign.publish",
        stamp={"issued_on": DAY, "status": CampaignStatus.PUBLISHED},
    )  # fmt: skip
    stored = Campaign.objects.get(pk=draft.pk)
    assert stored.registered_document == document and document.reference.startswith("01/KH-")
    assert (stored.issued_on, stored.status, stored.version) == (DAY, CampaignStatus.PUBLISHED, version + 1)
    assert document.object_id == str(draft.pk)
    event = AuditEvent.objects.filter(action="campaign.publish").get()
    assert event.changes["registered_document"] == [None, document.reference]
    assert event.changes["status"] == [CampaignStatus.DRAFT, CampaignStatus.PUBLISHED]
