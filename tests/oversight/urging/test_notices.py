"""Urging notices: the Office drafts one to a unit about its overdue tasks, a leader signs and
issues it as a numbered official letter ("…/UBND-VP", no type code), frozen, the unit told,
each task urged once more; every refusal leaves everything as it was."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from caicach.core import rendering
from caicach.core.models import AuditEvent, Notification
from caicach.oversight.models import Task, TaskStatus, UrgingNotice
from caicach.oversight.urging import queries
from caicach.oversight.urging.documents import notice_spec, office_of
from caicach.oversight.urging.services import notice_create, notice_issue, notice_update
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_clean_text, assert_signature_with_body, docx_text, printed
from tests.oversight.urging.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday


def overdue_pair(org: Org, people: People) -> list[Task]:
    return [
        make_task(org, people, deadline=datetime.date(2026, 3, 2)),
        make_task(
            org,
            people,
            deadline=datetime.date(2026, 3, 9),
            content="Báo cáo kết quả rà soát thủ tục hành chính lĩnh vực khoa học",
            source="oral",
            source_reference="",
        ),
    ]


def draft(org: Org, people: People) -> UrgingNotice:
    tasks = overdue_pair(org, people)
    body = queries.default_body(org.province, org.science, tasks, TODAY)
    with on_day(TODAY):
        return notice_create(
            actor=people.office_officer, committee=org.province, unit=org.science, tasks=tasks, body=body
        )


def issued(org: Org, people: People) -> UrgingNotice:
    notice = draft(org, people)
    with on_day(TODAY):
        return notice_issue(actor=people.leader, notice=notice, version=notice.version)


def test_the_default_text_lists_each_task_with_source_deadline_and_days_overdue(
    org: Org, people: People
) -> None:
    tasks = overdue_pair(org, people)
    body = queries.default_body(org.province, org.science, tasks, TODAY)
    assert "Sở Khoa học và Công nghệ còn 2 nhiệm vụ" in body
    assert "1. Xây dựng Đề án chuyển đổi số" in body
    assert "nguồn: Văn bản số 12/TB-UBND ngày 05/01/2026" in body
    assert "thời hạn: 02/03/2026; quá hạn 10 ngày làm việc." in body
    assert "nguồn: Chỉ đạo trực tiếp của lãnh đạo ngày 05/01/2026" in body
    assert "quá hạn 5 ngày làm việc." in body
    assert body.endswith("./.")


def test_the_office_drafts_and_a_leader_issues(org: Org, people: People) -> None:
    notice = issued(org, people)
    assert notice.registered_document is not None
    assert notice.registered_document.reference == "01/UBND-VP"  # an official letter: no "CV"
    assert "CV" not in notice.registered_document.reference
    assert notice.issued_on == TODAY
    assert notice.signer_name == people.leader.full_name
    assert notice.signer_title == "PHÓ CHỦ TỊCH"
    assert sorted(Task.objects.values_list("urge_count", flat=True)) == [1, 1]
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {people.unit_head.pk, people.unit_staff.pk}
    assert AuditEvent.objects.filter(action="urging_notice.issue").count() == 1
    assert AuditEvent.objects.filter(action="urging_notice.create").count() == 1
    with default_storage.open(notice.document_file, "rb") as frozen:
        text = docx_text(frozen.read())
    assert "Số: 01/UBND-VP" in text
    assert "V/v đôn đốc thực hiện nhiệm vụ quá hạn" in text
    assert "Kính gửi: Sở Khoa học và Công nghệ." in text


def test_issuing_twice_is_refused(org: Org, people: People) -> None:
    notice = issued(org, people)
    with on_day(TODAY), pytest.raises(ValidationError, match="đã được ban hành"):
        notice_issue(actor=people.leader, notice=notice, version=notice.version)
    assert sorted(Task.objects.values_list("urge_count", flat=True)) == [1, 1]


def test_the_office_cannot_sign_and_a_leader_cannot_draft(org: Org, people: People) -> None:
    notice = draft(org, people)
    with on_day(TODAY), pytest.raises(PermissionDenied):
        notice_issue(actor=people.office_officer, notice=notice, version=notice.version)
    with on_day(TODAY), pytest.raises(PermissionDenied):
        notice_create(
            actor=people.leader,
            committee=org.province,
            unit=org.science,
            tasks=list(Task.objects.all()),
            body="x",
        )
    for outsider in (people.outsider, people.unit_head):
        with on_day(TODAY), pytest.raises(PermissionDenied):
            notice_update(
                actor=outsider, notice=notice, version=notice.version, tasks=[], body="x", recipients=""
            )
    notice.refresh_from_db()
    assert notice.registered_document_id is None
    assert Task.objects.filter(urge_count__gt=0).count() == 0
    assert UrgingNotice.objects.count() == 1


def test_only_the_units_overdue_tasks_may_be_urged(org: Org, people: People) -> None:
    overdue_pair(org, people)
    not_yet = make_task(org, people, deadline=datetime.date(2026, 4, 1))
    elsewhere = make_task(org, people, deadline=datetime.date(2026, 3, 2), lead_unit=org.home_affairs)
    for stray in (not_yet, elsewhere):
        with on_day(TODAY), pytest.raises(ValidationError, match="không còn quá hạn"):
            notice_create(
                actor=people.office_officer, committee=org.province, unit=org.science, tasks=[stray], body="x"
            )
    with on_day(TODAY), pytest.raises(ValidationError) as refusal:
        notice_create(
            actor=people.office_officer, committee=org.province, unit=org.science, tasks=[], body=""
        )
    assert set(refusal.value.message_dict) == {"tasks", "body"}
    assert not UrgingNotice.objects.exists()


def test_a_task_done_meanwhile_stops_the_issue(org: Org, people: People) -> None:
    notice = draft(org, people)
    Task.objects.filter(pk=notice.tasks.first().pk).update(status=TaskStatus.DONE, done_on=TODAY)  # type: ignore[union-attr]
    with on_day(TODAY), pytest.raises(ValidationError, match="không còn quá hạn"):
        notice_issue(actor=people.leader, notice=notice, version=notice.version)
    notice.refresh_from_db()
    assert notice.registered_document_id is None


def test_a_stale_edit_is_refused(org: Org, people: People) -> None:
    notice = draft(org, people)
    tasks = list(notice.tasks.all())
    with on_day(TODAY):
        notice_update(actor=people.office_officer, notice=notice, version=notice.version, tasks=tasks[:1],
                      body="Nội dung mới.", recipients="")  # fmt: skip
        with pytest.raises(ValidationError, match="người khác thay đổi"):
            notice_update(actor=people.office_officer, notice=notice, version=notice.version - 1, tasks=tasks,
                          body="Cũ.", recipients="")  # fmt: skip
    notice.refresh_from_db()
    assert notice.body == "Nội dung mới."
    assert notice.tasks.count() == 1


def test_the_issued_notice_passes_decree30(org: Org, people: People, tmp_path: Path) -> None:
    notice = issued(org, people)
    with default_storage.open(notice.document_file, "rb") as frozen:
        content = frozen.read()
    assert_passes_decree30(content, tmp_path)
    assert_clean_text(content)


def test_the_draft_passes_decree30_too(org: Org, people: People, tmp_path: Path) -> None:
    notice = draft(org, people)
    with on_day(TODAY):
        content = rendering.render(
            notice_spec(notice, office=office_of(org.province), signer=people.leader), "docx"
        ).content
    text = docx_text(content)
    assert "Số:" in text and "/UBND-VP" in text
    assert_clean_text(content, issued=False)


def test_the_signature_stays_with_the_end_of_the_body(org: Org, people: People) -> None:
    notice = issued(org, people)
    with default_storage.open(notice.document_file, "rb") as frozen:
        content = frozen.read()
    assert_signature_with_body(
        printed(content),
        heading=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        name=people.leader.full_name,
        closing="thời hạn hoàn thành./.",
    )
