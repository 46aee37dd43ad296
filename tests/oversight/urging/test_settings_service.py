"""The committee's follow-up settings: the Office of the committee only, within bounds,
against the version it read; a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.oversight.models import OversightSettings
from caicach.oversight.urging.queries import settings_for
from caicach.oversight.urging.services import oversight_settings_update
from tests.conftest import Org, People

pytestmark = pytest.mark.django_db

DATA = {"remind_before_working_days": 2, "overdue_every_working_days": 4}


def test_defaults_without_a_row(org: Org) -> None:
    rules = settings_for(org.province)
    assert rules.pk is None
    assert (rules.remind_before_working_days, rules.overdue_every_working_days) == (3, 5)
    assert (rules.due_soon_working_days, rules.repeated_overdue_after) == (5, 2)


def test_the_office_sets_and_changes(org: Org, people: People) -> None:
    row = oversight_settings_update(actor=people.office_officer, unit=org.province, data=DATA, version=None)
    assert (row.remind_before_working_days, row.version) == (2, 1)
    row = oversight_settings_update(
        actor=people.office_officer, unit=org.province, data={"repeated_overdue_after": 4}, version=1
    )
    assert (row.repeated_overdue_after, row.version) == (4, 2)


@pytest.mark.parametrize("who", ["leader", "unit_head", "outsider", "reform_officer"])
def test_others_are_refused(org: Org, people: People, who: str) -> None:
    with pytest.raises(PermissionDenied):
        oversight_settings_update(actor=getattr(people, who), unit=org.province, data=DATA, version=None)
    assert not OversightSettings.objects.exists()


def test_a_unit_that_is_not_a_committee_is_refused(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        oversight_settings_update(actor=people.office_officer, unit=org.science, data=DATA, version=None)
    assert not OversightSettings.objects.exists()


def test_out_of_bounds_and_stale_are_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as refusal:
        oversight_settings_update(
            actor=people.office_officer,
            unit=org.province,
            data={"remind_before_working_days": 31, "overdue_every_working_days": 0},
            version=None,
        )
    assert set(refusal.value.message_dict) == {"remind_before_working_days", "overdue_every_working_days"}
    oversight_settings_update(actor=people.office_officer, unit=org.province, data=DATA, version=None)
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        oversight_settings_update(
            actor=people.office_officer, unit=org.province, data={"repeated_overdue_after": 9}, version=0
        )
    with pytest.raises(ValidationError, match="tải lại trang"):
        oversight_settings_update(actor=people.office_officer, unit=org.province, data=DATA, version=None)
    assert OversightSettings.objects.get().repeated_overdue_after == 2
