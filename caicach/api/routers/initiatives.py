"""Campaigns and initiative dossiers, read through their query twins."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic.config import JsonDict

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS
from caicach.api.http import caller, fetch
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.core import search
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative, InitiativeKind, InitiativeStatus

router = Router(tags=["initiatives"], auth=auth_for("initiatives"))


class CampaignOut(Schema):
    id: int
    title: str
    status: CampaignStatus
    issuing_unit_id: int
    receiving_unit_id: int
    window_start: datetime.date
    window_end: datetime.date
    issued_on: datetime.date | None
    eligible_unit_count: int = Field(..., description="Số đơn vị được mời tham gia.")
    version: int

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 4,
                    "title": "Phát động phong trào thi đua đề xuất sáng kiến năm 2024",
                    "status": "published",
                    "issuing_unit_id": 1,
                    "receiving_unit_id": 3,
                    "window_start": "2024-03-01",
                    "window_end": "2024-09-30",
                    "issued_on": "2024-02-20",
                    "eligible_unit_count": 64,
                    "version": 3,
                }
            ]
        }
    }

    @staticmethod
    def of(campaign: Campaign) -> CampaignOut:
        return CampaignOut(
            id=campaign.pk,
            title=campaign.title,
            status=CampaignStatus(campaign.status),
            issuing_unit_id=campaign.issuing_unit_id,
            receiving_unit_id=campaign.receiving_unit_id,
            window_start=campaign.window_start,
            window_end=campaign.window_end,
            issued_on=campaign.issued_on,
            eligible_unit_count=getattr(campaign, "eligible_count", 0),
            version=campaign.version,
        )


class CampaignFilters(Schema):
    status: CampaignStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của ngày bắt đầu nhận sáng kiến.")

    model_config = {"json_schema_extra": {"examples": [{"status": "published", "year": 2024}]}}


AUTHOR_EXAMPLE: JsonDict = {"full_name": "Nguyễn Thị Lan", "share": 0.6, "is_lead": True}


class AuthorOut(Schema):
    full_name: str
    share: float = Field(..., description="Tỷ lệ đóng góp, số thập phân (0.5 = 50%).", examples=[0.5])
    is_lead: bool

    model_config = {"json_schema_extra": {"examples": [AUTHOR_EXAMPLE]}}


class InitiativeOut(Schema):
    id: int
    campaign_id: int | None
    unit_id: int
    kind: InitiativeKind
    status: InitiativeStatus
    title: str
    application_field: str
    first_applied_on: datetime.date | None
    submitted_at: datetime.datetime | None
    accepted_on: datetime.date | None
    result_due_on: datetime.date | None
    revision: int
    version: int
    authors: list[AuthorOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 15,
                    "campaign_id": 4,
                    "unit_id": 31,
                    "kind": "solution",
                    "status": "submitted",
                    "title": "Số hóa hồ sơ hộ tịch tại bộ phận một cửa",
                    "application_field": "Cải cách thủ tục hành chính",
                    "first_applied_on": "2024-01-15",
                    "submitted_at": "2024-05-20T08:30:00+07:00",
                    "accepted_on": None,
                    "result_due_on": None,
                    "revision": 0,
                    "version": 5,
                    "authors": [
                        AUTHOR_EXAMPLE,
                        {"full_name": "Trần Văn Minh", "share": 0.4, "is_lead": False},
                    ],
                }
            ]
        }
    }

    @staticmethod
    def of(initiative: Initiative) -> InitiativeOut:
        return InitiativeOut(
            id=initiative.pk,
            campaign_id=initiative.campaign_id,
            unit_id=initiative.unit_id,
            kind=InitiativeKind(initiative.kind),
            status=InitiativeStatus(initiative.status),
            title=initiative.title,
            application_field=initiative.application_field,
            first_applied_on=initiative.first_applied_on,
            submitted_at=initiative.submitted_at,
            accepted_on=initiative.accepted_on,
            result_due_on=initiative.result_due_on,
            revision=initiative.revision,
            version=initiative.version,
            authors=[
                AuthorOut(
                    full_name=a.full_name,
                    share=float(a.share / 100),
                    is_lead=a.is_lead,
                )
                for a in initiative.authorships.all()
            ],
        )


class InitiativeFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên sáng kiến, tác giả (không dấu cũng được).")
    status: InitiativeStatus | None = None
    campaign_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)

    model_config = {
        "json_schema_extra": {
            "examples": [{"q": "ho tich mot cua", "status": "submitted", "campaign_id": 4, "unit_id": 31}]
        }
    }


@router.get(
    "/campaigns", response={200: Page[CampaignOut], **COMMON_ERRORS}, summary="Danh sách đợt phát động"
)
def campaign_list(
    request: HttpRequest, filters: Query[CampaignFilters], page: Query[PageParams]
) -> Page[CampaignOut]:
    rows = campaigns_for(caller(request))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(window_start__year=filters.year)
    items, cursor = items_of(rows, page, CampaignOut.of)
    return Page[CampaignOut](items=items, next_cursor=cursor)


@router.get(
    "/campaigns/{campaign_id}", response={200: CampaignOut, **COMMON_ERRORS}, summary="Một đợt phát động"
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> CampaignOut:
    return CampaignOut.of(fetch(request, campaigns_for(caller(request)), campaign_id))


@router.get(
    "/initiatives", response={200: Page[InitiativeOut], **COMMON_ERRORS}, summary="Danh sách sáng kiến"
)
def initiative_list(
    request: HttpRequest, filters: Query[InitiativeFilters], page: Query[PageParams]
) -> Page[InitiativeOut]:
    rows = initiatives_for(caller(request))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.campaign_id:
        rows = rows.filter(campaign_id=filters.campaign_id)
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    rows = search.search(rows, filters.q)
    items, cursor = items_of(rows, page, InitiativeOut.of)
    return Page[InitiativeOut](items=items, next_cursor=cursor)


@router.get(
    "/initiatives/{initiative_id}", response={200: InitiativeOut, **COMMON_ERRORS}, summary="Một sáng kiến"
)
def initiative_detail(request: HttpRequest, initiative_id: int) -> InitiativeOut:
    return InitiativeOut.of(fetch(request, initiatives_for(caller(request)), initiative_id))
