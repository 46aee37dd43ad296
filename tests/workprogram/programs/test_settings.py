"""What a province sets differently from seed 001 (the report day, the reminder, the grace
before "overdue") and the list of allowed reasons: kept by the Office, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Role, User
from caicach.workprogram.models import AdjustmentReason, WorkProgramSettings
from caicach.workprogram.programs.forms import AdjustmentRequestForm
from caicach.workprogram.programs.queries import settings_for
from caicach.workprogram.programs.services import (
    adjustment_reason_create,
    adjustment_reason_update,
    program_settings_update,
)
from tests.conftest import Org, People
from tests.core.factories import person

pytestmark = pytest.mark.django_db

PERSONAS = (
    "admin",
    "office_officer",
    "reform_officer",
    "unit_head",
    "unit_staff",
    "council_member",
    "committee_member",
    "leader",
    "outsider",
)


def test_the_office_sets_its_committees_numbers_and_the_change_is_audited(org: Org, people: People) -> None:
    assert settings_for(org.province).pk is None
    saved = program_settings_update(
        actor=people.office_officer,
        unit=org.province,
        data={"report_day": 10, "overdue_grace_days": 3},
        version=None,
    )
    assert (saved.report_day, saved.report_reminder_working_days, saved.overdue_grace_days) == (10, 3, 3)
    assert settings_for(org.province).report_day == 10
    event = AuditEvent.objects.get(action="workprogram_settings.update")
    assert event.changes["report_day"] == [15, 10]
    saved = program_settings_update(
        actor=people.office_officer, unit=org.province, data={"report_day": 12}, version=saved.version
    )
    assert saved.version == 2
    with pytest.raises(ValidationError):  # the page was built from version 1
        program_settings_update(
            actor=people.office_officer, unit=org.province, data={"report_day": 5}, version=1
        )
    assert settings_for(org.province).report_day == 12


@pytest.mark.parametrize(
    "data",
    [{"report_day": 1}, {"report_day": 31}, {"overdue_grace_days": -1}, {"report_reminder_working_days": 30}],
)
def test_impossible_numbers_are_refused_and_nothing_is_saved(
    org: Org, people: People, data: dict[str, int]
) -> None:
    with pytest.raises(ValidationError):
        program_settings_update(actor=people.office_officer, unit=org.province, data=data, version=None)
    assert not WorkProgramSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="workprogram_settings.update").exists()


def test_settings_belong_to_a_committee(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        program_settings_update(actor=people.admin, unit=org.science, data={"report_day": 10}, version=None)


def test_a_retired_reason_is_no_longer_offered_but_keeps_its_code(people: People) -> None:
    reason = AdjustmentReason.objects.get(code="steering_needs")
    adjustment_reason_update(actor=people.office_officer, reason=reason, data={"is_active": False})
    page = str(AdjustmentRequestForm()["reason"])  # the radio buttons as rendered
    offered = [label for (label,) in AdjustmentReason.objects.values_list("label") if label in page]
    assert reason.label not in offered and len(offered) == 3
    added = adjustment_reason_create(
        actor=people.office_officer,
        data={"code": "central_direction", "label": "Theo yêu cầu của bộ, ngành Trung ương", "position": 5},
    )
    assert added.is_active
    with pytest.raises(ValidationError):
        adjustment_reason_create(
            actor=people.office_officer, data={"code": "central_direction", "label": "Trùng"}
        )
    with pytest.raises(TypeError):
        adjustment_reason_update(actor=people.office_officer, reason=added, data={"code": "other"})
    assert AuditEvent.objects.filter(action__startswith="adjustment_reason.").count() == 2


def test_a_reason_placed_past_its_column_is_refused_and_nothing_is_written(people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        adjustment_reason_create(
            actor=people.office_officer, data={"code": "far", "label": "Xa", "position": 2147483648}
        )
    assert "position" in caught.value.message_dict
    reason = AdjustmentReason.objects.get(code="objective_cause")
    with pytest.raises(ValidationError) as caught:
        adjustment_reason_update(actor=people.office_officer, reason=reason, data={"position": 32768})
    assert "position" in caught.value.message_dict
    assert not AdjustmentReason.objects.filter(code="far").exists()
    assert AdjustmentReason.objects.get(code="objective_cause").position == reason.position
    assert not AuditEvent.objects.filter(action__startswith="adjustment_reason.").exists()


def test_the_seed_reasons_are_in_the_migration() -> None:
    assert list(AdjustmentReason.objects.values_list("code", flat=True)) == [
        "leader_direction",
        "objective_cause",
        "steering_needs",
        "legal_procedure",
    ]


# --- The pages -----------------------------------------------------------------------------------------


def _status(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("name", ["workprogram:settings", "workprogram:reason_create"])
def test_only_the_office_and_administrators_open_the_settings(
    client: Client, people: People, name: str
) -> None:
    got = {persona: _status(client, getattr(people, persona), reverse(name)) for persona in PERSONAS}
    assert got == {persona: 200 if persona in ("admin", "office_officer") else 404 for persona in PERSONAS}


def test_a_district_office_keeps_its_own_settings_not_the_provinces_nor_the_reasons(
    client: Client, org: Org, people: People
) -> None:
    district_office = person("vp.huyen", org.district_home_affairs, Role.OFFICE_OFFICER)
    client.force_login(district_office)
    page = client.get(reverse("workprogram:settings"))
    assert page.status_code == 200 and page.context["unit"] == org.district
    assert client.get(reverse("workprogram:settings"), {"unit": org.province.pk}).status_code == 404
    assert client.get(reverse("workprogram:reason_create")).status_code == 404
    reason = AdjustmentReason.objects.first()
    assert reason is not None
    assert client.get(reverse("workprogram:reason_update", args=[reason.pk])).status_code == 404


def test_the_office_saves_the_settings_and_edits_a_reason_through_the_pages(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.office_officer)
    url = reverse("workprogram:settings")
    response = client.post(
        f"{url}?unit={org.province.pk}",
        {"report_day": 10, "report_reminder_working_days": 2, "overdue_grace_days": 0, "version": ""},
    )
    assert response.status_code == 302
    assert settings_for(org.province).report_day == 10
    reason = AdjustmentReason.objects.get(code="leader_direction")
    response = client.post(
        reverse("workprogram:reason_update", args=[reason.pk]),
        {"label": "Theo chỉ đạo của Chủ tịch, Phó Chủ tịch UBND tỉnh", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (
        reason.label == "Theo chỉ đạo của Chủ tịch, Phó Chủ tịch UBND tỉnh"
        and reason.code == "leader_direction"
    )
