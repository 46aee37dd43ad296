"""Reading seeds 000 and 001 (as .txt and as .docx) into dossier fields: every field's exact
value, what is listed as missing, what is noted, and the files that are refused."""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile
from decimal import Decimal
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError

from caicach.initiatives.imports.parser import (
    LAYOUT_DESCRIPTION,
    LAYOUT_EFFECTIVENESS,
    LAYOUT_UNKNOWN,
    MAX_IMPORT_BYTES,
    ParsedDossier,
    parse_date,
    parse_dossier,
)
from tests.initiatives.factories import (
    SEED_000,
    SEED_001,
    SHARED_NAMES,
    SHARED_SEEDS,
    docx_from_text,
    docx_with_word_numbering,
    nfd,
    seed_bytes,
    seed_text,
)

TITLE_001 = (
    "Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
)
TITLE_000 = "Chỉ thị về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
FIRST_APPLIED = datetime.date(2024, 2, 29)

# (first sentence, last sentence, paragraphs, characters) of each section, read off the seed.
# The four paragraphs cut by a page break in seed 001 count as whole paragraphs.
SECTIONS_001: dict[str, tuple[str, str, int, int]] = {
    "previous_solution": (
        "Trách nhiệm của một số cơ quan trong phối hợp, thẩm định nội dung, đề án trình UBND tỉnh, Chủ tịch "
        "UBND tỉnh chưa cao, nhất là trong việc tham gia ý kiến với cơ quan chủ trì trong quá trình nghiên "
        "cứu, "
        "xây dựng, trình chương trình công tác và thực hiện thẩm định đối với nội dung, đề án do cơ quan "
        "chủ trì "
        "chuẩn bị trình.",
        "có những trường hợp người đứng đầu cơ quan, đơn vị chưa thực hiện hết trách nhiệm theo quy định "
        "trong "
        "việc xử lý những vấn đề có ý kiến khác nhau trước khi trình UBND tỉnh, Chủ tịch UBND tỉnh.",
        5,
        2218,
    ),
    "necessity": (
        "Qua theo dõi việc thực hiện Quy chế làm việc của UBND tỉnh trong thời gian qua, nhóm tác giả nhận "
        "thấy "
        "còn một số cơ quan, đơn vị thực hiện Quy chế làm việc của UBND tỉnh chưa thực sự nghiêm túc, đầy "
        "đủ và "
        "hiệu quả.",
        "việc ban hành Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy chế làm việc "
        "của "
        "UBND tỉnh là cần thiết.",
        1,
        1598,
    ),
    "purpose": (
        "Quán triệt và nghiêm túc triển khai quyết liệt, kịp thời, đồng bộ các chủ trương, đường lối của "
        "Đảng, "
        "chính sách, pháp luật của Nhà nước;",
        "Phát huy vai trò của Văn phòng UBND tỉnh trong việc xây dựng, quản lý, theo dõi, đôn đốc việc "
        "thực hiện "
        "Quy chế làm việc của UBND tỉnh.",
        5,
        1585,
    ),
    "solution_steps": (
        "Theo đó, Chủ tịch UBND tỉnh yêu cầu Thủ trưởng sở, cơ quan thuộc UBND tỉnh, Chủ tịch UBND huyện, "
        "thị "
        "xã, thành phố nghiêm túc thực hiện 4 nội dung về tham mưu, giải quyết, triển khai các nhiệm vụ "
        "được giao;",
        "Hồ sơ trình, tham mưu phải đảm bảo đầy đủ tài liệu kèm theo theo quy định.",
        15,
        6634,
    ),
    "results": (
        "Kỷ luật, kỷ cương trong việc thực hiện quy chế làm việc của UBND tỉnh đã được nâng lên.",
        "giải quyết các vấn đề tồn đọng về phối hợp, xử lý công việc, và quy định rõ về trách nhiệm của "
        "từng đơn "
        "vị liên quan, từ đó cải thiện lề lối làm việc trong toàn hệ thống hành chính.",
        4,
        2134,
    ),
    "application_scope": (
        "Sáng kiến đã triển khai trên toàn tỉnh, tác động trực tiếp đến các sở, ngành, huyện, thị xã và "
        "thành "
        "phố trong tỉnh.",
        "Khả năng nhân rộng: Đây là cách làm có thể nhân rộng cho các tỉnh, thành khác muốn tăng cường "
        "hiệu quả "
        "thực hiện Quy chế làm việc thông qua các biện pháp giám sát, chỉ đạo cụ thể và kịp thời.",
        2,
        420,
    ),
    "benefits": (
        "Nhìn chung việc ban hành Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy "
        "chế làm "
        "việc của UBND tỉnh là phù hợp, đáp ứng yêu cầu thực tiễn chỉ đạo, điều hành;",
        "Công tác phối hợp giữa Văn phòng UBND tỉnh với các sở, ngành, đơn vị chủ trì soạn thảo nội dung, "
        "đề án "
        "đã chủ động, tích cực và chặt chẽ hơn trong việc xây dựng, trình các nội dung, đề án trong chương "
        "trình "
        "công tác của UBND tỉnh.",
        3,
        1146,
    ),
}
SECTIONS_000: dict[str, tuple[str, str, int, int]] = {
    "essence": (
        "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc của UBND tỉnh thông qua "
        "Chỉ "
        "thị của Chủ tịch UBND tỉnh, giúp tăng cường tính chủ động, trách nhiệm trong công tác của các cơ "
        "quan.",
        "Sáng tạo trong quản lý hành chính: Sáng kiến này giải quyết các vấn đề tồn đọng về phối hợp, xử "
        "lý công "
        "việc, và quy định rõ về trách nhiệm của từng đơn vị liên quan, từ đó cải thiện lề lối làm việc "
        "trong "
        "toàn hệ thống hành chính.",
        2,
        590,
    ),
}
EXTRAS_000: dict[str, tuple[str, str, int, int]] = {
    "effectiveness": (
        "Giúp nâng cao hiệu quả quản lý, cải thiện trách nhiệm và kỷ luật làm việc trong toàn hệ thống hành "
        "chính của tỉnh.",
        "Công tác phối hợp giữa Văn phòng UBND tỉnh với các sở, ngành, đơn vị chủ trì soạn thảo nội dung, "
        "đề án "
        "đã chủ động, tích cực và chặt chẽ hơn trong việc xây dựng, trình các nội dung, đề án trong chương "
        "trình "
        "trình công tác của UBND tỉnh.",
        3,
        962,
    ),
    "replicability": (
        "Sáng kiến đã triển khai trên toàn tỉnh, tác động trực tiếp đến các sở, ngành, huyện, thị xã và "
        "thành "
        "phố trong tỉnh.",
        "Khả năng nhân rộng: Đây là cách làm có thể nhân rộng cho các tỉnh, thành khác muốn tăng cường "
        "hiệu quả "
        "thực hiện Quy chế làm việc thông qua các biện pháp giám sát, chỉ đạo cụ thể và kịp thời.",
        2,
        420,
    ),
}
# Seed 000's table, every column; the file numbers the rows 1, 2, 2.
AUTHORS_000: list[dict[str, Any]] = [
    {
        "full_name": "Lê Tuấn Phú",
        "date_of_birth": datetime.date(1967, 1, 28),
        "workplace": "Văn phòng UBND tỉnh",
        "job_title": "Chánh Văn phòng",
        "qualification": "Thạc sỹ",
        "share": Decimal("30"),
        "contribution": "Đóng góp vào nội dung của Sáng kiến",
        "is_lead": False,
    },
    {
        "full_name": "Nguyễn Phương Thảo",
        "date_of_birth": datetime.date(1982, 7, 3),
        "workplace": "Phòng Tổng hợp",
        "job_title": "Trưởng phòng Tổng hợp",
        "qualification": "Thạc sỹ",
        "share": Decimal("30"),
        "contribution": "Đóng góp vào nội dung của Sáng kiến",
        "is_lead": False,
    },
    {
        "full_name": "Đông Thị Huệ",
        "date_of_birth": datetime.date(1989, 6, 30),
        "workplace": "Phòng Tổng hợp",
        "job_title": "Chuyên viên",
        "qualification": "Thạc sỹ",
        "share": Decimal("40"),
        "contribution": "Chủ trì nghĩ ra ý tưởng; hoàn thiện và đóng góp vào nội dung của Sáng kiến",
        "is_lead": True,
    },
]

SEED_FORMATS = ["txt", "docx"]


def _load(name: str, fmt: str, *, decompose: bool = False) -> ParsedDossier:
    text = seed_text(name)
    if decompose:
        text = nfd(text)
    if fmt == "txt":
        return parse_dossier(text.encode("utf-8"), name)
    return parse_dossier(docx_from_text(text), name.replace(".txt", ".docx"))


def _assert_section(value: str, expected: tuple[str, str, int, int]) -> None:
    first, last, paragraphs, length = expected
    assert value.startswith(first)
    assert value.endswith(last)
    assert len(value.split("\n")) == paragraphs
    assert len(value) == length
    # Nothing of the Markdown conversion or the headings leaks into a value.
    assert "*" not in value
    assert "Kết quả của sáng kiến:" not in value
    assert "Cam kết" not in value


def test_the_fixtures_are_the_seeds_themselves() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SHARED_SEEDS}")
    for fixture, shared in SHARED_NAMES.items():
        assert seed_bytes(fixture) == (SHARED_SEEDS / shared).read_bytes()


@pytest.mark.parametrize("fmt", SEED_FORMATS)
def test_the_description_imports_with_every_field_right(fmt: str) -> None:
    parsed = _load(SEED_001, fmt)

    assert parsed.layout == LAYOUT_DESCRIPTION
    assert parsed.fields["title"] == TITLE_001
    assert parsed.fields["first_applied_on"] == FIRST_APPLIED
    assert parsed.fields["confidential_info"] == "Không"
    for name, expected in SECTIONS_001.items():
        _assert_section(parsed.fields[name], expected)
    assert set(parsed.fields) == {"title", "first_applied_on", "confidential_info", *SECTIONS_001}
    assert parsed.extras == {"confirmer": "Phạm Văn Đà", "representative": "Đông Thị Huệ"}


@pytest.mark.parametrize("fmt", SEED_FORMATS)
def test_the_description_lists_its_missing_authors_table_and_guesses_none(fmt: str) -> None:
    parsed = _load(SEED_001, fmt)

    assert parsed.authors == []
    assert parsed.missing == [
        "Bảng tác giả (họ tên, ngày sinh, nơi công tác, chức danh, trình độ, tỷ lệ đóng góp)"
    ]
    assert parsed.notes == ["Đã nối 4 đoạn văn bị ngắt giữa câu (do ngắt trang trong tệp gốc)."]


def test_paragraphs_cut_by_a_page_break_are_joined_back() -> None:
    parsed = _load(SEED_001, "txt")

    assert "để bảo đảm đạt kết quả cao nhất các mục tiêu, chỉ tiêu" in parsed.fields["purpose"]
    assert "Đối với các cơ quan, đơn vị được giao phối hợp" in parsed.fields["solution_steps"]
    assert "tỷ lệ nội dung đã trình, đã ban hành so với tổng số" in parsed.fields["solution_steps"]
    assert "hệ thống pháp luật áp dụng và nội dung chỉ đạo có liên quan" in parsed.fields["solution_steps"]


@pytest.mark.parametrize("fmt", SEED_FORMATS)
def test_the_effectiveness_report_imports_with_every_field_right(fmt: str) -> None:
    parsed = _load(SEED_000, fmt)

    assert parsed.layout == LAYOUT_EFFECTIVENESS
    assert parsed.fields["title"] == TITLE_000
    assert parsed.fields["first_applied_on"] == FIRST_APPLIED
    for name, expected in SECTIONS_000.items():
        _assert_section(parsed.fields[name], expected)
    assert set(parsed.fields) == {"title", "first_applied_on", "essence"}
    for name, expected in EXTRAS_000.items():
        _assert_section(parsed.extras[name], expected)
    assert parsed.extras["confirmer"] == "Phạm Văn Đà"
    assert parsed.extras["representative"] == "Đông Thị Huệ"
    assert parsed.missing == []


@pytest.mark.parametrize("fmt", SEED_FORMATS)
def test_the_authors_table_imports_every_column_renumbered_with_the_lead_named(fmt: str) -> None:
    parsed = _load(SEED_000, fmt)

    assert parsed.authors == AUTHORS_000
    assert parsed.shares_total == Decimal(100)
    assert parsed.notes == [
        "Số thứ tự trong bảng tác giả của tệp là 1, 2, 2; đã đánh số lại 1, 2, 3.",
        "Tác giả chính: Đông Thị Huệ (người ký “Đại diện nhóm tác giả”).",
    ]


def test_signatures_laid_out_side_by_side_in_a_table_are_read() -> None:
    parsed = parse_dossier(docx_from_text(seed_text(SEED_000), signatures_in_table=True), "bao-cao.docx")

    assert parsed.extras["confirmer"] == "Phạm Văn Đà"
    assert parsed.extras["representative"] == "Đông Thị Huệ"
    assert [a["is_lead"] for a in parsed.authors] == [False, False, True]


@pytest.mark.parametrize("fmt", SEED_FORMATS)
@pytest.mark.parametrize("name", [SEED_000, SEED_001])
def test_decomposed_unicode_reads_the_same_as_composed(fmt: str, name: str) -> None:
    composed = _load(name, fmt)
    decomposed = _load(name, fmt, decompose=True)

    assert decomposed.fields == composed.fields
    assert decomposed.authors == composed.authors
    assert decomposed.extras == composed.extras
    assert decomposed.fields["title"] == (TITLE_000 if name == SEED_000 else TITLE_001)


def test_a_utf8_bom_and_windows_line_endings_are_accepted() -> None:
    content = b"\xef\xbb\xbf" + seed_text(SEED_001).replace("\n", "\r\n").encode("utf-8")

    parsed = parse_dossier(content, "thuyet-minh.TXT")

    assert parsed.fields["title"] == TITLE_001
    _assert_section(parsed.fields["benefits"], SECTIONS_001["benefits"])


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: letters with their vowel marks, the tone
    as a separate combining mark."""
    out = b""
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return out


def test_utf16_and_windows_1258_text_is_decoded() -> None:
    utf16 = parse_dossier(seed_text(SEED_000).encode("utf-16"), "bao-cao.txt")
    assert utf16.authors == AUTHORS_000

    legacy = _cp1258("1. Tên sáng kiến: Cải tiến quy trình một cửa\n")
    parsed = parse_dossier(legacy, "cu.txt")
    assert parsed.fields["title"] == "Cải tiến quy trình một cửa"
    assert any("Windows-1258" in note for note in parsed.notes)


def test_a_dossier_without_sections_lists_every_missing_field() -> None:
    text = "THUYẾT MINH MÔ TẢ GIẢI PHÁP\n\n1. Tên sáng kiến: Một cửa điện tử\n"

    parsed = parse_dossier(text.encode("utf-8"), "ngan.txt")

    assert parsed.layout == LAYOUT_DESCRIPTION
    assert parsed.fields == {"title": "Một cửa điện tử"}
    assert parsed.missing == [
        "Ngày áp dụng lần đầu hoặc áp dụng thử",
        "Các thông tin cần bảo mật",
        "Mô tả các giải pháp cũ thường làm (mục 4)",
        "Sự cần thiết phải áp dụng giải pháp sáng kiến (mục 5)",
        "Mục đích của giải pháp sáng kiến (mục 6)",
        "Thuyết minh giải pháp mới hoặc cải tiến (mục 7.1)",
        "Kết quả của sáng kiến",
        "Thuyết minh về phạm vi áp dụng sáng kiến (mục 7.2)",
        "Thuyết minh về lợi ích kinh tế, xã hội của sáng kiến (mục 7.3)",
        "Bảng tác giả (họ tên, ngày sinh, nơi công tác, chức danh, trình độ, tỷ lệ đóng góp)",
        "Người xác nhận của cơ quan, đơn vị",
        "Đại diện nhóm tác giả",
    ]


def test_author_cells_left_blank_are_listed_by_author() -> None:
    text = seed_text(SEED_000).replace("28/01/1967", "").replace("\tThạc sỹ\t30%", "\t\t30%", 1)

    parsed = parse_dossier(text.encode("utf-8"), "bao-cao.txt")

    assert parsed.authors[0]["date_of_birth"] is None
    assert parsed.authors[0]["qualification"] == ""
    assert parsed.missing == [
        "Ngày tháng năm sinh của tác giả Lê Tuấn Phú",
        "Trình độ chuyên môn của tác giả Lê Tuấn Phú",
    ]


def test_without_a_representative_the_lead_is_who_chaired_then_the_highest_share() -> None:
    without_signature = seed_text(SEED_000).replace("Đại diện nhóm tác giả\n\nĐông Thị Huệ", "")
    chaired = parse_dossier(without_signature.encode("utf-8"), "a.txt")
    assert [a["is_lead"] for a in chaired.authors] == [False, False, True]
    assert "Tác giả chính: Đông Thị Huệ (nội dung đóng góp ghi “chủ trì”)." in chaired.notes

    no_chair = without_signature.replace("Chủ trì nghĩ ra", "Nghĩ ra")
    highest = parse_dossier(no_chair.encode("utf-8"), "b.txt")
    assert [a["is_lead"] for a in highest.authors] == [False, False, True]
    assert "Tác giả chính: Đông Thị Huệ (tỷ lệ đóng góp cao nhất)." in highest.notes


def test_shares_not_totalling_100_are_noted_not_corrected() -> None:
    text = seed_text(SEED_000).replace("\t40%\t", "\t30%\t")

    parsed = parse_dossier(text.encode("utf-8"), "a.txt")

    assert [a["share"] for a in parsed.authors] == [Decimal(30), Decimal(30), Decimal(30)]
    assert "Tổng tỷ lệ đóng góp trong tệp là 90%, chưa bằng 100%." in parsed.notes


def test_the_parse_result_survives_the_session_round_trip() -> None:
    parsed = _load(SEED_000, "txt")

    again = ParsedDossier.from_data(parsed.as_data())

    assert again == parsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/7/1982", datetime.date(1982, 7, 3)),
        ("ngày 29 tháng 02 năm 2024", datetime.date(2024, 2, 29)),
        ("29.02.2024.", datetime.date(2024, 2, 29)),
        ("30/02/2024", None),
        ("không rõ", None),
    ],
)
def test_dates_are_read_day_first_without_leading_zeros(text: str, expected: datetime.date | None) -> None:
    assert parse_date(text) == expected


def test_an_experience_initiative_is_not_a_known_layout() -> None:
    text = "PHẦN MỞ ĐẦU\n\nI. Bối cảnh của vấn đề nghiên cứu:\n\nTrước xu thế toàn cầu hóa…\n"

    parsed = parse_dossier(text.encode("utf-8"), "skkn.txt")

    assert parsed.layout == LAYOUT_UNKNOWN
    assert parsed.fields == {}


# --- Files refused --------------------------------------------------------------------------------


def _docx_package(**parts: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"%PDF-1.7\n...", "thuyet-minh.txt", "nội dung là tệp PDF"),
        (b"MZ\x90\x00\x03", "thuyet-minh.txt", "không phải văn bản thuần"),
        (b"%PDF-1.7\n...", "thuyet-minh.docx", "không phải văn bản Word"),
        (b"just text", "thuyet-minh.docx", "không phải văn bản Word"),
        (_docx_package(word__other=b"x"), "thuyet-minh.docx", "không phải văn bản Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "thuyet-minh.doc", "Word 97-2003"),
        (b"text", "thuyet-minh.pdf", "Chỉ nhập được tệp .docx hoặc .txt"),
        (b"", "thuyet-minh.txt", "Tệp rỗng"),
    ],
)
def test_disguised_or_unsupported_files_are_refused_with_a_clear_message(
    content: bytes, filename: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_dossier(content, filename)

    assert message in caught.value.messages[0]


def test_a_docx_renamed_txt_is_refused() -> None:
    content = docx_from_text(seed_text(SEED_001))

    with pytest.raises(ValidationError) as caught:
        parse_dossier(content, "thuyet-minh.txt")

    assert "Word (DOCX)" in caught.value.messages[0]


def test_a_macro_document_renamed_docx_is_refused() -> None:
    content = _docx_package(
        **{"[Content_Types].xml": b"<Types/>", "word__document.xml": b"<w/>", "word__vbaProject.bin": b"x"}
    )

    with pytest.raises(ValidationError) as caught:
        parse_dossier(content, "thuyet-minh.docx")

    assert "macro" in caught.value.messages[0]


def test_an_oversized_file_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_dossier(b"a" * (MAX_IMPORT_BYTES + 1), "to.txt")

    assert "Tệp quá lớn" in caught.value.messages[0]


def test_a_docx_that_inflates_beyond_reason_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("word/media/padding.bin", b"\0" * (101 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        parse_dossier(buffer.getvalue(), "bom.docx")

    assert "giải nén quá lớn" in caught.value.messages[0]


@pytest.mark.parametrize("name", [SEED_000, SEED_001])
def test_headings_numbered_by_word_itself_are_recognised(name: str) -> None:
    typed = _load(name, "txt")
    content = docx_with_word_numbering(seed_text(name))
    assert "1. Tên sáng kiến" not in "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)

    parsed = parse_dossier(content, "so-tu-dong.docx")

    assert parsed.fields == typed.fields
    assert parsed.authors == typed.authors
    assert parsed.extras == typed.extras
    assert parsed.missing == typed.missing
