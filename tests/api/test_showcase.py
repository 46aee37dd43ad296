"""The public showcase's data through the API: no credentials asked, only what the public
pages show (published practices, recognised and unrevoked initiatives, nothing private),
searched without accents, and throttled per client address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caicach.initiatives.recognition.services import certificate_revoke
from caicach.replication.models import PracticeRead
from tests.api.scene_showcase import ShowcaseScene
from tests.conftest import Org, People

BASE = "/api/v1/showcase"
# A list page: the rows, in one query (with the unit's name joined); constant in rows.
LIST_CEILING = 3
# A practice: the practice with its unit and initiative, fields, indices, attachments, whether
# its initiative is still recognised, and the applied units (obligations, reports, results,
# evidence).
PRACTICE_CEILING = 10
# An initiative with its unit, decision and issuer; its authors; its valid certificate.
INITIATIVE_CEILING = 4


def anonymous() -> Client:
    return Client()


def test_anyone_lists_published_practices_without_logging_in(showcase_scene: ShowcaseScene) -> None:
    response = anonymous().get(f"{BASE}/practices")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["items"]]
    assert ids == [showcase_scene.published.pk]
    row = response.json()["items"][0]
    assert row["kind"] == "model" and row["kind_label"] == "Mô hình"


def test_the_practice_search_ignores_accents(showcase_scene: ShowcaseScene, org: Org) -> None:
    response = anonymous().get(f"{BASE}/practices", {"q": "lang nghe dan noi"})
    assert [row["id"] for row in response.json()["items"]] == [showcase_scene.published.pk]
    response = anonymous().get(f"{BASE}/practices", {"q": "mot cua lien thong"})
    assert response.json()["items"] == []


def test_a_practice_shows_who_applied_it_and_nothing_private(showcase_scene: ShowcaseScene, org: Org) -> None:
    response = anonymous().get(f"{BASE}/practices/{showcase_scene.published.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["contact"] == "Văn phòng UBND xã"
    [applied] = body["applied_units"]
    assert applied["unit_name"] == org.commune.name
    assert applied["period_end"] == "2024-03-31"
    assert applied["results"][0] == {
        "indicator": "Số kiến nghị được giải quyết",
        "measure_unit": "",
        "baseline": 12.0,
        "current": 48.0,
    }
    assert "GHI-CHU-DE-XUAT-NOI-BO" not in response.content.decode()
    # An integration reading the data is not a reader of the public page.
    assert not PracticeRead.objects.exists()


def test_an_unpublished_practice_is_not_found(showcase_scene: ShowcaseScene) -> None:
    response = anonymous().get(f"{BASE}/practices/{showcase_scene.unpublished.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_recognised_initiative_shows_its_authors_and_decision_but_no_score(
    showcase_scene: ShowcaseScene,
) -> None:
    listed = anonymous().get(f"{BASE}/initiatives").json()["items"]
    assert [row["id"] for row in listed] == [showcase_scene.recognised.pk]
    response = anonymous().get(f"{BASE}/initiatives/{showcase_scene.recognised.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "provincial" and body["level_label"] == "Cấp tỉnh"
    assert body["decision_reference"] == "01/QĐ-UBND"
    assert body["certificate_code"] == showcase_scene.certificate.verification_code
    assert "Lê Tuấn Phú" in body["authors"]
    text = response.content.decode()
    for secret in ("87.25", "87,25", "1967", "Thạc sỹ"):
        assert secret not in text, secret


def test_a_refused_or_revoked_initiative_is_not_found(showcase_scene: ShowcaseScene, people: People) -> None:
    assert anonymous().get(f"{BASE}/initiatives/{showcase_scene.refused.pk}").status_code == 404
    certificate_revoke(
        certificate=showcase_scene.certificate, actor=people.reform_officer, reason="Phát hiện sao chép."
    )
    assert anonymous().get(f"{BASE}/initiatives/{showcase_scene.recognised.pk}").status_code == 404
    assert anonymous().get(f"{BASE}/initiatives").json()["items"] == []


def test_an_anonymous_caller_is_throttled_per_address(showcase_scene: ShowcaseScene, settings: Any) -> None:
    settings.API_THROTTLE_ANON_PER_MINUTE = 2
    first = Client(REMOTE_ADDR="203.0.113.7")
    assert first.get(f"{BASE}/practices").status_code == 200
    assert first.get(f"{BASE}/initiatives").status_code == 200
    refused = first.get(f"{BASE}/practices")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["code"] == "throttled"
    # Another address has its own count.
    assert Client(REMOTE_ADDR="203.0.113.8").get(f"{BASE}/practices").status_code == 200


@pytest.mark.parametrize("path", ["practices", "initiatives"])
def test_lists_cost_the_same_whatever_their_length(
    path: str, showcase_scene: ShowcaseScene, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(LIST_CEILING):
        assert anonymous().get(f"{BASE}/{path}", {"limit": 100}).status_code == 200


def test_details_stay_within_their_query_ceilings(
    showcase_scene: ShowcaseScene, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(PRACTICE_CEILING):
        assert anonymous().get(f"{BASE}/practices/{showcase_scene.published.pk}").status_code == 200
    with django_assert_max_num_queries(INITIATIVE_CEILING):
        assert anonymous().get(f"{BASE}/initiatives/{showcase_scene.recognised.pk}").status_code == 200
