"""The access contract: every work-program service checks the rule itself, so a view, the
API and a background task calling it meet the same refusal — and a refused call changes
nothing (no row, no version, no audit event)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ProgramItem,
    WorkProgram,
)
from caicach.workprogram.programs.services import (
    adjustment_reason_create,
    adjustment_reason_update,
    adjustment_request_approve,
    adjustment_request_reject,
    item_create,
    item_issue,
    item_submit,
    item_update,
    program_create,
    program_settings_update,
    program_update,
)
from tests.conftest import Org, People
from tests.refusals import assert_refused
from tests.workprogram.factories import YEAR, Scene, file_request, make_scene, month, reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


def state() -> tuple[Any, ...]:
    return (
        WorkProgram.objects.count(),
        list(ProgramItem.objects.order_by("pk").values_list("version", "status", "title")),
        list(AdjustmentRequest.objects.order_by("pk").values_list("version", "status")),
        list(AdjustmentReason.objects.order_by("pk").values_list("label", "is_active")),
    )


def refused(call: Callable[[], Any]) -> None:
    assert_refused(call, state)


def test_only_an_office_creates_a_program(org: Org, people: People) -> None:
    data = {"issuing_unit": org.province, "year": YEAR + 1, "title": "Chương trình công tác năm 2025"}
    for outsider in (people.unit_staff, people.unit_head, people.leader, people.outsider):
        refused(partial(program_create, actor=outsider, data=data))


def test_only_the_covering_office_changes_a_program_or_adds_items(scene: Scene, people: People) -> None:
    program = scene.program
    for actor in (people.unit_staff, people.leader, people.outsider):
        refused(
            partial(
                program_update, actor=actor, program=program, data={"title": "Khác"}, version=program.version
            )
        )
        refused(
            partial(item_create,
                actor=actor, program=program,
                data={"title": "Nội dung chen ngang", "submission_kind": "committee",
                      "lead_unit": scene.science_item.lead_unit, "due_month": month(8)},
            )
        )  # fmt: skip


def test_only_the_office_edits_or_issues_an_item_and_only_it_or_the_lead_unit_records_a_submission(
    scene: Scene, people: People
) -> None:
    item = scene.science_item
    for actor in (people.unit_staff, people.leader, people.outsider):
        refused(partial(item_update, actor=actor, item=item, data={"title": "Khác"}, version=item.version))
        refused(
            partial(
                item_issue,
                actor=actor,
                item=item,
                issued_on=datetime.date(YEAR, 3, 5),
                reference="01/QĐ-UBND",
                version=item.version,
            )
        )
    for actor in (people.leader, people.outsider):
        refused(
            partial(item_submit,
                actor=actor, item=item, submitted_on=datetime.date(YEAR, 3, 1), reference="01/TTr-SKHCN",
                version=item.version,
            )
        )  # fmt: skip


def test_only_the_lead_units_people_file_a_request(scene: Scene, people: People) -> None:
    for actor in (people.office_officer, people.leader, people.outsider):
        refused(partial(file_request, scene.science_item, actor))
    refused(
        lambda: (
            file_request(scene.science_item, people.unit_staff, kind=AdjustmentKind.WITHDRAW)
            if False
            else file_request(scene.home_affairs_item, people.unit_staff)
        )
    )


def test_only_the_deciding_leader_approves_or_rejects(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_staff, proposed_month=month(7))
    for actor in (people.office_officer, people.unit_head, people.committee_member, people.outsider):
        refused(partial(adjustment_request_approve, actor=actor, request=request, version=request.version))
        refused(
            partial(
                adjustment_request_reject,
                actor=actor,
                request=request,
                note="Không.",
                version=request.version,
            )
        )
    approved = adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    assert approved.status == "approved"


def test_only_the_office_covering_a_committee_changes_its_settings(org: Org, people: People) -> None:
    for actor in (people.unit_head, people.leader, people.outsider):
        refused(
            partial(
                program_settings_update, actor=actor, unit=org.province, data={"report_day": 10}, version=None
            )
        )


def test_only_the_provinces_office_keeps_the_list_of_reasons(people: People) -> None:
    current = reason()
    for actor in (people.unit_staff, people.leader, people.reform_officer, people.outsider):
        refused(partial(adjustment_reason_create, actor=actor, data={"code": "new", "label": "Lý do mới"}))
        refused(partial(adjustment_reason_update, actor=actor, reason=current, data={"label": "Sửa"}))


def test_the_office_and_the_leader_still_may(scene: Scene, people: People, org: Org) -> None:
    """The refusals above are the rule's, not a blanket denial."""
    item = item_update(actor=people.office_officer, item=scene.district_item, data={"title": "Đề án mới"},
                       version=scene.district_item.version)  # fmt: skip
    assert item.title == "Đề án mới"
    settings = program_settings_update(
        actor=people.office_officer, unit=org.province, data={"report_day": 10}, version=None
    )
    assert settings.report_day == 10
