"""Units (the organisation chart) and the caller's own identity."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS
from caicach.api.http import caller, fetch
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.core import search
from caicach.core.models import Unit, UnitKind
from caicach.core.permissions import can, principal

router = Router(tags=["core"], auth=auth_for("core"))


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str = Field(..., description="Loại đơn vị.", examples=[UnitKind.DEPARTMENT.value])
    parent_id: int | None
    successor_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    version: int

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "code": "SNV",
                    "name": "Sở Nội vụ",
                    "short_name": "SNV",
                    "kind": "department",
                    "parent_id": 1,
                    "successor_id": None,
                    "valid_from": "2025-07-01",
                    "valid_to": None,
                    "version": 2,
                }
            ]
        }
    }


class UnitFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên, mã (không dấu cũng được).")
    kind: UnitKind | None = None
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)

    model_config = {
        "json_schema_extra": {
            "examples": [{"q": "phuong an binh", "kind": "commune_committee", "parent_id": 1}]
        }
    }


class Grant(Schema):
    role: str
    unit_id: int

    model_config = {"json_schema_extra": {"examples": [{"role": "reform_officer", "unit_id": 3}]}}


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None
    roles: list[Grant]
    scopes: list[str] | None = Field(None, description="Phạm vi của mã truy cập; null với phiên đăng nhập.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 12,
                    "username": "cchc.snv",
                    "full_name": "Lê Thị Hồng Nhung",
                    "unit_id": 3,
                    "roles": [{"role": "reform_officer", "unit_id": 3}],
                    "scopes": ["workprogram:write", "replication:read"],
                }
            ]
        }
    }


def units_for(request: HttpRequest) -> QuerySet[Unit]:
    """The organisation chart is open to everyone signed in (Unit's ``view`` rule)."""
    user = caller(request)
    return Unit.objects.all() if can(user, "core.view_units") else Unit.objects.none()


@router.get("/me", response={200: MeOut, **COMMON_ERRORS}, summary="Người đang gọi API")
def me(request: HttpRequest) -> MeOut:
    user = caller(request)
    who = principal(user)
    token = getattr(request, "api_token", None)
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        unit_id=user.unit_id,
        roles=[Grant(role=r, unit_id=u) for r, u in sorted(who.grants)] if who else [],
        scopes=list(token.scopes) if token is not None else None,
    )


@router.get("/units", response={200: Page[UnitOut], **COMMON_ERRORS}, summary="Danh sách đơn vị")
def unit_list(request: HttpRequest, filters: Query[UnitFilters], page: Query[PageParams]) -> Page[UnitOut]:
    rows = units_for(request)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.parent_id:
        rows = rows.filter(parent_id=filters.parent_id)
    rows = search.search(rows, filters.q)
    items, cursor = items_of(rows, page, UnitOut)
    return Page[UnitOut](items=items, next_cursor=cursor)


@router.get("/units/{unit_id}", response={200: UnitOut, **COMMON_ERRORS}, summary="Một đơn vị")
def unit_detail(request: HttpRequest, unit_id: int) -> UnitOut:
    unit = fetch(request, units_for(request), unit_id)
    return UnitOut.model_validate(unit, from_attributes=True)
