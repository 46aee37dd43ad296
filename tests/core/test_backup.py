"""``manage.py backup`` and ``manage.py restore``: the demo backed up and restored into
another database (another SQLite file; another PostgreSQL database) with the same rows and
files, and every kind of damaged archive refused before anything is written."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from caicach.core import backup, clock
from tests.conftest import Org, load_demo

ROOT = Path(__file__).resolve().parents[2]
# Every test that backs up is transactional: pg_dump (another process) sees committed rows
# only, and SQLite's backup API waits for the write transaction a plain test keeps open.


def media_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def make_backup(output: Path) -> Path:
    call_command("backup", "--output", str(output), stdout=io.StringIO())
    (archive,) = output.glob("caicach-*.tar.gz")
    return archive


def rewrite(archive: Path, change: Any, extra: tuple[tuple[str, bytes], ...] = ()) -> None:
    """Rebuild the archive with ``change(name, content) -> (name, content)`` applied to each
    member and ``extra`` members added, as someone tampering with it would."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in [*(change(n, c) for n, c in members), *extra]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


@pytest.fixture
def uploaded(media: Path) -> Path:
    folder = media / "initiatives" / "2026"
    folder.mkdir(parents=True)
    (folder / "thuyết minh sáng kiến.pdf").write_bytes(b"%PDF-1.7 noi dung")
    return media


# --- the round trip -----------------------------------------------------------------------------


class OtherDatabase:
    """Where the restore goes: another SQLite file, or another PostgreSQL database."""

    def __init__(self, tmp_path: Path) -> None:
        db = connection.settings_dict
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "restored.sqlite3"
        self.name = f"{db['NAME']}_restored"
        if self.sqlite:
            self.url = f"sqlite:///{self.file}"
        else:
            credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
            address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            self.url = f"postgresql://{credentials}@{address}/{self.name}"

    def create(self) -> None:
        if not self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self.name}")
                cursor.execute(f"CREATE DATABASE {self.name}")

    def drop(self) -> None:
        if not self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {self.name}")

    def row_counts(self) -> dict[str, int]:
        """Counted here, not by the restore command under test."""
        if self.sqlite:
            with sqlite3.connect(self.file) as db:
                tables = [
                    name
                    for (name,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        import psycopg

        params = {**connection.get_connection_params(), "dbname": self.name}
        with psycopg.connect(**params) as pg, pg.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = [name for (name,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]  # type: ignore[index]
            return counts


@pytest.fixture
def other_database(tmp_path: Path) -> Iterator[OtherDatabase]:
    other = OtherDatabase(tmp_path)
    other.create()
    yield other
    other.drop()


@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_restores_into_another_database_with_the_same_rows_and_files(
    tmp_path: Path, media: Path, other_database: OtherDatabase
) -> None:
    load_demo()
    assert media_checksums(media), "the demo issues documents into MEDIA_ROOT"
    archive = make_backup(tmp_path / "backups")
    expected_rows = backup.row_counts()
    assert expected_rows["core_unit"] > 10 and expected_rows["initiatives_initiative"] > 0

    restored_media = tmp_path / "restored-media"
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": other_database.url,
            "CAICACH_MEDIA_ROOT": str(restored_media),
            "CAICACH_VAR_DIR": str(tmp_path / "var"),
            "CAICACH_TESTING": "0",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "số dòng khớp với bản kê" in result.stdout
    assert other_database.row_counts() == expected_rows
    assert media_checksums(restored_media) == media_checksums(media)


# --- the manifest -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_manifest_lists_the_database_the_rows_and_every_file_with_its_checksum(
    tmp_path: Path, org: Org, uploaded: Path
) -> None:
    archive = make_backup(tmp_path)
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        contents = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    assert manifest["database_vendor"] == connection.vendor
    assert "core.0018_job_heartbeat" in manifest["migrations"]
    assert manifest["row_counts"]["core_unit"] == 8
    dump = backup.DUMP_NAMES[connection.vendor]
    assert set(manifest["files"]) == {dump, "media/initiatives/2026/thuyết minh sáng kiến.pdf"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest
    sidecar = archive.with_name(archive.name + ".sha256").read_text()
    assert sidecar.split() == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]


@pytest.mark.django_db(transaction=True)
def test_keep_leaves_only_the_newest_archives(tmp_path: Path, org: Org) -> None:
    start = clock.now()
    for minutes in range(3):
        with clock.travel_to(start + datetime.timedelta(minutes=minutes)):
            call_command("backup", "--output", str(tmp_path), "--keep", "2", stdout=io.StringIO())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4  # two archives and their .sha256
    assert f"caicach-{start:%Y%m%d-%H%M}" not in " ".join(names)


# --- refusals -----------------------------------------------------------------------------------


@pytest.fixture
def refused_unchanged(org: Org, uploaded: Path) -> Iterator[None]:
    """Whatever the refusal, the database and the files are as they were."""
    rows, files = backup.row_counts(), media_checksums(uploaded)
    yield
    assert backup.row_counts() == rows
    assert media_checksums(uploaded) == files


@pytest.mark.django_db(transaction=True)
def test_a_tampered_file_in_the_archive_is_refused(tmp_path: Path, refused_unchanged: None) -> None:
    archive = make_backup(tmp_path)
    archive.with_name(archive.name + ".sha256").unlink()  # the tamperer drops the outer checksum too

    def swap(name: str, content: bytes) -> tuple[str, bytes]:
        return name, b"%PDF-1.7 noi dung gia mao" if name.endswith(".pdf") else content

    rewrite(archive, swap)
    with pytest.raises(
        CommandError, match=r"đã bị thay đổi: media/initiatives/2026/thuyết minh sáng kiến\.pdf"
    ):
        call_command("restore", str(archive), "--force")


@pytest.mark.django_db(transaction=True)
def test_an_archive_that_no_longer_matches_its_sha256_file_is_refused(
    tmp_path: Path, refused_unchanged: None
) -> None:
    archive = make_backup(tmp_path)
    rewrite(archive, lambda name, content: (name, content))  # same members, other bytes
    with pytest.raises(CommandError, match="SHA-256 không khớp"):
        call_command("restore", str(archive), "--force")


@pytest.mark.django_db(transaction=True)
def test_a_member_outside_the_archive_folders_is_refused(tmp_path: Path, refused_unchanged: None) -> None:
    archive = make_backup(tmp_path)
    archive.with_name(archive.name + ".sha256").unlink()
    escape = "media/../../thoat-ra.txt"

    def smuggle(name: str, content: bytes) -> tuple[str, bytes]:
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["files"][escape] = hashlib.sha256(b"x").hexdigest()
            return name, json.dumps(manifest).encode()
        return name, content

    rewrite(archive, smuggle, extra=((escape, b"x"),))
    with pytest.raises(CommandError, match="mục không hợp lệ"):
        call_command("restore", str(archive), "--force")
    assert not (tmp_path.parent / "thoat-ra.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_a_non_empty_database_is_not_overwritten_unless_told(tmp_path: Path, refused_unchanged: None) -> None:
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="CSDL đích không trống"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_missing_or_unreadable_archive_gets_a_clear_message(
    tmp_path: Path, refused_unchanged: None
) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", str(tmp_path / "khong-co.tar.gz"))
    junk = tmp_path / "hong.tar.gz"
    junk.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="Không đọc được tệp sao lưu"):
        call_command("restore", str(junk))
