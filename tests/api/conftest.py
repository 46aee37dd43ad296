"""A small province for the API: a 2024 work program, monthly reports, a replication
directive with obligations and reports, a campaign with dossiers, in the units of three
callers — Home Affairs' reform officer, Science & Technology's staff, and an outsider from
another commune who has rows of their own the others must not see (and vice versa)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from caicach.api import services
from caicach.api.scopes import ALL_SCOPES
from caicach.core import clock
from caicach.core.models import User
from caicach.initiatives.models import Campaign, Initiative
from caicach.replication.models import AdoptionReport, Directive, Obligation
from caicach.workprogram.models import MonthlyReport, ProgramItem, ReportStatus, WorkProgram
from tests.api.scene_deliberation import deliberation_scene  # noqa: F401  (a fixture, shared)
from tests.api.scene_oversight import oversight_scene  # noqa: F401  (a fixture, shared)
from tests.api.scene_showcase import showcase_scene  # noqa: F401  (a fixture, shared)
from tests.conftest import Org, People
from tests.initiatives.factories import make_campaign, make_dossier
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report
from tests.workprogram.factories import make_bare_program, make_item

MARCH = datetime.date(2024, 3, 1)
Q1 = datetime.date(2024, 1, 1)


@dataclass
class Scene:
    program: WorkProgram
    science_item: ProgramItem
    science_march: ProgramItem
    home_affairs_item: ProgramItem
    outsider_item: ProgramItem
    outsider_report: MonthlyReport
    science_report: MonthlyReport
    directive: Directive
    science_obligation: Obligation
    outsider_obligation: Obligation
    outsider_adoption: AdoptionReport
    campaign: Campaign
    science_dossier: Initiative
    outsider_dossier: Initiative


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    program = make_bare_program(org.province)
    science_item = make_item(program, org.science, datetime.date(2024, 1, 1), title="Đề án chuyển đổi số")
    science_march = make_item(program, org.science, MARCH, title="Quy định quản lý nhiệm vụ khoa học")
    home_affairs_item = make_item(program, org.home_affairs, MARCH)
    outsider_item = make_item(program, org.other_commune, datetime.date(2024, 2, 1))
    outsider_report = MonthlyReport.objects.create(
        program=program,
        unit=org.other_commune,
        period=datetime.date(2024, 2, 1),
        due_date=datetime.date(2024, 2, 14),
    )
    science_report = MonthlyReport.objects.create(
        program=program,
        unit=org.science,
        period=datetime.date(2024, 2, 1),
        due_date=datetime.date(2024, 2, 14),
        status=ReportStatus.SUBMITTED,
    )
    directive = make_directive(org)
    practice = make_practice(org)
    science_obligation = make_obligation(directive, org.science, practice)
    outsider_obligation = make_obligation(directive, org.other_commune, practice)
    outsider_adoption = make_report(outsider_obligation, Q1, datetime.date(2024, 3, 31))
    make_report(science_obligation, datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))
    campaign = make_campaign(org, people)
    return Scene(
        program=program,
        science_item=science_item,
        science_march=science_march,
        home_affairs_item=home_affairs_item,
        outsider_item=outsider_item,
        outsider_report=outsider_report,
        science_report=science_report,
        directive=directive,
        science_obligation=science_obligation,
        outsider_obligation=outsider_obligation,
        outsider_adoption=outsider_adoption,
        campaign=campaign,
        science_dossier=make_dossier(campaign, org.science, author=people.unit_staff),
        outsider_dossier=make_dossier(campaign, org.other_commune, title="Một cửa liên thông xã"),
    )


def make_token(user: User, scopes: list[str] | None = None, *, days: int = 30) -> str:
    _token, raw = services.token_create(
        actor=user,
        user=user,
        name=f"Thử nghiệm {user.username}",
        scopes=list(ALL_SCOPES) if scopes is None else scopes,
        expires_at=clock.now() + datetime.timedelta(days=days),
        mfa_verified=True,
    )
    return raw


class Api:
    """A client speaking to /api/v1/ with a bearer token."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def api_for() -> Any:
    def build(user: User, scopes: list[str] | None = None) -> Api:
        return Api(make_token(user, scopes))

    return build
