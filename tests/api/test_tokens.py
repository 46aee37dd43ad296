"""API tokens: made on the site page (shown once, stored hashed), used (security log, last
use), scoped, expired, revoked; MFA before making one where the role requires it; an
administrator's token for a service account."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from caicach.api import services
from caicach.api.models import ApiToken
from caicach.api.rules import tokens_for
from caicach.core import clock
from caicach.core.models import AuditEvent, SecurityEvent, SecurityKind
from caicach.core.permissions import can
from tests.api.conftest import Api, make_token
from tests.conftest import People
from tests.core.factories import make_user

PAGE = "/ma-truy-cap-api/"


def create_on_page(client: Client, **fields: Any) -> Any:
    page = client.get(PAGE)
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert token is not None
    data = {
        "form_token": token.group(1),
        "name": "QLVB&ĐH",
        "scopes": ["workprogram:read"],
        "expires_on": (clock.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        **fields,
    }
    return client.post(PAGE, data)


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(people: People) -> None:
    client = Client()
    client.force_login(people.unit_staff)
    response = create_on_page(client)
    assert response.status_code == 201
    secret = re.search(r"data-token-secret>([^<]+)<", response.content.decode())
    assert secret is not None
    raw = secret.group(1)
    token = ApiToken.objects.get()
    assert token.hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values().get())
    assert token.user == people.unit_staff and token.scopes == ["workprogram:read"]
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    assert SecurityEvent.objects.filter(kind=SecurityKind.API_TOKEN_CREATED).exists()
    # The list shows its prefix, never the secret again.
    again = client.get(PAGE).content.decode()
    assert token.prefix in again and raw not in again


def test_the_same_form_sent_twice_makes_one_token(people: People) -> None:
    client = Client()
    client.force_login(people.unit_staff)
    page = client.get(PAGE).content.decode()
    form_token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert form_token is not None
    data = {
        "form_token": form_token.group(1),
        "name": "Báo cáo",
        "scopes": ["core:read"],
        "expires_on": (clock.today() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
    }
    assert client.post(PAGE, data).status_code == 201
    assert client.post(PAGE, data).status_code == 302
    assert ApiToken.objects.count() == 1


def test_using_a_token_is_logged_and_noted(people: People) -> None:
    api = Api(make_token(people.unit_staff))
    assert api.get("/core/me").status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    used = SecurityEvent.objects.filter(kind=SecurityKind.API_TOKEN_USED)
    assert used.count() == 1 and used.get().user == people.unit_staff
    assert used.get().detail == {"prefix": token.prefix}


def test_revoked_and_expired_tokens_get_401_in_the_error_shape(people: People) -> None:
    raw = make_token(people.unit_staff)
    token = ApiToken.objects.get()
    client = Client()
    client.force_login(people.unit_staff)
    assert client.post(f"{PAGE}{token.pk}/thu-hoi/").status_code == 302
    response = Api(raw).get("/core/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "thu hồi" in response.json()["message"]
    assert SecurityEvent.objects.filter(kind=SecurityKind.API_TOKEN_REFUSED).exists()

    expired = make_token(people.unit_head, days=1)
    with clock.travel_to(clock.now() + datetime.timedelta(days=2)):
        assert Api(expired).get("/core/me").status_code == 401


def test_no_credentials_and_a_wrong_token_get_401(people: People) -> None:
    response = Client().get("/api/v1/core/units")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}
    assert Api("cc_00000000_nothing").get("/core/units").status_code == 401


def test_another_users_token_is_not_revocable_nor_visible(people: People) -> None:
    make_token(people.unit_staff)
    token = ApiToken.objects.get()
    client = Client()
    client.force_login(people.outsider)
    assert client.post(f"{PAGE}{token.pk}/thu-hoi/").status_code == 404
    assert token not in tokens_for(people.outsider)
    assert token in tokens_for(people.admin)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=people.outsider, token=token)
    assert ApiToken.objects.get().revoked_at is None


def test_an_administrator_makes_a_token_for_a_service_account(people: People, org: Any) -> None:
    robot = make_user("he-thong-qlvb", unit=org.office, full_name="Hệ thống QLVB&ĐH")
    assert can(people.admin, "api.create_token", robot)
    assert not can(people.unit_staff, "api.create_token", robot)
    client = Client()
    client.force_login(people.admin)
    unknown = create_on_page(client, user="khong-co-ai")
    assert unknown.status_code == 200 and "Không có tài khoản" in unknown.content.decode()
    assert not ApiToken.objects.exists()
    assert create_on_page(client, user="he-thong-qlvb").status_code == 201
    token = ApiToken.objects.get()
    assert token.user == robot and token.created_by == people.admin
    with pytest.raises(PermissionDenied):
        services.token_create(
            actor=people.unit_staff,
            user=robot,
            name="x",
            scopes=["core:read"],
            expires_at=clock.now() + datetime.timedelta(days=1),
            mfa_verified=True,
        )


def test_a_role_requiring_mfa_makes_tokens_only_after_the_second_step(people: People, settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = ["reform_officer"]
    with pytest.raises(ValidationError) as refused:
        services.token_create(
            actor=people.reform_officer,
            user=people.reform_officer,
            name="Báo cáo",
            scopes=["replication:read"],
            expires_at=clock.now() + datetime.timedelta(days=30),
            mfa_verified=False,
        )
    assert "xác thực hai bước" in refused.value.messages[0]
    assert not ApiToken.objects.exists()
    # A role without the requirement needs no second step.
    make_token(people.unit_staff)
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything:write"]}, "scopes"),
        ({"expires_at": "past"}, "expires_at"),
        ({"expires_at": "far"}, "expires_at"),
    ],
)
def test_bad_token_requests_are_refused_and_make_nothing(
    people: People, fields: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "name": "Báo cáo",
        "scopes": ["core:read"],
        "expires_at": clock.now() + datetime.timedelta(days=3),
    }
    values.update(fields)
    if values["expires_at"] == "past":
        values["expires_at"] = clock.now() - datetime.timedelta(minutes=1)
    if values["expires_at"] == "far":
        values["expires_at"] = clock.now() + datetime.timedelta(days=4000)
    with pytest.raises(ValidationError) as refused:
        services.token_create(actor=people.unit_staff, user=people.unit_staff, mfa_verified=True, **values)
    assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()
