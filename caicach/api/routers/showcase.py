"""The public showcase's data, without login: published practices (with the units that
applied them and their measured results) and recognised initiatives — exactly what the
public pages show, read through the showcase's own queries, so nothing private (drafts,
scores, confidential sections, birth dates) can reach this API either. Throttled per client
address (``API_THROTTLE_ANON_PER_MINUTE``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic.config import JsonDict

from caicach.api.auth import PublicAccess
from caicach.api.errors import COMMON_ERRORS, not_found
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.initiatives.models import Initiative, RecognitionLevel
from caicach.replication.models import Practice, PracticeKind
from caicach.replication.showcase import queries

router = Router(tags=["showcase"], auth=[PublicAccess()])

# The errors a public operation may answer (no 401 or 403: nothing is asked of the caller).
PUBLIC_ERRORS = {code: schema for code, schema in COMMON_ERRORS.items() if code not in (401, 403)}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- Practices ------------------------------------------------------------------------------------

PRACTICE_EXAMPLE: JsonDict = {
    "id": 7,
    "name": "Tổ công nghệ số cộng đồng hỗ trợ dịch vụ công trực tuyến",
    "kind": "model",
    "kind_label": "Mô hình",
    "origin_unit_id": 31,
    "origin_name": "UBND phường An Bình",
    "summary": "Mỗi khu phố một tổ hướng dẫn người dân nộp hồ sơ trực tuyến.",
    "published_at": "2024-05-20T08:30:00+07:00",
}


class PublicPracticeOut(Schema):
    id: int
    name: str
    kind: PracticeKind
    kind_label: str
    origin_unit_id: int | None
    origin_name: str = Field(..., description="Đơn vị xây dựng (trong hoặc ngoài tỉnh).")
    summary: str
    published_at: datetime.datetime | None

    model_config = {"json_schema_extra": {"examples": [PRACTICE_EXAMPLE]}}

    @staticmethod
    def of(practice: Practice) -> PublicPracticeOut:
        return PublicPracticeOut(
            id=practice.pk,
            name=practice.name,
            kind=PracticeKind(practice.kind),
            kind_label=practice.get_kind_display(),
            origin_unit_id=practice.origin_unit_id,
            origin_name=practice.origin_name,
            summary=practice.summary,
            published_at=practice.published_at,
        )


class PublicNamedOut(Schema):
    id: int
    name: str

    model_config = {"json_schema_extra": {"examples": [{"id": 2, "name": "Cải cách thủ tục hành chính"}]}}


class PublicAttachmentOut(Schema):
    name: str
    description: str
    url: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Quy trình hướng dẫn",
                    "description": "Bản tóm tắt các bước",
                    "url": "/media/replication/practices/2024/05/quy-trinh.pdf",
                }
            ]
        }
    }


class PublicResultOut(Schema):
    indicator: str
    measure_unit: str
    baseline: float | None
    current: float | None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "indicator": "Tỷ lệ hồ sơ nộp trực tuyến",
                    "measure_unit": "%",
                    "baseline": 35.0,
                    "current": 72.5,
                }
            ]
        }
    }


class PublicAppliedUnitOut(Schema):
    unit_name: str
    adoption_status: str = Field(..., description="Mức áp dụng theo báo cáo gần nhất.")
    period_end: datetime.date
    results: list[PublicResultOut]
    evidence: list[PublicAttachmentOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "unit_name": "UBND xã Tân Hòa",
                    "adoption_status": "Đã áp dụng",
                    "period_end": "2024-06-30",
                    "results": [
                        {
                            "indicator": "Tỷ lệ hồ sơ nộp trực tuyến",
                            "measure_unit": "%",
                            "baseline": 20.0,
                            "current": 55.0,
                        }
                    ],
                    "evidence": [],
                }
            ]
        }
    }


class PublicPracticeDetailOut(PublicPracticeOut):
    implementation_steps: str
    conditions: str
    cost: str
    contact: str
    initiative_id: int | None = Field(..., description="Sáng kiến được công nhận mà mô hình xuất phát từ đó.")
    reform_fields: list[PublicNamedOut]
    indices: list[PublicNamedOut]
    attachments: list[PublicAttachmentOut]
    applied_units: list[PublicAppliedUnitOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **PRACTICE_EXAMPLE,
                    "implementation_steps": "Thành lập tổ; tập huấn; trực tại bộ phận một cửa.",
                    "conditions": "Có đoàn viên thanh niên am hiểu công nghệ.",
                    "cost": "Không phát sinh kinh phí.",
                    "contact": "Văn phòng UBND phường, 0270 3822 000",
                    "initiative_id": 15,
                    "reform_fields": [{"id": 6, "name": "Chuyển đổi số"}],
                    "indices": [{"id": 1, "name": "PAR INDEX"}],
                    "attachments": [],
                    "applied_units": [],
                }
            ]
        }
    }


class PublicPracticeFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên, tóm tắt (không dấu cũng được).")
    reform_field_id: int | None = Field(None, ge=1, le=MAX_ID, description="Lĩnh vực cải cách.")
    index_id: int | None = Field(None, ge=1, le=MAX_ID, description="Chỉ số (PAR INDEX, SIPAS...).")
    origin_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=2000, le=2100, description="Năm công khai.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "q": "lang nghe dan noi",
                    "reform_field_id": 2,
                    "index_id": 1,
                    "origin_unit_id": 31,
                    "year": 2024,
                }
            ]
        }
    }


@router.get(
    "/practices",
    response={200: Page[PublicPracticeOut], **PUBLIC_ERRORS},
    summary="Mô hình, giải pháp được công khai",
)
def showcase_practice_list(
    request: HttpRequest, filters: Query[PublicPracticeFilters], page: Query[PageParams]
) -> Page[PublicPracticeOut]:
    rows = queries.showcase_practices(
        text=filters.q,
        field=filters.reform_field_id,
        index=filters.index_id,
        unit=filters.origin_unit_id,
        year=filters.year,
    )
    items, cursor = items_of(rows, page, PublicPracticeOut.of)
    return Page[PublicPracticeOut](items=items, next_cursor=cursor)


@router.get(
    "/practices/{practice_id}",
    response={200: PublicPracticeDetailOut, **PUBLIC_ERRORS},
    summary="Một mô hình được công khai, với các đơn vị đã áp dụng",
)
def showcase_practice_detail(request: HttpRequest, practice_id: int) -> PublicPracticeDetailOut:
    practice = queries.practice_for_showcase(practice_id) if 0 < practice_id <= MAX_ID else None
    if practice is None:
        raise not_found()
    # The public page counts its readers; an integration reading the data is not a reader.
    return PublicPracticeDetailOut(
        **PublicPracticeOut.of(practice).model_dump(),
        implementation_steps=practice.implementation_steps,
        conditions=practice.conditions,
        cost=practice.cost,
        contact=practice.contact,
        initiative_id=practice.initiative_id
        if practice.initiative_id
        and queries.recognised_initiatives().filter(pk=practice.initiative_id).exists()
        else None,
        reform_fields=[PublicNamedOut(id=f.pk, name=f.name) for f in practice.reform_fields.all()],
        indices=[PublicNamedOut(id=i.pk, name=i.name) for i in practice.indices.all()],
        attachments=[
            PublicAttachmentOut(name=a.name, description=a.description, url=a.file.url)
            for a in practice.public_attachments  # type: ignore[attr-defined]
        ],
        applied_units=[
            PublicAppliedUnitOut(
                unit_name=unit.unit_name,
                adoption_status=unit.adoption_status,
                period_end=datetime.datetime.strptime(unit.period_end, "%d/%m/%Y").date(),
                results=[
                    PublicResultOut(
                        indicator=r.indicator,
                        measure_unit=r.measure_unit,
                        baseline=_number(r.baseline),
                        current=_number(r.current),
                    )
                    for r in unit.results
                ],
                evidence=[PublicAttachmentOut(name=e.name, description="", url=e.url) for e in unit.evidence],
            )
            for unit in queries.applied_units(practice.pk)
        ],
    )


# --- Recognised initiatives -----------------------------------------------------------------------

INITIATIVE_EXAMPLE: JsonDict = {
    "id": 15,
    "title": "Số hóa hồ sơ hộ tịch tại bộ phận một cửa",
    "unit_id": 31,
    "unit_name": "UBND phường An Bình",
    "level": "provincial",
    "level_label": "Cấp tỉnh",
}


class PublicInitiativeOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str
    level: RecognitionLevel | None = Field(..., description="Cấp công nhận.")
    level_label: str

    model_config = {"json_schema_extra": {"examples": [INITIATIVE_EXAMPLE]}}

    @staticmethod
    def of(initiative: Initiative) -> PublicInitiativeOut:
        recognition = initiative.recognition
        return PublicInitiativeOut(
            id=initiative.pk,
            title=initiative.title,
            unit_id=initiative.unit_id,
            unit_name=initiative.unit.name,
            level=RecognitionLevel(recognition.level) if recognition.level else None,
            level_label=recognition.get_level_display(),
        )


class PublicInitiativeDetailOut(PublicInitiativeOut):
    authors: list[str] = Field(..., description="Họ tên tác giả, đồng tác giả.")
    decision_reference: str | None = Field(..., description="Số, ký hiệu quyết định công nhận.")
    decision_date: datetime.date | None
    decision_issuer: str | None
    certificate_code: str | None = Field(..., description="Mã xác minh giấy chứng nhận còn hiệu lực.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **INITIATIVE_EXAMPLE,
                    "authors": ["Nguyễn Thị Lan", "Trần Văn Minh"],
                    "decision_reference": "125/QĐ-UBND",
                    "decision_date": "2024-04-12",
                    "decision_issuer": "UBND tỉnh Đồng Nai",
                    "certificate_code": "K7Q2-9MZX",
                }
            ]
        }
    }


class PublicInitiativeFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên sáng kiến (không dấu cũng được).")
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của quyết định công nhận.")

    model_config = {"json_schema_extra": {"examples": [{"q": "ho tich", "unit_id": 31, "year": 2024}]}}


@router.get(
    "/initiatives",
    response={200: Page[PublicInitiativeOut], **PUBLIC_ERRORS},
    summary="Sáng kiến được công nhận",
)
def showcase_initiative_list(
    request: HttpRequest, filters: Query[PublicInitiativeFilters], page: Query[PageParams]
) -> Page[PublicInitiativeOut]:
    rows = queries.showcase_initiatives(text=filters.q, unit=filters.unit_id, year=filters.year)
    items, cursor = items_of(rows, page, PublicInitiativeOut.of)
    return Page[PublicInitiativeOut](items=items, next_cursor=cursor)


@router.get(
    "/initiatives/{initiative_id}",
    response={200: PublicInitiativeDetailOut, **PUBLIC_ERRORS},
    summary="Một sáng kiến được công nhận",
)
def showcase_initiative_detail(request: HttpRequest, initiative_id: int) -> PublicInitiativeDetailOut:
    initiative = queries.initiative_for_showcase(initiative_id) if 0 < initiative_id <= MAX_ID else None
    if initiative is None:
        raise not_found()
    decision = initiative.recognition.decision
    certificate = queries.valid_certificate(initiative)
    issuer = decision.campaign.issuing_unit if decision is not None and decision.campaign_id else None
    return PublicInitiativeDetailOut(
        **PublicInitiativeOut.of(initiative).model_dump(),
        authors=[a.full_name for a in initiative.authorships.all()],
        decision_reference=decision.registered_document.reference
        if decision is not None and decision.registered_document_id
        else None,
        decision_date=decision.issued_on if decision is not None else None,
        decision_issuer=issuer.name if issuer is not None else None,
        certificate_code=certificate.verification_code if certificate else None,
    )
