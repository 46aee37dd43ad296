"""Backups: one archive (``caicach-YYYYMMDD-HHMMSS.tar.gz``) holding a consistent copy of the
database, the uploaded and generated files (MEDIA_ROOT) and ``manifest.json`` — when, which
version and migrations, which database, the row count of every table and the SHA-256 of
every other file in the archive — plus a ``.sha256`` file beside the archive, for the
manifest itself. The restore checks all of it before it touches anything.

Consistency: SQLite is copied with its online backup API (a page-by-page copy that sees one
state of the database while the site keeps running); PostgreSQL is dumped by ``pg_dump``
(custom format) inside a snapshot exported by the transaction that counts the rows, so the
dump and the manifest describe the same instant."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from caicach.core import clock

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ARCHIVE_GLOB = "caicach-*.tar.gz"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal the operator reads (in Vietnamese): nothing was written."""


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int


# --- checksums ----------------------------------------------------------------------------------


class _Hashing:
    """A file read through, its SHA-256 kept on the way (no second read that could see a
    file changed in between)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return _sha256(stream)


def sidecar(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


# --- the database -------------------------------------------------------------------------------


def _postgresql_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [str(name) for (name,) in rows]


def _sqlite_state(path: Path) -> tuple[dict[str, int], list[str]]:
    with sqlite3.connect(path) as db:
        counts = _count_rows(db.cursor(), _sqlite_tables(db), connection.ops.quote_name)
        migrations = [f"{app}.{name}" for app, name in db.execute("SELECT app, name FROM django_migrations")]
    return counts, sorted(migrations)


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[str]]:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return _sqlite_state(target)


def _postgresql_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ANY (current_schemas(false))"
    )
    return [str(name) for (name,) in cursor.fetchall()]


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[str]]:
    import psycopg

    # A connection of our own: the snapshot needs a fresh REPEATABLE READ transaction,
    # whatever Django's connection is doing.
    with psycopg.connect(**connection.get_connection_params()) as db, db.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None
        snapshot = str(row[0])
        counts = _count_rows(cursor, _postgresql_tables(cursor), connection.ops.quote_name)
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
        _run(
            [
                settings.PG_DUMP_BINARY,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                "--file",
                str(target),
            ]
        )
    return counts, migrations


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, env=_postgresql_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            _("Không tìm thấy chương trình %(program)s trên máy chủ.") % {"program": command[0]}
        ) from exc
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s báo lỗi: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )


def row_counts() -> dict[str, int]:
    """Every table of the current database and its number of rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = _postgresql_tables(cursor)
        else:
            tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(_("Chỉ sao lưu và khôi phục được CSDL SQLite hoặc PostgreSQL."))
    return connection.vendor


# --- the media files ------------------------------------------------------------------------------


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _app_version() -> str:
    try:
        return metadata.version("caicach")
    except metadata.PackageNotFoundError:
        return ""


# --- backup -------------------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, path: Path, name: str) -> str:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as stream:
        hashing = _Hashing(stream)
        tar.addfile(info, hashing)  # tarfile only ever calls read()
    return hashing.digest.hexdigest()


def create_backup(output: Path, *, keep: int | None = None) -> Path:
    """Write the archive into ``output`` and return its path; with ``keep``, only the newest
    ``keep`` archives of that folder stay."""
    vendor = _vendor()
    output.mkdir(parents=True, exist_ok=True)
    created = clock.now()
    archive = output / f"caicach-{created:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(_("Tệp %(name)s đã có; vui lòng chạy lại sau một giây.") % {"name": archive.name})
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=output) as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        counts, migrations = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgresql(dump)
        files: dict[str, str] = {}
        with tarfile.open(partial, "w:gz") as tar:
            files[dump.name] = _add(tar, dump, dump.name)
            for relative, path in _media_files():
                files[MEDIA_PREFIX + relative] = _add(tar, path, MEDIA_PREFIX + relative)
            manifest = {
                "format": FORMAT,
                "created_at": created.isoformat(),
                "app_version": _app_version(),
                "database_vendor": vendor,
                "migrations": migrations,
                "row_counts": counts,
                "files": files,
            }
            content = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(content)
            info.mtime = int(created.timestamp())
            tar.addfile(info, io.BytesIO(content))
    partial.rename(archive)  # an archive under its final name is always complete
    sidecar(archive).write_text(f"{file_sha256(archive)}  {archive.name}\n", encoding="ascii")
    if keep is not None:
        _prune(output, keep)
    return archive


def _prune(output: Path, keep: int) -> None:
    archives = sorted(output.glob(ARCHIVE_GLOB), reverse=True)  # the name sorts by time
    for old in archives[max(keep, 1) :]:
        old.unlink()
        sidecar(old).unlink(missing_ok=True)


# --- verify and restore ---------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def verify(archive: Path) -> dict[str, Any]:
    """Check the archive against its ``.sha256`` file and every member against the manifest;
    return the manifest. Raises ``BackupError`` saying what is wrong."""
    if not archive.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": archive})
    expected = sidecar(archive)
    if expected.exists():
        recorded = expected.read_text(encoding="ascii", errors="replace").split()
        if not recorded or recorded[0] != file_sha256(archive):
            raise BackupError(
                _("Tệp sao lưu đã bị thay đổi hoặc hỏng: mã SHA-256 không khớp với tệp %(name)s.")
                % {"name": expected.name}
            )
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            manifest_member = next((m for m in members if m.name == MANIFEST), None)
            if manifest_member is None:
                raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json)."))
            manifest = _read_manifest(tar, manifest_member)
            listed: dict[str, str] = manifest["files"]
            found: set[str] = set()
            for member in members:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name) or member.name in found:
                    raise BackupError(
                        _("Tệp sao lưu chứa mục không hợp lệ: %(name)s.") % {"name": member.name}
                    )
                found.add(member.name)
                stream = tar.extractfile(member)
                assert stream is not None
                if member.name not in listed or _sha256(stream) != listed[member.name]:
                    raise BackupError(
                        _("Tệp sao lưu đã bị thay đổi: %(name)s không khớp với bản kê.")
                        % {"name": member.name}
                    )
            missing = sorted(set(listed) - found)
            if missing:
                raise BackupError(_("Tệp sao lưu thiếu: %(names)s.") % {"names": ", ".join(missing[:5])})
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("Không đọc được tệp sao lưu (hỏng hoặc không đúng định dạng).")) from exc
    return manifest


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    stream = tar.extractfile(member)
    try:
        manifest = json.loads(stream.read()) if stream is not None else None
    except ValueError:
        manifest = None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("database_vendor") not in DUMP_NAMES
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("row_counts"), dict)
    ):
        raise BackupError(_("Bản kê của tệp sao lưu không hợp lệ."))
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]


def _media_is_empty() -> bool:
    return next(_media_files(), None) is None


@contextmanager
def _extracted(archive: Path, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        stream = tar.extractfile(name)
        assert stream is not None
        target = Path(work) / PurePosixPath(name).name
        with target.open("wb") as out:
            shutil.copyfileobj(stream, out, _CHUNK)
        yield target


def _restore_sqlite(dump: Path) -> None:
    name = connection.settings_dict["NAME"]
    connection.close()
    with sqlite3.connect(dump) as source, sqlite3.connect(name) as target:
        source.backup(target)


def _restore_postgresql(dump: Path, *, replace: bool) -> None:
    if replace:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    # Objects belong to the role that restores (the migration role); grants are given again
    # from the README's SQL, as the roles of another server may differ.
    _run(
        [
            settings.PG_RESTORE_BINARY,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(dump),
        ]
    )


def _restore_media(archive: Path, names: list[str]) -> None:
    root = Path(settings.MEDIA_ROOT).resolve()
    with tarfile.open(archive, "r:gz") as tar:
        for name in names:
            target = (root / name.removeprefix(MEDIA_PREFIX)).resolve()
            if not target.is_relative_to(root):
                raise BackupError(_("Tệp sao lưu chứa mục không hợp lệ: %(name)s.") % {"name": name})
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = tar.extractfile(name)
            assert stream is not None
            with target.open("wb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)


def restore_backup(archive: Path, *, replace: bool = False) -> RestoreReport:
    """Verify ``archive``, then restore the database and the files into an empty database and
    an empty MEDIA_ROOT (``replace``: overwrite what is there), then compare the row counts
    with the manifest."""
    manifest = verify(archive)
    vendor = _vendor()
    if manifest["database_vendor"] != vendor:
        raise BackupError(
            _("Bản sao lưu là của CSDL %(archive)s, không khôi phục được vào CSDL %(target)s.")
            % {"archive": manifest["database_vendor"], "target": vendor}
        )
    if not replace and not _database_is_empty():
        raise BackupError(
            _(
                "CSDL đích không trống. Hãy khôi phục vào một CSDL mới, trống; "
                "hoặc thêm --force nếu chắc chắn muốn ghi đè toàn bộ dữ liệu hiện có."
            )
        )
    if not replace and not _media_is_empty():
        raise BackupError(
            _("Thư mục tệp (%(path)s) không trống. Hãy dùng một thư mục trống, hoặc thêm --force.")
            % {"path": settings.MEDIA_ROOT}
        )
    with _extracted(archive, DUMP_NAMES[vendor]) as dump:
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump, replace=replace)
    media = sorted(name for name in manifest["files"] if name.startswith(MEDIA_PREFIX))
    _restore_media(archive, media)

    counts = row_counts()
    expected: dict[str, int] = manifest["row_counts"]
    differing = sorted(t for t in set(expected) | set(counts) if expected.get(t) != counts.get(t))
    if differing:
        details = ", ".join(f"{t} ({expected.get(t, '—')} ≠ {counts.get(t, '—')})" for t in differing[:10])
        raise BackupError(
            _("Số dòng sau khi khôi phục không khớp với bản kê: %(tables)s.") % {"tables": details}
        )
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=len(media))
