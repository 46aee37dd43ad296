"""Committee members' opinions on drafts (the consultations, a member's own opinions, the
answer given through the API) and the committee's meetings with their agenda."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam
from pydantic.config import JsonDict

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError
from caicach.api.http import caller, fetch, required_version
from caicach.api.idempotency import run_once
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of, page_of
from caicach.core import clock, search
from caicach.core.models import User
from caicach.core.permissions import can
from caicach.deliberation.consultations import queries as consultation_queries
from caicach.deliberation.consultations import services as consultation_services
from caicach.deliberation.consultations.rules import consultations_for
from caicach.deliberation.meetings.rules import agenda_items_for, meetings_for
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    Answer,
    Consultation,
    ConsultationStatus,
    DraftKind,
    MeetingKind,
    MeetingStatus,
    Opinion,
    Result,
)

router = Router(tags=["deliberation"], auth=auth_for("deliberation"))

COMMENT_MAX = 10_000

# --- Consultations --------------------------------------------------------------------------------

CONSULTATION_EXAMPLE: JsonDict = {
    "id": 12,
    "committee_id": 1,
    "lead_unit_id": 3,
    "kind": "decision",
    "title": "Dự thảo Quyết định ban hành Quy chế phối hợp giải quyết thủ tục hành chính liên thông",
    "is_secret": False,
    "program_item_id": 118,
    "status": "sent",
    "sent_on": "2024-04-02",
    "deadline": "2024-04-09",
    "closed_on": None,
    "result": None,
    "version": 3,
}


class ConsultationOut(Schema):
    id: int
    committee_id: int
    lead_unit_id: int
    kind: DraftKind
    title: str
    is_secret: bool = Field(..., description="Nội dung mật: thành viên cho ý kiến bằng phiếu giấy.")
    program_item_id: int | None
    status: ConsultationStatus
    sent_on: datetime.date | None
    deadline: datetime.date | None = Field(..., description="Hạn cho ý kiến (hết ngày).")
    closed_on: datetime.date | None
    result: Result | None
    version: int

    model_config = {"json_schema_extra": {"examples": [CONSULTATION_EXAMPLE]}}

    @staticmethod
    def of(consultation: Consultation) -> ConsultationOut:
        return ConsultationOut(
            id=consultation.pk,
            committee_id=consultation.committee_id,
            lead_unit_id=consultation.lead_unit_id,
            kind=DraftKind(consultation.kind),
            title=consultation.title,
            is_secret=consultation.is_secret,
            program_item_id=consultation.program_item_id,
            status=ConsultationStatus(consultation.status),
            sent_on=consultation.sent_on,
            deadline=consultation.deadline,
            closed_on=consultation.closed_on,
            result=Result(consultation.result) if consultation.result else None,
            version=consultation.version,
        )


TALLY_EXAMPLE: JsonDict = {
    "total": 7,
    "agree": 4,
    "agree_with_comments": 2,
    "disagree": 0,
    "no_answer": 1,
    "late": 0,
    "in_favour": 6,
    "result": "passed",
    "result_label": "Được thông qua",
}


class TallyOut(Schema):
    total: int = Field(..., description="Số thành viên được xin ý kiến.")
    agree: int
    agree_with_comments: int
    disagree: int
    no_answer: int
    late: int
    in_favour: int = Field(..., description="Số ý kiến tính là đồng ý theo quy định của UBND.")
    result: Result
    result_label: str

    model_config = {"json_schema_extra": {"examples": [TALLY_EXAMPLE]}}


MEMBER_OPINION_EXAMPLE: JsonDict = {
    "id": 81,
    "member_id": 9,
    "member_name": "Đặng Thành Viên",
    "is_chairman": False,
    "answer": "agree_with_comments",
    "comment": "Đề nghị bổ sung thời hạn phối hợp của các sở.",
    "answered_at": "2024-04-05T09:12:00+07:00",
    "is_late": False,
}


class MemberOpinionOut(Schema):
    id: int
    member_id: int
    member_name: str
    is_chairman: bool
    answer: Answer | None = Field(..., description="Null: chưa cho ý kiến.")
    comment: str
    answered_at: datetime.datetime | None
    is_late: bool

    model_config = {"json_schema_extra": {"examples": [MEMBER_OPINION_EXAMPLE]}}

    @staticmethod
    def of(opinion: Opinion) -> MemberOpinionOut:
        return MemberOpinionOut(
            id=opinion.pk,
            member_id=opinion.member_id,
            member_name=opinion.member.full_name,
            is_chairman=opinion.is_chairman,
            answer=Answer(opinion.answer) if opinion.answer else None,
            comment=opinion.comment,
            answered_at=opinion.answered_at,
            is_late=opinion.is_late,
        )


class ConsultationDetailOut(ConsultationOut):
    tally: TallyOut | None = Field(
        ..., description="Kết quả tổng hợp: khi đã đến hạn hoặc mọi thành viên đã cho ý kiến."
    )
    opinions: list[MemberOpinionOut] = Field(
        ..., description="Ý kiến từng thành viên: cho Văn phòng, lãnh đạo UBND và cơ quan chủ trì."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {**CONSULTATION_EXAMPLE, "tally": TALLY_EXAMPLE, "opinions": [MEMBER_OPINION_EXAMPLE]}
            ]
        }
    }


class ConsultationFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo tên dự thảo (không dấu cũng được).")
    status: ConsultationStatus | None = None
    committee_id: int | None = Field(None, ge=1, le=MAX_ID)
    lead_unit_id: int | None = Field(None, ge=1, le=MAX_ID)

    model_config = {
        "json_schema_extra": {
            "examples": [{"q": "quy che phoi hop", "status": "sent", "committee_id": 1, "lead_unit_id": 3}]
        }
    }


@router.get(
    "/consultations",
    response={200: Page[ConsultationOut], **COMMON_ERRORS},
    summary="Dự thảo xin ý kiến thành viên UBND",
)
def consultation_list(
    request: HttpRequest, filters: Query[ConsultationFilters], page: Query[PageParams]
) -> Page[ConsultationOut]:
    rows = consultations_for(caller(request))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.committee_id:
        rows = rows.filter(committee_id=filters.committee_id)
    if filters.lead_unit_id:
        rows = rows.filter(lead_unit_id=filters.lead_unit_id)
    rows = search.search(rows, filters.q)
    items, cursor = items_of(rows, page, ConsultationOut.of)
    return Page[ConsultationOut](items=items, next_cursor=cursor)


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, **COMMON_ERRORS},
    summary="Một dự thảo, kết quả tổng hợp và ý kiến thành viên",
)
def consultation_detail(request: HttpRequest, consultation_id: int) -> ConsultationDetailOut:
    user = caller(request)
    consultation = fetch(request, consultations_for(user), consultation_id)
    tally = None
    opinions: list[MemberOpinionOut] = []
    if can(user, "view_answers", consultation):
        if consultation_queries.tally_ready(consultation, clock.today()):
            counted = consultation_queries.tally_of(consultation)
            tally = TallyOut(
                total=counted.total,
                agree=counted.agree,
                agree_with_comments=counted.with_comments,
                disagree=counted.disagree,
                no_answer=counted.no_answer,
                late=counted.late,
                in_favour=counted.in_favour,
                result=Result(counted.result),
                result_label=counted.result_label,
            )
        opinions = [MemberOpinionOut.of(o) for o in consultation_queries.opinions_of(consultation)]
    return ConsultationDetailOut(
        **ConsultationOut.of(consultation).model_dump(), tally=tally, opinions=opinions
    )


# --- A member's own opinions ----------------------------------------------------------------------

OPINION_EXAMPLE: JsonDict = {
    "id": 81,
    "consultation": CONSULTATION_EXAMPLE,
    "answer": None,
    "comment": "",
    "answered_at": None,
    "is_late": False,
    "can_answer": True,
    "version": 1,
}


class OpinionOut(Schema):
    id: int
    consultation: ConsultationOut
    answer: Answer | None = Field(..., description="Null: chưa cho ý kiến.")
    comment: str
    answered_at: datetime.datetime | None
    is_late: bool
    can_answer: bool = Field(
        ..., description="Có thể cho (hoặc đổi) ý kiến qua API: đang lấy ý kiến, không phải nội dung mật."
    )
    version: int = Field(..., description="Gửi lại trong If-Match khi cho ý kiến.")

    model_config = {"json_schema_extra": {"examples": [OPINION_EXAMPLE]}}

    @staticmethod
    def of(user: User, opinion: Opinion) -> OpinionOut:
        return OpinionOut(
            id=opinion.pk,
            consultation=ConsultationOut.of(opinion.consultation),
            answer=Answer(opinion.answer) if opinion.answer else None,
            comment=opinion.comment,
            answered_at=opinion.answered_at,
            is_late=opinion.is_late,
            can_answer=can(user, "answer", opinion),
            version=opinion.version,
        )


class OpinionFilters(Schema):
    pending: bool | None = Field(None, description="true: chỉ những dự thảo chưa cho ý kiến.")
    consultation_status: ConsultationStatus | None = None

    model_config = {"json_schema_extra": {"examples": [{"pending": True, "consultation_status": "sent"}]}}


def _own_opinions(user: User) -> QuerySet[Opinion]:
    """The opinions asked of ``user`` (a draft's opinions are made when it is sent)."""
    return Opinion.objects.filter(member_id=user.pk).select_related("consultation")


@router.get(
    "/opinions", response={200: Page[OpinionOut], **COMMON_ERRORS}, summary="Ý kiến của tôi về các dự thảo"
)
def opinion_list(
    request: HttpRequest, filters: Query[OpinionFilters], page: Query[PageParams]
) -> Page[OpinionOut]:
    user = caller(request)
    rows = _own_opinions(user)
    if filters.pending is not None:
        rows = rows.filter(answer="") if filters.pending else rows.exclude(answer="")
    if filters.consultation_status:
        rows = rows.filter(consultation__status=filters.consultation_status)
    shown, cursor = page_of(rows, page)
    return Page[OpinionOut](items=[OpinionOut.of(user, o) for o in shown], next_cursor=cursor)


@router.get(
    "/opinions/{opinion_id}", response={200: OpinionOut, **COMMON_ERRORS}, summary="Một ý kiến của tôi"
)
def opinion_detail(request: HttpRequest, opinion_id: int) -> OpinionOut:
    user = caller(request)
    return OpinionOut.of(user, fetch(request, _own_opinions(user), opinion_id, "view_opinion"))


class AnswerIn(Schema):
    answer: Answer
    comment: str = Field(
        "", max_length=COMMENT_MAX, description="Bắt buộc khi “Đồng ý có ý kiến” hoặc “Không đồng ý”."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"answer": "agree_with_comments", "comment": "Đề nghị bổ sung thời hạn phối hợp của các sở."}
            ]
        }
    }


@router.post(
    "/opinions/{opinion_id}/answer",
    response={200: OpinionOut, **WRITE_ERRORS},
    summary="Thành viên cho ý kiến về dự thảo",
    description=(
        "Đồng ý / Đồng ý có ý kiến / Không đồng ý (hai lựa chọn sau phải ghi ý kiến). Đổi ý kiến được "
        "đến hết hạn; sau hạn chỉ nhận ý kiến lần đầu (ghi nhận là trễ hạn). Nội dung mật: cho ý kiến "
        "bằng phiếu giấy, không qua API. If-Match: version của ý kiến (bắt buộc); đã đổi: 409."
    ),
)
def opinion_answer(
    request: HttpRequest,
    opinion_id: int,
    payload: AnswerIn,
    if_match_header: Annotated[
        str | None, HeaderParam(alias="If-Match", description="version của ý kiến")
    ] = None,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    opinion = fetch(request, _own_opinions(user), opinion_id, "view_opinion")
    version = required_version(request)
    consultation = opinion.consultation
    if consultation.status != ConsultationStatus.SENT:
        raise ApiError(400, "closed", _("Dự thảo đã được tổng hợp: không nhận thêm ý kiến."))
    if consultation.is_secret:
        raise ApiError(
            400,
            "secret",
            _("Dự thảo có nội dung mật: thành viên cho ý kiến bằng phiếu giấy, Văn phòng nhập vào hệ thống."),
        )

    def write() -> tuple[int, Any]:
        given = consultation_services.opinion_give(
            actor=user, opinion=opinion, answer=payload.answer, comment=payload.comment, version=version
        )
        return 200, OpinionOut.of(user, _own_opinions(user).get(pk=given.pk)).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))


# --- Meetings -------------------------------------------------------------------------------------

AGENDA_EXAMPLE: JsonDict = {
    "id": 31,
    "position": 1,
    "title": "Dự thảo Quyết định ban hành Quy chế phối hợp giải quyết thủ tục hành chính liên thông",
    "lead_unit_id": 3,
    "program_item_id": 118,
    "status": "on_agenda",
    "dossier_due": "2024-04-19",
    "dossier_working_days": 5,
    "consult_by": "2024-04-12",
}


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    lead_unit_id: int
    program_item_id: int | None
    status: AgendaStatus
    dossier_due: datetime.date = Field(..., description="Hạn gửi hồ sơ đến Văn phòng.")
    dossier_working_days: int = Field(..., description="Số ngày làm việc trước phiên họp.")
    consult_by: datetime.date = Field(..., description="Hạn xin ý kiến Chủ tịch, Phó Chủ tịch.")

    model_config = {"json_schema_extra": {"examples": [AGENDA_EXAMPLE]}}


MEETING_EXAMPLE: JsonDict = {
    "id": 5,
    "committee_id": 1,
    "kind": "regular",
    "title": "Phiên họp UBND tỉnh thường kỳ tháng 4/2024",
    "date": "2024-04-26",
    "starts_at": "08:00:00",
    "place": "Phòng họp số 1, UBND tỉnh",
    "chair_id": 2,
    "status": "invited",
    "version": 2,
}


class MeetingOut(Schema):
    id: int
    committee_id: int
    kind: MeetingKind
    title: str
    date: datetime.date
    starts_at: datetime.time | None
    place: str
    chair_id: int | None
    status: MeetingStatus
    version: int

    model_config = {"json_schema_extra": {"examples": [MEETING_EXAMPLE]}}


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut] = Field(..., description="Các nội dung người gọi được xem, theo thứ tự.")

    model_config = {"json_schema_extra": {"examples": [{**MEETING_EXAMPLE, "agenda": [AGENDA_EXAMPLE]}]}}


class MeetingFilters(Schema):
    committee_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: MeetingStatus | None = None
    kind: MeetingKind | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "committee_id": 1,
                    "status": "invited",
                    "kind": "regular",
                    "date_from": "2024-04-01",
                    "date_to": "2024-04-30",
                }
            ]
        }
    }


@router.get("/meetings", response={200: Page[MeetingOut], **COMMON_ERRORS}, summary="Phiên họp")
def meeting_list(
    request: HttpRequest, filters: Query[MeetingFilters], page: Query[PageParams]
) -> Page[MeetingOut]:
    rows = meetings_for(caller(request))
    if filters.committee_id:
        rows = rows.filter(committee_id=filters.committee_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(date__lte=filters.date_to)
    items, cursor = items_of(rows, page, MeetingOut)
    return Page[MeetingOut](items=items, next_cursor=cursor)


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **COMMON_ERRORS},
    summary="Một phiên họp và các nội dung trình",
)
def meeting_detail(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    user = caller(request)
    visible = agenda_items_for(user).order_by("position", "pk")
    agenda_of = Prefetch("agenda_items", queryset=visible, to_attr="visible_agenda")
    meeting = fetch(request, meetings_for(user).prefetch_related(agenda_of), meeting_id)
    agenda: list[AgendaItem] = meeting.visible_agenda  # type: ignore[attr-defined]
    return MeetingDetailOut(
        **MeetingOut.model_validate(meeting, from_attributes=True).model_dump(),
        agenda=[AgendaItemOut.model_validate(item, from_attributes=True) for item in agenda],
    )
