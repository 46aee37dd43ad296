"""Files attached to a dossier: checked by content, stored under a random name outside the
web root, downloaded only through the permission-checked view, removed by hiding."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Role, User
from caicach.initiatives.dossiers.queries import initiative_snapshot
from caicach.initiatives.dossiers.services import attachment_add, attachment_remove
from caicach.initiatives.models import Initiative, InitiativeAttachment, InitiativeStatus
from tests.conftest import PASSWORD, Org, People
from tests.core.factories import person
from tests.core.test_uploads import real_docx, real_pdf
from tests.initiatives.factories import make_draft, seed_authors


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def co_author(org: Org) -> User:
    return person("dongtacgia", org.commune, Role.UNIT_STAFF, full_name="Đông Thị Huệ")


@pytest.fixture
def dossier(org: Org, people: People, co_author: User) -> Initiative:
    return make_draft(actor=people.unit_staff, unit=org.science, authors=seed_authors(co_author))


def stored_files(root: Path) -> list[Path]:
    return [Path(dirpath) / name for dirpath, _dirs, names in os.walk(root) for name in names]


def test_a_pdf_is_stored_under_a_random_name_with_its_checksum(
    dossier: Initiative, people: People, media: Path
) -> None:
    data = real_pdf()
    attachment = attachment_add(
        initiative=dossier,
        actor=people.unit_staff,
        upload=SimpleUploadedFile("../../Thuyết minh sáng kiến.pdf", data),
        description="Bản ký   số",
    )
    assert attachment.original_name == "Thuyết minh sáng kiến.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(data)
    assert attachment.description == "Bản ký số"
    assert attachment.file.name.startswith("initiatives/")
    assert "Thuy" not in attachment.file.name
    path = Path(attachment.file.path)
    assert path.is_relative_to(media)
    assert path.read_bytes() == data
    event = AuditEvent.objects.get(action="initiative.attachment_add")
    assert event.object_id == str(dossier.pk)
    assert event.changes == {"attachments": [None, "Thuyết minh sáng kiến.pdf"]}
    assert initiative_snapshot(dossier)["attachments"][0]["name"] == "Thuyết minh sáng kiến.pdf"


def test_a_disguised_file_is_refused_and_nothing_is_written(
    dossier: Initiative, people: People, media: Path
) -> None:
    with pytest.raises(ValidationError):
        attachment_add(
            initiative=dossier,
            actor=people.unit_staff,
            upload=SimpleUploadedFile("don.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        )
    assert not InitiativeAttachment.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action="initiative.attachment_add").exists()


def test_only_an_author_of_an_editable_dossier_may_attach(
    dossier: Initiative, people: People, co_author: User
) -> None:
    upload = SimpleUploadedFile("a.docx", real_docx())
    with pytest.raises(PermissionDenied):
        attachment_add(initiative=dossier, actor=people.unit_head, upload=upload)
    assert attachment_add(initiative=dossier, actor=co_author, upload=upload).original_name == "a.docx"
    Initiative.objects.filter(pk=dossier.pk).update(status=InitiativeStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="không thể thay đổi tệp đính kèm"):
        attachment_add(initiative=dossier, actor=co_author, upload=SimpleUploadedFile("b.pdf", real_pdf()))
    assert InitiativeAttachment.objects.count() == 1


def test_removing_hides_the_file_but_keeps_it(dossier: Initiative, people: People) -> None:
    attachment = attachment_add(
        initiative=dossier, actor=people.unit_staff, upload=SimpleUploadedFile("a.pdf", real_pdf())
    )
    attachment_remove(attachment=attachment, actor=people.unit_staff)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert Path(attachment.file.path).exists()
    assert initiative_snapshot(dossier)["attachments"] == []
    assert AuditEvent.objects.filter(action="initiative.attachment_remove").count() == 1
    Initiative.objects.filter(pk=dossier.pk).update(status=InitiativeStatus.ACCEPTED)
    other = InitiativeAttachment.objects.create(
        initiative=dossier,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="",
    )
    with pytest.raises(ValidationError):
        attachment_remove(attachment=other, actor=people.unit_staff)


# --- Views --------------------------------------------------------------------------------------


def login(client: Client, user: User) -> Client:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_author_uploads_through_the_page(client: Client, dossier: Initiative, people: People) -> None:
    url = reverse("initiatives:attachment_add", args=[dossier.pk])
    upload = SimpleUploadedFile("Bảng số liệu.pdf", real_pdf(), content_type="application/pdf")
    response = login(client, people.unit_staff).post(
        url, {"file": upload, "description": "Số liệu"}, follow=True
    )
    assert "Đã đính kèm tệp “Bảng số liệu.pdf”." in response.content.decode()
    assert "Bảng số liệu.pdf" in response.content.decode()
    bad = SimpleUploadedFile("virus.docx", b"MZ" + b"\x00" * 64)
    response = client.post(url, {"file": bad}, follow=True)
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert InitiativeAttachment.objects.count() == 1


def test_who_may_download_remove_and_add(
    client: Client, dossier: Initiative, people: People, co_author: User, org: Org
) -> None:
    attachment = attachment_add(
        initiative=dossier, actor=people.unit_staff, upload=SimpleUploadedFile("Đơn yêu cầu.pdf", real_pdf())
    )
    download = reverse("initiatives:attachment_download", args=[attachment.pk])
    colleague = person("dongnghiep", org.science, Role.UNIT_STAFF)
    expected = {
        people.unit_staff: 200,
        co_author: 200,
        people.unit_head: 200,
        people.admin: 200,
        colleague: 404,
        people.reform_officer: 404,
        people.council_member: 404,
        people.outsider: 404,
    }
    for user, status in expected.items():
        assert login(client, user).get(download).status_code == status, user.username
    for user in (people.unit_head, colleague, people.outsider):
        client_for = login(client, user)
        assert (
            client_for.post(reverse("initiatives:attachment_remove", args=[attachment.pk])).status_code == 404
        )
        upload = SimpleUploadedFile("a.pdf", real_pdf())
        add = reverse("initiatives:attachment_add", args=[dossier.pk])
        assert client_for.post(add, {"file": upload}).status_code == 404
    assert InitiativeAttachment.objects.filter(removed_at__isnull=True).count() == 1
    client.logout()
    assert client.get(download).status_code == 302


def test_the_download_carries_the_vietnamese_name_and_the_checked_type(
    client: Client, dossier: Initiative, people: People
) -> None:
    data = real_pdf()
    attachment = attachment_add(
        initiative=dossier, actor=people.unit_staff, upload=SimpleUploadedFile("Đơn yêu cầu.pdf", data)
    )
    response = login(client, people.unit_head).get(
        reverse("initiatives:attachment_download", args=[attachment.pk])
    )
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Don_yeu_cau.pdf"')
    assert "filename*=utf-8''%C4%90%C6%A1n%20y%C3%AAu%20c%E1%BA%A7u.pdf" in disposition


def test_a_removed_file_is_no_longer_offered(client: Client, dossier: Initiative, people: People) -> None:
    attachment = attachment_add(
        initiative=dossier, actor=people.unit_staff, upload=SimpleUploadedFile("a.pdf", real_pdf())
    )
    response = login(client, people.unit_staff).post(
        reverse("initiatives:attachment_remove", args=[attachment.pk]), follow=True
    )
    assert "Đã gỡ tệp “a.pdf”." in response.content.decode()
    assert client.get(reverse("initiatives:attachment_download", args=[attachment.pk])).status_code == 404
