"""Shared fixtures: a small province and a persona for every role, plus an outsider.

The organisation mirrors the demo: a province committee with Home Affairs (reform
officers), the committee's Office, Science & Technology, a legacy district with its Home
Affairs division, and a commune. The outsider works in another commune and must never see
anything of the others."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from caicach.core import choices, clock, rendering
from caicach.core.calendar import queries as calendar
from caicach.core.models import Role, Unit, UnitKind, User
from tests.core.factories import PASSWORD, make_unit, person

__all__ = ["PASSWORD", "Org", "People"]


@dataclass
class Org:
    province: Unit
    home_affairs: Unit
    office: Unit
    science: Unit
    district: Unit
    district_home_affairs: Unit
    commune: Unit
    other_commune: Unit


@dataclass
class People:
    admin: User
    reform_officer: User
    office_officer: User
    unit_head: User
    unit_staff: User
    council_member: User
    committee_member: User
    leader: User
    outsider: User


def load_demo() -> None:
    """Load the demo data. An earlier transactional test may have emptied the rows a data
    migration seeds: put back the adjustment reasons the demo's requests name first."""
    importlib.import_module("caicach.workprogram.migrations.0002_adjustment_reasons").forwards(apps, None)
    call_command("load_demo", stdout=io.StringIO())


@receiver(connection_created)
def _declare_maintenance(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The test database is flushed between browser tests (TRUNCATE): on PostgreSQL the
    security log refuses that unless the session declares maintenance (core migration 0017)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET caicach.maintenance = 'on'")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Between transactional tests (browser tests, the worker kill test) Django empties the
    database with one TRUNCATE of every table, which the audit trail refuses on PostgreSQL
    (core migration 0019). The test database sets that trigger aside; the test of the trigger
    arms it again inside its own transaction."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads, job results and issued files go to a throw-away folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


# A DOCX saved twice differs in its zip entries' times and its core properties' dates only.
_SAVED_AT = re.compile(rb"<dcterms:(?:created|modified)[^>]*>[^<]*</dcterms:(?:created|modified)>")


def _docx_digest(content: bytes) -> str:
    """What a DOCX says, whenever it was saved: its parts, their names and contents."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0" + _SAVED_AT.sub(b"", archive.read(name)) + b"\0")
    return digest.hexdigest()


@pytest.fixture(autouse=True, scope="session")
def _each_document_printed_once() -> Iterator[None]:
    """LibreOffice takes a second or two per document. The walks of the demo (every page for
    every account, in several tests) ask for the same PDFs again and again: each distinct
    document, for the same LibreOffice and time limit, is converted once per test process.
    A test that sets another ``SOFFICE_BINARY`` (a broken one, none) gets its own."""
    convert = rendering.render_pdf
    printed: dict[tuple[str | None, float | None, str], bytes] = {}

    def render_pdf(docx_bytes: bytes, *, timeout: float | None = None) -> bytes:
        try:
            key = (rendering.soffice_binary(), timeout, _docx_digest(docx_bytes))
        except zipfile.BadZipFile:
            return convert(docx_bytes, timeout=timeout)
        if key not in printed:
            printed[key] = convert(docx_bytes, timeout=timeout)
        return printed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "render_pdf", render_pdf)
        yield


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """The calendar keeps years in process memory and the cache outlives a test; each
    test's database starts afresh, and so do they."""
    calendar.invalidate()
    cache.clear()


@pytest.fixture(autouse=True)
def _kept_figures_renewed_at_each_write(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test's own transaction never commits, so what a page keeps from a table
    (``caicach.core.choices.kept``: counts, a list's page keys, the home page's to-dos) would
    never be renewed by the writes the test makes between two reads. In tests, a write
    renews at once what was kept from its table, as its commit would; the tests of that
    timing itself, marked ``renew_on_commit``, see production's (on commit only)."""
    if request.node.get_closest_marker("renew_on_commit") is None:
        monkeypatch.setattr(choices, "_renew_when_committed", lambda connection, table: choices.renew(table))


def forget_kept() -> None:
    """Forget every kept figure (every table's generation renewed): the next page computes
    them again, as its first visit after a write would (for query counts of that visit)."""
    from django.db import connection

    for table in connection.introspection.table_names():
        choices.renew(table)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """``with committed(): ...``: the writes inside commit as they would in production, as far
    as the test's own transaction allows: their on-commit callbacks run, so what was kept
    from the tables they write is renewed (``caicach.core.choices.kept``). A test that reads
    a kept figure (the home page's to-dos, a page's scope-wide counts), writes, then reads
    again writes this way."""

    @contextmanager
    def commit() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return commit


@pytest.fixture
def org(db: None) -> Org:
    province = make_unit(
        "TNH",
        name="Ủy ban nhân dân tỉnh Tây Ninh",
        short_name="UBND tỉnh",
        kind=UnitKind.PROVINCE_COMMITTEE,
        document_symbol="UBND",
        place_name="Tây Ninh",
    )
    district = make_unit(
        "CTH",
        name="Ủy ban nhân dân huyện Châu Thành",
        short_name="UBND huyện Châu Thành",
        kind=UnitKind.DISTRICT_COMMITTEE,
        parent=province,
        document_symbol="UBND",
        place_name="Châu Thành",
    )
    return Org(
        province=province,
        home_affairs=make_unit(
            "SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province, document_symbol="SNV"
        ),
        office=make_unit(
            "VP",
            name="Văn phòng Ủy ban nhân dân tỉnh",
            kind=UnitKind.OFFICE,
            parent=province,
            document_symbol="VP",
        ),
        science=make_unit(
            "SKHCN",
            name="Sở Khoa học và Công nghệ",
            kind=UnitKind.DEPARTMENT,
            parent=province,
            document_symbol="SKHCN",
        ),
        district=district,
        district_home_affairs=make_unit(
            "CTH-PNV",
            name="Phòng Nội vụ huyện Châu Thành",
            kind=UnitKind.DISTRICT_DIVISION,
            parent=district,
            document_symbol="PNV",
            place_name="Châu Thành",
        ),
        commune=make_unit(
            "XHT",
            name="Ủy ban nhân dân xã Hảo Đước",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=province,
            document_symbol="UBND",
            place_name="Hảo Đước",
        ),
        other_commune=make_unit(
            "XTB",
            name="Ủy ban nhân dân xã Thanh Điền",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=province,
            document_symbol="UBND",
            place_name="Thanh Điền",
        ),
    )


@pytest.fixture
def people(org: Org) -> People:
    return People(
        admin=person("quantri", org.office, Role.SYSTEM_ADMIN, full_name="Quản Trị Viên"),
        reform_officer=person("cvnoivu", org.home_affairs, Role.REFORM_OFFICER, full_name="Lê Thị Cải Cách"),
        office_officer=person("cvvanphong", org.office, Role.OFFICE_OFFICER, full_name="Trần Văn Phòng"),
        unit_head=person("truongdonvi", org.science, Role.UNIT_HEAD, full_name="Phạm Thủ Trưởng"),
        unit_staff=person("canbo", org.science, Role.UNIT_STAFF, full_name="Nguyễn Thị Cán Bộ"),
        council_member=person("hoidong", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Võ Hội Đồng"),
        committee_member=person(
            "thanhvien", org.province, Role.COMMITTEE_MEMBER, full_name="Đặng Thành Viên"
        ),
        leader=person(
            "lanhdao", org.province, Role.LEADER, full_name="Hoàng Chủ Tịch", position="Phó Chủ tịch"
        ),
        outsider=person("nguoingoai", org.other_commune, Role.UNIT_STAFF, full_name="Người Ngoài"),
    )


@contextmanager
def on_day(day: datetime.date, hour: int = 9) -> Iterator[None]:
    """Run the block on ``day`` (09:00 in Vietnam) by the one clock every service and page
    reads (``caicach.core.clock``)."""
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with clock.travel_to(moment):
        yield
