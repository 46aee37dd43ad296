"""Members' opinions and meetings for the API tests: a draft sent to the province's members
for Science & Technology (open until Thursday 10 October 2024), a draft still being prepared,
a secret draft, and a meeting on 21 October 2026 where Science leads an item — none of which
the other commune's staff may see."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from caicach.core.calendar.services import calendar_load_official
from caicach.deliberation.models import Consultation, Meeting
from tests.conftest import Org, People
from tests.deliberation.factories import Committee, draft, make_committee, sent
from tests.deliberation.meetings.factories import program_item, schedule, with_agenda


@dataclass
class DeliberationScene:
    committee: Committee
    consultation: Consultation
    unsent: Consultation
    secret: Consultation
    meeting: Meeting


@pytest.fixture
def deliberation_scene(org: Org, people: People) -> DeliberationScene:
    calendar_load_official(actor=None)
    committee = make_committee(org, people)
    consultation = sent(org, people, title="Dự thảo Quy chế phối hợp liên thông")
    unsent = draft(org, people, title="Dự thảo đang soạn")
    secret = sent(org, people, title="Dự thảo nội dung mật", is_secret=True)
    meeting = schedule(people, org, chair=committee.chairman)
    with_agenda(people, meeting, [program_item(org)])
    return DeliberationScene(
        committee=committee, consultation=consultation, unsent=unsent, secret=secret, meeting=meeting
    )
