"""Who signs, approves: a member of staff drafts an adjustment request; the unit head approves
it — the Tờ trình then takes the unit's number under the head's signature and goes to the
leader — or returns it with a note, and the author reworks it. A head files directly. Until
signed, the draft is the unit's own. Stale actions land on the request's page with a message."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core import rendering
from caicach.core.issuing import EXPECTED_FIELD
from caicach.core.models import AuditEvent, Notification, Role, User
from caicach.core.permissions import can, principal
from caicach.workprogram.models import AdjustmentRequest, RequestStatus
from caicach.workprogram.programs.documents import request_spec
from caicach.workprogram.programs.queries import request_detail_queryset, requests_to_approve
from caicach.workprogram.programs.rules import awaiting_head_of, requests_for
from caicach.workprogram.programs.services import (
    adjustment_request_approve,
    adjustment_request_approve_submission,
    adjustment_request_return,
    adjustment_request_revise,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.issuing import confirm_issue, offered_reference
from tests.refusals import assert_refused
from tests.workprogram.factories import Scene, file_request, make_scene, month

pytestmark = pytest.mark.django_db

PERSONAS = (
    "admin", "reform_officer", "office_officer", "unit_head", "unit_staff", "council_member",
    "committee_member", "leader", "outsider",
)  # fmt: skip


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


@pytest.fixture
def draft(scene: Scene, people: People) -> AdjustmentRequest:
    """Science's member of staff asks to postpone the science item; the head has not signed."""
    return file_request(scene.science_item, people.unit_staff, head_signs=False)


def state() -> tuple[Any, ...]:
    return (
        list(
            AdjustmentRequest.objects.order_by("pk").values_list(
                "version", "status", "request_document", "signed_by", "head_note"
            )
        ),
        AuditEvent.objects.count(),
    )


def inbox(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- Services ------------------------------------------------------------------------------------


def test_a_staff_draft_waits_for_the_unit_head_without_a_number(
    draft: AdjustmentRequest, people: People
) -> None:
    assert draft.status == RequestStatus.AWAITING_HEAD
    assert draft.request_document is None and draft.signed_by is None
    assert inbox(people.unit_head) == ["Đề nghị điều chỉnh chờ lãnh đạo đơn vị duyệt"]
    assert inbox(people.leader) == []  # the leader hears of it once signed
    assert AuditEvent.objects.filter(action="adjustment.draft").count() == 1


def test_the_head_approves_and_the_tờ_trình_is_issued_under_their_signature(
    draft: AdjustmentRequest, people: People
) -> None:
    filed = adjustment_request_approve_submission(
        actor=people.unit_head, request=draft, version=draft.version
    )
    assert filed.status == RequestStatus.PENDING and filed.signed_by == people.unit_head
    assert filed.request_document is not None and filed.request_document.reference == "01/TTr-SKHCN"
    assert "Đề nghị điều chỉnh chương trình công tác chờ quyết định" in inbox(people.leader)
    spec = request_spec(request_detail_queryset().get(pk=filed.pk))
    assert spec.signature is not None and spec.signature.name == "Phạm Thủ Trưởng"
    assert spec.number == 1


def test_the_tờ_trình_prints_the_approving_head_even_when_the_unit_has_two(
    draft: AdjustmentRequest, org: Org, people: People
) -> None:
    deputy = person("phogiamdoc", org.science, Role.UNIT_HEAD, full_name="Lý Phó Giám Đốc")
    adjustment_request_approve_submission(actor=deputy, request=draft, version=draft.version)
    spec = request_spec(request_detail_queryset().get(pk=draft.pk))
    assert spec.signature is not None and spec.signature.name == "Lý Phó Giám Đốc"


def test_a_draft_prints_without_number_or_date(draft: AdjustmentRequest) -> None:
    spec = request_spec(request_detail_queryset().get(pk=draft.pk))
    assert spec.number is None and spec.issued_on is None
    rendering.render(spec, "docx")  # a draft renders (no number consumed)


def test_a_head_files_directly(scene: Scene, people: People) -> None:
    request = file_request(scene.science_item, people.unit_head, head_signs=False)
    assert request.status == RequestStatus.PENDING and request.signed_by == people.unit_head
    assert request.request_document is not None


def test_the_head_returns_the_draft_and_the_author_revises_it(
    draft: AdjustmentRequest, people: People
) -> None:
    with pytest.raises(ValidationError):
        adjustment_request_return(actor=people.unit_head, request=draft, note="  ", version=draft.version)
    returned = adjustment_request_return(
        actor=people.unit_head,
        request=draft,
        note="Nêu rõ văn bản hướng dẫn đang chờ.",
        version=draft.version,
    )
    assert returned.status == RequestStatus.RETURNED and returned.head_note.startswith("Nêu rõ")
    assert inbox(people.unit_staff) == ["Lãnh đạo đơn vị trả lại đề nghị điều chỉnh"]
    revised = adjustment_request_revise(
        actor=people.unit_staff,
        request=returned,
        data={"explanation": "Chờ Thông tư hướng dẫn của Bộ Khoa học và Công nghệ (dự kiến quý III)."},
        version=returned.version,
    )
    assert revised.status == RequestStatus.AWAITING_HEAD and "Thông tư" in revised.explanation
    assert revised.request_document is None
    assert AuditEvent.objects.filter(action__in=["adjustment.return", "adjustment.revise"]).count() == 2


def test_only_the_lead_units_head_approves_or_returns(
    draft: AdjustmentRequest, org: Org, people: People
) -> None:
    other_head = person("truong.snv", org.home_affairs, Role.UNIT_HEAD)
    for actor in (people.unit_staff, people.leader, people.office_officer, other_head):
        assert_refused(
            partial(adjustment_request_approve_submission, actor=actor, request=draft, version=draft.version),
            state,
        )
        assert_refused(
            partial(
                adjustment_request_return, actor=actor, request=draft, note="Sửa.", version=draft.version
            ),
            state,
        )


def test_a_draft_is_approved_once_and_not_decided_before(draft: AdjustmentRequest, people: People) -> None:
    with pytest.raises(ValidationError, match="chưa được lãnh đạo đơn vị duyệt"):
        adjustment_request_approve(actor=people.leader, request=draft, version=draft.version)
    adjustment_request_approve_submission(actor=people.unit_head, request=draft, version=draft.version)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        adjustment_request_approve_submission(
            actor=people.unit_head, request=draft, version=draft.version + 1
        )


def test_a_returned_draft_is_revised_only_by_its_unit(draft: AdjustmentRequest, people: People) -> None:
    returned = adjustment_request_return(actor=people.unit_head, request=draft, note="Sửa.", version=1)
    for actor in (people.leader, people.office_officer, people.outsider):
        assert_refused(
            partial(
                adjustment_request_revise,
                actor=actor,
                request=returned,
                data={"impact": "Khác."},
                version=returned.version,
            ),
            state,
        )


def test_one_open_request_per_item_counts_the_drafts(
    draft: AdjustmentRequest, scene: Scene, people: People
) -> None:
    with pytest.raises(ValidationError):
        file_request(scene.science_item, people.unit_head)


# --- Who sees a draft; the head's to-do ----------------------------------------------------------


def test_a_draft_is_the_units_own_until_signed(draft: AdjustmentRequest, people: People) -> None:
    sees = {name for name in PERSONAS if can(getattr(people, name), "view", draft)}
    assert sees == {"admin", "unit_head", "unit_staff"}
    listed = {name for name in PERSONAS if requests_for(getattr(people, name)).filter(pk=draft.pk).exists()}
    assert listed == sees


def test_the_to_do_filter_agrees_with_the_approval_rule(
    draft: AdjustmentRequest, org: Org, people: People
) -> None:
    cast = {name: getattr(people, name) for name in PERSONAS}
    cast["district_leader"] = person("lanhdao.huyen", org.district, Role.LEADER)
    for name, user in cast.items():
        listed = set(AdjustmentRequest.objects.filter(awaiting_head_of(user)).values_list("pk", flat=True))
        if name == "admin":
            assert listed == set()  # the bypass is not the administrator's work
            continue
        allowed = {r.pk for r in AdjustmentRequest.objects.all() if can(user, "approve_submission", r)}
        assert listed == allowed, name
    assert set(AdjustmentRequest.objects.filter(awaiting_head_of(people.unit_head))) == {draft}


def test_the_head_sees_the_drafts_awaiting_them_on_the_home_page_in_two_queries(
    client: Client, scene: Scene, people: People, django_assert_num_queries: Any
) -> None:
    drafts = [
        file_request(item, people.unit_staff, head_signs=False)
        for item in (scene.science_item, scene.science_other)
    ]
    principal(people.unit_head)  # the person's roles, read once per request by every page
    with django_assert_num_queries(2):  # the count with the first keys, then those requests
        entry = requests_to_approve(people.unit_head, 5)
    assert entry is not None and entry.count == 2
    assert {item.url for item in entry.items} == {d.get_absolute_url() for d in drafts}
    assert requests_to_approve(people.unit_staff, 5) is None  # no query for who is no head
    client.force_login(people.unit_head)
    page = client.get("/").content.decode()
    assert "Đề nghị điều chỉnh chờ bạn duyệt, ký Tờ trình" in page
    assert drafts[0].get_absolute_url() in page


# --- Pages ---------------------------------------------------------------------------------------


def status_for(client: Client, user: User, method: str, url: str, data: dict[str, Any]) -> int:
    client.force_login(user)
    response = client.post(url, data) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


@pytest.mark.parametrize(
    ("name", "method", "allowed", "ok"),
    [
        ("request_approve_submission", "post", {"admin", "unit_head"}, 200),  # the confirmation page
        ("request_return", "post", {"admin", "unit_head"}, 400),  # an empty note is refused
        ("request_detail", "get", {"admin", "unit_head", "unit_staff"}, 200),
        ("request_document", "get", {"admin", "unit_head", "unit_staff"}, 200),
        ("decision_document", "get", set(), 200),  # nothing decided, nothing to print
    ],
)
def test_who_may_use_the_draft_pages(
    client: Client,
    draft: AdjustmentRequest,
    people: People,
    name: str,
    method: str,
    allowed: set[str],
    ok: int,
) -> None:
    url = reverse(f"workprogram:{name}", args=[draft.pk])
    data = {"version": draft.version}
    got = {persona: status_for(client, getattr(people, persona), method, url, data) for persona in PERSONAS}
    assert got == {persona: ok if persona in allowed else 404 for persona in PERSONAS}
    draft.refresh_from_db()
    assert draft.status == RequestStatus.AWAITING_HEAD and draft.request_document is None


def test_the_revise_page_is_for_the_unit_once_returned(
    client: Client, draft: AdjustmentRequest, people: People
) -> None:
    url = reverse("workprogram:request_revise", args=[draft.pk])
    client.force_login(people.unit_staff)
    response = client.get(url, follow=True)  # not returned: back on the page, with a message
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "thao tác không còn áp dụng" in response.content.decode()
    adjustment_request_return(actor=people.unit_head, request=draft, note="Bổ sung số liệu.", version=1)
    draft.refresh_from_db()
    allowed = {"admin", "unit_head", "unit_staff"}
    got = {p: status_for(client, getattr(people, p), "get", url, {}) for p in PERSONAS}
    assert got == {p: 200 if p in allowed else 404 for p in PERSONAS}
    client.force_login(people.unit_staff)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Bổ sung số liệu." in page and url in page
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"explanation": "Đã bổ sung số liệu.", "proposed_month": "06/2024", "version": draft.version})
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RequestStatus.AWAITING_HEAD and draft.explanation == "Đã bổ sung số liệu."


def test_the_head_approves_through_the_confirmation_naming_the_number(
    client: Client, draft: AdjustmentRequest, people: People, django_assert_max_num_queries: Any
) -> None:
    client.force_login(people.unit_head)
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("workprogram:request_approve_submission", args=[draft.pk]) in detail
    url = reverse("workprogram:request_approve_submission", args=[draft.pk])
    with django_assert_max_num_queries(12):
        page = client.post(url, {"version": draft.version})
    assert page.status_code == 200
    assert offered_reference(page) == "01/TTr-SKHCN"
    assert "Phạm Thủ Trưởng" in page.content.decode()
    draft.refresh_from_db()
    assert draft.request_document is None  # showing the number took nothing
    response = confirm_issue(client, url, {"version": draft.version}, follow=True)
    assert "Đã gửi Tờ trình số 01/TTr-SKHCN" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequestStatus.PENDING and draft.signed_by == people.unit_head
    # Approving again, from the tab left open: a message on the request's page, not a 404.
    response = client.post(url, {"version": 1, EXPECTED_FIELD: "01/TTr-SKHCN"}, follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "thao tác không còn áp dụng" in response.content.decode()


def test_deciding_a_request_decided_in_another_tab_says_so_on_its_page(
    client: Client, scene: Scene, people: People
) -> None:
    request = file_request(scene.science_item, people.unit_staff)
    client.force_login(people.leader)
    url = reverse("workprogram:request_decide", args=[request.pk])
    data = {"decision": "approve", "note": "Đồng ý.", "version": request.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    assert "Đề nghị này đã được quyết định (Đã chấp thuận)" in response.content.decode()


def test_the_draft_page_has_a_fixed_query_budget(
    client: Client, draft: AdjustmentRequest, people: People, django_assert_max_num_queries: Any
) -> None:
    client.force_login(people.unit_head)
    client.get(draft.get_absolute_url())
    with django_assert_max_num_queries(16):
        response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Duyệt, ký Tờ trình" in response.content.decode()
    assert month(3)  # the item's month, kept for the reader: the draft postpones from March
