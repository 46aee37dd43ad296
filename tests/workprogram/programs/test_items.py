"""Programs and their items: created and edited by the Office within its jurisdiction; an
item goes planned -> submitted -> issued through services that each write an audit event;
"overdue" is derived from the due month, never stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from caicach.core.audit.queries import describe
from caicach.core.models import AuditEvent, Role
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.workprogram.models import ItemStatus, ProgramItem, WorkProgram, WorkProgramSettings
from caicach.workprogram.programs.queries import is_overdue, overdue_q, settings_for, with_overdue
from caicach.workprogram.programs.services import (
    item_issue,
    item_submit,
    item_update,
    program_create,
    program_update,
)
from tests.conftest import Org, People
from tests.core.factories import make_unit, person
from tests.workprogram.factories import YEAR, add_item, make_program, month

pytestmark = pytest.mark.django_db


def events(action: str, obj: object) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).count()  # type: ignore[attr-defined]


# --- Programs ------------------------------------------------------------------------------------------


def test_an_office_officer_creates_the_program_of_their_committee(org: Org, people: People) -> None:
    program = program_create(
        actor=people.office_officer,
        data={"issuing_unit": org.province, "year": YEAR, "title": "  Chương trình công tác năm 2024  "},
    )
    assert program.title == "Chương trình công tác năm 2024"
    assert program.created_by == people.office_officer
    assert events("program.create", program) == 1


def test_an_office_officer_cannot_issue_a_program_for_another_jurisdiction(org: Org, people: People) -> None:
    other_province = make_unit("BD", name="Ủy ban nhân dân tỉnh Bình Dương", kind="province_committee")
    with pytest.raises(ValidationError) as error:
        program_create(
            actor=people.office_officer,
            data={"issuing_unit": other_province, "year": YEAR, "title": "Chương trình"},
        )
    assert "issuing_unit" in error.value.error_dict
    assert not WorkProgram.objects.exists()


def test_a_program_is_issued_by_a_committee_not_a_department(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        program_create(actor=people.admin, data={"issuing_unit": org.science, "year": YEAR, "title": "X"})
    assert "issuing_unit" in error.value.error_dict
    assert AuditEvent.objects.filter(action="program.create").count() == 0


def test_a_program_decided_on_an_absurd_date_is_refused(org: Org, people: People) -> None:
    data = {"issuing_unit": org.province, "year": YEAR, "title": "X", "decision_number": "1/QĐ-UBND"}
    for day in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as error:
            program_create(actor=people.admin, data={**data, "decision_date": day})
        assert error.value.message_dict["decision_date"][0].startswith(
            "Ngày quyết định phải từ ngày 01/01/2000"
        )
    assert not WorkProgram.objects.exists()


def test_a_stale_program_edit_is_refused(org: Org, people: People) -> None:
    program = make_program(org, people)
    program_update(actor=people.office_officer, program=program, data={"notes": "Lần 1"}, version=1)
    with pytest.raises(ValidationError) as error:
        program_update(actor=people.office_officer, program=program, data={"notes": "Lần 2"}, version=1)
    assert str(STALE_EDIT_MESSAGE) in error.value.messages
    program.refresh_from_db()
    assert program.notes == "Lần 1" and program.version == 2


# --- Items ---------------------------------------------------------------------------------------------


def test_an_item_keeps_its_first_due_month_and_folds_its_title_for_search(org: Org, people: People) -> None:
    program = make_program(org, people)
    item = add_item(
        program,
        people.office_officer,
        org.science,
        datetime.date(YEAR, 3, 17),
        title="Đề án Phát triển KHỞI NGHIỆP",
        leader=people.leader,
        coordinating=[org.home_affairs],
    )
    assert item.due_month == item.original_due_month == month(3)
    assert item.search_text == "de an phat trien khoi nghiep"
    assert item.position == 1
    assert list(item.coordinating_units.all()) == [org.home_affairs]
    event = AuditEvent.objects.get(action="item.create", object_id=str(item.pk))
    assert event.changes["coordinating_units"] == [None, [str(org.home_affairs)]]
    (row,) = [r for r in describe([event])[0].change_rows if r.field == "coordinating_units"]  # type: ignore[attr-defined]
    assert (row.label, row.after) == ("Cơ quan phối hợp", str(org.home_affairs))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due": datetime.date(YEAR + 1, 1, 1)}, "due_month"),
        ({"lead": "outside"}, "lead_unit"),
        ({"leader": "not_a_leader"}, "supervising_leader"),
        ({"title": "   "}, "title"),
        ({"coordinating": "lead"}, "coordinating_units"),
        ({"position": 2147483648}, "position"),  # past a PostgreSQL integer
    ],
)
def test_a_bad_item_is_refused_and_nothing_is_written(
    org: Org, people: People, change: dict[str, object], field: str
) -> None:
    program = make_program(org, people)
    lead = org.science
    outside = make_unit("HN", name="Ủy ban nhân dân thành phố Hà Nội", kind="province_committee")
    kwargs: dict[str, object] = {"leader": people.leader, "title": "Đề án A"}
    due = change.get("due", month(4))
    if change.get("lead") == "outside":
        lead = outside
    if change.get("leader") == "not_a_leader":
        kwargs["leader"] = people.unit_head
    if "title" in change:
        kwargs["title"] = change["title"]
    if change.get("coordinating") == "lead":
        kwargs["coordinating"] = [org.science]
    if "position" in change:
        kwargs["position"] = change["position"]
    with pytest.raises(ValidationError) as error:
        add_item(program, people.office_officer, lead, due, **kwargs)  # type: ignore[arg-type]
    assert field in error.value.error_dict
    assert not ProgramItem.objects.exists()
    assert not AuditEvent.objects.filter(action="item.create").exists()


def test_an_item_edit_changes_its_description_but_never_its_due_month(org: Org, people: People) -> None:
    program = make_program(org, people)
    item = add_item(program, people.office_officer, org.science, month(3), title="Đề án cũ")
    with pytest.raises(TypeError):
        item_update(
            actor=people.office_officer, item=item, data={"due_month": month(9)}, version=item.version
        )
    item = item_update(
        actor=people.office_officer,
        item=item,
        data={"title": "Đề án mới", "coordinating_units": [org.home_affairs]},
        version=item.version,
    )
    assert item.title == "Đề án mới" and item.search_text == "de an moi" and item.version == 2
    assert item.due_month == month(3)
    assert events("item.update", item) == 1
    with pytest.raises(ValidationError):
        item_update(actor=people.office_officer, item=item, data={"title": "Lần nữa"}, version=1)
    item.refresh_from_db()
    assert item.title == "Đề án mới"


# --- Lifecycle -----------------------------------------------------------------------------------------


def test_an_item_is_submitted_then_issued_each_step_audited(org: Org, people: People) -> None:
    item = add_item(make_program(org, people), people.office_officer, org.science, month(3))
    item = item_submit(
        actor=people.unit_staff,
        item=item,
        submitted_on=datetime.date(YEAR, 3, 20),
        reference=" 45/TTr-SKHCN ",
        version=item.version,
    )
    assert item.status == ItemStatus.SUBMITTED and item.submission_reference == "45/TTr-SKHCN"
    item = item_issue(
        actor=people.office_officer,
        item=item,
        issued_on=datetime.date(YEAR, 4, 2),
        reference="12/2024/QĐ-UBND",
        version=item.version,
    )
    assert item.status == ItemStatus.ISSUED and item.issued_on == datetime.date(YEAR, 4, 2)
    assert events("item.submit", item) == 1 and events("item.issue", item) == 1
    event = AuditEvent.objects.get(action="item.issue", object_id=str(item.pk))
    assert event.changes["status"] == [ItemStatus.SUBMITTED, ItemStatus.ISSUED]


def test_an_item_cannot_be_issued_before_it_is_submitted_nor_before_its_submission_day(
    org: Org, people: People
) -> None:
    item = add_item(make_program(org, people), people.office_officer, org.science, month(3))
    with pytest.raises(ValidationError):
        item_issue(
            actor=people.office_officer,
            item=item,
            issued_on=datetime.date(YEAR, 4, 2),
            reference="12/QĐ-UBND",
            version=item.version,
        )
    item = item_submit(
        actor=people.office_officer,
        item=item,
        submitted_on=datetime.date(YEAR, 3, 20),
        reference="45/TTr-SKHCN",
        version=item.version,
    )
    with pytest.raises(ValidationError) as error:
        item_issue(
            actor=people.office_officer,
            item=item,
            issued_on=datetime.date(YEAR, 3, 1),
            reference="12/QĐ-UBND",
            version=item.version,
        )
    assert "issued_on" in error.value.error_dict
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and item.issued_on is None
    assert events("item.issue", item) == 0


def test_a_submission_needs_its_reference_a_past_day_and_a_fresh_page(org: Org, people: People) -> None:
    item = add_item(make_program(org, people), people.office_officer, org.science, month(3))
    for submitted_on, reference, version in (
        (datetime.date(YEAR, 3, 20), "  ", item.version),
        (datetime.date(2999, 1, 1), "45/TTr-SKHCN", item.version),
        (datetime.date(1, 1, 1), "45/TTr-SKHCN", item.version),
        (datetime.date(YEAR, 3, 20), "45/TTr-SKHCN", item.version + 1),
    ):
        with pytest.raises(ValidationError):
            item_submit(
                actor=people.office_officer,
                item=item,
                submitted_on=submitted_on,
                reference=reference,
                version=version,
            )
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED and events("item.submit", item) == 0


# --- Overdue -------------------------------------------------------------------------------------------


def test_overdue_means_planned_past_the_last_day_of_the_due_month(org: Org, people: People) -> None:
    program = make_program(org, people)
    march = add_item(program, people.office_officer, org.science, month(3))
    april = add_item(program, people.office_officer, org.science, month(4))
    submitted = add_item(program, people.office_officer, org.science, month(2))
    item_submit(
        actor=people.office_officer,
        item=submitted,
        submitted_on=datetime.date(YEAR, 3, 25),
        reference="1/TTr",
        version=1,
    )
    for today, expected in (
        (datetime.date(YEAR, 3, 31), set()),
        (datetime.date(YEAR, 4, 1), {march.pk}),
        (datetime.date(YEAR, 5, 1), {march.pk, april.pk}),
    ):
        found = set(ProgramItem.objects.filter(overdue_q(today)).values_list("pk", flat=True))
        assert found == expected, today
        annotated = {i.pk for i in with_overdue(ProgramItem.objects.all(), today) if i.is_overdue}  # type: ignore[attr-defined]
        in_memory = {i.pk for i in ProgramItem.objects.all() if is_overdue(i, today)}
        assert annotated == in_memory == expected


def test_the_grace_days_are_a_committee_setting_defaulting_to_none(org: Org, people: People) -> None:
    program = make_program(org, people)
    march = add_item(program, people.office_officer, org.science, month(3))
    defaults = settings_for(org.province)
    assert defaults.pk is None and defaults.overdue_grace_days == 0 and defaults.report_day == 15
    WorkProgramSettings.objects.create(unit=org.province, overdue_grace_days=5)
    grace = settings_for(org.province).overdue_grace_days
    assert grace == 5
    assert not ProgramItem.objects.filter(overdue_q(datetime.date(YEAR, 4, 5), grace)).exists()
    assert list(ProgramItem.objects.filter(overdue_q(datetime.date(YEAR, 4, 6), grace))) == [march]


def test_an_office_officer_of_a_district_keeps_the_district_program_only(org: Org, people: People) -> None:
    district_office = person("vp.huyen", org.district_home_affairs, Role.OFFICE_OFFICER)
    program_create(
        actor=district_office, data={"issuing_unit": org.district, "year": YEAR, "title": "CT huyện"}
    )
    with pytest.raises(ValidationError):
        program_create(actor=district_office, data={"issuing_unit": org.province, "year": YEAR, "title": "X"})
