"""The demo province's assigned tasks of 2024 (issue 14): about 150 tasks from the meetings'
conclusion points (when the deliberation demo has them) and from the leaders' documents and
oral directions, across the departments and the legacy district of Châu Thành, with a
realistic mix — done on time, done late, overdue, extended, cancelled, not yet due — so the
statistics page tells a story at first glance: Home Affairs and Justice keep their deadlines,
Construction and Agriculture & Environment lag, the district sits in between.

Deterministic (a seeded generator, fixed 2024 dates) and fast (bulk inserts). The story is
told as it stood on ``DEMO_DAY`` (Friday 13 December 2024): nothing is done after it, and
the tasks due in the last fortnight of the year are still open — "not yet due" on that day,
overdue when the page is read later."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from caicach.core.calendar.queries import add_working_days
from caicach.core.models import Unit, User
from caicach.deliberation.models import ConclusionPoint, MeetingStatus
from caicach.oversight.models import (
    DeadlineKind,
    Extension,
    ExtensionStatus,
    ResultKind,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)

DEMO_DAY = datetime.date(2024, 12, 13)
TARGET = 150
SEED = 2024


@dataclass(frozen=True)
class Profile:
    """How a lead unit keeps its deadlines: the share done on time, how many tasks it gets
    (weight), and the leader who assigns them."""

    code: str
    on_time: float
    weight: int
    leader: str


PROFILES = (
    Profile("TN-SNV", 0.9, 3, "chutich"),
    Profile("TN-STP", 0.88, 2, "chutich"),
    Profile("TN-SKHCN", 0.75, 2, "lanhdao"),
    Profile("TN-STC", 0.7, 3, "lanhdao.kinhte"),
    Profile("TN-SYT", 0.72, 2, "lanhdao"),
    Profile("TN-SGDDT", 0.8, 2, "lanhdao"),
    Profile("TN-SNNMT", 0.5, 3, "lanhdao.kinhte"),
    Profile("TN-SXD", 0.45, 3, "lanhdao.kinhte"),
    Profile("TN-SVHTTDL", 0.68, 1, "lanhdao"),
    Profile("CT", 0.62, 3, "chutich"),
)
# The district committee's own tasks to its divisions and communes (before the 2025 merger).
DISTRICT_UNITS = ("CT-PNV", "CT-PTP", "CT-PTCKH", "CT-HAODUOC", "CT-NINHDIEN")

SUBJECTS = (
    "Rà soát, đơn giản hóa thủ tục hành chính thuộc phạm vi quản lý",
    "Báo cáo kết quả thực hiện Chỉ số cải cách hành chính (PAR INDEX) năm 2023, đề xuất giải pháp nâng hạng",
    "Xây dựng dự thảo Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức",
    "Tham mưu kế hoạch triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư",
    "Kiểm tra, đôn đốc tiến độ giải ngân vốn đầu tư công được giao",
    "Hoàn thiện hồ sơ đề nghị công nhận sáng kiến cấp tỉnh",
    "Tổ chức đối thoại với doanh nghiệp về khó khăn, vướng mắc trong thủ tục đầu tư",
    "Đề xuất phương án sắp xếp đơn vị sự nghiệp công lập trực thuộc",
    "Rà soát văn bản quy phạm pháp luật hết hiệu lực, đề xuất bãi bỏ",
    "Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Báo cáo tình hình thực hiện các chỉ tiêu kinh tế - xã hội 6 tháng đầu năm",
    "Xây dựng kế hoạch kiểm tra công tác cải cách hành chính năm 2024",
    "Khảo sát mức độ hài lòng của người dân đối với dịch vụ hành chính công",
    "Đề xuất cơ chế hỗ trợ hợp tác xã nông nghiệp ứng dụng công nghệ cao",
    "Hoàn thành quy hoạch chi tiết xây dựng khu dân cư, báo cáo UBND tỉnh",
    "Xử lý dứt điểm kiến nghị của cử tri về giải phóng mặt bằng",
    "Tham mưu văn bản chỉ đạo phòng, chống dịch bệnh mùa mưa",
    "Chuẩn bị nội dung trình phiên họp UBND tỉnh thường kỳ",
)
ORAL_PREFIX = "Theo chỉ đạo tại buổi làm việc: "


PROGRESS_NOTES = (
    "Đã xây dựng dự thảo, đang lấy ý kiến các cơ quan liên quan.",
    "Đã tổ chức họp triển khai, phân công bộ phận thực hiện.",
    "Đang tổng hợp số liệu, hoàn thiện báo cáo.",
)
DONE_NOTE = "Đã hoàn thành, báo cáo kết quả gửi UBND tỉnh."


def _working(day: datetime.date, n: int) -> datetime.date:
    return add_working_days(day, n)


def load_demo_tasks() -> None:
    """Needs the organisation and accounts of caicach.core.demo; uses the deliberation demo's
    conclusion points of 2024 when it has them. Runs once."""
    committee = Unit.objects.filter(code="TN").first()
    if committee is None or Task.objects.filter(committee=committee).exists():
        return
    units = {
        unit.code: unit
        for unit in Unit.objects.filter(code__in=[p.code for p in PROFILES] + ["CT", *DISTRICT_UNITS])
    }
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=["chutich", "lanhdao", "lanhdao.kinhte", "lanhdao.chauthanh", "vanphong"]
        )
    }
    if "chutich" not in people or "vanphong" not in people:
        return
    rng = random.Random(SEED)
    office = people["vanphong"]
    tasks: list[Task] = []
    extensions: list[tuple[int, Extension]] = []

    def outcome(task: Task, profile_on_time: float) -> None:
        """Status, completion and extension of one task, as it stood on DEMO_DAY."""
        due = task.original_deadline
        roll = rng.random()
        if roll < 0.06:
            task.status = TaskStatus.CANCELLED
            task.cancel_reason = (
                "Nội dung đã được lồng ghép vào nhiệm vụ khác theo chỉ đạo của lãnh đạo UBND tỉnh."
            )
            task.cancelled_by = task.assigned_by
            return
        extended = 0.06 <= roll < 0.18
        if extended:
            new = _working(due, rng.choice((10, 15, 20)))
            task.deadline = new
            extensions.append(
                (
                    len(tasks),
                    Extension(
                        reason="Cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
                        previous_deadline=due,
                        proposed_deadline=new,
                        status=ExtensionStatus.APPROVED,
                        new_deadline=new,
                        decided_by=task.assigned_by,
                        decision_note="Đồng ý gia hạn, đề nghị không để chậm thêm.",
                    ),
                )
            )
        if due > DEMO_DAY and not extended:
            if rng.random() < 0.3:  # a few done early
                task.status, task.done_on, task.progress_percent = (
                    TaskStatus.DONE,
                    DEMO_DAY - datetime.timedelta(days=rng.randint(1, 10)),
                    100,
                )
            else:
                task.status, task.progress_percent = TaskStatus.IN_PROGRESS, rng.choice((20, 40, 60))
            return
        if not extended and rng.random() < profile_on_time:
            done_on = due - datetime.timedelta(days=rng.randint(0, 8))
            task.status, task.done_on = TaskStatus.DONE, max(done_on, task.source_date)
        else:
            limit = task.deadline if extended else due + datetime.timedelta(days=rng.randint(3, 45))
            done_on = (due + datetime.timedelta(days=rng.randint(1, 12))) if extended else limit
            if extended and done_on > task.deadline:
                done_on = task.deadline
            if done_on <= DEMO_DAY and rng.random() < 0.75:
                task.status, task.done_on = TaskStatus.DONE, done_on
            else:
                task.status = TaskStatus.IN_PROGRESS if rng.random() < 0.7 else TaskStatus.ASSIGNED
                task.progress_percent = rng.choice((0, 30, 50, 70))
                task.urge_count = rng.randint(1, 4)
        if task.status == TaskStatus.DONE:
            task.progress_percent = 100
            task.result_reference = "Đã báo cáo UBND tỉnh bằng văn bản."

    # 1. The meetings' conclusion points, when the deliberation demo made them.
    points = list(
        ConclusionPoint.objects.filter(
            meeting__committee=committee,
            meeting__date__year=2024,
            meeting__status__in=(MeetingStatus.HELD, MeetingStatus.CONCLUDED),
            lead_unit__isnull=False,
            deadline__isnull=False,
            task__isnull=True,
        ).select_related("meeting", "meeting__chair")
    )
    on_time = {p.code: p.on_time for p in PROFILES}
    for point in points[:TARGET]:
        assert point.deadline is not None and point.lead_unit_id is not None
        task = Task(
            committee=committee, source=TaskSource.CONCLUSION, source_date=point.meeting.date,
            source_title=point.meeting.title, conclusion_point=point, content=point.content,
            assigned_by=point.meeting.chair or people["chutich"], lead_unit_id=point.lead_unit_id,
            original_deadline=point.deadline, deadline=point.deadline, monitoring_officer=office,
            created_by=office, expected_result_kind=ResultKind.REPORT,
        )  # fmt: skip
        outcome(task, on_time.get(point.lead_unit.code if point.lead_unit else "", 0.7))
        tasks.append(task)

    # 2. Documents and oral directions of the leaders, to the planned weight of each unit.
    weighted = [p for p in PROFILES if p.code in units for _ in range(p.weight)]
    number = 100
    while len(tasks) < TARGET - 12 and weighted:
        profile = weighted[len(tasks) % len(weighted)]
        source_date = _working(datetime.date(2024, 1, 2), rng.randint(0, 225))
        due = _working(source_date, rng.choice((10, 15, 20, 30, 45, 60)))
        if due.year > 2024:
            due = datetime.date(2024, 12, 31)
        oral = rng.random() < 0.25
        number += rng.randint(1, 6)
        subject = rng.choice(SUBJECTS)
        leader = people.get(profile.leader, people["chutich"])
        task = Task(
            committee=committee, source=TaskSource.ORAL if oral else TaskSource.DOCUMENT,
            source_reference="" if oral else f"{number}/UBND-VP", source_date=source_date,
            source_title="" if oral else "Thông báo ý kiến chỉ đạo của lãnh đạo UBND tỉnh",
            content=f"{ORAL_PREFIX}{subject[0].lower()}{subject[1:]}." if oral else f"{subject}.",
            assigned_by=leader, lead_unit=units[profile.code],
            deadline_kind=DeadlineKind.WORKING_DAYS if not oral else DeadlineKind.DATE,
            original_deadline=due, deadline=due, monitoring_officer=office, created_by=office,
            expected_result_kind=rng.choice(list(ResultKind.values)),
        )  # fmt: skip
        outcome(task, profile.on_time)
        tasks.append(task)

    # 3. The legacy district's own tasks, assigned by its Vice-chairman before the merger.
    district = units.get("CT")
    district_leader = people.get("lanhdao.chauthanh")
    if district is not None and district_leader is not None:
        for index in range(12):
            code = DISTRICT_UNITS[index % len(DISTRICT_UNITS)]
            if code not in units:
                continue
            source_date = _working(datetime.date(2024, 2, 1), 18 * index)
            due = _working(source_date, 20)
            task = Task(
                committee=district, source=TaskSource.DOCUMENT, source_reference=f"{200 + index}/UBND",
                source_date=source_date, source_title="Thông báo kết luận của Phó Chủ tịch UBND huyện",
                content=f"{SUBJECTS[index]} trên địa bàn huyện.", assigned_by=district_leader,
                lead_unit=units[code], original_deadline=due, deadline=due, created_by=office,
            )  # fmt: skip
            outcome(task, 0.65)
            tasks.append(task)

    for task in tasks:
        task.search_text = ""
    Task.objects.bulk_create(tasks)
    # The progress the lead units reported, so a task's percentage has its note behind it.
    TaskProgress.objects.bulk_create(
        TaskProgress(
            task=task,
            percent=task.progress_percent,
            note=PROGRESS_NOTES[index % len(PROGRESS_NOTES)] if task.progress_percent < 100 else DONE_NOTE,
            reported_on=max(task.source_date, min(task.done_on or DEMO_DAY, DEMO_DAY)),
        )
        for index, task in enumerate(tasks)
        if task.progress_percent > 0
    )
    rows = []
    for index, extension in extensions:
        extension.task = tasks[index]
        rows.append(extension)
    # One request waiting for the leader's decision, one refused: the history is kept.
    waiting = next(
        (t for t in tasks if t.status == TaskStatus.IN_PROGRESS and t.original_deadline > DEMO_DAY), None
    )
    if waiting is not None:
        rows.append(
            Extension(
                task=waiting,
                reason="Chờ ý kiến thẩm định của Bộ chuyên ngành.",
                previous_deadline=waiting.deadline,
                proposed_deadline=waiting.deadline + datetime.timedelta(days=30),
            )
        )
    refused = next(
        (
            t
            for t in tasks
            if t.status == TaskStatus.DONE
            and t.done_on
            and t.done_on > t.original_deadline
            and t.deadline == t.original_deadline
        ),
        None,
    )
    if refused is not None:
        rows.append(
            Extension(
                task=refused,
                reason="Khối lượng công việc lớn.",
                previous_deadline=refused.original_deadline,
                proposed_deadline=refused.original_deadline + datetime.timedelta(days=20),
                status=ExtensionStatus.REFUSED,
                decided_by=refused.assigned_by,
                decision_note="Không đồng ý; đề nghị tập trung hoàn thành đúng hạn.",
            )
        )
    Extension.objects.bulk_create(rows)
    # The coordinating units: Home Affairs and Finance on a few tasks each.
    through = Task.coordinating_units.through
    helpers = [units[code] for code in ("TN-SNV", "TN-STC") if code in units]
    links = [
        through(task_id=task.pk, unit_id=helper.pk)
        for index, task in enumerate(tasks)
        for helper in helpers
        if index % 7 == 0 and task.committee_id == committee.pk and helper.pk != task.lead_unit_id
    ]
    through.objects.bulk_create(links)
