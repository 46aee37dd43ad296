"""The directive as printed: Decree 30 layout, seed 004's sections, the appendix, and the
signature kept on one page with the end of the body."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from caicach.core import rendering
from caicach.replication.directives import queries
from caicach.replication.directives.documents import directive_spec
from caicach.replication.directives.services import directive_issue
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30, decree30_failures
from tests.documents import (
    assert_clean_text,
    assert_signature_with_body,
    docx_text,
    pdf_pages,
    pdf_text,
    printed,
)
from tests.replication.directives.conftest import ISSUED_ON, Tree, draft

pytestmark = pytest.mark.django_db


def test_the_draft_prints_the_sections_the_assignments_and_the_appendix(
    org: Org, people: People, tree: Tree, tmp_path: Path
) -> None:
    directive = draft(org, people.reform_officer).directive
    with on_day(ISSUED_ON):
        spec = directive_spec(directive, queries.listings(directive), queries.assignments(directive))
        content = rendering.render(spec, "docx").content
    text = docx_text(content)
    assert "Số:" in text and "/UBND-SNV" in text
    assert "V/v triển khai nhân rộng" in text
    assert "I. Các mô hình sáng kiến" in text
    assert "1. Mô hình “Ngày thứ bảy lắng nghe dân nói”" in text
    assert "1. Đối với chỉ số PAPI:" in text and "2. Đối với chỉ số PCI:" in text
    assert "1.2. Giải pháp “Tập huấn chỉ số PAPI”" in text and "2.1. Giải pháp “Lập nhóm Zalo" in text
    assert "Các cơ quan hành chính cấp tỉnh nghiên cứu mô hình 2 tại phần I văn bản này" in text
    assert (
        "UBND cấp huyện nghiên cứu mô hình 1, 2, 3 tại phần I và giải pháp 1.1, 1.2 tại phần II văn bản này "
        "để triển khai áp dụng tại cơ quan, đơn vị và tại UBND cấp xã trên địa bàn" in text
    )
    assert "Sở Khoa học và Công nghệ chủ trì, phối hợp với Văn phòng UBND tỉnh" in text
    assert "hoàn thành trước ngày 30/6/2024" in text
    assert "Sở Nội vụ theo dõi, đôn đốc, kiểm tra việc nhân rộng; hướng dẫn chế độ báo cáo hằng quý" in text
    assert "PHỤ LỤC" in text and "a) Cách thức thực hiện:" in text and "- Bước 1: lập kế hoạch." in text
    # Only what a practice has is printed, lettered in order; practices without a method
    # stay out of the appendix.
    assert "c) Đầu mối liên hệ:" in text and "Kinh phí" not in text
    assert "4. Giải pháp" not in text.split("PHỤ LỤC")[1]
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Nơi nhận:" in text
    # A draft has neither number nor date yet: every other rule holds.
    failures = decree30_failures(content, tmp_path)
    assert [line.split("'")[0].strip() for line in failures] == ["FAIL number line", "FAIL place-date line"]
    assert_clean_text(content, issued=False)


def test_the_issued_directive_is_frozen_and_passes_decree_30_with_its_signer_on_one_page(
    org: Org, people: People, tree: Tree, tmp_path: Path
) -> None:
    drafted = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        issued = directive_issue(
            actor=people.leader, directive=drafted.directive, version=drafted.directive.version
        )
    with default_storage.open(issued.document_file, "rb") as frozen:
        content = frozen.read()
    text = docx_text(content)
    assert "Số: 01/UBND-SNV" in text
    assert "Tây Ninh, ngày 11 tháng 3 năm 2024" in text
    assert "Kèm theo văn bản số 01/UBND-SNV ngày 11/3/2024" in text
    assert_passes_decree30(content, tmp_path)
    assert_clean_text(content)
    pages = printed(content)
    assert_signature_with_body(
        pages,
        heading=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        name="Hoàng Chủ Tịch",
        closing="nghiêm túc thực hiện",
    )
    # The appendix starts on a page of its own, after the signature.
    appendix = next(index for index, page in enumerate(pages) if "PHỤ LỤC" in page)
    signer = next(index for index, page in enumerate(pages) if "Hoàng Chủ Tịch" in page)
    assert appendix > signer


def test_the_pdf_drawn_without_libreoffice_also_carries_the_appendix(
    org: Org, people: People, tree: Tree
) -> None:
    directive = draft(org, people.reform_officer).directive
    spec = directive_spec(directive, queries.listings(directive), queries.assignments(directive))
    try:
        content = rendering.render_pdf_from_spec(spec)
    except rendering.RenderingUnavailable:
        pytest.skip("no serif font with Vietnamese glyphs for reportlab")
    pages = pdf_pages(content)
    assert "PHỤ LỤC" in pages[-1] or any("PHỤ LỤC" in page for page in pages[1:])
    assert "Bước 1: lập kế hoạch" in pdf_text(content)
