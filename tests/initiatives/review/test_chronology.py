"""Dates that agree: the meeting has taken place when scoring closes; the minutes follow the
meeting, the decision the minutes, and a refusal names the date to follow. Nothing is
written on a refusal."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import RegisteredDocument
from caicach.initiatives.models import Campaign, Council, RecognitionDecision, RoundStatus
from caicach.initiatives.recognition.services import recognition_decision_issue
from caicach.initiatives.review.services import council_save, minutes_issue, review_assign, round_close
from tests.conftest import Org, People
from tests.initiatives.factories import (
    DECISION_DAY,
    council_for,
    dossier,
    fill_sheets,
    issued_campaign,
    make_board,
    make_dossier,
    outcome,
)

pytestmark = pytest.mark.django_db

SIGNER = {
    "signer_authority": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Văn Thành",
}


def _day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def test_scoring_cannot_close_before_the_meeting_nor_the_meeting_move_ahead_after(
    org: Org, people: People
) -> None:
    board = make_board(org, people)
    make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    fill_sheets(board.council, board.rubric, random.Random(1))
    today = clock.today()
    ahead = today + datetime.timedelta(days=3)
    Council.objects.filter(pk=board.council.pk).update(meeting_on=ahead)
    with pytest.raises(ValidationError) as caught:
        round_close(council=board.council, actor=board.secretary)
    assert f"không được sau ngày hôm nay ({_day(today)})" in caught.value.messages[0]
    assert Council.objects.get(pk=board.council.pk).round_status == RoundStatus.OPEN

    Council.objects.filter(pk=board.council.pk).update(meeting_on=today)
    council = round_close(council=board.council, actor=board.secretary)
    with pytest.raises(ValidationError) as caught:
        council_save(
            campaign=board.campaign,
            actor=people.reform_officer,
            data={"meeting_on": ahead},
            version=council.version,
        )
    assert "meeting_on" in caught.value.message_dict
    assert Council.objects.get(pk=council.pk).meeting_on == today


def _closed(campaign: Campaign, meeting: datetime.date) -> Council:
    """The campaign's council, its round closed (the minutes come after the vote)."""
    council = council_for(campaign, minutes_day=meeting)
    Council.objects.filter(pk=council.pk).update(round_status=RoundStatus.CLOSED)
    council.refresh_from_db()
    return council


def _minuted(campaign: Campaign, people: People, meeting: datetime.date, minutes: datetime.date) -> Council:
    council = _closed(campaign, meeting)
    return minutes_issue(council=council, actor=people.admin, issued_on=minutes)


def test_the_council_dates_and_the_minutes_stay_within_plausible_years(org: Org, people: People) -> None:
    campaign = issued_campaign(org, people)
    meeting = DECISION_DAY - datetime.timedelta(days=10)
    council = _closed(campaign, meeting)
    for data in ({"meeting_on": datetime.date(9999, 12, 31)}, {"scoring_deadline": datetime.date(1, 1, 1)}):
        with pytest.raises(ValidationError) as caught:
            council_save(campaign=campaign, actor=people.reform_officer, data=data, version=council.version)
        assert set(caught.value.message_dict) == set(data)
    with pytest.raises(ValidationError) as caught:
        minutes_issue(council=council, actor=people.admin, issued_on=datetime.date(9999, 12, 31))
    assert caught.value.message_dict["issued_on"][0].startswith(
        "Ngày biên bản phải từ ngày 01/01/2000 đến ngày"
    )
    fresh = Council.objects.get(pk=council.pk)
    assert (fresh.meeting_on, fresh.scoring_deadline, fresh.minutes_id) == (
        meeting,
        council.scoring_deadline,
        None,
    )
    assert not RegisteredDocument.objects.filter(issued_on__year=9999).exists()


def test_the_minutes_follow_the_meeting(org: Org, people: People) -> None:
    campaign = issued_campaign(org, people)
    meeting = DECISION_DAY - datetime.timedelta(days=10)
    council = _closed(campaign, meeting)
    with pytest.raises(ValidationError) as caught:
        minutes_issue(council=council, actor=people.admin, issued_on=meeting - datetime.timedelta(days=1))
    assert caught.value.message_dict["issued_on"] == [
        f"Ngày biên bản phải từ ngày {_day(meeting)} (ngày họp Hội đồng) trở đi."
    ]
    assert Council.objects.get(pk=council.pk).minutes_id is None
    council = minutes_issue(council=council, actor=people.admin, issued_on=meeting)
    assert council.minutes is not None and council.minutes.issued_on == meeting


def test_the_decision_follows_the_meeting_and_the_minutes_and_says_which(org: Org, people: People) -> None:
    campaign = issued_campaign(org, people)
    outcome(dossier(campaign, org.science), recognised=True)
    meeting = DECISION_DAY - datetime.timedelta(days=10)
    minutes = DECISION_DAY - datetime.timedelta(days=5)
    _minuted(campaign, people, meeting, minutes)
    documents = RegisteredDocument.objects.count()
    for day, anchor, name in (
        (meeting - datetime.timedelta(days=1), meeting, "ngày họp Hội đồng"),
        (minutes - datetime.timedelta(days=1), minutes, "ngày biên bản họp Hội đồng"),
    ):
        with pytest.raises(ValidationError) as caught:
            recognition_decision_issue(
                campaign=campaign, actor=people.reform_officer, issued_on=day, **SIGNER
            )
        assert caught.value.message_dict["issued_on"] == [
            f"Ngày quyết định phải từ ngày {_day(anchor)} ({name}) trở đi."
        ]
    assert not RecognitionDecision.objects.exists() and RegisteredDocument.objects.count() == documents
    decision = recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=minutes, **SIGNER
    )
    assert decision.issued_on == minutes


def test_the_decision_form_says_which_date_the_decision_must_follow(
    client: Client, org: Org, people: People
) -> None:
    campaign = issued_campaign(org, people)
    outcome(dossier(campaign, org.science), recognised=True)
    meeting = DECISION_DAY - datetime.timedelta(days=3)
    council_for(campaign, minutes_day=meeting)
    client.force_login(people.reform_officer)
    url = reverse("initiatives:recognition_decision_issue", kwargs={"pk": campaign.pk})
    day = meeting - datetime.timedelta(days=1)
    response = client.post(url, {**SIGNER, "issued_on": _day(day)})
    assert response.status_code == 200
    assert (
        f"Ngày quyết định phải từ ngày {_day(meeting)} (ngày họp Hội đồng) trở đi."
        in response.content.decode()
    )
    assert not RecognitionDecision.objects.exists()
