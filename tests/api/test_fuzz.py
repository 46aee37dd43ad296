"""The API fuzzed against its own OpenAPI schema (schemathesis, in-process through the WSGI
application: no server) for three callers — a reform officer, a unit's staff member and an
outsider from another commune — over every operation:

- no answer is a server error (5xx);
- every answer is documented: its status code, content type and body match the schema;
- no object outside the caller's scope is ever returned: every id a list or detail answer
  holds is one the app's query twin gives that caller.

The number of cases per caller is printed: EXAMPLES generated per operation (66) besides
each schema's own examples — about 2,500 per caller over 38 operations, near 40 s a caller
on SQLite on a two-CPU machine (PostgreSQL is similar); API_FUZZ_EXAMPLES=200 gives some
7,600 per caller for a nightly run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.db.models import QuerySet
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from caicach.core.models import User
from caicach.deliberation.consultations.rules import consultations_for
from caicach.deliberation.meetings.rules import meetings_for
from caicach.deliberation.models import Opinion
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.oversight.rules import tasks_for
from caicach.replication.adoption.queries import obligation_queryset, report_queryset
from caicach.replication.adoption.rules import visible_obligations_q, visible_reports_q
from caicach.replication.directives.queries import directives_for
from caicach.replication.showcase.queries import published_practices, recognised_initiatives
from caicach.workprogram.programs.rules import items_for, programs_for
from caicach.workprogram.reports.rules import monthly_reports_for
from tests.api.conftest import Scene, make_token
from tests.api.scene_deliberation import DeliberationScene
from tests.api.scene_oversight import OversightScene
from tests.api.scene_showcase import ShowcaseScene
from tests.conftest import People

# Examples per operation and caller (see the module docstring for the time it takes).
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "66"))

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

# Each path's rows, by the query twin the API must agree with (None: open to every caller).
TWINS: dict[str, Callable[[User], QuerySet[Any]] | None] = {
    "/api/v1/core/units": None,
    "/api/v1/initiatives/campaigns": campaigns_for,
    "/api/v1/initiatives/initiatives": initiatives_for,
    "/api/v1/workprogram/programs": programs_for,
    "/api/v1/workprogram/items": items_for,
    "/api/v1/workprogram/monthly-reports": monthly_reports_for,
    "/api/v1/replication/directives": directives_for,
    "/api/v1/replication/obligations": lambda user: obligation_queryset().filter(visible_obligations_q(user)),
    "/api/v1/replication/adoption-reports": lambda user: report_queryset().filter(visible_reports_q(user)),
    "/api/v1/oversight/tasks": tasks_for,
    "/api/v1/deliberation/consultations": consultations_for,
    "/api/v1/deliberation/opinions": lambda user: Opinion.objects.filter(member_id=user.pk),
    "/api/v1/deliberation/meetings": meetings_for,
    # The public data: the same rows for every caller, and only those.
    "/api/v1/showcase/practices": lambda user: published_practices(),
    "/api/v1/showcase/initiatives": lambda user: recognised_initiatives(),
}


def _twin_for(path: str) -> Callable[[User], QuerySet[Any]] | None:
    if path.endswith("/adoption-reports") and "/obligations/" in path:
        return TWINS["/api/v1/replication/adoption-reports"]
    if path.endswith("/kpis") or path.endswith("/me"):
        return None
    for prefix, twin in TWINS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return twin
    return None


def returned_ids(body: Any) -> list[int]:
    if isinstance(body, dict) and "items" in body:
        return [row["id"] for row in body["items"]]
    if isinstance(body, dict) and "id" in body:
        return [body["id"]]
    return []


def assert_in_scope(user: User, path: str, body: Any) -> None:
    twin = _twin_for(path)
    ids = returned_ids(body)
    if twin is None or not ids:
        return
    allowed = set(twin(user).filter(pk__in=ids).values_list("pk", flat=True))
    outside = set(ids) - allowed
    assert not outside, f"{path} returned {sorted(outside)} outside {user.username}'s scope"


def fuzz(schema: Any, user: User, token: str) -> int:
    """Every operation of ``schema`` as ``user``; returns the number of cases run."""
    count = 0
    headers = {"Authorization": f"Bearer {token}"}

    def run_operation(operation: Any) -> None:
        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal count
            count += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
            if response.status_code == 200:
                assert_in_scope(user, operation.path, response.json())

        run()

    for result in schema.get_all_operations():
        run_operation(result.ok())
    return count


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI application, which would close the database connection after each
    request (``close_old_connections``) and with it the test's transaction on PostgreSQL:
    detached for the test, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["reform_officer", "unit_staff", "outsider"])
def test_every_operation_for_three_callers(
    role: str,
    scene: Scene,
    showcase_scene: ShowcaseScene,
    oversight_scene: OversightScene,
    deliberation_scene: DeliberationScene,
    people: People,
    settings: Any,
    wsgi_app: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.API_THROTTLE_TOKEN_PER_MINUTE = 10**9
    settings.API_THROTTLE_USER_PER_MINUTE = 10**9
    settings.API_THROTTLE_ANON_PER_MINUTE = 10**9
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    user: User = getattr(people, role)
    started = time.monotonic()
    cases = fuzz(schema, user, make_token(user))
    with capsys.disabled():
        print(f"\nschemathesis: {cases} cases as {role} in {time.monotonic() - started:.1f} s")
    assert cases >= EXAMPLES
