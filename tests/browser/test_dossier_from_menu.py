"""No orphan dossiers, in the browser: a dossier filed from the menu names its campaign on the
form, goes to the unit head, is received by the campaign's reform officer and is then on
offer to the campaign's council for assignment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from caicach.core import clock
from caicach.initiatives.models import Council, Initiative, InitiativeStatus
from tests.browser.test_initiative_flow import click, dmy, expect_no_errors, log_in, log_out
from tests.conftest import Org, People
from tests.initiatives.factories import province_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Một cửa điện tử cho hồ sơ đề tài khoa học"


def test_a_dossier_filed_from_the_menu_reaches_its_campaigns_council(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    base = live_server.url
    today = clock.today()
    campaign = province_campaign(org, people)
    council = Council.objects.create(campaign=campaign, name="Hội đồng sáng kiến tỉnh")
    staff, head, officer = people.unit_staff, people.unit_head, people.reform_officer

    log_in(page, base, staff)
    page.goto(base + reverse("initiatives:initiative_list"))
    click(page, "Lập hồ sơ sáng kiến")
    page.select_option("#id_campaign", str(campaign.pk))
    page.fill("#id_title", TITLE)
    page.fill("#id_first_applied_on", dmy(today - timedelta(days=60)))
    page.fill("#id_essence", "Tiếp nhận hồ sơ đề tài trên phần mềm.")
    page.fill("#id_previous_solution", "Hồ sơ giấy.")
    page.fill("#id_necessity", "Hồ sơ thất lạc.")
    page.fill("#id_purpose", "Rút ngắn thời gian.")
    page.fill("#id_solution_steps", "Biểu mẫu điện tử.")
    page.fill("#id_results", "Giảm một nửa thời gian.")
    page.fill("#id_application_scope", "Các phòng của Sở.")
    page.fill("#id_benefits", "Tiết kiệm giấy tờ.")
    click(page, "Lưu bản nháp")
    expect_no_errors(page)
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.campaign == campaign
    dossier_url = page.url
    click(page, "Gửi hồ sơ cho thủ trưởng đơn vị")
    expect_no_errors(page)
    log_out(page)

    log_in(page, base, head)
    page.goto(dossier_url)
    click(page, "Xác nhận và gửi đến cơ quan tiếp nhận")
    expect_no_errors(page)
    log_out(page)

    log_in(page, base, officer)
    page.goto(dossier_url)
    click(page, "Tiếp nhận và cấp giấy biên nhận")
    expect_no_errors(page)
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED
    assert initiative.receipt is not None
    page.goto(base + reverse("initiatives:council_assign", args=[council.pk]))
    assert page.locator("input[name=initiatives]").count() == 1
    assert TITLE in page.locator("main form").inner_text()
