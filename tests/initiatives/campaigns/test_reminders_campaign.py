"""Units that have not sent the minimum number of dossiers are reminded a set number of
working days before the window closes (holidays do not count), once, and nobody else is."""

from __future__ import annotations

import datetime

import pytest

from caicach.core import reminders
from caicach.core.models import Notification, Role, User
from caicach.initiatives.campaigns.reminders import campaign_reminders, campaigns_to_remind
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative, InitiativeStatus
from tests.conftest import Org, People
from tests.core.factories import person

S = InitiativeStatus
# Thursday 18/04/2024 is the Hùng Kings' day (10/3 lunar): 3 working days before Monday
# 22/04 are Fri 19, Wed 17 and Tue 16 -- the reminder goes out on Tuesday 16/04.
WINDOW_END = datetime.date(2024, 4, 22)
REMINDER_DAY = datetime.date(2024, 4, 16)


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    issued = load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.science, org.commune, org.district_home_affairs],
        issued_on=datetime.date(2024, 3, 1),
    )  # fmt: skip
    Campaign.objects.filter(pk=issued.pk).update(
        window_start=datetime.date(2024, 3, 15), window_end=WINDOW_END, min_initiatives_per_unit=2,
        reminder_working_days=3,
    )  # fmt: skip
    Notification.objects.all().delete()  # those of the publication
    # Science & Technology sent two (enough); the commune one, plus one still awaiting its
    # head (not enough); the district's division none.
    for unit, statuses in (
        (org.science, [S.SUBMITTED, S.ACCEPTED]),
        (org.commune, [S.SUBMITTED, S.AWAITING_CONFIRMATION, S.DRAFT]),
    ):
        Initiative.objects.bulk_create(
            [Initiative(campaign=issued, unit=unit, title="Sáng kiến", status=s) for s in statuses]
        )
    issued.refresh_from_db()
    return issued


@pytest.fixture
def staff(org: Org, people: People) -> dict[str, User]:
    return {
        "science_head": people.unit_head,
        "science_staff": people.unit_staff,
        "commune_head": person("truongxa", org.commune, Role.UNIT_HEAD),
        "commune_staff": person("cbxa", org.commune, Role.UNIT_STAFF),
        "commune_council": person("hdxa", org.commune, Role.COUNCIL_MEMBER),
        "division_staff": person("cbpnv", org.district_home_affairs, Role.UNIT_STAFF),
    }


def notified() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


def test_the_reminder_day_counts_working_days_and_skips_the_holiday(campaign: Campaign) -> None:
    assert campaigns_to_remind(REMINDER_DAY) == [campaign]
    # Without the holiday it would have been Wednesday 17/04.
    for day in (
        datetime.date(2024, 4, 17),
        datetime.date(2024, 4, 15),
        datetime.date(2024, 4, 19),
        WINDOW_END,
    ):
        assert campaigns_to_remind(day) == [], day


def test_only_the_heads_and_staff_of_lagging_units_are_reminded(
    campaign: Campaign, staff: dict[str, User], people: People
) -> None:
    campaign_reminders(REMINDER_DAY)
    assert notified() == {"truongxa", "cbxa", "cbpnv"}
    note = Notification.objects.filter(recipient=staff["commune_head"]).get()
    assert campaign.title[:40] in note.title
    assert "22/04/2024" in note.body and "2 sáng kiến" in note.body
    assert note.url == campaign.get_absolute_url()


def test_no_reminder_on_other_days(campaign: Campaign, staff: dict[str, User]) -> None:
    for day in (datetime.date(2024, 4, 17), datetime.date(2024, 4, 15)):
        campaign_reminders(day)
    assert notified() == set()


def test_closed_or_draft_campaigns_and_units_that_sent_enough_are_left_alone(
    campaign: Campaign, staff: dict[str, User], org: Org
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    campaign_reminders(REMINDER_DAY)
    assert notified() == set()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.PUBLISHED, min_initiatives_per_unit=1
    )
    Initiative.objects.create(
        campaign=campaign, unit=org.district_home_affairs, title="Muộn", status=S.SUBMITTED
    )
    campaign_reminders(REMINDER_DAY)
    assert notified() == set()  # every unit has sent at least one


def test_the_daily_runner_sends_it_once_a_day(
    campaign: Campaign, staff: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert reminders.registered()["initiatives.campaign_reminders"] is campaign_reminders
    monkeypatch.setattr(reminders, "_daily", {"initiatives.campaign_reminders": campaign_reminders})
    first = reminders.run_daily(REMINDER_DAY)
    second = reminders.run_daily(REMINDER_DAY)
    assert first.ran == ["initiatives.campaign_reminders"] and second.skipped == [
        "initiatives.campaign_reminders"
    ]
    assert Notification.objects.count() == 3
