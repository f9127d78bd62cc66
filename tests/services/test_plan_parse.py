"""Plan parser: the five sample plans, messy-input robustness, and file loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.plans import (
    PlanDocument,
    PlanFileError,
    fold,
    format_plan,
    iter_passages,
    parse_plans,
    read_plan_file,
)
from bot.services.plans.dates import parse_date

PLANS = Path(__file__).resolve().parents[2] / "content" / "plans"


def load(name: str) -> list[PlanDocument]:
    """Parse one sample plan file."""
    return parse_plans(read_plan_file(PLANS / f"{name}.txt"))


def one(name: str) -> PlanDocument:
    """Parse a sample that holds exactly one document."""
    docs = load(name)
    assert len(docs) == 1
    return docs[0]


def ids(doc: PlanDocument) -> list[str]:
    """All section ids in document order."""
    return [s.id for s in doc.walk()]


# --- so-tttt-2023: clean structure, bold signer block, no number/date line -------------


def test_so_tttt_header_and_signer():
    doc = one("so-tttt-2023")
    assert (doc.number, doc.date, doc.place) == (None, None, None)
    assert doc.title == (
        "Tổ chức, thực hiện phong trào thi đua bảo đảm trật tự, an toàn giao thông năm 2023"
    )
    assert doc.issuer == "Sở Thông tin và Truyền thông"
    assert doc.theme == "Thượng tôn pháp luật để xây dựng văn hóa giao thông an toàn"
    assert doc.signer_name == "Nguyễn Thanh Luân"
    assert doc.signer_title == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert doc.recipients == [
        "Ban An toàn giao thông tỉnh (b/c)",
        "Ban Giám đốc Sở",
        "Các phòng, trung tâm thuộc Sở",
        "Lưu: VT, VP",
    ]
    assert doc.periods == [] and doc.deadlines == []
    assert not doc.truncated and not doc.fragment and doc.complete


def test_so_tttt_sections_and_facts():
    doc = one("so-tttt-2023")
    assert ids(doc) == [
        "I", "I.1", "I.1.-1", "I.1.-2", "I.1.-3", "I.2", "I.2.-1", "I.2.-2",
        "II", "II.1", "II.2", "III", "III.1", "III.2",
    ]  # fmt: skip
    assert doc.section("I.1").heading == "Mục đích"
    assert doc.section("III").heading == "TỔ CHỨC THỰC HIỆN"
    basis = [r for r in doc.references if r.basis]
    assert [(r.number, r.date, r.issuer) for r in basis] == [
        ("19/KH-BATGT", date(2023, 3, 13), "Ban An toàn giao thông tỉnh")
    ]
    assert {r.number for r in doc.references} >= {"45-KL/TW", "48/NQ-CP", "18"}
    assert [(t.figure, t.section_id) for t in doc.targets] == [("100%", "I.1.-2")]
    assert [(r.unit, r.section_id) for r in doc.responsible] == [
        ("Văn phòng Sở", "III.1"),
        ("Phòng Thông tin - Báo chí - Xuất bản", "III.2"),
        ("các phòng, trung tâm thuộc Sở", None),
    ]
    assert [(r.frequency, r.when) for r in doc.reporting] == [(None, "theo quy định")]
    assert doc.closing.startswith("Trên đây là Kế hoạch hưởng ứng")


# --- so-ngoai-vu-2024: hard line breaks, sentence-case heading, two-column closing -----


def test_so_ngoai_vu_rejoins_hard_line_breaks():
    doc = one("so-ngoai-vu-2024")
    assert doc.title == (
        "Phát động phong trào thi đua bảo đảm trật tự, an toàn giao thông năm 2024 của Sở Ngoại vụ"
    )
    assert doc.issuer == "Sở Ngoại vụ"
    first = doc.section("I.1.-1").text
    assert "\n" not in first
    assert first.startswith("Tạo khí thế thi đua sôi nổi và sự chuyển biến mạnh mẽ trong thực hiện")
    assert "tạo sự chuyển biến rõ nét trong cán bộ, công chức về việc chấp hành" in first
    assert "Kế hoạch số 310/KH-UBND ngày 05/10/2023 của UBND tỉnh" in doc.section("II.3").text


def test_so_ngoai_vu_sections_period_and_reporting():
    doc = one("so-ngoai-vu-2024")
    assert doc.section("I").heading == "Mục đích, yêu cầu"
    assert [s.id for s in doc.section("II").children] == [f"II.{n}" for n in range(1, 8)]
    assert doc.section("III.1").heading == "Thời gian"
    assert doc.section("III.2.a").heading == "Văn phòng Sở có trách nhiệm"
    assert [s.id for s in doc.section("III.2.a").children] == ["III.2.a.-1", "III.2.a.-2"]
    assert [(p.start, p.end, p.section_id) for p in doc.periods] == [
        (None, date(2024, 12, 14), "III.1")
    ]
    assert [(d.date, d.section_id) for d in doc.deadlines] == [(date(2024, 12, 14), "III.1")]
    assert len(doc.reporting) == 1
    assert doc.reporting[0].frequency == "hằng tháng"
    assert doc.reporting[0].when == "vào các cuộc họp giao ban tuần cuối cùng của mỗi tháng"
    units = [(r.unit, r.section_id) for r in doc.responsible]
    assert units[:2] == [("Văn phòng Sở", "III.2.a"), ("Lãnh đạo các phòng chuyên môn", "III.2.b")]
    assert doc.responsible[0].task.startswith("Theo dõi, thống kê những tập thể")


def test_so_ngoai_vu_closing_on_shared_lines():
    doc = one("so-ngoai-vu-2024")
    assert doc.signer_name == "Phạm Thị Anh Thư"
    assert doc.signer_title == "GIÁM ĐỐC"
    assert doc.recipients == [
        "Cơ quan TT ATGT",
        "Ban TĐKT tỉnh",
        "Ban Giám đốc",
        "Các phòng chuyên môn",
        "Lưu: VT",
    ]
    basis = [(r.number, r.date, r.issuer) for r in doc.references if r.basis]
    assert basis == [("162/KH-UBND", date(2024, 5, 7), "UBND tỉnh")]


# --- batgt-tra-cu-2023: Markdown bold, number/date lines, truncated --------------------


def test_batgt_header_from_number_and_date_lines():
    doc = one("batgt-tra-cu-2023-truncated")
    assert doc.number == "02/KH-BATGT"
    assert doc.place == "Trà Cú"
    assert doc.date == date(2023, 3, 20)
    assert doc.title == ("Phát động phong trào thi đua bảo đảm trật tự an toàn giao thông năm 2023")
    assert doc.issuer == "Ban An toàn giao thông huyện"
    assert doc.theme == "Thượng tôn pháp luật để xây dựng văn hóa giao thông an toàn"


def test_batgt_is_truncated_and_keeps_bold_headings():
    doc = one("batgt-tra-cu-2023-truncated")
    assert doc.truncated and not doc.fragment and not doc.complete
    assert doc.section("I").heading == "MỤC ĐÍCH, YÊU CẦU VÀ ĐỐI TƯỢNG THỰC HIỆN"
    assert doc.section("I.2").heading == "Yêu cầu"
    assert ids(doc)[-1] == "I.2.-2"
    assert doc.section("I.2.-2").text.endswith("phù hợp với mô hình tổ chức, chức")
    assert "**" not in doc.section("I.1").heading
    assert (doc.signer_name, doc.recipients) == (None, [])
    assert (doc.targets[0].figure, doc.targets[0].section_id) == ("5%-10%", "I.1.-1")
    assert doc.targets[0].text.startswith("phấn đấu kéo giảm từ 5%- 10% số vụ")


# --- dang-uy-khoi-ct23: page break mid-sentence, typos, implementation plan ------------


def test_dang_uy_structure_and_signer():
    doc = one("dang-uy-khoi-ct23")
    assert (doc.number, doc.date) == (None, None)
    assert doc.title.startswith("Thực hiện Chỉ thị số 23-CT/TW, ngày 25/5/2023 của Ban Bí thư")
    assert doc.title.endswith("trong tình hình mới trên địa bàn tỉnh")
    assert doc.issuer == "Ban Thường vụ Đảng ủy Khối"
    assert ids(doc) == ["I", "I.1", "I.2", "II", "II.1", "II.2", "III", "III.1", "III.2"]
    assert doc.section("I").heading == "MỤC TIÊU, YÊU CẦU"
    assert doc.section("II.1").heading.startswith("Tăng cường sự lãnh đạo, chỉ đạo kiểm tra")
    assert doc.signer_name == "Trần Xuân Lâm"
    assert doc.signer_title == "T/M BAN THƯỜNG VỤ"
    assert doc.recipients[0] == "Ban Thường vụ Tỉnh ủy (báo cáo)"
    assert len(doc.recipients) == 6


def test_dang_uy_page_break_and_typos():
    doc = one("dang-uy-khoi-ct23")
    body = doc.section("II.1").text
    assert "liên quan đến trật tự, an toàn giao thông. Nghiêm cấm" in body
    assert "Đè cao vai trò" in body  # the typo is kept, and parsing goes on
    numbers = [r.number for r in doc.references]
    assert numbers.count("23-CT/TW") == 1  # "23- CT/TW" in III.1 is the same document
    assert ("168-KH/TU", date(2023, 11, 10)) in [(r.number, r.date) for r in doc.references]
    assert [(r.unit, r.section_id) for r in doc.responsible] == [
        ("Các tổ chức cơ sở Đảng", "III.1"),
        ("Ban Tuyên giáo Đảng ủy Khối", "III.2"),
    ]
    assert doc.reporting == []  # "(báo cáo)" recipients and "báo cáo viên" are no duties
    assert not doc.truncated


# --- xa-lien-minh-2022: two documents glued together -----------------------------------


def test_xa_lien_minh_splits_into_two_documents():
    first, second = load("xa-lien-minh-2022-two-fragments")
    assert first.fragment and first.number is None and first.title is None
    assert [s.id for s in first.sections] == ["II", "III"]
    assert first.section("II").heading == "NỘI DUNG PHONG TRÀO THI ĐUA"
    assert first.section("III.3").text.endswith("làm nòng cốt cho phong trào thi đua.")
    assert first.signer_name == "Nguyễn Quốc Hoạt"
    assert first.signer_title == "TRƯỞNG BAN, Chủ tịch UBND xã"
    assert first.recipients == ["Ban ANGT huyện", "Các ban, ngành, đoàn thể", "Lưu: VT"]
    assert second.number == "53/KH-UBLM"
    assert (second.place, second.date) == ("Liên Minh", date(2022, 3, 24))
    assert (
        second.title == "Phát động phong trào thi đua bảo đảm trật tự an toàn giao thông năm 2022"
    )
    assert second.issuer == "Ban An toàn giao thông xã Liên Minh"
    assert not second.fragment and second.signer_name is None


def test_xa_lien_minh_facts_per_document():
    first, second = load("xa-lien-minh-2022-two-fragments")
    assert [(p.start, p.end, p.section_id) for p in first.periods] == [
        (date(2022, 3, 15), date(2022, 12, 31), "III.1")
    ]
    assert first.deadlines == []  # an end of a "từ ... đến hết ..." range is no deadline
    assert [(t.figure, t.section_id) for t in first.targets] == [("5%-10%", "II.1")]
    assert second.theme == (
        "Xây dựng văn hóa giao thông an toàn gắn với kiểm soát hiệu quả dịch COVID-19"
    )
    ref = second.references[0]
    assert (ref.number, ref.date, ref.basis) == ("03/KH-BATGT", date(2022, 3, 15), True)
    assert ref.issuer == "Ban An toàn giao thông huyện Đức Thọ"
    assert ids(second) == [
        "I", "I.1", "I.1.-1", "I.1.-2", "I.2", "I.2.-1", "I.2.-2", "I.2.-3", "I.2.-4",
    ]  # fmt: skip
    assert second.periods == []


# --- messy input: heading styles, bullets, page breaks, glued complete documents -------

MESSY = """UBND HUYỆN ĐỨC THỌ         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BAN AN TOÀN GIAO THÔNG          Độc lập - Tự do - Hạnh phúc
Số: 12 /KH-BATGT          Đức Thọ, 05/01/2024

KẾ HOẠCH
Tuyên truyền bảo đảm trật tự an toàn giao thông năm 2024

Căn cứ Quyết định số 123/QĐ-UBND ngày 02/01/2024 của UBND huyện về việc kiện toàn Ban;
MỤC TIÊU, YÊU CẦU
1) Kéo giảm 5% số vụ tai nạn giao thông so với năm 2023.
**II. NỘI DUNG**
1) Tuyên truyền trên các phương tiện thông tin đại chúng:
a) Đài Truyền thanh huyện:
- Phát sóng các chuyên mục về an toàn giao thông
Trang 2
hằng tuần vào sáng thứ Hai.
+ Thời lượng: 15 phút.
2) Thời gian thực hiện: từ tháng 3/2024 đến tháng 12/2024.
III. Tổ chức thực hiện
1) Công an huyện chủ trì, phối hợp với các xã tổ chức tuần tra
\f
kiểm soát.
2) UBND các xã: báo cáo kết quả trước ngày 15 hằng tháng; báo cáo tổng kết trước ngày 10/12/2024.
Nơi nhận:                                     TM. BAN AN TOÀN GIAO THÔNG
- Ban ATGT tỉnh;                              TRƯỞNG BAN
- Lưu: VT.
                                              Lê Văn Nam
ỦY BAN NHÂN DÂN XÃ A
Số: 7/KH-UBND
KẾ HOẠCH
Phát động phong trào
thi đua năm 2024
I. Mục đích
Nội dung ngắn.
"""


def test_messy_header_headings_and_bullets():
    docs = parse_plans(MESSY)
    assert len(docs) == 2
    doc = docs[0]
    assert (doc.number, doc.place, doc.date) == ("12/KH-BATGT", "Đức Thọ", date(2024, 1, 5))
    assert doc.issuer == "BAN AN TOÀN GIAO THÔNG"
    assert doc.title == "Tuyên truyền bảo đảm trật tự an toàn giao thông năm 2024"
    assert ids(doc) == [
        "I", "I.1", "II", "II.1", "II.1.a", "II.1.a.-1", "II.1.a.-1.+1", "II.2",
        "III", "III.1", "III.2",
    ]  # fmt: skip
    assert doc.section("I").heading == "MỤC TIÊU, YÊU CẦU"
    assert doc.section("II").heading == "NỘI DUNG"
    assert doc.section("II.1.a.-1").text == (
        "Phát sóng các chuyên mục về an toàn giao thông hằng tuần vào sáng thứ Hai."
    )
    assert doc.section("II.1.a.-1.+1").heading == "Thời lượng"
    assert doc.section("III.1").text.endswith("tổ chức tuần tra kiểm soát.")
    assert (doc.signer_name, doc.signer_title) == (
        "Lê Văn Nam",
        "TM. BAN AN TOÀN GIAO THÔNG / TRƯỞNG BAN",
    )


def test_messy_dates_deadlines_and_glued_second_document():
    first, second = parse_plans(MESSY)
    assert [(p.start, p.end) for p in first.periods] == [(date(2024, 3, 1), date(2024, 12, 31))]
    assert [(d.date, d.section_id) for d in first.deadlines] == [
        (None, "III.2"),
        (date(2024, 12, 10), "III.2"),
    ]
    assert [(r.frequency, r.when) for r in first.reporting] == [
        ("hằng tháng", "trước ngày 15 hằng tháng"),
        (None, "trước ngày 10/12/2024"),
    ]
    assert [(r.unit, r.section_id) for r in first.responsible] == [
        ("Công an huyện", "III.1"),
        ("UBND các xã", "III.2"),
    ]
    assert second.issuer == "ỦY BAN NHÂN DÂN XÃ A"
    assert (second.number, second.title) == ("7/KH-UBND", "Phát động phong trào thi đua năm 2024")
    assert ids(second) == ["I"] and second.section("I").text == "Nội dung ngắn."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 20 tháng 3 năm 2023", date(2023, 3, 20)),
        ("20/3/2023", date(2023, 3, 20)),
        ("14/12/2024", date(2024, 12, 14)),
        ("ngay 5 thang 1 nam 2024", date(2024, 1, 5)),
        ("31/02/2024", None),
        ("15/12", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_date_without_year_uses_hint_and_unaccented_headings_work():
    assert parse_date("trước ngày 15/12", 2024) == date(2024, 12, 15)
    text = (
        "KE HOACH\nThi dua nam 2023\n\nI. MUC DICH\n"
        "1. Ke hoach thuc hien tu ngay 01/4/2023 den het ngay 30/9/2023."
    )
    doc = parse_plans(text)[0]
    assert ids(doc) == ["I", "I.1"]
    assert [(p.start, p.end) for p in doc.periods] == [(date(2023, 4, 1), date(2023, 9, 30))]


def test_fold():
    assert fold("Đường Hà Nội, KẾ HOẠCH") == "duong ha noi, ke hoach"


# --- passages and summary --------------------------------------------------------------


def test_passages_carry_section_ids_and_heading_paths():
    passages = list(iter_passages(one("so-ngoai-vu-2024")))
    assert passages[0].section_id == "" and passages[0].path == ("Phần mở đầu",)
    by_id = {p.section_id: p for p in passages}
    assert by_id["III.2.a.-1"].path[:3] == (
        "TỔ CHỨC THỰC HIỆN",
        "Tổ chức thực hiện",
        "Văn phòng Sở có trách nhiệm",
    )
    assert by_id["III.1"].text.endswith("đến hết ngày 14/12/2024.")
    assert "III.2" not in by_id  # a heading with only children has no passage of its own
    assert passages[-1].path == ("Phần kết",)


def test_long_passages_are_chunked():
    doc = parse_plans("I. MỤC ĐÍCH\n" + " ".join(["Câu văn khá dài về an toàn giao thông."] * 80))[
        0
    ]
    chunks = list(iter_passages(doc))
    assert len(chunks) == 3 and all(len(c.text) <= 1200 for c in chunks)


def test_format_plan_summary():
    text = format_plan(one("batgt-tra-cu-2023-truncated"))
    assert "Số: 02/KH-BATGT" in text
    assert "Ngày: 20/03/2023" in text
    assert "Nơi ban hành: Trà Cú" in text
    assert "Người ký: (không có)" in text
    assert "Thời gian thực hiện: (không có)" in text
    assert "Lưu ý: văn bản bị cắt ngang" in text
    assert "    I.1. Mục đích (4 ý)" in text
    outline = format_plan(one("so-ngoai-vu-2024"))
    assert "      III.2.a. Văn phòng Sở có trách nhiệm (2 ý)" in outline
    assert "  - đến hết 14/12/2024" in outline
    assert "Người ký: Phạm Thị Anh Thư (GIÁM ĐỐC)" in outline


# --- loading files ---------------------------------------------------------------------


def test_txt_with_bom_and_crlf(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("\ufeffSố: 01/KH-X\r\nKẾ HOẠCH\r\nThi đua\r\n".encode())
    doc = parse_plans(read_plan_file(path))[0]
    assert (doc.number, doc.title) == ("01/KH-X", "Thi đua")


def test_docx_with_bold_heading_and_tables(tmp_path):
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    cells = ["UBND XÃ B", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    cells += ["Số: 09/KH-UBND", "Xã B, ngày 1 tháng 2 năm 2024"]
    for cell, text in zip([c for row in header.rows for c in row.cells], cells, strict=True):
        cell.text = text
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Tuyên truyền an toàn giao thông").bold = True
    document.add_paragraph("Căn cứ tình hình thực tế, UBND xã xây dựng Kế hoạch như sau:")
    document.add_paragraph().add_run("Mục đích, yêu cầu").bold = True
    document.add_paragraph("- Nâng cao ý thức người dân.")
    document.add_paragraph().add_run("NHIỆM VỤ").bold = True
    document.add_paragraph("1. Treo băng rôn.")
    closing = document.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:\n- Lưu: VT."
    closing.cell(0, 1).text = "CHỦ TỊCH\n\nTrần Văn Bình"
    path = tmp_path / "plan.docx"
    document.save(path)
    text = read_plan_file(path)
    assert "**KẾ HOẠCH**" in text and "**NHIỆM VỤ**" in text
    doc = parse_plans(text)[0]
    assert (doc.number, doc.date, doc.issuer) == ("09/KH-UBND", date(2024, 2, 1), "UBND XÃ B")
    assert doc.title == "Tuyên truyền an toàn giao thông"
    assert ids(doc) == ["I", "I.1"] and doc.section("I").heading == "NHIỆM VỤ"
    assert (doc.signer_name, doc.signer_title) == ("Trần Văn Bình", "CHỦ TỊCH")


def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose text layer holds the given lines (CID font with ToUnicode)."""
    chars = sorted({c for page in pages for line in page for c in line})
    pairs = "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{pairs}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    kids = [6 + 2 * i for i in range(len(pages))]
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>",
        3: "<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H"
        " /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo"
        " << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /CIDToGIDMap /Identity >>",
        5: b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    }
    for kid, page in zip(kids, pages, strict=True):
        shows = "".join("<" + "".join(f"{ord(c):04X}" for c in ln) + "> Tj T*\n" for ln in page)
        data = f"BT /F1 11 Tf 14 TL 40 800 Td\n{shows}ET\n".encode()
        objs[kid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {kid + 1} 0 R >>"
        )
        objs[kid + 1] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"endstream"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for num in sorted(objs):
        body = objs[num] if isinstance(objs[num], bytes) else objs[num].encode()
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_layer_with_page_break_mid_sentence(tmp_path):
    path = tmp_path / "plan.pdf"
    first = ["Số: 05/KH-UBND", "KẾ HOẠCH", "Phát động phong trào thi đua", "I. MỤC ĐÍCH"]
    first.append("1. Kéo giảm 5% số vụ tai nạn giao thông so với năm")
    second = ["2023.", "Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn An"]
    path.write_bytes(_pdf([first, second]))
    doc = parse_plans(read_plan_file(path))[0]
    assert (doc.number, doc.title) == ("05/KH-UBND", "Phát động phong trào thi đua")
    assert doc.section("I.1").text == "Kéo giảm 5% số vụ tai nạn giao thông so với năm 2023."
    assert (doc.signer_name, doc.recipients) == ("Nguyễn Văn An", ["Lưu: VT"])


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("fake.pdf", b"this is not a pdf at all", "PDF bị hỏng"),
        ("broken.docx", b"PK\x03\x04 not really a zip", ".docx bị hỏng"),
        ("latin1.txt", "Kế hoạch".encode("cp1258", errors="replace") + b"\xff\xfe\xfd", "UTF-8"),
        ("empty.txt", b"  \n\n ", "không có nội dung"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".doc cũ"),
        ("sheet.xlsx", b"PK", "không được hỗ trợ"),
    ],
)
def test_unreadable_files_raise_plan_file_error(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PlanFileError) as info:
        read_plan_file(path)
    assert reason in info.value.reason
    assert info.value.path == path
    assert name in str(info.value)


def test_missing_file_and_pdf_without_text(tmp_path):
    with pytest.raises(PlanFileError, match="không tìm thấy"):
        read_plan_file(tmp_path / "nope.txt")
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf([[]]))
    with pytest.raises(PlanFileError, match="không có lớp chữ"):
        read_plan_file(path)


def test_three_glued_documents_split_even_without_a_closing_block():
    text = "\n".join(
        (PLANS / f"{name}.txt").read_text(encoding="utf-8")
        for name in ("batgt-tra-cu-2023-truncated", "so-tttt-2023", "dang-uy-khoi-ct23")
    )
    docs = parse_plans(text)
    assert [d.number for d in docs] == ["02/KH-BATGT", None, None]
    assert [d.truncated for d in docs] == [True, False, False]
    assert [d.signer_name for d in docs] == [None, "Nguyễn Thanh Luân", "Trần Xuân Lâm"]
    assert docs[1].title.startswith("Tổ chức, thực hiện phong trào thi đua")


def test_empty_text_gives_no_document():
    assert parse_plans("") == []
    assert parse_plans("\n\f\n  \n") == []


_PIECES = st.sampled_from(
    ["Số: 1/KH-X", "KẾ HOẠCH", "I. MỤC ĐÍCH", "1. Mục đích", "a)", "- ", "+ ", "**", "\n", "\n\n",
     "\f", "Trang 2", "Nơi nhận:", "KT. GIÁM ĐỐC", "Nguyễn Văn A", "ngày 20 tháng 3 năm 2023",
     "từ ngày 15/03/2022 đến hết ngày 31/12/2022", "trước ngày 15 hằng tháng", "báo cáo", "5%",
     "Văn phòng Sở", "có trách nhiệm:", "chủ đề “", "”", ";", ".", ",", "    ", "Hà Nội, "]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40))
def test_parser_never_crashes(pieces):
    for doc in parse_plans("".join(pieces)):
        assert isinstance(format_plan(doc), str)
        assert all(p.text for p in iter_passages(doc))
