"""A campaign's received dossiers as one ZIP, built in the background with a progress bar:
one folder per unit, the application and description (and receipt) as DOCX, the attached
files, safe ASCII names, and a list of the dossiers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from caicach.core.jobs.services import job_execute
from caicach.core.models import Job, JobStatus, Membership, Role, SecurityEvent, SecurityKind, User
from caicach.core.permissions import can
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.dossiers.queries import received_count
from caicach.initiatives.dossiers.rules import RECEIVED_STATUSES
from caicach.initiatives.dossiers.services import attachment_add
from caicach.initiatives.dossiers.tasks import CAMPAIGN_ZIP, slug
from caicach.initiatives.models import Campaign, Initiative, InitiativeAttachment
from caicach.initiatives.workflow.services import initiative_confirm, initiative_return
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import accept, complete_draft, province_campaign, send, submit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    campaign = province_campaign(org, people)
    campaign.eligible_units.add(org.office)
    return campaign


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach(initiative: Initiative, author: User, name: str, text: str) -> bytes:
    content = docx_bytes(text)
    attachment_add(
        initiative=initiative,
        actor=author,
        upload=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )
    return content


class Dossiers:
    def __init__(self, org: Org, people: People, campaign: Campaign) -> None:
        office_staff = person("cbvp", org.office, Role.UNIT_STAFF, full_name="Trần Thị Văn Phòng")
        office_head = person("cvp", org.office, Role.UNIT_HEAD, full_name="Chánh Văn Phòng")
        # Accepted, with two files that would clash once made ASCII.
        self.accepted = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
        self.first_file = attach(self.accepted, people.unit_staff, "Bảng số liệu.docx", "Số liệu năm 2024")
        self.second_file = attach(self.accepted, people.unit_staff, "Bảng số liệu.docx", "Số liệu năm 2025")
        accept(self.accepted, people)
        # Sent and waiting for acceptance.
        self.submitted = complete_draft(
            author=office_staff,
            unit=org.office,
            campaign=campaign,
            data={"title": "Số hóa hồ sơ trình UBND tỉnh"},
            authors=[
                {"full_name": "Trần Thị Văn Phòng", "share": 100, "is_lead": True, "user": office_staff}
            ],
        )
        submit(self.submitted, office_staff)
        initiative_confirm(initiative=self.submitted, actor=office_head)
        # Not (or no longer) at the campaign: left out.
        self.draft = complete_draft(
            author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": "Bản nháp"}
        )
        self.awaiting = complete_draft(
            author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": "Chờ xác nhận"}
        )
        submit(self.awaiting, people.unit_staff)
        self.returned = complete_draft(
            author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": "Bị trả lại"}
        )
        send(self.returned, people)
        initiative_return(initiative=self.returned, actor=people.reform_officer, comment="Bổ sung.")


@pytest.fixture
def dossiers(org: Org, people: People, campaign: Campaign) -> Dossiers:
    return Dossiers(org, people, campaign)


def zip_url(campaign: Campaign) -> str:
    return reverse("initiatives:campaign_dossiers_zip", kwargs={"pk": campaign.pk})


def run(client: Client, user: User, campaign: Campaign, capture: Any, *, execute: bool = True) -> Job:
    client.force_login(user)
    with capture(execute=execute):
        response = client.post(zip_url(campaign))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    return job


def archive_of(job: Job, media: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO((media / job.result_file).read_bytes()))


def test_the_zip_holds_every_received_dossier_in_a_folder_per_unit(
    client: Client, campaign: Campaign, dossiers: Dossiers, people: People, _media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    job = run(client, people.reform_officer, campaign, django_capture_on_commit_callbacks)
    assert job.kind == CAMPAIGN_ZIP
    assert job.status == JobStatus.DONE, job.message
    assert (job.progress, job.total) == (2, 2)
    assert job.message == "Đã đóng gói 2 hồ sơ."
    # Every dossier's authors (names, birth dates, qualifications): an export of personal data.
    export = SecurityEvent.objects.get(kind=SecurityKind.PERSONAL_DATA_EXPORT)
    assert (export.user, export.object_id, export.detail) == (
        people.reform_officer,
        str(campaign.pk),
        {"export": "campaign_zip", "job": job.pk},
    )
    assert job.result_name.startswith(f"ho-so-sang-kien-dot-{campaign.pk}-") and job.result_name.endswith(
        ".zip"
    )
    accepted, submitted = dossiers.accepted, dossiers.submitted
    accepted.refresh_from_db()
    science = f"so-khoa-hoc-va-cong-nghe/{accepted.pk}-chi-thi-cua-chu-tich-ubnd"
    office = f"van-phong-uy-ban-nhan-dan-tinh/{submitted.pk}-so-hoa-ho-so-trinh-ubnd"
    receipt = accepted.receipt
    assert receipt is not None
    with archive_of(job, _media) as archive:
        names = set(archive.namelist())
        assert names == {
            f"{science}/don-yeu-cau-sang-kien-{accepted.pk}.docx",
            f"{science}/thuyet-minh-sang-kien-{accepted.pk}.docx",
            f"{science}/GBN-01-{receipt.year}-bien-nhan-sang-kien-{accepted.pk}.docx",
            f"{science}/tep-dinh-kem/bang-so-lieu.docx",
            f"{science}/tep-dinh-kem/bang-so-lieu-2.docx",
            f"{office}/don-yeu-cau-sang-kien-{submitted.pk}.docx",
            f"{office}/thuyet-minh-sang-kien-{submitted.pk}.docx",
            "danh-sach-ho-so.csv",
        }
        assert all(name.isascii() for name in names)
        assert archive.read(f"{science}/tep-dinh-kem/bang-so-lieu.docx") == dossiers.first_file
        assert archive.read(f"{science}/tep-dinh-kem/bang-so-lieu-2.docx") == dossiers.second_file
        application = docx.Document(
            io.BytesIO(archive.read(f"{office}/don-yeu-cau-sang-kien-{submitted.pk}.docx"))
        )
        assert any("Số hóa hồ sơ trình UBND tỉnh" in p.text for p in application.paragraphs)
        listing = list(csv.reader(io.StringIO(archive.read("danh-sach-ho-so.csv").decode("utf-8-sig"))))
    assert listing[0] == [
        "STT",
        "Thư mục",
        "Đơn vị",
        "Tên sáng kiến",
        "Tác giả",
        "Trạng thái",
        "Giấy biên nhận",
    ]
    assert listing[1][1:4] == [science, "Sở Khoa học và Công nghệ", accepted.title]
    assert listing[1][4] == "Lê Tuấn Phú; Nguyễn Phương Thảo; Đông Thị Huệ"
    assert listing[1][5:] == ["Đã tiếp nhận", "01/GBN-SNV"]
    assert listing[2][2:] == [
        "Văn phòng Ủy ban nhân dân tỉnh", "Số hóa hồ sơ trình UBND tỉnh", "Trần Thị Văn Phòng",
        "Đã gửi, chờ tiếp nhận", "",
    ]  # fmt: skip
    assert len(listing) == 3


def test_a_file_missing_on_the_server_is_reported_not_fatal(
    client: Client, campaign: Campaign, dossiers: Dossiers, people: People, _media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    stored = InitiativeAttachment.objects.filter(initiative=dossiers.accepted).order_by("pk").first()
    assert stored is not None
    (_media / stored.file.name).unlink()
    job = run(client, people.reform_officer, campaign, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.message
    assert "1 tệp đính kèm không đọc được" in job.message
    with archive_of(job, _media) as archive:
        note = archive.read("tep-khong-doc-duoc.txt").decode("utf-8")
        assert "Bảng số liệu.docx" in note
        assert not any(name.endswith("tep-dinh-kem/bang-so-lieu.docx") for name in archive.namelist())


def test_a_campaign_without_received_dossiers_says_so(
    client: Client, campaign: Campaign, people: People, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
    job = run(client, people.reform_officer, campaign, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.message == "Đợt phát động chưa có hồ sơ nào được gửi đến."


def test_the_job_checks_access_again_when_it_runs(
    client: Client,
    campaign: Campaign,
    dossiers: Dossiers,
    people: People,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = run(client, people.reform_officer, campaign, django_capture_on_commit_callbacks, execute=False)
    assert job.status == JobStatus.QUEUED
    Membership.objects.filter(user=people.reform_officer).update(is_active=False)
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "không còn quyền quản lý" in job.message
    assert not job.result_file


def test_starting_the_zip_runs_a_fixed_number_of_queries(
    client: Client, campaign: Campaign, dossiers: Dossiers, people: People,
    django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(12), django_capture_on_commit_callbacks(execute=False):
        assert client.post(zip_url(campaign)).status_code == 302


def test_the_zip_queries_do_not_grow_per_dossier(
    campaign: Campaign, dossiers: Dossiers, people: People, org: Org, django_assert_max_num_queries: Any
) -> None:
    from caicach.core.jobs.services import job_start

    def queries_for_run() -> int:
        job = job_start(kind=CAMPAIGN_ZIP, actor=people.reform_officer, parameters={"campaign": campaign.pk})
        with django_assert_max_num_queries(200) as captured:
            job_execute(job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.message
        # Per dossier: one progress update and the attachment files (none here); nothing else.
        return len(captured.captured_queries) - job.total

    before = queries_for_run()
    for n in range(3):
        extra = complete_draft(
            author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": f"Thêm {n}"}
        )
        send(extra, people)
    assert queries_for_run() == before


def test_folder_names_are_ascii_slugs() -> None:
    assert slug("Ủy ban nhân dân xã Hảo Đước") == "uy-ban-nhan-dan-xa-hao-duoc"
    assert slug("  ") == "khong-ten"
    assert slug("../../etc/passwd") == "etc-passwd"


# --- The button on the campaign page ----------------------------------------------------------------


def partial(campaign: Campaign, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "initiatives/campaigns/_dossiers_zip.html", {"campaign": campaign, "user": user}, request
    )


def test_the_button_is_shown_to_those_who_may_manage_the_campaign(
    campaign: Campaign, dossiers: Dossiers, people: People, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        html = partial(campaign, people.reform_officer)
    assert f'<form method="post" action="{zip_url(campaign)}">' in html
    assert "2 hồ sơ đã gửi đến đợt phát động." in html
    for persona in ("unit_head", "unit_staff", "outsider"):
        assert zip_url(campaign) not in partial(campaign, getattr(people, persona)), persona


def test_without_received_dossiers_there_is_nothing_to_pack(campaign: Campaign, people: People) -> None:
    html = partial(campaign, people.reform_officer)
    assert "Chưa có hồ sơ nào được gửi đến đợt phát động." in html
    assert zip_url(campaign) not in html


def test_the_panel_counts_what_each_person_who_may_manage_the_campaign_sees(
    campaign: Campaign, dossiers: Dossiers, people: People
) -> None:
    """The panel counts the campaign's received dossiers from its index alone: the twin of
    counting them through the viewer's scope, for everyone who may change the campaign."""
    managers = [user for user in User.objects.all() if can(user, "change", campaign)]
    assert {people.admin, people.reform_officer} <= set(managers)
    for user in managers:
        seen = initiatives_for(user).filter(campaign=campaign, status__in=RECEIVED_STATUSES)
        assert received_count(campaign) == seen.count() == 2, user.username
