"""Assigned tasks for the API tests: one led by Science & Technology with Home Affairs
coordinating and a progress note, one the other commune's own committee gave itself, and a
done one — so each caller has rows the others must not see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from caicach.oversight.models import Task, TaskStatus
from tests.conftest import Org, People
from tests.oversight.factories import add_progress, make_task


@dataclass
class OversightScene:
    science_task: Task
    outsider_task: Task
    done_task: Task


@pytest.fixture
def oversight_scene(org: Org, people: People) -> OversightScene:
    science_task = make_task(
        org, people, coordinating=[org.home_affairs], content="Tham mưu Kế hoạch chuyển đổi số năm 2025"
    )
    add_progress(science_task, people.unit_staff, 30, datetime.date(2024, 4, 1), "Đã xin ý kiến các sở")
    outsider_task = make_task(
        org, people, committee=org.other_commune, lead_unit=org.other_commune, content="Rà soát thủ tục xã"
    )
    done_task = make_task(org, people, status=TaskStatus.DONE, content="Báo cáo sơ kết quý I")
    return OversightScene(science_task=science_task, outsider_task=outsider_task, done_task=done_task)
