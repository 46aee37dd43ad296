"""One initiative dossier carried from the campaign to the certificate entirely through the
browser: the reform officer launches a campaign, a unit's staff member files a dossier,
the unit head confirms it, the reform officer receives it and sets up the council, three
members score it, the secretary closes the round, the vote is recorded, the recognition
decision and the certificate are issued, and an anonymous visitor verifies the certificate.

Only the reference data (units, people, the scoring rubric) is built in Python; every
action of a user goes through the pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from caicach.core import clock
from caicach.core.models import Role, User
from caicach.initiatives.models import (
    Certificate,
    Initiative,
    InitiativeStatus,
    RecognitionDecision,
    RecognitionLevel,
)
from caicach.initiatives.review.rubrics import ensure_demo_rubrics
from tests.conftest import PASSWORD, Org, People
from tests.core.factories import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Số hóa quy trình tiếp nhận hồ sơ đăng ký đề tài khoa học"
CO_AUTHOR = "Trần Văn Đồng Tác"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def log_in(page: Any, base_url: str, user: User) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=password]").count() == 0, f"login of {user.username} failed"


def log_out(page: Any) -> None:
    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()
    assert page.locator("input[name=username]").is_visible()


def click(page: Any, name: str) -> None:
    """Click the first button or link of the page's content called ``name`` (not one of the
    main navigation, which has its own "Chấm điểm") and wait for the next page."""
    main = page.locator("main")
    target = main.get_by_role("button", name=name, exact=True)
    if target.count() == 0:
        target = main.get_by_role("link", name=name, exact=True)
    target.first.click()
    page.wait_for_load_state()


def confirm_issue(page: Any) -> str:
    """On an issue confirmation page: read the number it will take, confirm, return it."""
    confirmation = page.locator("section.issue-confirm")
    reference = str(confirmation.locator("[data-issue-reference]").inner_text())
    confirmation.locator("button.btn-primary[type=submit]").click()
    page.wait_for_load_state()
    return reference


def expect_no_errors(page: Any) -> None:
    errors = page.locator("main .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_dossier_goes_from_the_campaign_to_a_verified_certificate(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    base = live_server.url
    today = clock.today()
    rubric, _other = ensure_demo_rubrics(people.admin)
    chair = person("hd1", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Đỗ Chủ Tịch")
    secretary = person("hd2", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Mai Thư Ký")
    member = person("hd3", org.office, Role.COUNCIL_MEMBER, full_name="Lý Thành Viên")
    officer, staff, head = people.reform_officer, people.unit_staff, people.unit_head

    # 1. The reform officer drafts the campaign and publishes it.
    log_in(page, base, officer)
    page.goto(base + "/sang-kien/dot-phat-dong/moi/")
    page.select_option("#id_issuing_unit", str(org.province.pk))
    page.fill("#id_title", "Phát động sáng kiến cải cách hành chính năm nay")
    page.fill("#id_legal_basis", "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ;")
    page.fill("#id_purpose", "Khuyến khích cán bộ đề xuất giải pháp cải cách hành chính.")
    page.fill("#id_requirements", "Sáng kiến có tính mới, áp dụng được.")
    page.fill("#id_initiative_requirements", "Giải pháp đã áp dụng thử tại đơn vị.")
    page.fill("#id_participants", "Cán bộ, công chức các sở, ngành.")
    page.select_option("#id_eligible_units", [str(org.science.pk)])
    page.fill("#id_window_start", dmy(today - timedelta(days=3)))
    page.fill("#id_window_end", dmy(today + timedelta(days=30)))
    page.select_option("#id_receiving_unit", str(org.home_affairs.pk))
    page.select_option("#id_rubric", str(rubric.pk))
    page.fill("#id_recipients", "- Các sở, ban, ngành;\n- Lưu: VT, SNV.")
    page.fill("#id_signer_title", "CHỦ TỊCH")
    page.fill("#id_place", "Tây Ninh")
    click(page, "Lưu dự thảo")
    expect_no_errors(page)
    assert "Phát động sáng kiến cải cách hành chính năm nay" in page.locator("h1").inner_text()
    campaign_url = page.url
    click(page, "Ban hành và cấp số…")
    confirm_issue(page)
    expect_no_errors(page)
    header = page.locator("header.page-header").inner_text()
    assert "Kế hoạch số" in header, header
    log_out(page)

    # 2. The unit's staff member files a solution dossier and sends it to the unit head.
    log_in(page, base, staff)
    page.goto(campaign_url)
    click(page, "Lập hồ sơ sáng kiến")
    page.locator("input[name=kind][value=solution]").check()
    click(page, "Dùng mẫu này")
    page.fill("#id_title", TITLE)
    page.fill("#id_first_applied_on", dmy(today - timedelta(days=60)))
    page.fill("#id_essence", "Tiếp nhận, theo dõi hồ sơ đề tài trên phần mềm thay cho sổ giấy.")
    page.fill("#id_previous_solution", "Hồ sơ được tiếp nhận bằng giấy, theo dõi thủ công.")
    page.fill("#id_necessity", "Hồ sơ thất lạc, chậm trả kết quả.")
    page.fill("#id_purpose", "Rút ngắn thời gian xử lý hồ sơ.")
    page.fill("#id_solution_steps", "Xây dựng biểu mẫu điện tử; tập huấn; áp dụng thử.")
    page.fill("#id_results", "Thời gian xử lý giảm một nửa.")
    page.fill("#id_application_scope", "Các phòng chuyên môn của Sở.")
    page.fill("#id_benefits", "Tiết kiệm giấy tờ, thời gian đi lại của tổ chức.")
    page.fill("input[name='authors-0-share']", "60")
    assert page.locator("input[name='authors-0-is_lead']").is_checked()
    click(page, "Thêm dòng tác giả")
    page.locator("input[name='authors-1-full_name']").wait_for()
    page.fill("input[name='authors-1-full_name']", CO_AUTHOR)
    page.fill("input[name='authors-1-workplace']", org.science.name)
    page.fill("input[name='authors-1-share']", "40")
    page.fill("textarea[name='authors-1-contribution']", "Xây dựng biểu mẫu điện tử.")
    click(page, "Lưu bản nháp")
    expect_no_errors(page)
    assert page.locator("h1").inner_text() == TITLE
    assert str(InitiativeStatus.DRAFT.label) in page.locator("section.dossier-workflow").inner_text()
    initiative = Initiative.objects.get(title=TITLE)
    assert [(a.full_name, a.share, a.is_lead) for a in initiative.authorships.order_by("position")] == [
        (staff.full_name, Decimal(60), True),
        (CO_AUTHOR, Decimal(40), False),
    ]
    dossier_url = page.url
    click(page, "Gửi hồ sơ cho thủ trưởng đơn vị")
    expect_no_errors(page)
    assert (
        str(InitiativeStatus.AWAITING_CONFIRMATION.label)
        in page.locator("section.dossier-workflow").inner_text()
    )
    log_out(page)

    # 3. The unit head confirms it.
    log_in(page, base, head)
    page.goto(dossier_url)
    click(page, "Xác nhận và gửi đến cơ quan tiếp nhận")
    expect_no_errors(page)
    assert str(InitiativeStatus.SUBMITTED.label) in page.locator("section.dossier-workflow").inner_text()
    log_out(page)

    # 4. The reform officer receives it, sets up the council and assigns the dossier.
    log_in(page, base, officer)
    page.goto(dossier_url)
    click(page, "Tiếp nhận và cấp giấy biên nhận")
    expect_no_errors(page)
    workflow_text = page.locator("section.dossier-workflow").inner_text()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED
    assert initiative.receipt is not None
    assert f"Số {initiative.receipt.reference}" in workflow_text, workflow_text
    assert initiative.result_due_on is not None and dmy(initiative.result_due_on) in workflow_text

    page.goto(campaign_url)
    click(page, "Thành lập hội đồng")
    page.fill("#id_name", "Hội đồng sáng kiến tỉnh")
    page.fill("#id_established_by", "Quyết định số 1/QĐ-UBND")
    page.fill("#id_scoring_deadline", dmy(today + timedelta(days=10)))
    click(page, "Lưu")
    expect_no_errors(page)
    # A new council opens on its members page.
    assert page.locator("h1").inner_text() == "Thành viên hội đồng"
    assert "Hội đồng sáng kiến tỉnh" in page.locator("header.page-header").inner_text()
    council_url = base + page.get_by_role("link", name="Về trang hội đồng").get_attribute("href")
    for user, role in ((chair, "chair"), (secretary, "secretary"), (member, "member")):
        page.fill("input[name=q]", user.username)
        click(page, "Tìm")
        page.select_option("#id_user", str(user.pk))
        page.select_option("#id_role", role)
        click(page, "Thêm vào hội đồng")
        expect_no_errors(page)
        assert user.full_name in page.locator("main table").inner_text()
    assert page.locator("main .message-warning").count() == 0, "chair and secretary are both present"
    page.goto(council_url)
    click(page, "Phân công chấm")
    dossiers = page.locator("input[name=initiatives]")
    assert dossiers.count() == 1
    assert TITLE in page.locator("main form").inner_text()
    dossiers.check()
    seats = page.locator("input[name=members]")
    assert seats.count() == 3
    for i in range(3):
        seats.nth(i).check()
    click(page, "Phân công")
    expect_no_errors(page)
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.IN_REVIEW
    log_out(page)

    # 5. Each member scores every criterion and submits the sheet.
    for user in (chair, secretary, member):
        log_in(page, base, user)
        # Members reach their sheets from the main navigation ("Chấm điểm"): a member from
        # outside the issuing, receiving and eligible units cannot open the campaign page.
        page.locator("nav.main-nav").get_by_role("link", name="Chấm điểm", exact=True).click()
        page.wait_for_load_state()
        assert TITLE in page.locator("main table").inner_text()
        click(page, "Chấm điểm")
        boxes = page.locator("input[name^=criterion_]")
        assert boxes.count() == rubric.criteria.count()
        maxima = {f"criterion_{c.pk}": c.max_points for c in rubric.criteria.all()}
        for i in range(boxes.count()):
            box = boxes.nth(i)
            # A text box taking the Vietnamese decimal comma ("20,0"), not type="number".
            box.fill(f"{maxima[box.get_attribute('name') or '']:.1f}".replace(".", ","))
        page.fill("#id_comment", f"Nhận xét của {user.full_name}.")
        click(page, "Nộp phiếu chấm")
        expect_no_errors(page)
        page.goto(council_url)
        assert "Đã nộp" in page.locator("main section.card").first.inner_text()
        log_out(page)

    # 6. The secretary closes the round; the reform officer records the vote.
    log_in(page, base, secretary)
    page.goto(council_url)
    click(page, "Khóa vòng chấm")
    click(page, "Khóa vòng chấm")
    expect_no_errors(page)
    # Closing opens the results: every member gave full marks.
    assert "Kết quả chấm điểm và xếp hạng" in page.locator("header.page-header").inner_text()
    results = page.locator("main table").first.inner_text()
    assert TITLE in results and "100" in results, results
    log_out(page)

    log_in(page, base, officer)
    page.goto(council_url)
    click(page, "Biểu quyết và biên bản")
    vote_form = page.locator("section.review-vote form")
    vote_form.locator("input[name$=members_present]").fill("3")
    vote_form.locator("input[name$=votes_for]").fill("3")
    vote_form.locator("input[name$=votes_against]").fill("0")
    vote_form.locator("select[name$=level]").select_option(RecognitionLevel.PROVINCIAL.value)
    click(page, "Ghi kết quả")
    expect_no_errors(page)
    vote = page.locator("section.review-vote").inner_text()
    assert "Được công nhận" in vote and str(RecognitionLevel.PROVINCIAL.label) in vote, vote
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RECOGNISED

    # 7. The recognition decision, then the certificate.
    page.goto(campaign_url)
    click(page, "Quyết định công nhận, giấy chứng nhận, văn bản trả lời")
    if not page.locator("#id_issued_on").input_value():
        page.fill("#id_issued_on", dmy(today))
    if not page.locator("#id_signer_title").input_value():
        page.fill("#id_signer_title", "CHỦ TỊCH")
    # The draft first (no number taken), then the confirmation naming the number.
    with page.expect_download() as draft:
        page.locator("main a", has_text="Xem dự thảo (DOCX)").click()
    assert draft.value.suggested_filename.endswith(".docx")
    assert not RecognitionDecision.objects.exists()
    click(page, "Ban hành quyết định, cấp số…")
    reference = confirm_issue(page)
    expect_no_errors(page)
    decision = RecognitionDecision.objects.select_related("registered_document").get()
    assert decision.registered_document.reference == reference
    decisions = page.locator("section[aria-labelledby=decision-heading]").inner_text()
    assert f"Quyết định số {decision.registered_document.reference}" in decisions, decisions
    click(page, "Cấp giấy chứng nhận cho tất cả")
    confirm_issue(page)
    expect_no_errors(page)
    certificate = Certificate.objects.select_related("registered_document", "recognition").get(
        recognition__initiative=initiative
    )
    outcomes = page.locator("table.recognition-table").inner_text()
    assert f"GCN số {certificate.registered_document.reference}" in outcomes, outcomes
    log_out(page)

    # 8. Anyone can verify the certificate from its code.
    response = page.goto(f"{base}/xac-minh/{certificate.verification_code}/")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Giấy chứng nhận hợp lệ"
    verified = page.locator("section.verify-certificate").inner_text()
    assert TITLE in verified
    assert staff.full_name in verified and CO_AUTHOR in verified
    assert str(RecognitionLevel.PROVINCIAL.label) in verified

    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RECOGNISED
    assert certificate.recognition.level == RecognitionLevel.PROVINCIAL
    assert certificate.revoked_at is None
    assert certificate.recognition.decision_id == decision.pk
