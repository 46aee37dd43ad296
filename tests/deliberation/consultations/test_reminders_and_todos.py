"""The daily reminder reaches the members who have not answered, a working day before the
deadline and on the day; the home page lists drafts to answer and tallies due; punctuality
counts answers on time, late and missing per member and period."""

from __future__ import annotations

import datetime

import pytest

from caicach.core.models import Notification
from caicach.core.reminders import registered
from caicach.deliberation.consultations.queries import consultations_to_tally, drafts_to_answer, punctuality
from tests.conftest import Org, People, on_day
from tests.deliberation.factories import DEADLINE, SENT_ON, Committee, answer, make_committee, sent

pytestmark = pytest.mark.django_db

REMINDER = "deliberation.opinion_reminders"


@pytest.fixture
def committee(org: Org, people: People) -> Committee:
    return make_committee(org, people)


def reminded(committee: Committee) -> set[str]:
    return set(
        Notification.objects.filter(title__startswith="Nhắc cho ý kiến").values_list(
            "recipient__username", flat=True
        )
    )


def test_the_reminder_goes_a_working_day_before_the_deadline_to_those_who_have_not_answered(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    registered()[REMINDER](datetime.date(2024, 10, 8))  # two working days before: nothing
    assert reminded(committee) == set()
    registered()[REMINDER](datetime.date(2024, 10, 9))
    assert reminded(committee) == {"chutich", "lanhdao", "thanhvien3"}


def test_the_reminder_goes_again_on_the_day_and_never_after(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    for member in committee.everyone[:3]:
        answer(consultation, member, "agree")
    registered()[REMINDER](DEADLINE)
    assert reminded(committee) == {"thanhvien3"}
    Notification.objects.all().delete()
    registered()[REMINDER](DEADLINE + datetime.timedelta(days=1))
    assert reminded(committee) == set()


def test_members_see_the_drafts_they_owe_and_the_office_the_tallies_due(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    secret = sent(org, people, title="Nội dung mật", is_secret=True)
    with on_day(SENT_ON):
        entry = drafts_to_answer(committee.member, 5)
        assert entry is not None and entry.count == 1  # the secret one is answered on paper
        assert entry.items[0].label == consultation.title
        assert drafts_to_answer(people.unit_head, 5) is None
        office = consultations_to_tally(people.office_officer, 5)
        assert office is not None and office.count == 0
    answer(consultation, committee.member, "agree")
    with on_day(SENT_ON):
        entry = drafts_to_answer(committee.member, 5)
        assert entry is not None and entry.count == 0
    with on_day(DEADLINE + datetime.timedelta(days=1)):
        office = consultations_to_tally(people.office_officer, 5)
        assert office is not None and office.count == 2
        assert {item.label for item in office.items} == {consultation.title, secret.title}
        assert consultations_to_tally(committee.member, 5) is None


def test_punctuality_counts_on_time_late_and_missing_per_member(
    org: Org, people: People, committee: Committee
) -> None:
    first = sent(org, people, title="Một")
    answer(first, committee.member, "agree")
    answer(first, committee.vice, "agree", day=datetime.date(2024, 10, 15))  # late
    second = sent(org, people, title="Hai", day=datetime.date(2024, 12, 2))
    answer(second, committee.member, "agree", day=datetime.date(2024, 12, 2))
    rows = {
        row.name: row
        for row in punctuality(
            org.province, datetime.date(2024, 10, 1), datetime.date(2024, 12, 31), datetime.date(2024, 12, 3)
        )
    }
    member = rows[committee.member.full_name]
    assert (member.consulted, member.on_time, member.late, member.missing, member.pending) == (2, 2, 0, 0, 0)
    vice = rows[committee.vice.full_name]
    assert (vice.consulted, vice.on_time, vice.late, vice.missing, vice.pending) == (2, 0, 1, 0, 1)
    chairman = rows[committee.chairman.full_name]
    assert (chairman.missing, chairman.pending) == (1, 1)
    october = punctuality(
        org.province, datetime.date(2024, 10, 1), datetime.date(2024, 10, 31), datetime.date(2024, 12, 3)
    )
    assert {row.consulted for row in october} == {1}
