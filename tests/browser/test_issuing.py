"""Issuing is a deliberate act, in Chromium: the reform officer reads the recognition
decision's draft (PDF, no number), asks to issue it, sees the number it will take; another
clerk takes that number meanwhile, so the page says so and offers the next; confirmed, the
decision carries the number the page named."""

from __future__ import annotations

from typing import Any

import pytest

from caicach.core import clock
from caicach.core.models import DocumentType, RegisteredDocument
from caicach.initiatives.models import RecognitionDecision
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.core.factories import take_number
from tests.initiatives.factories import dossier, issued_campaign, outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_decision_is_previewed_then_issued_under_the_number_confirmed(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    campaign = issued_campaign(org, people)
    outcome(dossier(campaign, org.science, author_user=people.unit_staff), recognised=True)
    base = live_server.url
    log_in(page, base, people.reform_officer.username)
    page.goto(f"{base}/sang-kien/dot-phat-dong/{campaign.pk}/cong-nhan/")
    page.fill("#id_issued_on", f"{clock.today():%d/%m/%Y}")

    # The draft, as a PDF: no number taken.
    with page.expect_download() as draft:
        page.locator("main a", has_text="Xem dự thảo (PDF)").click()
    assert draft.value.suggested_filename.endswith(".pdf")
    with open(draft.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert not RegisteredDocument.objects.filter(document_type=DocumentType.DECISION).exists()

    # The confirmation names the number…
    page.locator("main button", has_text="Ban hành quyết định, cấp số").click()
    page.wait_for_load_state()
    confirmation = page.locator("section.issue-confirm")
    assert confirmation.locator("[data-issue-reference]").inner_text() == "01/QĐ-UBND"
    assert "không thể thu hồi" in confirmation.inner_text()

    # …another clerk takes it meanwhile: nothing is issued, the page says so and asks again.
    take_number(org.district, clock.today(), DocumentType.DECISION)
    confirmation.locator("button[type=submit]").click()
    page.wait_for_load_state()
    confirmation = page.locator("section.issue-confirm")
    assert "01/QĐ-UBND vừa được cấp cho một văn bản khác" in confirmation.inner_text()
    assert confirmation.locator("[data-issue-reference]").inner_text() == "02/QĐ-UBND"
    assert not RecognitionDecision.objects.exists()

    confirmation.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã ban hành Quyết định số 02/QĐ-UBND." in page.locator(".messages").inner_text()
    decisions = page.locator("section[aria-labelledby=decision-heading]").inner_text()
    assert "02/QĐ-UBND" in decisions
    assert RecognitionDecision.objects.get().registered_document.reference == "02/QĐ-UBND"
