"""Consultations for tests: a committee with a Chairman and members, drafts sent on a plain
working week (Monday 7 October 2024: the deadline three working days on is Thursday 10)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from caicach.core.models import Role, User
from caicach.deliberation.consultations.services import (
    consultation_add_file,
    consultation_create,
    consultation_send,
    opinion_give,
)
from caicach.deliberation.models import Consultation, FileRole, Opinion
from tests.conftest import Org, People, on_day
from tests.core.factories import person

SENT_ON = datetime.date(2024, 10, 7)  # a Monday
DEADLINE = datetime.date(2024, 10, 10)  # three working days later
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Committee:
    chairman: User
    member: User  # people.committee_member
    vice: User  # people.leader
    third: User

    @property
    def everyone(self) -> list[User]:
        return [self.chairman, self.member, self.vice, self.third]


def make_committee(org: Org, people: People) -> Committee:
    return Committee(
        chairman=person("chutich", org.province, Role.CHAIRMAN, full_name="Nguyễn Chủ Tịch"),
        member=people.committee_member,
        vice=people.leader,
        third=person("thanhvien3", org.province, Role.COMMITTEE_MEMBER, full_name="Bùi Thành Viên Ba"),
    )


def pdf(name: str = "to-trinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def draft(
    org: Org,
    people: People,
    *,
    title: str = "Dự thảo Quyết định ban hành Quy chế làm việc",
    is_secret: bool = False,
    members: Sequence[User] = (),
    with_file: bool = True,
) -> Consultation:
    consultation = consultation_create(
        actor=people.office_officer,
        committee=org.province,
        lead_unit=org.science,
        kind="decision",
        title=title,
        is_secret=is_secret,
        members=members,
    )
    if with_file and not is_secret:
        consultation_add_file(
            actor=people.office_officer, consultation=consultation, upload=pdf(), role=FileRole.SUBMISSION
        )
    return consultation


def sent(org: Org, people: People, day: datetime.date = SENT_ON, **kwargs: object) -> Consultation:
    consultation = draft(org, people, **kwargs)  # type: ignore[arg-type]
    with on_day(day):
        return consultation_send(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )


def opinion_of(consultation: Consultation, member: User) -> Opinion:
    return Opinion.objects.select_related("consultation").get(consultation=consultation, member=member)


def answer(
    consultation: Consultation, member: User, value: str, comment: str = "", day: datetime.date = SENT_ON
) -> Opinion:
    opinion = opinion_of(consultation, member)
    with on_day(day):
        return opinion_give(
            actor=member, opinion=opinion, answer=value, comment=comment, version=opinion.version
        )
