"""Benchmarks for the foundation: builds a province-sized dataset in a throwaway database and
prints timings and query counts. Not a test: numbers to compare between changes.

    make bench                       # SQLite in a temporary directory
    DATABASE_URL=postgresql://root@127.0.0.1:5432/caicach_bench make bench

Sizes: BENCH_UNITS (default 3000), BENCH_USERS (5000), BENCH_EVENTS (100000)."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caicach.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["CAICACH_VAR_DIR"] = tempfile.mkdtemp(prefix="caicach-bench-")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from caicach.core.calendar import queries as calendar  # noqa: E402
from caicach.core.calendar.services import calendar_load_official  # noqa: E402
from caicach.core.models import AuditEvent, DocumentType, Membership, Role, Unit, UnitKind, User  # noqa: E402
from caicach.core.numbering import register_number  # noqa: E402

UNITS = int(os.environ.get("BENCH_UNITS", 3000))
USERS = int(os.environ.get("BENCH_USERS", 5000))
EVENTS = int(os.environ.get("BENCH_EVENTS", 100_000))


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> None:
    best = float("inf")
    queries = 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    print(f"{label:<55} {best * 1000:9.1f} ms  {queries:4d} queries")


def build() -> User:
    call_command("migrate", verbosity=0)
    calendar_load_official(actor=None)
    province = Unit.objects.create(
        code="P", name="Ủy ban nhân dân tỉnh Thử", kind=UnitKind.PROVINCE_COMMITTEE, document_symbol="UBND"
    )
    units = [
        Unit(
            code=f"X{i:05d}",
            name=f"Ủy ban nhân dân xã Thử Nghiệm {i}",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=province,
            document_symbol="UBND",
        )
        for i in range(UNITS)
    ]
    # bulk_create skips save(), which fills the folded search column: fill it here.
    for unit in units:
        unit.search_text = unit.build_search_text()
    Unit.objects.bulk_create(units, batch_size=1000)
    unit_ids = list(Unit.objects.values_list("pk", flat=True))
    users = [
        User(username=f"u{i}", full_name=f"Nguyễn Văn Thử {i}", unit_id=unit_ids[i % len(unit_ids)])
        for i in range(USERS)
    ]
    for user in users:
        user.search_text = user.build_search_text()
    User.objects.bulk_create(users, batch_size=1000)
    admin = User.objects.create_superuser(
        "admin", "admin@example.org", "bench-password-123", full_name="Admin"
    )
    Membership.objects.create(user=admin, unit=province, role=Role.SYSTEM_ADMIN)
    events = (
        AuditEvent(
            actor=admin,
            actor_name="Admin",
            action="unit.update",
            object_id=str(unit_ids[i % len(unit_ids)]),
            object_repr=f"Đơn vị {i}",
            search_text=f"don vi {i}",  # search_words() of the name, as save() writes it
            changes={"name": ["a", "b"]},
        )
        for i in range(EVENTS)
    )
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return admin


def main() -> None:
    print(f"backend: {connection.vendor}; units={UNITS} users={USERS} events={EVENTS}")
    start = time.perf_counter()
    admin = build()
    print(f"dataset built in {time.perf_counter() - start:.1f} s")

    client = Client()
    client.force_login(admin)
    for label, url in [
        ("unit list, first page", "/don-vi/"),
        ("unit list, accent-free search 'thu nghiem 12'", "/don-vi/?q=thu+nghiem+12"),
        ("user list, first page", "/nguoi-dung/"),
        ("user list, search 'nguyen van thu 4'", "/nguoi-dung/?q=nguyen+van+thu+4"),
        ("audit search, first page", "/nhat-ky/"),
        ("calendar year page 2026", "/lich/2026/"),
        ("document register", "/so-van-ban/"),
    ]:
        timed(label, partial(client.get, url))

    start_day = datetime.date(2024, 1, 1)
    timed("calendar: 10,000 × add_working_days(…, 10)",
          lambda: [calendar.add_working_days(start_day + datetime.timedelta(days=i % 900), 10)
                   for i in range(10_000)])  # fmt: skip
    unit = Unit.objects.get(code="P")
    timed(
        "numbering: 200 register_number calls",
        lambda: [
            register_number(unit=unit, document_type=DocumentType.PLAN, year=2026, title="Kế hoạch thử",
                            issued_on=datetime.date(2026, 1, 5), actor=admin)
            for _ in range(200)
        ],
        repeat=1,
    )  # fmt: skip


if __name__ == "__main__":
    main()
