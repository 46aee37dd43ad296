"""The council's pages: who may open each (persona × page, round open and closed), query
ceilings with 30 dossiers × 7 members, the whole round in the browser's terms (forms
posted, pages followed), and the partials on the campaign and dossier pages."""

from __future__ import annotations

import datetime
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from caicach.core.models import Job, JobStatus, Role, User
from caicach.core.once import FIELD, new_token
from caicach.initiatives.models import (
    Council,
    CouncilMember,
    Initiative,
    InitiativeStatus,
    Recognition,
    ReviewAssignment,
    RoundStatus,
)
from caicach.initiatives.review import queries as review_queries
from caicach.initiatives.review.rubrics import ensure_demo_rubrics
from caicach.initiatives.review.services import council_member_add, review_assign, round_close
from tests.conftest import Org, People, forget_kept
from tests.core.factories import make_user, person
from tests.initiatives.factories import Board, fill_sheets, make_board, make_campaign, make_dossier
from tests.issuing import confirm_issue


@pytest.fixture
def board(org: Org, people: People) -> Board:
    return make_board(org, people)


@pytest.fixture
def dossiers(board: Board, org: Org, people: People) -> dict[str, Initiative]:
    found = {
        "science": make_dossier(board.campaign, org.science, title="Một cửa điện tử của Sở"),
        "commune": make_dossier(board.campaign, org.commune, title="Tiếp nhận hồ sơ tại nhà"),
    }
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    return found


def cast(board: Board, people: People) -> dict[str, User]:
    return {
        "admin": people.admin,
        "reform_officer": people.reform_officer,
        "chair": board.chair,
        "secretary": board.secretary,
        "member": board.member,
        "colleague": board.colleague,  # excluded from the science dossier (same unit)
        "unit_head": people.unit_head,
        "outsider": people.outsider,
    }


RUNNERS = {"admin", "reform_officer", "chair", "secretary"}
MANAGERS = {"admin", "reform_officer"}
COUNCIL = RUNNERS | {"member", "colleague"}


def urls(board: Board, dossiers: dict[str, Initiative]) -> dict[str, str]:
    council = board.council.pk
    sheet = ReviewAssignment.objects.get(initiative=dossiers["science"], member=board.member_seat).pk
    return {
        "council_detail": reverse("initiatives:council_detail", args=[council]),
        "council_edit": reverse("initiatives:council_edit", args=[council]),
        "council_members": reverse("initiatives:council_members", args=[council]),
        "council_assign": reverse("initiatives:council_assign", args=[council]),
        "council_close": reverse("initiatives:council_close", args=[council]),
        "council_results": reverse("initiatives:council_results", args=[council]),
        "council_votes": reverse("initiatives:council_votes", args=[council]),
        "council_minutes": reverse("initiatives:council_minutes", args=[council]),
        "blank_sheet": reverse("initiatives:blank_sheet", args=[council, dossiers["science"].pk]),
        "review_score": reverse("initiatives:review_score", args=[sheet]),
        "review_conflict": reverse("initiatives:review_conflict", args=[sheet]),
        "review_sheet": reverse("initiatives:review_sheet", args=[sheet]),
    }


OPEN: dict[str, set[str]] = {
    "council_detail": COUNCIL,
    "council_edit": MANAGERS,
    "council_members": MANAGERS,
    "council_assign": MANAGERS,
    "council_close": RUNNERS,
    "council_results": set(),
    "council_votes": set(),
    "council_minutes": set(),
    "blank_sheet": COUNCIL,
    "review_score": {"member"},
    "review_conflict": {"member"},
    "review_sheet": {"member"},
}
CLOSED: dict[str, set[str]] = {
    **OPEN,
    "council_close": set(),
    "council_results": COUNCIL,
    "council_votes": RUNNERS,
    "council_minutes": RUNNERS,
    # After the close everyone of the council reads the sheets, except the colleague:
    # excluded from this dossier, they see none of its sheets.
    "review_score": COUNCIL - {"colleague"},
    "review_conflict": set(),
    "review_sheet": COUNCIL - {"colleague"},
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_each_persona_opens_exactly_the_pages_the_rules_allow(
    client: Client, board: Board, dossiers: dict[str, Initiative], people: People, closed: bool
) -> None:
    if closed:
        fill_sheets(board.council, board.rubric, random.Random(3))
        round_close(council=board.council, actor=board.chair)
    expected = CLOSED if closed else OPEN
    pages = urls(board, dossiers)
    for name, user in cast(board, people).items():
        client.force_login(user)
        for page, url in pages.items():
            status = client.get(url).status_code
            assert status == (200 if name in expected[page] else 404), (name, page, status)
    client.logout()
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_post_only_pages_answer_exactly_those_allowed(
    client: Client, board: Board, dossiers: dict[str, Initiative], people: People
) -> None:
    fill_sheets(board.council, board.rubric, random.Random(4))
    round_close(council=board.council, actor=board.chair)
    council = board.council.pk
    sheet = ReviewAssignment.objects.get(initiative=dossiers["science"], member=board.member_seat).pk
    pages = {
        # An empty vote form comes back with its errors (200); the others redirect (302).
        "vote": (
            reverse("initiatives:council_vote_record", args=[council, dossiers["commune"].pk]),
            RUNNERS,
            200,
        ),
        "minutes_issue": (reverse("initiatives:council_minutes_issue", args=[council]), RUNNERS, 302),
        "minutes_pdf": (reverse("initiatives:council_minutes_pdf", args=[council]), RUNNERS, 302),
        "sheet_pdf": (reverse("initiatives:review_sheet_pdf", args=[sheet]), COUNCIL - {"colleague"}, 302),
    }
    for name, user in cast(board, people).items():
        client.force_login(user)
        for page, (url, allowed, success) in pages.items():
            status = client.post(url, {}).status_code
            assert status == (success if name in allowed else 404), (name, page, status)
    # Nothing was decided by those posts (the forms were empty; the minutes wait for the votes).
    assert not Recognition.objects.exists() and Council.objects.get(pk=council).minutes_id is None
    assert client.get(reverse("initiatives:review_score", args=[sheet])).status_code == 404
    client.logout()
    for url, _allowed, _success in pages.values():
        assert client.post(url).status_code == 302


def test_my_reviews_list_only_my_own_assignments(
    client: Client, big: Board, people: People, django_assert_max_num_queries: Any
) -> None:
    url = reverse("initiatives:review_mine")
    assert client.get(url).status_code == 302
    client.force_login(people.outsider)
    html = client.get(url).content.decode()
    assert "Sáng kiến số" not in html and "chưa được giao" in html
    client.force_login(big.colleague)
    with django_assert_max_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count('<td><a href="/sang-kien/hoi-dong/') == 25  # a page of 25 rows
    page_two = client.get(url, {"page": 2}).content.decode()
    # 30 dossiers in all, 10 of them from the colleague's own unit (excluded: no sheet link).
    assert html.count("Không chấm") + page_two.count("Không chấm") == 10
    sheet_link = re.compile(r'href="/sang-kien/cham-diem/\d+/"')
    assert len(sheet_link.findall(html)) + len(sheet_link.findall(page_two)) == 20


def test_a_member_declares_a_conflict_from_their_sheet(
    client: Client, board: Board, dossiers: dict[str, Initiative]
) -> None:
    sheet = ReviewAssignment.objects.get(initiative=dossiers["commune"], member=board.member_seat)
    url = reverse("initiatives:review_conflict", args=[sheet.pk])
    client.force_login(board.member)
    assert (
        "Khai báo xung đột lợi ích"
        in client.get(reverse("initiatives:review_score", args=[sheet.pk])).content.decode()
    )
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and not ReviewAssignment.objects.get(pk=sheet.pk).excluded
    response = client.post(url, {"reason": "Vợ tôi là tác giả"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.excluded and sheet.exclusion_reason == "Tự khai báo: Vợ tôi là tác giả"
    assert client.get(url).status_code == 404  # once excluded there is nothing left to declare
    assert (
        client.get(reverse("initiatives:initiative_detail", args=[dossiers["commune"].pk])).status_code == 404
    )


def test_the_council_is_set_up_from_the_campaign_by_those_who_manage_it(
    client: Client, org: Org, people: People
) -> None:
    campaign = make_campaign(org, people, ensure_demo_rubrics(people.admin)[0])
    url = reverse("initiatives:council_create", args=[campaign.pk])
    for user in (people.council_member, people.unit_head, people.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(people.reform_officer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Hội đồng sáng kiến tỉnh",
            FIELD: new_token(),
            "established_by": "Quyết định số 12/QĐ-UBND",
            "scoring_deadline": "30/08/2024",
            "reminder_working_days": "2",
            "meeting_on": "",
            "meeting_place": "",
        },
    )
    council = Council.objects.get(campaign=campaign)
    assert response.status_code == 302 and council.scoring_deadline == datetime.date(2024, 8, 30)
    assert client.get(url)["Location"] == reverse("initiatives:council_edit", args=[council.pk])


def test_member_role_and_removal_posts_are_for_managers(
    client: Client, board: Board, people: People, org: Org
) -> None:
    role = reverse("initiatives:council_member_role", args=[board.member_seat.pk])
    remove = reverse("initiatives:council_member_remove", args=[board.member_seat.pk])
    for user in (board.chair, board.member, people.outsider):
        client.force_login(user)
        assert client.post(role, {f"m{board.member_seat.pk}-role": "vice_chair"}).status_code == 404
        assert client.post(remove).status_code == 404
    client.force_login(people.reform_officer)
    assert client.post(role, {f"m{board.member_seat.pk}-role": "vice_chair"}).status_code == 302
    assert CouncilMember.objects.get(pk=board.member_seat.pk).role == "vice_chair"
    assert client.post(remove).status_code == 302
    assert not CouncilMember.objects.filter(pk=board.member_seat.pk).exists()


# --- Query ceilings ----------------------------------------------------------------------------


@pytest.fixture
def big(org: Org, people: People) -> Board:
    """30 dossiers × 7 members, every sheet submitted."""
    board = make_board(org, people)
    for n in range(3):
        council_member_add(
            council=board.council,
            actor=people.reform_officer,
            user=make_user(f"hd.them{n}", unit=org.office),
            role="member",
        )
    for n in range(30):
        make_dossier(
            board.campaign, org.science if n % 3 == 0 else org.commune, title=f"Sáng kiến số {n:02d}"
        )
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    fill_sheets(board.council, board.rubric, random.Random(30))
    return board


def test_council_pages_have_a_query_ceiling_with_30_dossiers_and_7_members(
    client: Client, big: Board, people: People, django_assert_max_num_queries: Any
) -> None:
    assert ReviewAssignment.objects.count() == 30 * 7
    council = big.council.pk
    client.force_login(big.secretary)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("initiatives:council_detail", args=[council]))
    assert response.content.decode().count("Sáng kiến số") >= 60  # in the table and in "mine"
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("initiatives:council_assign", args=[council]))
    assert response.status_code == 200

    round_close(council=big.council, actor=big.chair)
    client.force_login(big.chair)
    # 18: the ranking reads every dossier's sums, then the page's dossiers and their details.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("initiatives:council_results", args=[council]))
    assert response.content.decode().count("Sáng kiến số") == 30
    # Paged: a national council assigns thousands of dossiers.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(review_queries, "RESULTS_PAGE_SIZE", 12)
        patch.setattr(review_queries, "ASSIGNMENTS_PAGE_SIZE", 12)
        with django_assert_max_num_queries(18):
            response = client.get(reverse("initiatives:council_results", args=[council]), {"page": 3})
        body = response.content.decode()
        assert body.count("Sáng kiến số") == 6 and "Dòng 25–30 trong tổng số 30" in body
        ranks = [aggregate.rank for aggregate, _ in response.context["rows"]]
        assert ranks == sorted(ranks) and ranks[0] is not None and ranks[0] >= 25
        client.force_login(big.secretary)
        body = client.get(reverse("initiatives:council_detail", args=[council]), {"page": 2}).content.decode()
        assert "Dòng 13–24 trong tổng số 30" in body
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("initiatives:council_votes", args=[council]))
    assert response.content.decode().count("Ghi kết quả") == 30
    sheet = ReviewAssignment.objects.filter(member=big.member_seat).first()
    assert sheet is not None
    client.force_login(big.member)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("initiatives:review_score", args=[sheet.pk]))
    assert response.status_code == 200


def test_the_partials_have_a_query_ceiling(
    big: Board, people: People, django_assert_max_num_queries: Any
) -> None:
    request = RequestFactory().get("/")
    dossier = Initiative.objects.filter(campaign=big.campaign).first()
    assert dossier is not None
    for user in (big.secretary, people.reform_officer, big.member):
        request.user = user
        with django_assert_max_num_queries(8):
            html = render_to_string(
                "initiatives/review/_campaign_council.html",
                {"campaign": big.campaign, "user": user, "request": request},
            )
        assert big.council.name in html
        with django_assert_max_num_queries(8):
            render_to_string(
                "initiatives/review/_dossier_panel.html",
                {"initiative": dossier, "user": user, "request": request},
            )


# --- The partials -----------------------------------------------------------------------------


def render_partial(template: str, user: User, **context: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(f"initiatives/{template}", {"user": user, "request": request, **context})


def test_the_campaign_card_links_managers_and_members_to_the_council(
    board: Board, dossiers: dict[str, Initiative], people: People, org: Org
) -> None:
    html = render_partial("review/_campaign_council.html", people.reform_officer, campaign=board.campaign)
    assert reverse("initiatives:council_assign", args=[board.council.pk]) in html
    assert "Đã nộp 0/7 phiếu chấm." in html  # 8 assignments, the colleague excluded from one
    html = render_partial("review/_campaign_council.html", board.member, campaign=board.campaign)
    assert "Hội đồng chấm điểm" in html and "2 hồ sơ chưa nộp phiếu" in html
    assert reverse("initiatives:council_assign", args=[board.council.pk]) not in html
    assert (
        render_partial("review/_campaign_council.html", people.unit_head, campaign=board.campaign).strip()
        == ""
    )
    # Without a council, managers are offered to set one up.
    other = make_campaign(org, people)
    html = render_partial("review/_campaign_council.html", people.reform_officer, campaign=other)
    assert reverse("initiatives:council_create", args=[other.pk]) in html


def test_the_campaign_card_is_kept_until_a_sheet_is_written(
    board: Board, dossiers: dict[str, Initiative], people: People, django_assert_num_queries: Any
) -> None:
    """Read once, then from the cache (no query at all); sheets sent since show at once; each
    person sees their own card (their seat, their rights)."""
    forget_kept()
    first = render_partial("review/_campaign_council.html", people.reform_officer, campaign=board.campaign)
    with django_assert_num_queries(0):
        again = render_partial(
            "review/_campaign_council.html", people.reform_officer, campaign=board.campaign
        )
    assert again == first and "Đã nộp 0/7 phiếu chấm." in first
    card = review_queries.campaign_council_card(people.reform_officer, board.campaign)
    members = (
        CouncilMember.objects.filter(council=board.council).select_related("user").order_by("position", "pk")
    )
    assert card.members == tuple((m.user.full_name or m.user.username, m.get_role_display()) for m in members)
    assert (card.council_pk, card.name, card.round_open) == (board.council.pk, board.council.name, True)
    assert card.round_label == board.council.get_round_status_display()
    assert (card.can_change, card.seated) == (True, False)
    mine = review_queries.campaign_council_card(board.member, board.campaign)
    assert (mine.seated, mine.can_change, mine.mine_open) == (True, False, 2)
    fill_sheets(board.council, board.rubric, random.Random(5))
    html = render_partial("review/_campaign_council.html", people.reform_officer, campaign=board.campaign)
    assert "Đã nộp 7/7 phiếu chấm." in html
    html = render_partial("review/_campaign_council.html", board.member, campaign=board.campaign)
    assert "Hội đồng chấm điểm" in html and "chưa nộp phiếu" not in html


def test_the_dossier_card_offers_scoring_then_shows_the_aggregate_after_close(
    board: Board, dossiers: dict[str, Initiative], people: People
) -> None:
    dossier = dossiers["commune"]
    sheet = ReviewAssignment.objects.get(initiative=dossier, member=board.member_seat)
    html = render_partial("review/_dossier_panel.html", board.member, initiative=dossier)
    assert "Chấm điểm" in html and reverse("initiatives:review_score", args=[sheet.pk]) in html
    assert "Điểm trung bình" not in render_partial(
        "review/_dossier_panel.html", people.reform_officer, initiative=dossier
    )
    html = render_partial("review/_dossier_panel.html", board.colleague, initiative=dossiers["science"])
    assert "Bạn không chấm hồ sơ này" in html
    fill_sheets(board.council, board.rubric, random.Random(8))
    round_close(council=board.council, actor=board.chair)
    totals = [
        a.total
        for a in ReviewAssignment.objects.filter(initiative=dossier, excluded=False)
        if a.total is not None
    ]
    mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    html = render_partial("review/_dossier_panel.html", people.reform_officer, initiative=dossier)
    assert "Điểm trung bình" in html and f"{mean:f}".rstrip("0").rstrip(".").replace(".", ",") in html
    assert f"điểm đạt {board.rubric.pass_mark:f}".rstrip("0").rstrip(".") in html
    assert f"<dt>Số phiếu</dt><dd>{len(totals)}</dd>" in html
    for criterion in board.rubric.criteria.all():  # each criterion's mean out of its maximum
        assert f"<dt>{escape(criterion.name)}</dt>" in html
        assert f" / {review_queries.points_text(criterion.max_points)}</dd>" in html
    assert reverse("initiatives:council_results", args=[board.council.pk]) in html
    assert "Điểm trung bình" not in render_partial(
        "review/_dossier_panel.html", board.colleague, initiative=dossiers["science"]
    )
    assert render_partial("review/_dossier_panel.html", people.outsider, initiative=dossier).strip() == ""
    # The member's own sheet, once sent: a link to read it back, no more "Chấm điểm".
    html = render_partial("review/_dossier_panel.html", board.member, initiative=dossier)
    assert "Bạn đã nộp phiếu chấm" in html and reverse("initiatives:review_score", args=[sheet.pk]) in html


def test_the_dossier_card_is_kept_until_a_sheet_is_written(
    board: Board, dossiers: dict[str, Initiative], people: People, django_assert_num_queries: Any
) -> None:
    """Read once, then from the cache (no query at all); a sheet written since — a total
    corrected — is shown at once; another person sees their own card."""
    dossier = dossiers["commune"]
    fill_sheets(board.council, board.rubric, random.Random(3))
    round_close(council=board.council, actor=board.chair)
    forget_kept()
    first = render_partial("review/_dossier_panel.html", people.reform_officer, initiative=dossier)
    with django_assert_num_queries(0):
        assert (
            render_partial("review/_dossier_panel.html", people.reform_officer, initiative=dossier) == first
        )
    sheets = ReviewAssignment.objects.filter(initiative=dossier, excluded=False, submitted_at__isnull=False)
    ReviewAssignment.objects.filter(pk__in=sheets.values("pk")).update(total=Decimal("12.34"))
    html = render_partial("review/_dossier_panel.html", people.reform_officer, initiative=dossier)
    assert html != first and "<strong>12,34</strong>" in html
    assert "Bạn đã nộp phiếu chấm" not in html
    assert "Bạn đã nộp phiếu chấm" in render_partial(
        "review/_dossier_panel.html", board.member, initiative=dossier
    )
    assert render_partial("review/_dossier_panel.html", people.outsider, initiative=dossier).strip() == ""


# --- The whole round through the pages ------------------------------------------------------


def test_a_round_from_council_to_minutes_through_the_pages(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    rubric = ensure_demo_rubrics(people.admin)[0]
    campaign = make_campaign(org, people, rubric)
    dossier = make_dossier(campaign, org.commune, title="Số hóa hồ sơ một cửa")
    chair = person("chutich2", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Lâm Văn Chủ")
    secretary = person("thuky2", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Lý Thị Thư")
    member = person("uyvien2", org.office, Role.COUNCIL_MEMBER, full_name="Đào Ủy Viên")

    client.force_login(people.reform_officer)
    client.post(
        reverse("initiatives:council_create", args=[campaign.pk]),
        {
            "name": "Hội đồng sáng kiến",
            "scoring_deadline": "30/08/2024",
            "reminder_working_days": "2",
            FIELD: new_token(),
        },
    )
    council = Council.objects.get(campaign=campaign)
    members_url = reverse("initiatives:council_members", args=[council.pk])
    found = client.get(members_url, {"q": "ly thi thu"}).content.decode()
    assert "Lý Thị Thư" in found and "Lâm Văn Chủ" not in found
    for user, role in ((chair, "chair"), (secretary, "secretary"), (member, "member")):
        assert client.post(members_url, {"user": user.pk, "role": role}).status_code == 302
    response = client.post(members_url, {"user": member.pk, "role": "member"})
    assert "đã là thành viên" in response.content.decode()
    response = client.post(
        reverse("initiatives:council_assign", args=[council.pk]),
        {"initiatives": [dossier.pk], "members": list(council.members.values_list("pk", flat=True))},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == InitiativeStatus.IN_REVIEW

    criteria = list(rubric.criteria.order_by("position"))
    for user, values in (
        (chair, ("25", "35", "25")),
        (secretary, ("20", "30", "20,5")),  # the Vietnamese decimal comma
        (member, ("28", "38", "27")),
    ):
        client.force_login(user)
        sheet = ReviewAssignment.objects.get(initiative=dossier, member__user=user)
        url = reverse("initiatives:review_score", args=[sheet.pk])
        post = {"version": sheet.version, "comment": "Có tính mới", "action": "save"}
        post |= {f"criterion_{c.pk}": v for c, v in zip(criteria, values, strict=True)}
        assert client.post(url, post).status_code == 302  # draft
        response = client.post(url, {**post, f"criterion_{criteria[0].pk}": "31", "action": "submit"})
        assert response.status_code == 200 and "30" in response.content.decode()  # above the cap
        sheet.refresh_from_db()
        response = client.post(url, {**post, "version": sheet.version, "action": "submit"})
        assert response.status_code == 302
    assert ReviewAssignment.objects.filter(submitted_at__isnull=False).count() == 3

    client.force_login(secretary)
    response = client.post(reverse("initiatives:council_close", args=[council.pk]), {})
    assert response.status_code == 302
    results = client.get(response["Location"]).content.decode()
    assert ("Số hóa hồ sơ một cửa" in results and "82,83" in results) or "82.83" in results
    vote_url = reverse("initiatives:council_vote_record", args=[council.pk, dossier.pk])
    prefix = f"d{dossier.pk}"
    response = client.post(
        vote_url,
        {
            f"{prefix}-members_present": "3",
            f"{prefix}-votes_for": "3",
            f"{prefix}-votes_against": "0",
            f"{prefix}-level": "",
            f"{prefix}-reasons": "",
        },
    )
    assert response.status_code == 200 and "chọn cấp công nhận" in response.content.decode()
    response = client.post(
        vote_url,
        {
            f"{prefix}-members_present": "3",
            f"{prefix}-votes_for": "2",
            f"{prefix}-votes_against": "1",
            f"{prefix}-level": "provincial",
            f"{prefix}-reasons": "",
        },
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get(initiative=dossier)
    assert recognition.recognised and recognition.mean_score == Decimal("82.83")
    response = confirm_issue(
        client, reverse("initiatives:council_minutes_issue", args=[council.pk]), {"issued_on": "02/09/2024"}
    )
    council.refresh_from_db()
    assert council.minutes is not None and council.minutes.reference == "01/BB-UBND"
    response = client.get(reverse("initiatives:council_minutes", args=[council.pk]))
    assert response.status_code == 200 and "BB-01-2024" in response["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("initiatives:council_minutes_pdf", args=[council.pk]))
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == JobStatus.DONE and job.result_name.endswith(".pdf")
    assert Council.objects.get(pk=council.pk).round_status == RoundStatus.CLOSED


def test_the_results_page_is_kept_until_a_sheet_changes_and_shows_each_reader_their_sheets(
    big: Board, django_assert_num_queries: Any
) -> None:
    """A page of the results is the ranking and the sheets each reader may read, as
    ``RankedDossiers`` and ``sheet_totals`` give them: kept (a second look reads nothing),
    each reader's own (a member excluded from a dossier does not see its sheets, the chair
    does), and a sheet's total changed since shows at once."""
    barred = Initiative.objects.filter(campaign=big.campaign).order_by("pk").first()
    assert barred is not None
    ReviewAssignment.objects.filter(member=big.member_seat, initiative=barred).update(excluded=True)
    round_close(council=big.council, actor=big.chair)
    council = review_queries.councils_with_relations().get(pk=big.council.pk)

    def expected(user: User) -> list[tuple[Any, ...]]:
        rubric = review_queries.rubric_with_criteria(council.campaign.rubric_id)
        aggregates = review_queries.RankedDossiers(council, rubric)[0 : review_queries.RESULTS_PAGE_SIZE]
        sheets = review_queries.sheet_totals(user, council, [a.initiative.pk for a in aggregates])
        return [
            (a.initiative.pk, a.rank, a.mean, a.criterion_means, sheets.get(a.initiative.pk, []))
            for a in aggregates
        ]

    def shown(page: review_queries.ResultsPage) -> list[tuple[Any, ...]]:
        return [(a.initiative.pk, a.rank, a.mean, a.criterion_means, sheets) for a, sheets in page.rows]

    first = review_queries.results_page(big.chair, council, None)
    with django_assert_num_queries(0):
        again = review_queries.results_page(big.chair, council, None)
    assert shown(again) == shown(first) == expected(big.chair)
    assert (first.page.paginator.count, first.page.number) == (30, 1)
    assert [c.pk for c in first.criteria] == [c.pk for c in big.rubric.criteria.all()]
    member = review_queries.results_page(big.member, council, None)
    assert shown(member) == expected(big.member)
    chair_sheets = {pk: sheets for pk, *_, sheets in shown(first)}
    member_sheets = {pk: sheets for pk, *_, sheets in shown(member)}
    counted = ReviewAssignment.objects.filter(initiative=barred, excluded=False, submitted_at__isnull=False)
    assert len(chair_sheets[barred.pk]) == counted.count() > 0 and member_sheets[barred.pk] == []
    sheet = ReviewAssignment.objects.get(member=big.chair_seat, initiative=barred)
    ReviewAssignment.objects.filter(pk=sheet.pk).update(total=Decimal("0"))
    after = review_queries.results_page(big.chair, council, None)
    assert shown(after) == expected(big.chair) and shown(after) != shown(first)
    assert review_queries.results_page(big.chair, council, "9").page.number == 1


# --- The results' rows written in Python --------------------------------------------------------

# The rows as the results template wrote them before ``council_result_rows``: the reference.
RESULTS_ROWS = (Path(__file__).parent / "results_rows_reference.html").read_text(encoding="utf-8")


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_results_rows_written_in_python_are_the_templates_rows(
    client: Client, big: Board, language: str
) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from caicach.initiatives.templatetags.initiatives_results import council_result_rows

    round_close(council=big.council, actor=big.chair)
    first, unscored = Initiative.objects.filter(campaign=big.campaign).order_by("pk")[:2]
    Initiative.objects.filter(pk=first.pk).update(title='Tên có "dấu" & <thẻ>')
    ReviewAssignment.objects.filter(initiative=unscored).update(submitted_at=None)
    User.objects.filter(pk=big.member.pk).update(full_name="")  # listed by their user name
    User.objects.filter(pk=big.chair.pk).update(full_name="Lê <Văn> & Chủ tịch")
    client.force_login(big.chair)
    with translation.override(language):
        rows = client.get(reverse("initiatives:council_results", args=[big.council.pk])).context["rows"]
        expected = Template(RESULTS_ROWS).render(Context({"rows": rows}))
        written = council_result_rows(rows)
    assert _tight(written) == _tight(expected)
    # The rows cover every verdict, an escaped title, a member without a full name.
    for mark in (
        'class="badge"',
        "badge-ok",
        "badge-danger",
        "badge-warn",
        "&lt;thẻ&gt;",
        big.member.username,
    ):
        assert mark in written, mark
    assert written.count("<tr>") == 30


@pytest.mark.parametrize(
    "value", ["0", "7", "7.00", "12.5", "12.50", "8.333", "8.335", "8.345", "9.999", "100", "0.004", "0.005"]
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_points_are_written_as_floatformat_writes_them(value: str, language: str) -> None:
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    with translation.override(language):
        assert review_queries.points_text(Decimal(value)) == floatformat(Decimal(value), "-2")


def test_the_assignment_table_shows_each_sheets_status_and_follows_writes(
    client: Client, board: Board, dossiers: dict[str, Initiative], people: People
) -> None:
    """Each assigned dossier with its unit and status, and each member's sheet — sent, not
    sent, or excluded with the reason — as the sheets stand; a sheet sent since shows at once."""
    client.force_login(people.reform_officer)
    url = reverse("initiatives:council_detail", args=[board.council.pk])

    def expected_rows() -> list[str]:
        rows = []
        sheets = ReviewAssignment.objects.filter(member__council=board.council).select_related(
            "initiative__unit", "member__user"
        )
        for initiative in sorted({s.initiative for s in sheets}, key=lambda i: (i.title, i.pk)):
            own = sorted(
                (s for s in sheets if s.initiative_id == initiative.pk),
                key=lambda s: (s.member.position, s.member_id),
            )
            items = []
            for sheet in own:
                name = escape(sheet.member.user.full_name or sheet.member.user.username)
                if sheet.excluded:
                    reason = escape(sheet.exclusion_reason)
                    badge = f'<span class="badge">không chấm</span> <span class="muted">{reason}</span>'
                elif sheet.submitted_at:
                    badge = '<span class="badge badge-ok">đã nộp</span>'
                else:
                    badge = '<span class="badge badge-warn">chưa nộp</span>'
                items.append(f"{name}: {badge}")
            link = reverse("initiatives:initiative_detail", args=[initiative.pk])
            rows.append(
                f'<a href="{link}">{escape(initiative.title)}</a><br><span class="muted">'
                f"{escape(initiative.unit.name)} · {initiative.get_status_display()}</span> "
                + " ".join(items)
            )
        return rows

    def shown() -> list[str]:
        html = client.get(url).content.decode()
        body = html[
            html.index('<ul class="review-assignees">') - 400 : html.rindex("Phiếu chấm trắng (DOCX)")
        ]
        cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, re.S)
        return [" ".join(re.sub(r"</?(ul|li)[^>]*>", " ", f"{a} {b}").split()) for a, b in cells]

    before = expected_rows()
    assert any("không chấm" in row for row in before) and any("chưa nộp" in row for row in before)
    assert shown() == [" ".join(re.sub(r"</?(ul|li)[^>]*>", " ", row).split()) for row in before]
    fill_sheets(board.council, board.rubric, random.Random(5))
    after = expected_rows()
    assert after != before and any("đã nộp" in row for row in after)
    assert shown() == [" ".join(row.split()) for row in after]
