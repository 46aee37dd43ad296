"""Reads: every caller sees what the app's query twins give them and nothing else (outsiders
get 404), scopes per app, the error shape of 400/401/403/404/422/429, the session with CSRF,
the schema and the staff-only documentation page, and fixed query counts per list page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from caicach.workprogram.models import MonthlyReport
from tests.api.conftest import Api, Scene
from tests.conftest import Org, People, forget_kept, on_day
from tests.workprogram.factories import make_item

ERROR_KEYS = {"code", "message", "fields"}


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_each_caller_lists_only_their_scope(scene: Scene, people: People, api_for: Any) -> None:
    staff = api_for(people.unit_staff)
    outsider = api_for(people.outsider)
    officer = api_for(people.reform_officer)

    assert ids(staff.get("/workprogram/monthly-reports")) == {scene.science_report.pk}
    assert ids(outsider.get("/workprogram/monthly-reports")) == {scene.outsider_report.pk}
    assert scene.outsider_item.pk not in ids(staff.get("/workprogram/items"))
    assert ids(outsider.get("/workprogram/items")) == {scene.outsider_item.pk}
    assert ids(outsider.get("/replication/obligations")) == {scene.outsider_obligation.pk}
    assert ids(staff.get("/replication/obligations")) == {scene.science_obligation.pk}
    assert scene.outsider_adoption.pk not in ids(staff.get("/replication/adoption-reports"))
    # Home Affairs oversees the province's replication: both units' obligations.
    assert ids(officer.get("/replication/obligations")) == {
        scene.science_obligation.pk,
        scene.outsider_obligation.pk,
    }
    assert scene.outsider_dossier.pk not in ids(staff.get("/initiatives/initiatives"))
    assert scene.science_dossier.pk not in ids(outsider.get("/initiatives/initiatives"))


@pytest.mark.parametrize(
    "path",
    [
        "/workprogram/monthly-reports/{science_report}",
        "/replication/obligations/{science_obligation}",
        "/initiatives/initiatives/{science_dossier}",
        "/workprogram/items/{science_item}",
    ],
)
def test_an_outsider_gets_404_as_for_nothing(scene: Scene, people: People, api_for: Any, path: str) -> None:
    url = path.format(
        science_report=scene.science_report.pk,
        science_obligation=scene.science_obligation.pk,
        science_dossier=scene.science_dossier.pk,
        science_item=scene.science_item.pk,
    )
    outsider = api_for(people.outsider)
    response = outsider.get(url)
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["code"] == "not_found"
    missing = outsider.get(url.rsplit("/", 1)[0] + "/999999")
    assert missing.status_code == 404 and missing.json() == response.json()
    assert api_for(people.unit_staff).get(url).status_code == 200


def test_search_goes_through_the_search_service(scene: Scene, people: People, api_for: Any) -> None:
    staff = api_for(people.unit_staff)
    # Without diacritics, by the start of words.
    assert ids(staff.get("/workprogram/items", q="chuyen doi")) == {scene.science_item.pk}
    assert ids(staff.get("/core/units", q="khoa hoc"))


def test_cursor_pages_cover_the_list_once(scene: Scene, org: Org, people: People, api_for: Any) -> None:
    for month in range(3, 9):
        make_item(scene.program, org.science, scene.science_march.due_month.replace(month=month))
    staff = api_for(people.unit_staff)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = staff.get("/workprogram/items", **params).json()
        assert len(body["items"]) <= 3
        seen += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 8
    assert sorted(seen, reverse=True) == seen


def test_page_size_is_capped(scene: Scene, people: People, api_for: Any, settings: Any) -> None:
    settings.API_PAGE_SIZE_MAX = 1
    body = api_for(people.reform_officer).get("/core/units", limit=500).json()
    assert len(body["items"]) == 1 and body["next_cursor"]


def test_scopes_limit_a_token_to_its_apps_and_levels(scene: Scene, people: People, api_for: Any) -> None:
    reader = api_for(people.unit_staff, ["workprogram:read"])
    assert reader.get("/workprogram/items").status_code == 200
    refused = reader.get("/replication/obligations")
    assert refused.status_code == 403 and refused.json()["code"] == "scope"
    write = reader.post("/workprogram/monthly-reports", {})
    assert write.status_code == 403 and write.json()["code"] == "scope"
    assert set(write.json()) == ERROR_KEYS


def test_bad_input_gets_422_and_a_bad_cursor_400(scene: Scene, people: People, api_for: Any) -> None:
    api = api_for(people.unit_staff)
    invalid = api.get("/workprogram/items", limit=0)
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid" and "limit" in invalid.json()["fields"]
    assert invalid.json()["message"] == "Dữ liệu gửi lên không hợp lệ."
    cursor = api.get("/workprogram/items", cursor="not-a-cursor")
    assert cursor.status_code == 400 and cursor.json()["code"] == "cursor"
    period = api.get(f"/workprogram/programs/{scene.program.pk}/kpis", period="q9")
    assert period.status_code == 422


def test_too_many_requests_get_429_with_retry_after(
    scene: Scene, people: People, api_for: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Within one window of the counter (a minute turning mid-test would reset it).
    monkeypatch.setattr("caicach.api.auth.seconds", lambda: 1_700_000_010.0)
    settings.API_THROTTLE_TOKEN_PER_MINUTE = 2
    api = api_for(people.unit_staff)
    assert api.get("/core/me").status_code == 200
    assert api.get("/core/me").status_code == 200
    throttled = api.get("/core/me")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert throttled["Retry-After"] == "30"
    # Per user as well: another token of the same person shares the user's count.
    settings.API_THROTTLE_TOKEN_PER_MINUTE = 100
    settings.API_THROTTLE_USER_PER_MINUTE = 2
    other = api_for(people.unit_staff)
    assert other.get("/core/me").status_code == 429


def test_the_browser_session_works_with_csrf_on_writes(scene: Scene, people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.unit_staff)
    assert client.get("/api/v1/workprogram/items").status_code == 200
    response = client.post("/api/v1/workprogram/monthly-reports", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"
    # With the token the site's pages carry, the session writes as the person.
    client.get("/ma-truy-cap-api/")
    csrf = client.cookies["csrftoken"].value
    with on_day(datetime.date(2024, 3, 10)):
        filed = client.post(
            "/api/v1/workprogram/monthly-reports",
            {
                "program_id": scene.program.pk,
                "unit_id": scene.science_march.lead_unit_id,
                "period": "2024-03-01",
            },
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )
    assert filed.status_code == 200, filed.content
    assert MonthlyReport.objects.get(pk=filed.json()["id"]).status == "draft"


def test_the_schema_is_public_and_the_docs_page_for_signed_in_officials(people: People) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/workprogram/monthly-reports" in paths
    assert all(op.get("summary") for ops in paths.values() for op in ops.values())
    assert Client().get("/api/v1/docs").status_code == 302
    client = Client()
    client.force_login(people.unit_staff)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


@pytest.mark.parametrize(
    "path",
    [
        "/workprogram/items",
        "/workprogram/monthly-reports",
        "/replication/adoption-reports",
        "/initiatives/initiatives",
    ],
)
def test_list_pages_have_a_fixed_query_count(
    scene: Scene, org: Org, people: People, api_for: Any, path: str, django_assert_max_num_queries: Any
) -> None:
    api: Api = api_for(people.reform_officer)
    api.get(path)  # the token's first use notes it; later ones within minutes do not

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        forget_kept()  # the visit after a write: nothing kept
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    before = count()
    for month in range(4, 10):
        item = make_item(scene.program, org.science, scene.science_march.due_month.replace(month=month))
        MonthlyReport.objects.create(
            program=scene.program, unit=org.science, period=item.due_month, due_date=item.due_month
        )
    forget_kept()
    with django_assert_max_num_queries(before):
        assert api.get(path).status_code == 200
