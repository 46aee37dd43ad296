"""Writes to a campaign after it was issued: extending or reopening the submission window
and closing the campaign, each audited; stale edits refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caicach.core import clock
from caicach.core.models import AuditEvent, Notification, Role, User
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.initiatives.campaigns.services import (
    campaign_close,
    campaign_extend_window,
    campaign_update,
)
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import Campaign, CampaignStatus, Rubric
from tests.conftest import Org, People
from tests.core.factories import person

TODAY = clock.today()


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    """Issued; its window ran from a month ago until yesterday."""
    issued = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip
    Campaign.objects.filter(pk=issued.pk).update(
        window_start=TODAY - datetime.timedelta(days=30), window_end=TODAY - datetime.timedelta(days=1)
    )
    issued.refresh_from_db()
    Notification.objects.all().delete()  # those of the publication
    return issued


@pytest.fixture
def unit_people(org: Org, people: People) -> dict[str, User]:
    return {
        "science_head": people.unit_head,
        "science_staff": people.unit_staff,
        "commune_staff": person("cbxa", org.commune, Role.UNIT_STAFF),
    }


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_closed_window_refuses_submissions_until_it_is_reopened(
    campaign: Campaign, people: People, unit_people: dict[str, User]
) -> None:
    assert not campaign.accepts_submissions(TODAY)
    new_end = TODAY + datetime.timedelta(days=10)
    extended = campaign_extend_window(
        campaign=campaign, actor=people.reform_officer, new_end=new_end,
        reason="Nhiều đơn vị đề nghị thêm thời gian", version=campaign.version,
    )  # fmt: skip
    assert extended.window_end == new_end
    assert extended.accepts_submissions(TODAY)
    assert extended.version == campaign.version + 1
    (event,) = events("campaign.extend")
    assert event.actor == people.reform_officer
    assert event.changes == {"window_end": [campaign.window_end.isoformat(), new_end.isoformat()]}
    assert event.message == "Nhiều đơn vị đề nghị thêm thời gian"


def test_the_eligible_units_are_told_the_new_date_and_the_reason(
    campaign: Campaign, people: People, unit_people: dict[str, User]
) -> None:
    new_end = TODAY + datetime.timedelta(days=5)
    campaign_extend_window(
        campaign=campaign, actor=people.reform_officer, new_end=new_end, reason="Theo đề nghị của các xã",
        version=campaign.version,
    )  # fmt: skip
    notes = Notification.objects.all()
    assert {n.recipient.username for n in notes} == {u.username for u in unit_people.values()}
    assert all(f"{new_end:%d/%m/%Y}" in n.body and "Theo đề nghị của các xã" in n.body for n in notes)


@pytest.mark.parametrize(
    ("new_end", "reason", "field"),
    [
        (TODAY - datetime.timedelta(days=1), "Lý do", "new_end"),  # in the past
        (TODAY + datetime.timedelta(days=3), "   ", "reason"),  # no reason
        (datetime.date(9999, 12, 31), "Lý do", "new_end"),  # a typing slip, not a plan
    ],
)
def test_bad_extensions_are_refused_and_change_nothing(
    campaign: Campaign, people: People, new_end: datetime.date, reason: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        campaign_extend_window(
            campaign=campaign, actor=people.reform_officer, new_end=new_end, reason=reason,
            version=campaign.version,
        )  # fmt: skip
    assert field in caught.value.message_dict
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert (fresh.window_end, fresh.version) == (campaign.window_end, campaign.version)
    assert not events("campaign.extend")
    assert not Notification.objects.exists()


def test_the_new_end_may_not_come_before_the_first_day(campaign: Campaign, people: People) -> None:
    # A campaign closed before its window even opened, then reopened.
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=TODAY + datetime.timedelta(days=10), window_end=TODAY + datetime.timedelta(days=20)
    )
    campaign.refresh_from_db()
    closed = campaign_close(campaign=campaign, actor=people.admin, version=campaign.version)
    with pytest.raises(ValidationError) as caught:
        campaign_extend_window(
            campaign=closed, actor=people.admin, new_end=TODAY + datetime.timedelta(days=9),
            reason="Lý do", version=closed.version,
        )  # fmt: skip
    assert "ngày bắt đầu" in caught.value.message_dict["new_end"][0]


def test_an_open_window_may_only_be_lengthened(campaign: Campaign, people: People) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(window_end=TODAY + datetime.timedelta(days=20))
    campaign.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        campaign_extend_window(
            campaign=campaign, actor=people.admin, new_end=TODAY + datetime.timedelta(days=5),
            reason="Rút ngắn", version=campaign.version,
        )  # fmt: skip
    assert "không rút ngắn" in caught.value.message_dict["new_end"][0]


def test_a_stale_extension_is_refused(campaign: Campaign, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        campaign_extend_window(
            campaign=campaign, actor=people.admin, new_end=TODAY + datetime.timedelta(days=5),
            reason="Lý do", version=campaign.version - 1,
        )  # fmt: skip
    assert caught.value.messages == [str(STALE_EDIT_MESSAGE)]
    assert Campaign.objects.get(pk=campaign.pk).window_end == campaign.window_end


def test_a_draft_is_not_extended_but_edited(org: Org, people: People) -> None:
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs, eligible_units=[]
    )
    with pytest.raises(ValidationError):
        campaign_extend_window(
            campaign=draft, actor=people.admin, new_end=TODAY + datetime.timedelta(days=5), reason="Lý do",
            version=draft.version,
        )  # fmt: skip
    assert not events("campaign.extend")


def test_closing_ends_submissions_and_is_audited(campaign: Campaign, people: People) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(window_end=TODAY + datetime.timedelta(days=20))
    campaign.refresh_from_db()
    assert campaign.accepts_submissions(TODAY)
    closed = campaign_close(campaign=campaign, actor=people.reform_officer, version=campaign.version)
    assert closed.status == CampaignStatus.CLOSED
    assert not Campaign.objects.get(pk=campaign.pk).accepts_submissions(TODAY)
    (event,) = events("campaign.close")
    assert event.changes == {"status": [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED]}
    assert event.actor == people.reform_officer


def test_a_closed_campaign_cannot_be_closed_twice_nor_with_a_stale_page(
    campaign: Campaign, people: People
) -> None:
    with pytest.raises(ValidationError):
        campaign_close(campaign=campaign, actor=people.admin, version=campaign.version + 7)
    closed = campaign_close(campaign=campaign, actor=people.admin, version=campaign.version)
    with pytest.raises(ValidationError):
        campaign_close(campaign=closed, actor=people.admin, version=closed.version)
    assert len(events("campaign.close")) == 1


def test_reopening_a_closed_campaign_issues_it_again(campaign: Campaign, people: People) -> None:
    closed = campaign_close(campaign=campaign, actor=people.admin, version=campaign.version)
    # Reopening may pick any day from today on, even before the old last day.
    reopened = campaign_extend_window(
        campaign=closed, actor=people.admin, new_end=TODAY, reason="Mở lại theo chỉ đạo",
        version=closed.version,
    )  # fmt: skip
    assert reopened.status == CampaignStatus.PUBLISHED
    assert reopened.accepts_submissions(TODAY)
    (event,) = events("campaign.extend")
    assert event.changes["status"] == [CampaignStatus.CLOSED, CampaignStatus.PUBLISHED]


def test_a_stale_draft_edit_is_refused_with_the_shared_message(org: Org, people: People) -> None:
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs, eligible_units=[]
    )
    campaign_update(campaign=draft, actor=people.admin, data={"contact": "a@b.vn"}, version=draft.version)
    with pytest.raises(ValidationError) as caught:
        campaign_update(campaign=draft, actor=people.admin, data={"contact": "c@d.vn"}, version=draft.version)
    assert caught.value.messages == [str(STALE_EDIT_MESSAGE)]
    assert Campaign.objects.get(pk=draft.pk).contact == "a@b.vn"


def test_the_reminder_delay_and_the_rubric_are_saved_and_audited(org: Org, people: People) -> None:
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs, eligible_units=[]
    )
    rubric = Rubric.objects.create(name="Tính mới 30 / hiệu quả 40 / nhân rộng 30", pass_mark=50)
    data: dict[str, Any] = {"reminder_working_days": 5, "rubric": rubric}
    updated = campaign_update(campaign=draft, actor=people.admin, data=data, version=draft.version)
    fresh = Campaign.objects.get(pk=updated.pk)
    assert (fresh.reminder_working_days, fresh.rubric) == (5, rubric)
    event = AuditEvent.objects.filter(action="campaign.update").get()
    assert event.changes["reminder_working_days"] == [3, 5]
    assert event.changes["rubric"] == [None, rubric.pk]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"window_end": datetime.date(9999, 12, 31)}, "window_end"),
        ({"window_start": datetime.date(1, 1, 1)}, "window_start"),
        ({"min_initiatives_per_unit": 2147483648}, "min_initiatives_per_unit"),
        ({"reminder_working_days": 2147483648}, "reminder_working_days"),
    ],
)
def test_a_draft_with_an_absurd_date_or_number_is_refused_and_unchanged(
    org: Org, people: People, data: dict[str, Any], field: str
) -> None:
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs, eligible_units=[]
    )
    with pytest.raises(ValidationError) as caught:
        campaign_update(campaign=draft, actor=people.admin, data=data, version=draft.version)
    assert field in caught.value.message_dict
    fresh = Campaign.objects.get(pk=draft.pk)
    assert (fresh.version, getattr(fresh, field)) == (draft.version, getattr(draft, field))
