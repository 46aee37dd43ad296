"""Publishing a plan tells the units it calls on, and locks nothing but the campaign."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caicach.core.models import Membership, Notification, Role, User
from caicach.initiatives.campaigns.services import campaign_publish, campaign_update
from caicach.initiatives.demo import SEED_TITLE, load_seed_campaign
from caicach.initiatives.models import Campaign
from tests.conftest import Org, People
from tests.core.factories import person

ISSUED = datetime.date(2024, 5, 10)


@pytest.fixture
def draft(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune, org.district_home_affairs],
    )  # fmt: skip


@pytest.fixture
def eligible_people(org: Org) -> dict[str, User]:
    return {
        "commune_head": person("truongxa", org.commune, Role.UNIT_HEAD),
        "commune_staff": person("cbxa", org.commune, Role.UNIT_STAFF),
        "division_staff": person("cbpnv", org.district_home_affairs, Role.UNIT_STAFF),
    }


def test_heads_and_staff_of_the_eligible_units_are_notified(
    draft: Campaign, people: People, org: Org, eligible_people: dict[str, User]
) -> None:
    council = person("hdxa", org.commune, Role.COUNCIL_MEMBER)  # not a head or staff role
    retired = person("cbnghi", org.commune, Role.UNIT_STAFF)
    Membership.objects.filter(user=retired).update(is_active=False)
    gone = person("cbdi", org.commune, Role.UNIT_STAFF, is_active=False)
    campaign = campaign_publish(campaign=draft, actor=people.reform_officer, issued_on=ISSUED)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {u.username for u in eligible_people.values()}
    assert not {people.outsider.username, people.unit_staff.username, council.username} & notified
    assert not {retired.username, gone.username} & notified
    note = Notification.objects.filter(recipient=eligible_people["commune_head"]).get()
    assert note.title == f"Kế hoạch phát động sáng kiến: {SEED_TITLE}"[:255]
    assert note.url == campaign.get_absolute_url()
    assert "Kế hoạch số 01/KH-UBND ngày 10/05/2024" in note.body
    assert "từ ngày 15/05/2024 đến hết ngày 25/06/2024" in note.body


def test_the_email_copies_go_out_only_after_commit(
    draft: Campaign, people: People, eligible_people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign_publish(campaign=draft, actor=people.admin, issued_on=ISSUED)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        u.email for u in eligible_people.values()
    )
    assert all(SEED_TITLE[:40] in message.subject for message in mail.outbox)


def test_a_refused_publication_notifies_no_one(
    draft: Campaign, people: People, eligible_people: dict[str, User]
) -> None:
    campaign_publish(campaign=draft, actor=people.admin, issued_on=ISSUED)
    with pytest.raises(ValidationError):
        campaign_publish(campaign=draft, actor=people.admin, issued_on=ISSUED)
    assert Notification.objects.count() == len(eligible_people)


def test_a_draft_still_being_written_notifies_no_one(
    draft: Campaign, people: People, eligible_people: dict[str, User]
) -> None:
    campaign_update(campaign=draft, actor=people.admin, version=draft.version, data={"contact": "a@b.vn"})
    assert not Notification.objects.exists()


def test_publishing_locks_only_the_campaign_row(draft: Campaign, people: People) -> None:
    with CaptureQueriesContext(connection) as queries:
        campaign_publish(campaign=draft, actor=people.admin, issued_on=ISSUED)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    if not connection.features.has_select_for_update_of:
        pytest.skip(f"{connection.vendor} has no SELECT ... FOR UPDATE OF")
    campaign_lock = [sql for sql in locks if 'FROM "initiatives_campaign"' in sql]
    assert campaign_lock and all(
        sql.rstrip().endswith('FOR UPDATE OF "initiatives_campaign"') for sql in campaign_lock
    ), campaign_lock
