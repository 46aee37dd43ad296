"""The access contract for core's services: each checks the rule itself (administrators
keep the organisation, the people and the calendar), so a page, the API or a task meet
the same refusal, and a refused call changes nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from openpyxl import Workbook

from caicach.core.accounts.queries import user_fingerprint
from caicach.core.accounts.services import (
    membership_add,
    membership_remove,
    user_create,
    user_set_active,
    user_set_password,
    user_update,
)
from caicach.core.calendar.services import calendar_day_remove, calendar_day_set, calendar_load_official
from caicach.core.models import CalendarDay, CalendarDayKind, Membership, Role, Unit, User
from caicach.core.units.services import unit_create, unit_import_xlsx, unit_merge, unit_update
from tests.conftest import Org, People
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


def state() -> tuple[Any, ...]:
    return (
        list(Unit.objects.order_by("pk").values_list("version", "name", "valid_to", "successor_id")),
        list(User.objects.order_by("pk").values_list("username", "is_active", "password", "unit_id")),
        list(Membership.objects.order_by("pk").values_list("role", "unit_id", "is_active")),
        list(CalendarDay.objects.order_by("pk").values_list("date", "kind", "description")),
    )


def refused(call: Callable[[], Any]) -> None:
    assert_refused(call, state)


def not_admins(people: People) -> list[User]:
    return [people.reform_officer, people.office_officer, people.unit_head, people.leader, people.outsider]


def test_only_administrators_keep_the_organisation(org: Org, people: People) -> None:
    sheet = Workbook()
    worksheet = sheet.active
    assert worksheet is not None
    worksheet.append(["Mã", "Tên đơn vị", "Loại"])
    content = io.BytesIO()
    sheet.save(content)
    for actor in not_admins(people):
        refused(
            partial(unit_create, actor=actor, data={"code": "MOI", "name": "Đơn vị mới", "kind": "other"})
        )
        refused(partial(unit_update, actor=actor, unit=org.commune, data={"name": "Khác"},
                        expected_version=org.commune.version))  # fmt: skip
        refused(partial(unit_merge, actor=actor, unit=org.commune, successor=org.other_commune,
                        effective_date=datetime.date(2025, 7, 1),
                        expected_version=org.commune.version))  # fmt: skip
        content.seek(0)
        refused(partial(unit_import_xlsx, actor=actor, file=content))


def test_only_administrators_keep_accounts_and_roles(org: Org, people: People) -> None:
    membership = Membership.objects.filter(user=people.unit_staff).first()
    assert membership is not None
    for actor in not_admins(people):
        refused(partial(user_create, actor=actor, data={"username": "moi", "full_name": "Người Mới"},
                        password="Mat-khau-rat-dai-2026"))  # fmt: skip
        refused(partial(user_update, user=people.unit_staff, actor=actor, data={"full_name": "Khác"},
                        fingerprint=user_fingerprint(people.unit_staff)))  # fmt: skip
        refused(partial(user_set_active, user=people.unit_staff, actor=actor, is_active=False))
        refused(partial(user_set_password, user=people.unit_staff, actor=actor, password="Mat-khau-moi-2026"))
        refused(
            partial(membership_add, actor=actor, user=people.unit_staff, unit=org.province, role=Role.LEADER)
        )
        refused(partial(membership_remove, actor=actor, membership=membership))


def test_only_administrators_keep_the_calendar(people: People) -> None:
    day = calendar_day_set(
        actor=people.admin, date=datetime.date(2026, 12, 4), kind=CalendarDayKind.DAY_OFF,
        description="Nghỉ bù theo thông báo",
    )  # fmt: skip
    for actor in not_admins(people):
        refused(partial(calendar_day_set, actor=actor, date=datetime.date(2026, 12, 7),
                        kind=CalendarDayKind.DAY_OFF, description="Nghỉ thêm"))  # fmt: skip
        refused(partial(calendar_day_remove, actor=actor, day=day))
        refused(partial(calendar_load_official, actor=actor))
