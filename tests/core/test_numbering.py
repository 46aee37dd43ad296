"""The numbering register: next number per unit, type and year; manual numbers; the
register page."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from caicach.core.document_numbers import reference
from caicach.core.models import (
    AuditEvent,
    DocumentType,
    Membership,
    NumberSequence,
    RegisteredDocument,
    Role,
    Unit,
    User,
)
from caicach.core.numbering import issue as numbering_issue
from caicach.core.numbering import register_external_number, register_number
from tests.conftest import Org, People
from tests.core.factories import person

DAY = datetime.date(2024, 5, 10)


def take(
    unit: Unit, day: datetime.date = DAY, document_type: str = DocumentType.PLAN, actor: User | None = None
) -> RegisteredDocument:
    return register_number(
        unit=unit,
        document_type=document_type,
        year=day.year,
        title="Kế hoạch thử nghiệm",
        issued_on=day,
        actor=actor,
    )


def test_numbers_run_from_01_with_the_unit_symbol(org: Org, people: People) -> None:
    first = take(org.district, actor=people.admin)
    second = take(org.district, actor=people.admin)
    assert (first.number, second.number) == (1, 2)
    assert first.reference == "01/KH-UBND"
    assert second.symbol == "KH-UBND"
    assert first.created_by == people.admin


def test_numbers_restart_on_1_january(org: Org) -> None:
    take(org.district, day=datetime.date(2024, 12, 31))
    last_of_2024 = take(org.district, day=datetime.date(2024, 12, 31))
    first_of_2025 = take(org.district, day=datetime.date(2025, 1, 1))
    assert last_of_2024.number == 2
    assert (first_of_2025.year, first_of_2025.number) == (2025, 1)


def test_each_unit_and_document_type_has_its_own_sequence(org: Org) -> None:
    take(org.district)
    assert take(org.district, document_type=DocumentType.DECISION).reference == "01/QĐ-UBND"
    assert take(org.home_affairs).reference == "01/KH-SNV"
    assert take(org.district).number == 2


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
        take(unit)


def test_an_external_number_moves_the_sequence_past_it(org: Org) -> None:
    take(org.district)
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
    assert take(org.district).number == 8
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
    assert take(org.district).number == 9
    assert AuditEvent.objects.filter(action="document.number_external").count() == 2


def test_an_external_number_already_taken_is_refused(org: Org) -> None:
    take(org.district)
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
                take(org.district)
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


# --- The register page ---------------------------------------------------------------------


def register_url(**params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("document_register") + (f"?{query}" if query else "")


@pytest.fixture
def numbered(org: Org) -> None:
    for _ in range(30):
        take(org.district)
    take(org.science, document_type=DocumentType.REPORT)
    take(org.home_affairs, day=datetime.date(2023, 3, 1))


def test_anonymous_users_are_sent_to_log_in(client: Client, org: Org) -> None:
    response = client.get(register_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "unit_staff", "council_member", "committee_member"])
def test_people_without_a_register_role_get_404(client: Client, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    assert client.get(register_url()).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "office_officer"])
def test_admins_and_the_office_see_every_unit(
    client: Client, people: People, numbered: None, persona: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(getattr(people, persona))
    with django_assert_max_num_queries(12):
        response = client.get(register_url())
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 32
    assert len(page.object_list) == 25
    assert "30/KH-UBND" in response.content.decode()


def test_the_query_count_does_not_grow_with_rows(
    client: Client, people: People, org: Org, django_assert_max_num_queries: Any
) -> None:
    take(org.district)
    client.force_login(people.admin)
    client.get(register_url())
    for _ in range(40):
        take(org.district)
    with django_assert_max_num_queries(12):
        assert client.get(register_url(page=2)).status_code == 200


def test_a_unit_head_sees_only_their_units_numbers(client: Client, people: People, numbered: None) -> None:
    client.force_login(people.unit_head)
    response = client.get(register_url())
    assert response.status_code == 200
    assert [d.reference for d in response.context["page_obj"]] == ["01/BC-SKHCN"]


def test_the_provinces_reform_officer_sees_the_whole_province(
    client: Client, people: People, numbered: None
) -> None:
    client.force_login(people.reform_officer)  # Department of Home Affairs, under the province
    assert client.get(register_url()).context["page_obj"].paginator.count == 32


def test_a_district_reform_officer_sees_only_the_district(client: Client, org: Org, numbered: None) -> None:
    take(org.district_home_affairs, document_type=DocumentType.REPORT)
    take(org.commune, document_type=DocumentType.REPORT)
    client.force_login(person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER))
    page = client.get(register_url()).context["page_obj"]
    assert page.paginator.count == 31  # the district's 30 plans and its division's report
    assert {d.unit_id for d in page.paginator.object_list} == {org.district.pk, org.district_home_affairs.pk}


def test_filters_by_unit_type_and_year(client: Client, people: People, org: Org, numbered: None) -> None:
    client.force_login(people.admin)
    by_unit = client.get(register_url(unit=org.science.pk)).context["page_obj"]
    assert [d.reference for d in by_unit] == ["01/BC-SKHCN"]
    by_type = client.get(register_url(document_type="KH")).context["page_obj"]
    assert by_type.paginator.count == 31
    by_year = client.get(register_url(year=2023)).context["page_obj"]
    assert [d.reference for d in by_year] == ["01/KH-SNV"]


def test_a_unit_head_cannot_filter_into_another_unit(
    client: Client, people: People, org: Org, numbered: None
) -> None:
    client.force_login(people.unit_head)
    response = client.get(register_url(unit=org.district.pk))
    assert response.status_code == 200
    # The unit is not a valid choice for them: the filter is ignored, the scope stays.
    assert [d.reference for d in response.context["page_obj"]] == ["01/BC-SKHCN"]


def test_a_head_of_a_second_unit_sees_both(client: Client, org: Org, numbered: None) -> None:
    head = person("truong2", org.science, Role.UNIT_HEAD)
    Membership.objects.create(user=head, unit=org.district, role=Role.UNIT_HEAD)
    client.force_login(head)
    assert client.get(register_url()).context["page_obj"].paginator.count == 31


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
