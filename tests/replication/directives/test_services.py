"""Drafting, issuing and extending replication directives through the services."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.models import AuditEvent, Notification, Unit, UnitKind
from caicach.core.units.services import unit_merge
from caicach.replication.directives.services import (
    AssignmentDraft,
    ListingDraft,
    assignment_add,
    directive_create,
    directive_issue,
    directive_practices_set,
    directive_update,
    obligations_extend,
)
from caicach.replication.models import (
    AssignmentRole,
    Directive,
    DirectiveStatus,
    Obligation,
    PracticeStatus,
    TargetGroup,
)
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.replication.directives.conftest import ISSUED_ON, Tree, draft
from tests.replication.factories import make_practice

pytestmark = pytest.mark.django_db


def _independent_count(org: Org, tree: Tree) -> dict[tuple[str, int], set[int]]:
    """Who should be obliged, counted from the fixture by hand, not through the expansion."""
    departments = {org.home_affairs.pk, org.office.pk, org.science.pk}
    districts = {org.district.pk, tree.other_district.pk}
    communes = {c.pk for c in tree.district_communes} | {tree.other_district_commune.pk}
    return {
        ("departments", 1): departments,
        ("districts", 5): districts | communes,
        ("study", 1): {org.science.pk},
    }


def test_issuing_expands_each_assignment_to_one_obligation_per_unit_and_practice(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        issued = directive_issue(
            actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version
        )
    expected = _independent_count(org, tree)
    rows = list(Obligation.objects.filter(directive=issued))
    assert len(rows) == sum(len(units) * count for (_, count), units in expected.items())
    model_two = {
        row.unit_id for row in rows if row.practice_id == drafted.models[1].pk and row.role == "apply"
    }
    assert model_two == expected[("departments", 1)] | expected[("districts", 5)]
    # Communes directly under the province are not "communes of the districts".
    assert not any(row.unit_id in (org.commune.pk, org.other_commune.pk) for row in rows)
    study = [row for row in rows if row.role == AssignmentRole.STUDY]
    assert [(row.unit_id, row.due_on) for row in study] == [(org.science.pk, datetime.date(2024, 6, 30))]
    assert {row.starts_on for row in rows} == {ISSUED_ON}


def test_issuing_numbers_the_letter_without_a_type_code_and_records_the_signer(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        issued = directive_issue(
            actor=people.leader, directive=drafted.directive, version=drafted.directive.version
        )
    assert issued.status == DirectiveStatus.ISSUED and issued.issued_on == ISSUED_ON
    assert issued.registered_document is not None
    assert issued.registered_document.reference == "01/UBND-SNV"
    assert (issued.signer_authority, issued.signer_title, issued.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Chủ Tịch",
    )
    assert issued.document_file
    assert AuditEvent.objects.filter(action="replication_directive.issue").count() == 1
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {tree.district_head.pk, tree.commune_head.pk, people.unit_head.pk} <= told


def test_issuing_twice_is_refused_with_a_message(org: Org, people: People, tree: Tree) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        directive_issue(actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version)
        count = Obligation.objects.count()
        with pytest.raises(ValidationError, match="đã được ban hành"):
            directive_issue(
                actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version
            )
    assert Obligation.objects.count() == count


def test_home_affairs_drafts_but_only_a_leader_of_the_committee_issues(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        for actor in (people.reform_officer, people.admin, tree.district_head):
            with pytest.raises(PermissionDenied):
                directive_issue(actor=actor, directive=drafted.directive, version=drafted.directive.version)
    drafted.directive.refresh_from_db()
    assert drafted.directive.status == DirectiveStatus.DRAFT
    assert not Obligation.objects.exists()


def test_a_target_outside_the_committee_is_refused_and_changes_nothing(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer, with_assignments=False)
    elsewhere = make_unit("KHAC", name="Sở Nội vụ tỉnh Long An", kind=UnitKind.DEPARTMENT)
    directive = drafted.directive
    with pytest.raises(ValidationError) as refused:
        assignment_add(
            actor=people.reform_officer,
            directive=directive,
            version=directive.version,
            draft=AssignmentDraft(practices=[drafted.models[0]], target_unit=elsewhere),
        )
    assert "không thuộc phạm vi quản lý" in str(refused.value)
    with pytest.raises(ValidationError, match="UBND cấp huyện"):
        assignment_add(
            actor=people.reform_officer,
            directive=directive,
            version=directive.version,
            draft=AssignmentDraft(
                practices=[drafted.models[0]], target_group=TargetGroup.COMMUNES_OF, target_unit=org.science
            ),
        )
    assert not directive.assignments.exists()
    assert Directive.objects.get(pk=directive.pk).version == directive.version


def test_a_stale_edit_is_refused(org: Org, people: People, tree: Tree) -> None:
    drafted = draft(org, people.reform_officer, with_assignments=False)
    directive = drafted.directive
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        directive_update(
            actor=people.reform_officer,
            directive=directive,
            version=directive.version - 1,
            title="Tiêu đề mới",
            document_type="CV",
            legal_basis="",
            preamble="",
            closing="",
            coordinator_unit=org.home_affairs,
            reporting_cycle="quarterly",
            recipients="",
        )
    assert Directive.objects.get(pk=directive.pk).title == directive.title


def test_a_commune_created_later_gets_its_obligations_only_when_home_affairs_extends(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        issued = directive_issue(
            actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version
        )
    before = Obligation.objects.count()
    new_commune = make_unit(
        "CTH-X9", name="Ủy ban nhân dân xã Mới", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
    )
    assert Obligation.objects.count() == before
    with on_day(datetime.date(2024, 5, 2)):
        created = obligations_extend(actor=people.reform_officer, directive=issued)
        assert created == 5  # models 1–3 and solutions 1.1–1.2
        assert set(Obligation.objects.filter(unit=new_commune).values_list("starts_on", flat=True)) == {
            datetime.date(2024, 5, 2)
        }
        with pytest.raises(ValidationError, match="Không có đơn vị mới"):
            obligations_extend(actor=people.reform_officer, directive=issued)
    assert Obligation.objects.count() == before + 5


def test_a_merged_commune_hands_its_open_obligations_to_its_successor(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        directive_issue(actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version)
    merged, successor = tree.district_communes
    # Both communes merge into one: the second finds the successor already holding the same
    # obligations, so it keeps its own and the old ones just end.
    lone = make_unit(
        "CTH-X3", name="Ủy ban nhân dân xã Lẻ", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province
    )
    with on_day(datetime.date(2025, 6, 20)):
        unit_merge(
            actor=people.admin,
            unit=Unit.objects.get(pk=merged.pk),
            successor=lone,
            effective_date=datetime.date(2025, 7, 1),
            expected_version=Unit.objects.get(pk=merged.pk).version,
        )
        unit_merge(
            actor=people.admin,
            unit=Unit.objects.get(pk=successor.pk),
            successor=lone,
            effective_date=datetime.date(2025, 7, 1),
            expected_version=Unit.objects.get(pk=successor.pk).version,
        )
    handed = Obligation.objects.filter(unit=lone)
    assert handed.count() == 5
    assert all(
        row.transferred_from is not None and row.transferred_from.unit_id == merged.pk for row in handed
    )
    assert set(handed.values_list("starts_on", flat=True)) == {datetime.date(2025, 7, 1)}
    ended = Obligation.objects.filter(unit_id__in=[merged.pk, successor.pk])
    assert set(ended.values_list("ended_on", flat=True)) == {datetime.date(2025, 6, 30)}


def test_a_unit_without_a_head_is_told_through_its_staff(org: Org, people: People, tree: Tree) -> None:
    drafted = draft(org, people.reform_officer)
    staff_only = tree.district_communes[1]
    clerk = person("vanthuxa", staff_only, "unit_staff", full_name="Văn Thư Xã")
    with on_day(ISSUED_ON):
        directive_issue(actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert clerk.pk in told and tree.commune_head.pk in told
    # The Science department has a head: its staff are not told separately.
    assert people.unit_staff.pk not in told


def test_a_decomposed_or_overlong_title_is_cleaned_or_refused(org: Org, people: People, tree: Tree) -> None:
    decomposed = unicodedata.normalize("NFD", "Nhân rộng mô hình hay")
    directive = directive_create(actor=people.reform_officer, issuing_unit=org.province, title=decomposed)
    assert directive.title == unicodedata.normalize("NFC", decomposed)
    with pytest.raises(ValidationError, match="500 ký tự"):
        directive_create(actor=people.reform_officer, issuing_unit=org.province, title="x" * 501)
    assert Directive.objects.count() == 1
    with pytest.raises(PermissionDenied):
        directive_create(actor=people.unit_head, issuing_unit=org.province, title="Văn bản")
    with pytest.raises(PermissionDenied):
        directive_create(actor=people.reform_officer, issuing_unit=org.science, title="Văn bản")


def test_only_the_committees_accepted_practices_are_listed_and_an_assigned_one_stays(
    org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    directive = drafted.directive
    proposed = make_practice(org, status=PracticeStatus.PROPOSED)
    foreign = make_practice(org, committee=org.district)
    before = list(directive.listed_practices.values_list("practice_id", "label"))
    for practice in (proposed, foreign):
        with pytest.raises(ValidationError, match="đã được chọn để nhân rộng"):
            directive_practices_set(
                actor=people.reform_officer,
                directive=directive,
                version=directive.version,
                listings=[ListingDraft(practice=practice)],
            )
    with pytest.raises(ValidationError, match="đang được giao"):
        directive_practices_set(
            actor=people.reform_officer,
            directive=directive,
            version=directive.version,
            listings=[ListingDraft(practice=drafted.models[0])],
        )
    with pytest.raises(ValidationError, match="một lần"):
        directive_practices_set(
            actor=people.reform_officer,
            directive=directive,
            version=directive.version,
            listings=[ListingDraft(practice=drafted.models[0]), ListingDraft(practice=drafted.models[0])],
        )
    assert list(directive.listed_practices.values_list("practice_id", "label")) == before
    with pytest.raises(PermissionDenied):
        directive_practices_set(
            actor=tree.chairman, directive=directive, version=directive.version, listings=[]
        )


def test_an_issued_directive_is_read_only(org: Org, people: People, tree: Tree) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        issued = directive_issue(
            actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version
        )
    for attempt in (
        lambda: assignment_add(
            actor=people.reform_officer,
            directive=issued,
            version=issued.version,
            draft=AssignmentDraft(practices=[drafted.models[0]], target_unit=org.office),
        ),
        lambda: directive_practices_set(
            actor=people.reform_officer, directive=issued, version=issued.version, listings=[]
        ),
    ):
        with pytest.raises(ValidationError, match="đã ban hành"):
            attempt()
    assert issued.assignments.count() == 3
