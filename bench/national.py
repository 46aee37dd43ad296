"""Load benchmark at national scale: builds a country-sized dataset in a throwaway database,
serves it with gunicorn, signs in through the login form as four personas and measures each
list, detail, dashboard, search and report page against a trivial view on the same server.
Not a test: it prints numbers to compare between changes.

    .venv/bin/python bench/national.py --preset small --no-small     # a minute, PostgreSQL
    .venv/bin/python bench/national.py --preset province --sqlite     # SQLite in a temp dir
    .venv/bin/python bench/national.py --preset national --markdown   # ~20 min of building
    .venv/bin/python bench/national.py --preset national --initiatives 50000 --audit-events 200000

What it does, per dataset (the chosen preset, then ``small`` for the ratios unless
``--no-small``), each in a child process of its own (Django is configured once per process):

1. creates ``caicach_national_<pid>`` on BENCH_DATABASE_URL (default
   postgresql://root@127.0.0.1:5432), or a SQLite file in a temporary directory with
   ``--sqlite``; migrates; builds the dataset (``bench/dataset.py``);
2. serves it with gunicorn (``--workers``, default 2; DEBUG off; the Redis cache when
   REDIS_URL, default redis://127.0.0.1:6379/14, answers) with ``bench/settings_national.py``;
3. for each persona (national, province, unit, admin; see ``dataset.Builder.personas``), signs
   in through the login form and requests each of its pages (first twice per server worker,
   not measured: a worker compiles a page's templates on its first request), alternating page
   and trivial view (``--clients`` connections at once), until ``--requests`` pages or
   ``--page-seconds`` have gone (at least three samples); a request slower than ``--timeout``
   is reported as TIMEOUT;
4. counts each page's SQL queries in-process (Django's test client, once, after a warm-up);
5. runs the 'export the initiatives list to Excel' job handler in a subprocess and reports its
   peak memory (RSS);
6. drops the database (also on Ctrl-C) and stops gunicorn.

Building the national dataset takes long; to measure a change against the same data, build it
once and keep it, then reuse it (``migrate`` runs first, so new migrations, such as indexes,
apply to the kept data; the small dataset is kept as ``<name>_small``)::

    .venv/bin/python bench/national.py --keep caicach_bench --build-only   # build, keep, stop
    .venv/bin/python bench/national.py --reuse caicach_bench --only search # measure on it

Columns: req/s is ``clients / mean latency`` of the page (what the clients would get asking
for that page alone); "% triv." compares it with the trivial view measured in the same
alternation; p50/p95 are page latencies; queries are counted in-process; KiB is the body
size; "× small" is p50 here / p50 on the small dataset.

Pages are named by their URL names and reversed, never by path."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import logging
import math
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PERSONAS = ("national", "province", "unit", "admin")
MANAGERS = ("national", "province", "admin")
DEFAULT_DATABASE_URL = "postgresql://root@127.0.0.1:5432"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
SIZE_OPTIONS = (
    "units",
    "provinces",
    "users",
    "campaigns",
    "initiatives",
    "authors",
    "reviewed",
    "items",
    "report_lines",
    "adjustment_requests",
    "audit_events",
    "notifications",
    "practices",
    "consultations",
    "tasks",
)


# --- Command line -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", choices=("national", "province", "small"), default="national")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary directory")
    parser.add_argument("--no-small", action="store_true", help="skip the small dataset and the ratios")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown too")
    parser.add_argument("--requests", type=int, default=30, help="page requests per page (max)")
    parser.add_argument("--page-seconds", type=float, default=15.0, help="time budget per page")
    parser.add_argument("--clients", type=int, default=1, help="concurrent client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a page is TIMEOUT")
    parser.add_argument("--export-timeout", type=float, default=900.0, help="seconds for the export job")
    parser.add_argument("--no-export", action="store_true", help="skip the export job's memory")
    parser.add_argument("--only", default="", help="measure only pages whose label contains this")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--recall-samples", type=int, default=30, help="dossiers whose similar ones are checked exactly"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--keep", metavar="DBNAME", help="build into this PostgreSQL database and keep it afterwards"
    )
    parser.add_argument(
        "--reuse", metavar="DBNAME", help="measure a database kept by --keep instead of building one"
    )
    parser.add_argument("--build-only", action="store_true", help="build and keep the dataset only")
    for name in SIZE_OPTIONS:
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int, help=f"override {name}")
    # Internal: the child processes.
    parser.add_argument("--phase", choices=("run", "export"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--persona", default="admin", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- Results ------------------------------------------------------------------------------------------


@dataclass
class PageResult:
    label: str
    persona: str
    url_name: str
    path: str
    status: str = "ok"  # "ok", "TIMEOUT", "HTTP 404", "error: ..."
    samples: int = 0
    page_ms: list[float] = field(default_factory=list)
    trivial_ms: list[float] = field(default_factory=list)
    size: int = 0
    queries: int | None = None
    slowest_query_ms: float | None = None
    slowest_query: str = ""

    def rate(self, clients: int) -> float | None:
        return clients * 1000 / statistics.fmean(self.page_ms) if self.page_ms else None

    def trivial_rate(self, clients: int) -> float | None:
        return clients * 1000 / statistics.fmean(self.trivial_ms) if self.trivial_ms else None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.page_ms) if self.page_ms else None

    @property
    def p95(self) -> float | None:
        if not self.page_ms:
            return None
        ordered = sorted(self.page_ms)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


# --- HTTP client ----------------------------------------------------------------------------------------


class Timeout(Exception):
    pass


class Session:
    """One client connection carrying the session cookie. Gunicorn's sync workers close the
    connection after every response; http.client opens the next one by itself."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def clone(self) -> Session:
        other = Session(self.port, self.timeout)
        other.cookies = dict(self.cookies)
        return other

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, float]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "vi", "User-Agent": "caicach-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except TimeoutError as exc:
            self.conn.close()
            raise Timeout(path) from exc
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        elapsed = (time.perf_counter() - start) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, data, elapsed

    def login(self, login_path: str, username: str, password: str) -> None:
        status, body, _ = self.request("GET", login_path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or match is None:
            raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
        form = urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        )
        status, body, _ = self.request("POST", login_path, body=form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {status}")


def _warm(session: Session, path: str, requests: int, parallel: int) -> int:
    """``requests`` more requests for ``path`` on ``parallel`` connections at once (one
    connection, sequential, is served by whichever worker is idle first: the same one,
    mostly). The last status that was not 200, else 200."""
    statuses: list[int] = []
    lock = threading.Lock()

    def work(client: Session, count: int) -> None:
        for _ in range(count):
            status, _body, _ms = client.request("GET", path)
            with lock:
                statuses.append(status)

    parallel = max(1, min(parallel, requests))
    shares = [requests // parallel + (1 if n < requests % parallel else 0) for n in range(parallel)]
    threads = [threading.Thread(target=work, args=(session.clone(), share)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return next((status for status in statuses if status != 200), 200)


def measure(
    session: Session,
    result: PageResult,
    trivial_path: str,
    *,
    clients: int,
    requests: int,
    budget: float,
    warm_ups: int = 1,
    warm_parallel: int = 1,
) -> None:
    """Warm up (``warm_ups`` requests, the first alone and the rest on ``warm_parallel``
    connections at once, so that each server worker serves some: each compiles a template
    and fills its in-process caches on its first use of a page), then alternate page and
    trivial view on ``clients`` connections until ``requests`` pages or ``budget`` seconds
    (at least three pages per connection)."""
    try:
        status, body, first = session.request("GET", result.path)
        if status == 200 and warm_ups > 1:
            status = _warm(session, result.path, warm_ups - 1, warm_parallel)
    except Timeout:
        result.status = "TIMEOUT"
        return
    except (OSError, http.client.HTTPException) as exc:
        result.status = f"error: {exc.__class__.__name__}"
        return
    result.size = len(body)
    if status != 200:
        result.status = f"HTTP {status}"
        return
    sessions = [session] + [session.clone() for _ in range(clients - 1)]
    per_client = max(requests // clients, 1)
    lock = threading.Lock()
    deadline = time.perf_counter() + max(budget - first / 1000, 0)
    failures: list[str] = []

    def work(client: Session) -> None:
        done = 0
        while done < per_client and (done < 3 or time.perf_counter() < deadline):
            try:
                page_status, _, page_ms = client.request("GET", result.path)
                _, _, trivial_ms = client.request("GET", trivial_path)
            except Timeout:
                failures.append("TIMEOUT")
                return
            except (OSError, http.client.HTTPException) as exc:
                failures.append(f"error: {exc.__class__.__name__}")
                return
            if page_status != 200:
                failures.append(f"HTTP {page_status}")
                return
            with lock:
                result.page_ms.append(page_ms)
                result.trivial_ms.append(trivial_ms)
            done += 1

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.samples = len(result.page_ms)
    if failures:
        result.status = failures[0]


# --- Database and server ------------------------------------------------------------------------


def create_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_available(url: str) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def forget_cache(url: str, prefix: str) -> None:
    """Delete this run's keys only (``cache.clear()`` would flush the whole Redis database)."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    except Exception:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH_DIR), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    return env


@contextlib.contextmanager
def gunicorn(workers: int, timeout: float, log_path: Path) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "caicach.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        # Longer than the client's patience, so a slow page is the client's TIMEOUT.
        "--timeout",
        str(int(timeout) + 15),
        "--graceful-timeout",
        "5",
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
    ]
    # Its own session: Ctrl-C reaches this script, which stops the server in order.
    process = subprocess.Popen(command, env=child_env(), cwd=str(ROOT), start_new_session=True)
    try:
        wait_until_up(port, process)
        yield port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start-up: see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 60 s")


# --- The child: one dataset, built, served, measured ----------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    label: str
    url_name: str
    args: tuple[int, ...]
    query: dict[str, str]
    personas: tuple[str, ...]


def page_specs(ids: dict[str, int], year: int) -> list[PageSpec]:
    """The pages measured, by URL name, with objects each persona may open."""
    nat_campaign, prov_campaign = ids["national_campaign"], ids["province_campaign"]
    nat_council, prov_council = ids["national_council"], ids["province_council"]
    program, commune_program = ids["province_program"], ids["commune_program"]
    month = ids["report_month"]
    report, unit_report = ids["adoption_report"], ids["unit_adoption_report"]
    everyone, managers, admin = PERSONAS, MANAGERS, ("admin",)
    national = ("national", "admin")
    province = ("province",)
    return [
        PageSpec("dashboard", "home", (), {}, everyone),
        PageSpec("inbox", "inbox", (), {}, everyone),
        PageSpec("unit list", "unit_list", (), {}, everyone),
        PageSpec("unit list, search", "unit_list", (), {"q": "phuong an binh"}, admin),
        PageSpec("unit detail (a province)", "unit_detail", (ids["first_province"],), {}, admin),
        PageSpec("user list", "user_list", (), {}, admin),
        PageSpec("user list, search", "user_list", (), {"q": "nguyen van hung"}, admin),
        PageSpec("user detail", "user_detail", (ids["user"],), {}, admin),
        PageSpec("two-step login enrolment", "mfa_enrol", (), {}, everyone),
        PageSpec("two-step login reset, confirmation", "mfa_reset", (ids["user"],), {}, admin),
        PageSpec("audit search", "audit_search", (), {}, admin),
        PageSpec("audit search, one action", "audit_search", (), {"action": "initiative.accept"}, admin),
        PageSpec("audit search, text", "audit_search", (), {"text": "initiative"}, admin),
        PageSpec("security log", "security_log", (), {}, admin),
        PageSpec("security log, one kind", "security_log", (), {"kind": "access.denied"}, admin),
        PageSpec("document register", "document_register", (), {}, managers),
        PageSpec("campaign list", "initiatives:campaign_list", (), {}, everyone),
        PageSpec("campaign detail (national)", "initiatives:campaign_detail", (nat_campaign,), {}, national),
        PageSpec("campaign detail (national)", "initiatives:campaign_detail", (nat_campaign,), {}, ("unit",)),
        PageSpec("campaign units (national)", "initiatives:campaign_units", (nat_campaign,), {}, national),
        PageSpec("campaign detail (province)", "initiatives:campaign_detail", (prov_campaign,), {}, province),
        PageSpec("campaign units (province)", "initiatives:campaign_units", (prov_campaign,), {}, province),
        PageSpec("initiative list", "initiatives:initiative_list", (), {}, everyone),
        PageSpec(
            "initiative list, search", "initiatives:initiative_list", (), {"q": "nang cao hieu qua"}, everyone
        ),
        PageSpec(
            "initiative list, recognised",
            "initiatives:initiative_list",
            (),
            {"status": "recognised"},
            managers,
        ),
        PageSpec(
            "initiative detail", "initiatives:initiative_detail", (ids["national_initiative"],), {}, national
        ),
        PageSpec(
            "initiative detail", "initiatives:initiative_detail", (ids["province_initiative"],), {}, province
        ),
        PageSpec(
            "initiative detail", "initiatives:initiative_detail", (ids["unit_initiative"],), {}, ("unit",)
        ),
        PageSpec(
            "similar dossiers", "initiatives:initiative_similar", (ids["national_initiative"],), {}, national
        ),
        PageSpec(
            "similar dossiers", "initiatives:initiative_similar", (ids["province_initiative"],), {}, province
        ),
        PageSpec("council detail", "initiatives:council_detail", (nat_council,), {}, national),
        PageSpec("council detail", "initiatives:council_detail", (prov_council,), {}, province),
        PageSpec("council results", "initiatives:council_results", (nat_council,), {}, national),
        PageSpec("council results", "initiatives:council_results", (prov_council,), {}, province),
        PageSpec("recognition page", "initiatives:recognition_campaign", (nat_campaign,), {}, national),
        PageSpec("recognition page", "initiatives:recognition_campaign", (prov_campaign,), {}, province),
        PageSpec("program list", "workprogram:program_list", (), {}, everyone),
        PageSpec("program detail", "workprogram:program_detail", (program,), {}, managers),
        PageSpec("program detail", "workprogram:program_detail", (commune_program,), {}, ("unit",)),
        PageSpec(
            "program detail, search",
            "workprogram:program_detail",
            (program,),
            {"q": "chuyen doi so"},
            managers,
        ),
        PageSpec("item detail", "workprogram:item_detail", (ids["province_item"],), {}, managers),
        PageSpec("monthly reports", "workprogram:report_list", (program,), {}, managers),
        PageSpec("monthly reports", "workprogram:report_list", (commune_program,), {}, ("unit",)),
        PageSpec("report detail", "workprogram:report_detail", (ids["province_report"],), {}, managers),
        PageSpec("monthly summary", "workprogram:summary_detail", (program, year, month), {}, managers),
        PageSpec("KPIs", "workprogram:kpi", (program,), {}, managers),
        PageSpec("KPIs", "workprogram:kpi", (commune_program,), {}, ("unit",)),
        PageSpec("unfinished items", "workprogram:kpi_unfinished", (program,), {}, managers),
        PageSpec("request list", "workprogram:request_list", (), {}, everyone),
        PageSpec("request detail", "workprogram:request_detail", (ids["province_request"],), {}, managers),
        PageSpec("practice list", "replication:practice_list", (), {}, everyone),
        PageSpec("practice list, search", "replication:practice_list", (), {"q": "so hoa"}, everyone),
        PageSpec("practice detail", "replication:practice_detail", (ids["practice"],), {}, everyone),
        PageSpec("directive list", "replication:directive_list", (), {}, everyone),
        PageSpec("directive detail", "replication:directive_detail", (ids["directive"],), {}, everyone),
        PageSpec("obligation list", "replication:obligation_list", (), {}, ("unit",)),
        PageSpec("adoption report review", "replication:report_review_list", (), {}, managers),
        PageSpec("adoption report detail", "replication:report_detail", (report,), {}, managers),
        PageSpec("adoption report detail", "replication:report_detail", (unit_report,), {}, ("unit",)),
        PageSpec("monitoring matrix", "replication:monitoring_matrix", (), {}, managers),
        PageSpec(
            "monitoring matrix, communes",
            "replication:monitoring_matrix",
            (),
            {"van_ban": str(ids["directive"]), "nhom": "commune_committees"},
            managers,
        ),
        PageSpec("laggards", "replication:monitoring_laggards", (), {}, managers),
        PageSpec("adoption rates", "replication:monitoring_rates", (), {}, managers),
        PageSpec("replication summaries", "replication:summary_list", (), {}, managers),
        PageSpec("replication summary detail", "replication:summary_detail", (ids["summary"],), {}, managers),
        PageSpec("consultation list", "deliberation:consultation_list", (), {}, everyone),
        PageSpec(
            "consultation detail", "deliberation:consultation_detail", (ids["consultation"],), {}, managers
        ),
        PageSpec("opinion punctuality", "deliberation:punctuality", (), {}, managers),
        # Meetings (the national dataset holds none: these measure the empty-scope cost).
        PageSpec("meeting list", "deliberation:meeting_list", (), {}, everyone),
        PageSpec("proposed withdrawals", "deliberation:withdrawal_list", (), {}, managers),
        PageSpec("wrong-level attendance", "deliberation:attendance_stats", (), {}, managers),
        # Assigned tasks.
        PageSpec("task list", "oversight:task_list", (), {}, everyone),
        PageSpec("task list, overdue", "oversight:task_list", (), {"timeliness": "overdue"}, everyone),
        PageSpec("urging notices", "oversight:notice_list", (), {}, managers),
        PageSpec("repeatedly overdue tasks", "oversight:laggards", (), {}, managers),
        PageSpec("task statistics", "oversight:statistics", (), {}, managers),
        PageSpec(
            "task statistics, overdue drill-down",
            "oversight:statistics_drill_down",
            (),
            {"timeliness": "overdue", "kpi": "1"},
            managers,
        ),
        # The REST API's lists (caicach.api), as the session of each persona reads them.
        PageSpec("API units", "api-v1:unit_list", (), {}, everyone),
        PageSpec("API units, search", "api-v1:unit_list", (), {"q": "phuong an binh"}, everyone),
        PageSpec("API campaigns", "api-v1:campaign_list", (), {}, everyone),
        PageSpec("API initiatives", "api-v1:initiative_list", (), {}, everyone),
        PageSpec(
            "API initiatives, search", "api-v1:initiative_list", (), {"q": "nang cao hieu qua"}, everyone
        ),
        PageSpec("API programs", "api-v1:program_list", (), {}, everyone),
        PageSpec("API program items", "api-v1:item_list", (), {}, everyone),
        PageSpec("API monthly reports", "api-v1:report_list", (), {}, everyone),
        PageSpec("API KPIs", "api-v1:program_kpis", (program,), {}, managers),
        PageSpec("API directives", "api-v1:directive_list", (), {}, everyone),
        PageSpec("API obligations", "api-v1:obligation_list", (), {}, everyone),
        PageSpec("API adoption reports", "api-v1:adoption_report_list", (), {}, everyone),
        PageSpec("API tasks", "api-v1:task_list", (), {}, everyone),
        PageSpec("API tasks, overdue", "api-v1:task_list", (), {"timeliness": "overdue"}, everyone),
        PageSpec("API consultations", "api-v1:consultation_list", (), {}, everyone),
        PageSpec("API my opinions", "api-v1:opinion_list", (), {}, everyone),
        PageSpec("API meetings", "api-v1:meeting_list", (), {}, everyone),
        # The public showcase's data (no login needed; the same for every persona).
        PageSpec("API showcase practices", "api-v1:showcase_practice_list", (), {}, admin),
        PageSpec(
            "API showcase practices, search", "api-v1:showcase_practice_list", (), {"q": "so hoa"}, admin
        ),
        PageSpec("API showcase initiatives", "api-v1:showcase_initiative_list", (), {}, admin),
    ]


def log(message: str) -> None:
    print(message, flush=True)


def run_phase(args: argparse.Namespace) -> None:
    """Build, serve and measure one dataset; write the results to ``args.out``."""
    run_id = f"{args.preset}-{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="caicach-national-"))
    base_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL).rstrip("/")
    kept = args.reuse or args.keep
    db_name = None if args.sqlite else (kept or f"caicach_national_{os.getpid()}")
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    prefix = f"bench-national-{run_id}"
    os.environ.update(
        {
            "CAICACH_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "settings_national",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "BENCH_CACHE_PREFIX": prefix,
            "LOG_LEVEL": "WARNING",
        }
    )
    if db_name is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        if not args.reuse:
            create_database(base_url, db_name)
        os.environ["DATABASE_URL"] = f"{base_url}/{db_name}"
    with_redis = redis_available(redis_url)
    if with_redis:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    sys.path[:0] = [str(BENCH_DIR), str(ROOT)]
    try:
        results = serve_and_measure(args, tmp, with_redis)
        args.out.write_text(json.dumps(results))
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if db_name is not None and not kept:
            drop_database(base_url, db_name)
            log(f"[{args.preset}] dropped database {db_name}")
        elif db_name is not None:
            log(f"[{args.preset}] kept database {db_name} (reuse it with --reuse {db_name})")
        if with_redis:
            forget_cache(redis_url, prefix)
        shutil.rmtree(tmp, ignore_errors=True)


def serve_and_measure(args: argparse.Namespace, tmp: Path, with_redis: bool) -> dict[str, Any]:
    import django

    django.setup()
    import dataset
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    sizes = dataset.sizes_with(dataset.PRESETS[args.preset], {n: getattr(args, n) for n in SIZE_OPTIONS})
    cache = "yes" if with_redis else "no"
    log(f"[{args.preset}] {connection.vendor}, redis cache: {cache}; {sizes.describe()}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"  migrated in {time.perf_counter() - start:.1f} s")
    if args.reuse:
        built, build_seconds = load_built(), 0.0
        log(f"[{args.preset}] reusing the dataset kept in {args.reuse}")
    else:
        built = dataset.build(sizes, seed=args.seed, log=log)
        build_seconds = time.perf_counter() - start
        if args.keep:
            save_built(built)
    counts = dataset.table_sizes()
    log(
        f"[{args.preset}] dataset built in {build_seconds:.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    if args.build_only:
        return {"preset": args.preset, "backend": connection.vendor, "pages": [], "built_only": True}
    similarity = similarity_index(args.recall_samples, args.seed)
    connection.close()

    specs = page_specs(built.ids, dataset.YEAR)
    results: list[PageResult] = []
    for persona in PERSONAS:
        for spec in specs:
            if persona in spec.personas and (not args.only or args.only in spec.label):
                path = reverse(spec.url_name, args=spec.args)
                if spec.query:
                    path += "?" + urlencode(spec.query)
                results.append(
                    PageResult(label=spec.label, persona=persona, url_name=spec.url_name, path=path)
                )
    trivial_path = reverse("bench_trivial")
    login_path = reverse("login")

    with gunicorn(args.workers, args.timeout, tmp / "gunicorn.log") as port:
        # Each worker's first request loads the URLconf and more (half a second): without
        # this, one of the first page's trivial samples did, and its "% triv." read 129 %.
        warm = Session(port, args.timeout)
        for _ in range(4 * args.workers):
            warm.request("GET", trivial_path)
        for persona in PERSONAS:
            session = Session(port, args.timeout)
            session.login(login_path, f"bench.{persona}", dataset.PASSWORD)
            for result in (r for r in results if r.persona == persona):
                measure(
                    session,
                    result,
                    trivial_path,
                    clients=args.clients,
                    requests=args.requests,
                    budget=args.page_seconds,
                    # A worker's first request for a page compiles its templates (and fills
                    # its in-process caches). Sent one after another, the warm-ups went to
                    # one worker: the national dashboard's first sample, on the other, took
                    # 861 ms in the run of 2026-12-06 (its median 13 ms).
                    warm_ups=2 * args.workers,
                    warm_parallel=args.workers,
                )
                p50 = f"{result.p50:8.1f} ms" if result.p50 is not None else "        —"
                log(f"  {persona:<9} {result.label:<34} {p50}  n={result.samples:<3} {result.status}")
        server_log = (tmp / "gunicorn.log").read_text(errors="replace")[-3000:]

    count_queries(results, built.personas)
    export = None if args.no_export else export_memory(args)
    return {
        "preset": args.preset,
        "backend": connection.vendor,
        "redis": with_redis,
        "clients": args.clients,
        "workers": args.workers,
        "sizes": asdict(sizes),
        "table_sizes": counts,
        "build_seconds": build_seconds,
        "build_steps": built.seconds,
        "pages": [asdict(r) for r in results],
        "export": export,
        "similarity": similarity,
        "server_log": server_log,
    }


BUILT_TABLE = "bench_national_built"


def save_built(built: Any) -> None:
    """The ids the pages need, kept in the dataset's own database for ``--reuse`` (a table
    Django does not know: migrations leave it alone)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BUILT_TABLE} (data text NOT NULL)")
        cursor.execute(f"DELETE FROM {BUILT_TABLE}")
        cursor.execute(f"INSERT INTO {BUILT_TABLE} (data) VALUES (%s)", [json.dumps(asdict(built))])


def load_built() -> Any:
    import dataset
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {BUILT_TABLE}")
        row = cursor.fetchone()
    if row is None:
        raise SystemExit(f"no dataset kept in this database (build it with --keep): {BUILT_TABLE} is empty")
    return dataset.Built(**json.loads(row[0]))


def similarity_index(samples: int, seed: int) -> dict[str, Any]:
    """Build the similar-dossiers index as the nightly job does (so the panel is measured on
    it), then its recall@10 against the exact cosine over ``samples`` random sent dossiers."""
    import random

    from caicach.initiatives.search import similar

    start = time.perf_counter()
    content = similar.build_index()
    similar.save_index(content)
    built = time.perf_counter() - start
    ids = list(similar.compared().values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(samples, len(ids)))
    queries = list(similar.compared().filter(pk__in=chosen))
    start = time.perf_counter()
    for query in queries:
        similar.similar_to(query)
    per_query = (time.perf_counter() - start) * 1000 / max(len(queries), 1)
    start = time.perf_counter()
    recall = similar.recall_at(queries)
    exact = time.perf_counter() - start
    log(
        f"  similarity index: {len(ids):,} dossiers in {built:.0f} s, {len(content) / 1024 / 1024:.1f} MiB; "
        f"recall@10 {recall if recall is None else round(recall, 3)} over {len(queries)} dossiers "
        f"({per_query:.0f} ms a query; exact recount {exact:.0f} s)"
    )
    return {
        "dossiers": len(ids),
        "build_seconds": built,
        "bytes": len(content),
        "samples": len(queries),
        "query_ms": per_query,
        "recall": recall,
    }


def count_queries(results: list[PageResult], personas: dict[str, int]) -> None:
    """Each page's query count, in-process with the test client (second request: the first
    may fill caches), and its slowest query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from caicach.core.models import User

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are in the table
    clients: dict[str, Client] = {}
    for result in results:
        if result.status == "TIMEOUT":
            continue
        client = clients.get(result.persona)
        if client is None:
            client = clients[result.persona] = Client()
            client.force_login(User.objects.get(pk=personas[result.persona]))
        try:
            client.get(result.path)
            with CaptureQueriesContext(connection) as ctx:
                client.get(result.path)
        except Exception as exc:  # a page's error must not stop the report
            result.status = f"{result.status}; in-process: {exc.__class__.__name__}"
            continue
        result.queries = len(ctx.captured_queries)
        if ctx.captured_queries:
            slowest = max(ctx.captured_queries, key=lambda q: float(q.get("time") or 0))
            result.slowest_query_ms = float(slowest.get("time") or 0) * 1000
            # The column list says little: keep FROM onwards.
            sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", str(slowest.get("sql", "")), count=1)
            result.slowest_query = sql[:1500]


def export_memory(args: argparse.Namespace) -> dict[str, Any] | None:
    """Peak RSS of the 'initiatives to Excel' job handler for the admin (every dossier), in a
    subprocess of its own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", "export", "--persona", "admin"]
    try:
        done = subprocess.run(
            command, env=child_env(), capture_output=True, text=True, timeout=args.export_timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": f"TIMEOUT after {args.export_timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"status": f"failed ({done.returncode}): {done.stderr[-500:]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def peak_rss_kib() -> int:
    """This process's peak resident memory. VmHWM, which starts afresh with the program:
    ``ru_maxrss`` keeps the parent's peak across fork and exec (the benchmark's own)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def export_phase(args: argparse.Namespace) -> None:
    import django

    django.setup()
    baseline = peak_rss_kib()
    from caicach.core.jobs.services import get_handler
    from caicach.core.models import Job, User
    from caicach.initiatives.search.tasks import INITIATIVES_EXPORT

    handler = get_handler(INITIATIVES_EXPORT)
    if handler is None:
        print(json.dumps({"status": "no handler"}))
        return
    after_imports = peak_rss_kib()
    creator = User.objects.get(username=f"bench.{args.persona}")
    job = Job.objects.create(kind=INITIATIVES_EXPORT, created_by=creator, parameters={"query": ""})
    seen = {"total": 0}

    def progress(done: int, total: int | None = None) -> None:
        if total is not None:
            seen["total"] = total

    start = time.perf_counter()
    output = handler(job, progress)
    elapsed = time.perf_counter() - start
    peak = peak_rss_kib()
    print(
        json.dumps(
            {
                "status": "ok",
                "rows": seen["total"],
                "seconds": elapsed,
                "bytes": len(output.content or b"") if output else 0,
                "baseline_rss_kib": baseline,
                "after_imports_rss_kib": after_imports,
                "peak_rss_kib": peak,
            }
        )
    )


# --- The parent: run the children, print the tables ---------------------------------------------------


def run_child(args: argparse.Namespace, preset: str, overrides: bool) -> dict[str, Any] | None:
    out = Path(tempfile.mkstemp(prefix=f"caicach-national-{preset}-", suffix=".json")[1])
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        "run",
        "--preset",
        preset,
        "--out",
        str(out),
        "--requests",
        str(args.requests),
        "--page-seconds",
        str(args.page_seconds),
        "--clients",
        str(args.clients),
        "--workers",
        str(args.workers),
        "--timeout",
        str(args.timeout),
        "--export-timeout",
        str(args.export_timeout),
        "--seed",
        str(args.seed),
        "--recall-samples",
        str(args.recall_samples),
    ]
    if args.sqlite:
        command.append("--sqlite")
    if args.no_export:
        command.append("--no-export")
    if args.only:
        command += ["--only", args.only]
    for flag, name in (("--keep", args.keep), ("--reuse", args.reuse)):
        if name:
            command += [flag, name if preset == args.preset else f"{name}_small"]
    if args.build_only:
        command.append("--build-only")
    if overrides:
        for name in SIZE_OPTIONS:
            value = getattr(args, name)
            if value is not None:
                command += [f"--{name.replace('_', '-')}", str(value)]
    process = subprocess.Popen(command, env=child_env())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        log("interrupted: waiting for the benchmark to stop gunicorn and drop its database…")
        process.wait()
        out.unlink(missing_ok=True)
        raise
    try:
        if code != 0 or not out.stat().st_size:
            log(f"[{preset}] the run failed (exit {code})")
            return None
        data: dict[str, Any] = json.loads(out.read_text())
        return data
    finally:
        out.unlink(missing_ok=True)


def fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


HEADERS = ("page", "persona", "req/s", "% triv.", "p50 ms", "p95 ms", "queries", "KiB", "× small")


def table_rows(run: dict[str, Any], small: dict[str, Any] | None) -> list[list[str]]:
    clients = int(run["clients"])
    small_p50: dict[tuple[str, str], float | None] = {}
    if small is not None:
        for page in small["pages"]:
            item = PageResult(**page)
            small_p50[(item.label, item.persona)] = item.p50 if item.status == "ok" else None
    rows = []
    for page in run["pages"]:
        item = PageResult(**page)
        rate, trivial = item.rate(clients), item.trivial_rate(clients)
        ratio = None
        reference = small_p50.get((item.label, item.persona))
        if item.p50 is not None and reference:
            ratio = item.p50 / reference
        status = "" if item.status == "ok" else f" [{item.status}]"
        rows.append(
            [
                item.label + status,
                item.persona,
                fmt(rate, ".1f"),
                fmt(rate / trivial * 100 if rate and trivial else None, ".1f"),
                fmt(item.p50, ".1f"),
                fmt(item.p95, ".1f"),
                "—" if item.queries is None else str(item.queries),
                fmt(item.size / 1024 if item.size else None, ".1f"),
                "—" if ratio is None else f"{ratio:.1f}×",
            ]
        )
    return rows


def print_table(rows: list[list[str]], markdown: bool) -> None:
    if not rows:
        print("   (no page measured: see --only)")
        return
    if markdown:
        print("| " + " | ".join(HEADERS) + " |")
        print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(HEADERS))) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS)]
    print(
        "  ".join(
            h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(HEADERS, widths, strict=True))
        )
    )
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def report(run: dict[str, Any], small: dict[str, Any] | None, markdown: bool) -> None:
    print()
    print(
        f"== {run['preset']} on {run['backend']} (redis cache: {'yes' if run['redis'] else 'no'}; "
        f"gunicorn {run['workers']} workers, {run['clients']} client(s)); "
        f"built in {run['build_seconds']:.0f} s"
    )
    print("   rows: " + ", ".join(f"{k} {v:,}" for k, v in run["table_sizes"].items()))
    trivial = [ms for page in run["pages"] for ms in page["trivial_ms"]]
    if trivial:
        print(
            f"   trivial view: p50 {statistics.median(trivial):.1f} ms, "
            f"{run['clients'] * 1000 / statistics.fmean(trivial):.0f} req/s ({len(trivial)} requests)"
        )
    rows = table_rows(run, small)
    print()
    print_table(rows, markdown=False)
    if markdown:
        print()
        print_table(rows, markdown=True)
    export = run.get("export")
    if export:
        print()
        if export.get("status") == "ok":
            print(
                f"   export all initiatives to xlsx (admin): {export['rows']:,} rows "
                f"in {export['seconds']:.1f} s, "
                f"{export['bytes'] / 1024 / 1024:.1f} MiB; peak RSS {export['peak_rss_kib'] / 1024:.0f} MiB "
                f"(after django.setup {export['baseline_rss_kib'] / 1024:.0f} MiB)"
            )
        else:
            print(f"   export all initiatives to xlsx: {export.get('status')}")
    similarity = run.get("similarity")
    if similarity:
        recall = similarity["recall"]
        print(
            f"   similar dossiers: index of {similarity['dossiers']:,} dossiers built in "
            f"{similarity['build_seconds']:.0f} s ({similarity['bytes'] / 1024 / 1024:.1f} MiB), "
            f"{similarity['query_ms']:.0f} ms a query; recall@10 against exact cosine "
            f"{'—' if recall is None else format(recall, '.3f')} over {similarity['samples']} dossiers"
        )
    slow = sorted(
        (PageResult(**p) for p in run["pages"] if p.get("slowest_query_ms")),
        key=lambda p: p.slowest_query_ms or 0,
        reverse=True,
    )[:5]
    if slow:
        print()
        print("   slowest single queries (in-process):")
        for item in slow:
            print(
                f"   - {item.label} / {item.persona}: {item.slowest_query_ms:.0f} ms: "
                f"{item.slowest_query[:700]}"
            )


def main() -> None:
    args = parse_args()
    if args.phase == "run":
        run_phase(args)
        return
    if args.phase == "export":
        export_phase(args)
        return
    if (args.keep or args.reuse) and args.sqlite:
        sys.exit("--keep and --reuse are for PostgreSQL")
    if args.keep and args.reuse:
        sys.exit("--keep builds a dataset, --reuse measures a kept one: choose one")
    if args.build_only and not args.keep:
        sys.exit("--build-only needs --keep DBNAME (otherwise the dataset is dropped at once)")
    if importlib.util.find_spec("gunicorn") is None:
        sys.exit(
            "gunicorn is not installed: .venv/bin/pip install 'gunicorn==27.0.1' (the production extra's pin)"
        )
    try:
        main_run = run_child(args, args.preset, overrides=True)
        small = None
        if main_run is not None and not args.no_small and args.preset != "small":
            small = run_child(args, "small", overrides=False)
    except KeyboardInterrupt:
        sys.exit(130)
    if main_run is None:
        sys.exit(1)
    if args.build_only:
        return
    if small is not None:
        report(small, None, args.markdown)
    report(main_run, small, args.markdown)
    if args.json:
        args.json.write_text(json.dumps({"run": main_run, "small": small}, indent=1))


if __name__ == "__main__":
    main()
