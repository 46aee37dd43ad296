"""The plan as PDF is made in the background (LibreOffice may take a while), by people who
may see the campaign, and watched on the job page by the person who asked for it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core import rendering
from caicach.core.jobs.services import job_execute
from caicach.core.models import Job, JobStatus, Role, User
from caicach.initiatives.campaigns.tasks import CAMPAIGN_PLAN_PDF
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import Campaign
from tests.conftest import Org, People
from tests.core.factories import person
from tests.documents import pdf_text

NO_PDF_MESSAGE = "Máy chủ chưa cài LibreOffice hoặc phông chữ"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip


@pytest.fixture
def commune_staff(org: Org) -> User:
    return person("cbxa", org.commune, Role.UNIT_STAFF)


def pdf_url(campaign: Campaign) -> str:
    return reverse("initiatives:campaign_plan_pdf", kwargs={"pk": campaign.pk})


def start(client: Client, user: User, campaign: Campaign, capture: Any, *, execute: bool) -> Job:
    client.force_login(user)
    with capture(execute=execute):
        response = client.post(pdf_url(campaign))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    return job


def test_the_pdf_job_makes_the_plan_as_pdf(
    client: Client, campaign: Campaign, commune_staff: User, django_capture_on_commit_callbacks: Any,
    _media: Path,
) -> None:  # fmt: skip
    if rendering.soffice_binary() is None and rendering.find_serif_font() is None:
        pytest.skip("neither LibreOffice nor a Vietnamese-capable serif font on this machine")
    job = start(client, commune_staff, campaign, django_capture_on_commit_callbacks, execute=True)
    assert job.kind == CAMPAIGN_PLAN_PDF
    assert job.created_by == commune_staff
    assert job.parameters == {"campaign": campaign.pk}
    assert job.status == JobStatus.DONE, job.message
    assert job.result_name == "KH-01-2024-phat-dong-sang-kien.pdf"
    content = (_media / job.result_file).read_bytes()
    assert content.startswith(b"%PDF")
    assert "Số: 01/KH-UBND" in pdf_text(content)
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]


def test_the_detail_page_offers_the_pdf_as_a_form_that_works_without_javascript(
    client: Client, campaign: Campaign, commune_staff: User
) -> None:
    client.force_login(commune_staff)
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert f'<form novalidate method="post" action="{pdf_url(campaign)}">' in html
    assert "Tạo bản PDF" in html
    assert "plan.pdf" not in html


def test_anonymous_visitors_are_sent_to_log_in(client: Client, campaign: Campaign) -> None:
    response = client.post(pdf_url(campaign))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Job.objects.exists()


def test_an_outsider_cannot_start_the_job(client: Client, campaign: Campaign, people: People) -> None:
    client.force_login(people.outsider)
    assert client.post(pdf_url(campaign)).status_code == 404
    assert client.post(reverse("initiatives:campaign_plan_pdf", kwargs={"pk": 999999})).status_code == 404
    assert not Job.objects.exists()


def test_the_job_is_started_by_post_only(client: Client, campaign: Campaign, commune_staff: User) -> None:
    client.force_login(commune_staff)
    assert client.get(pdf_url(campaign)).status_code == 405
    assert not Job.objects.exists()


def test_starting_the_job_runs_a_fixed_number_of_queries(
    client: Client, campaign: Campaign, commune_staff: User, django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client.force_login(commune_staff)
    with django_assert_max_num_queries(13), django_capture_on_commit_callbacks(execute=False):
        assert client.post(pdf_url(campaign)).status_code == 302


def test_the_job_page_shows_progress_to_its_creator_only(
    client: Client, campaign: Campaign, commune_staff: User, people: People, org: Org,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    job = start(client, commune_staff, campaign, django_capture_on_commit_callbacks, execute=False)
    assert job.status == JobStatus.QUEUED
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Tạo bản PDF Kế hoạch phát động sáng kiến" in html
    assert "<progress" in html
    assert 'hx-trigger="every 1s"' in html
    # Someone else who may see the campaign still may not watch (or download) this job.
    district_staff = person("cbhuyen", org.district, Role.UNIT_STAFF)
    for other in (district_staff, people.outsider):
        client.force_login(other)
        for name in ("job_detail", "job_progress", "job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)


def test_the_job_checks_access_again_when_it_runs(
    client: Client, campaign: Campaign, commune_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = start(client, commune_staff, campaign, django_capture_on_commit_callbacks, execute=False)
    campaign.eligible_units.clear()  # the commune no longer takes part
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "không còn quyền xem" in job.message
    assert not job.result_file


def test_the_job_explains_when_the_server_cannot_make_pdfs(
    client: Client, campaign: Campaign, commune_staff: User, settings: Any, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    monkeypatch.setattr(rendering, "find_serif_font", lambda: None)
    job = start(client, commune_staff, campaign, django_capture_on_commit_callbacks, execute=True)
    assert job.status == JobStatus.FAILED
    assert NO_PDF_MESSAGE in client.get(reverse("job_detail", args=[job.pk])).content.decode()
