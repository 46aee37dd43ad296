"""A committee's rules for members' opinions are settings its Office keeps: the reply
deadline, the reminder, the voting rule; a bad value or a stranger changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.deliberation.consultations.queries import settings_for
from caicach.deliberation.consultations.services import deliberation_settings_update
from caicach.deliberation.models import DeliberationSettings
from tests.conftest import Org, People
from tests.deliberation.factories import DEADLINE, make_committee, sent
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


def test_the_defaults_come_from_the_working_regulations(org: Org) -> None:
    defaults = settings_for(org.province)
    assert defaults.pk is None
    assert (defaults.reply_working_days, defaults.reminder_working_days, defaults.pass_rule) == (
        3,
        1,
        "majority_of_all",
    )
    assert defaults.comments_count_in_favour and defaults.tie_follows_chairman


def test_the_office_sets_a_longer_deadline_and_the_next_draft_follows_it(org: Org, people: People) -> None:
    make_committee(org, people)
    deliberation_settings_update(
        actor=people.office_officer, unit=org.province, data={"reply_working_days": 5}, version=None
    )
    consultation = sent(org, people)
    assert consultation.reply_working_days == 5
    assert consultation.deadline is not None and consultation.deadline > DEADLINE


def test_a_bad_value_or_a_stranger_changes_nothing(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        deliberation_settings_update(
            actor=people.office_officer, unit=org.province, data={"reply_working_days": 0}, version=None
        )
    assert not DeliberationSettings.objects.exists()
    for stranger in (people.leader, people.committee_member, people.unit_head, people.outsider):
        assert_refused(
            lambda stranger=stranger: deliberation_settings_update(  # type: ignore[misc]
                actor=stranger, unit=org.province, data={"reply_working_days": 4}, version=None
            ),
            lambda: DeliberationSettings.objects.count(),
        )


def test_the_settings_page_saves_through_the_service(client: Client, org: Org, people: People) -> None:
    client.force_login(people.office_officer)
    url = reverse("deliberation:settings") + f"?unit={org.province.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "reply_working_days": "4",
            "reminder_working_days": "2",
            "pass_rule": "majority_of_answers",
            "comments_count_in_favour": "on",
            "consult_by_day": "12",
            "committee_dossier_working_days": "4",
            "party_dossier_working_days": "2",
        },
    )
    assert response.status_code == 302
    saved = settings_for(org.province)
    assert (saved.reply_working_days, saved.pass_rule, saved.tie_follows_chairman) == (
        4,
        "majority_of_answers",
        False,
    )
    assert (saved.consult_by_day, saved.committee_dossier_working_days) == (12, 4)
    for stranger in (people.committee_member, people.unit_head, people.outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
