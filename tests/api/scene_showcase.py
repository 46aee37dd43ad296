"""The public showcase's rows for the API tests: a published practice applied by a commune
with a measured result, an accepted practice not published, a recognised initiative with its
certificate and a dossier that was not recognised."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from caicach.core import clock
from caicach.initiatives.models import Certificate, Initiative, RecognitionLevel
from caicach.initiatives.recognition.services import certificate_issue, recognition_decision_issue
from caicach.replication.models import AdoptionResult, Practice
from tests.conftest import Org, People
from tests.initiatives.factories import DECISION_DAY, dossier, issued_campaign, outcome
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report


@dataclass
class ShowcaseScene:
    published: Practice
    unpublished: Practice
    certificate: Certificate
    recognised: Initiative
    refused: Initiative


@pytest.fixture
def showcase_scene(org: Org, people: People) -> ShowcaseScene:
    published = make_practice(
        org,
        name="Ngày thứ bảy lắng nghe dân nói",
        is_published=True,
        published_at=clock.now(),
        contact="Văn phòng UBND xã",
        proposal_note="GHI-CHU-DE-XUAT-NOI-BO",
    )
    unpublished = make_practice(org, name="Mô hình chưa công khai")
    obligation = make_obligation(make_directive(org), org.commune, published)
    report = make_report(obligation, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    AdoptionResult.objects.create(
        report=report, indicator="Số kiến nghị được giải quyết", baseline=Decimal("12"), current=Decimal("48")
    )
    campaign = issued_campaign(org, people)
    recognition = outcome(
        dossier(campaign, org.science), recognised=True, level=RecognitionLevel.PROVINCIAL,
        mean_score="87.25", members_present=7, votes_for=6,
    )  # fmt: skip
    refused = outcome(dossier(campaign, org.science), recognised=False, reasons="Chưa mới.")
    recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
    )  # fmt: skip
    recognition.refresh_from_db()
    certificate = certificate_issue(recognition=recognition, actor=people.reform_officer)
    return ShowcaseScene(
        published=published,
        unpublished=unpublished,
        certificate=certificate,
        recognised=recognition.initiative,
        refused=refused.initiative,
    )
