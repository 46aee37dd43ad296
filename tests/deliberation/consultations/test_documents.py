"""The result sheet (Phiếu tổng hợp ý kiến thành viên UBND): it says what the members
answered, names those who did not, and passes the Decree 30/2020 checker."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from caicach.core import rendering
from caicach.deliberation.consultations.documents import result_sheet_spec
from caicach.deliberation.consultations.queries import opinions_of, settings_for, tally_of
from caicach.deliberation.consultations.services import consultation_close, opinion_respond
from caicach.deliberation.models import Consultation
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.deliberation.factories import DEADLINE, answer, make_committee, opinion_of, sent
from tests.documents import assert_clean_text, assert_signature_with_body, docx_text, printed

pytestmark = pytest.mark.django_db


def closed_sheet(org: Org, people: People) -> tuple[Consultation, bytes]:
    committee = make_committee(org, people)
    consultation = sent(org, people)
    answer(consultation, committee.chairman, "agree")
    answer(consultation, committee.member, "agree_with_comments", "Bổ sung căn cứ pháp lý tại Điều 2.")
    answer(consultation, committee.vice, "disagree", "Chưa đánh giá tác động.")
    later = DEADLINE + datetime.timedelta(days=1)
    with on_day(later):
        opinion_respond(
            actor=people.unit_staff,
            opinion=opinion_of(consultation, committee.member),
            kind="accepted",
            text="Đã bổ sung căn cứ.",
            version=0,
        )
        consultation.refresh_from_db()
        consultation = consultation_close(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    rules = settings_for(org.province)
    spec = result_sheet_spec(
        consultation,
        opinions_of(consultation),
        tally_of(consultation, rules),
        rule_code=rules.pass_rule,
        comments_in_favour=rules.comments_count_in_favour,
    )
    return consultation, rendering.render(spec, "docx").content


def test_the_result_sheet_matches_the_answers(org: Org, people: People) -> None:
    _consultation, content = closed_sheet(org, people)
    text = docx_text(content)
    assert "PHIẾU TỔNG HỢP" in text
    assert "đồng ý: 1; đồng ý có ý kiến: 1; không đồng ý: 1; chưa cho ý kiến: 1" in text
    assert "Chưa cho ý kiến" in text  # the member who did not answer, named as such
    assert "Bổ sung căn cứ pháp lý tại Điều 2." in text
    assert "Đã bổ sung căn cứ." in text
    # 2 of 4 in favour is a tie, and the Chairman agreed.
    assert "Số ý kiến ngang nhau: theo ý kiến của Chủ tịch." in text
    assert "Kết quả: dự thảo được thông qua." in text


def test_the_result_sheet_passes_decree30_as_a_form(org: Org, people: People, tmp_path: Path) -> None:
    """A working sheet the Office's compiler signs and files with the dossier: no number, no
    recipients list (the checker's ``--form``)."""
    _consultation, content = closed_sheet(org, people)
    assert_passes_decree30(content, tmp_path, form=True)
    assert_clean_text(content)


def test_the_compilers_signature_stays_with_the_end_of_the_body(org: Org, people: People) -> None:
    _consultation, content = closed_sheet(org, people)
    assert_signature_with_body(
        printed(content), heading=["NGƯỜI TỔNG HỢP"], name="Trần Văn Phòng", closing="xem xét, quyết định"
    )
