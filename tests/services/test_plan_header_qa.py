"""Header questions answered from the parser's structure (issue 17): who signed, the
recipients, what the plan implements, its date and issuer; a number in the question
selects the plan; openings the layout parser misreads are rescued by pattern."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.services.plans.answer import search
from bot.services.plans.index import PlanRow, build_index
from bot.services.plans.parse import parse_plans
from bot.services.plans.store import parse_file
from tests.harness import shipped_content

PLANS = Path(__file__).resolve().parents[2] / "content" / "plans"
TODAY = date(2026, 3, 2)

DECISION = """ỦY
BAN NHÂN DÂN |
CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 438/QĐ-UBND |
Bình Định, ngày 03 tháng 02 năm 2021 |
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ Quyết định số 2060/QĐ-TTg ngày 12/12/2020 của Thủ tướng Chính phủ về phê duyệt chiến lược;
Theo đề nghị của Ban An toàn giao thông tỉnh tại Tờ trình số 37/TTr-BATGT ngày 26/01/2021,
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Quyết định số 2060/QĐ-TTg.
"""

LETTER = """TỔNG LIÊN ĐOÀN LAO ĐỘNG
VIỆT NAM
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 7343/TLĐ-TG
V/v bảo đảm trật tự, an toàn giao thông dịp Lễ Quốc khánh 02/9/2023
Hà Nội, ngày 25 tháng 8 năm 2023
Kính gửi:
- Các Liên đoàn Lao động tỉnh, thành phố;
- Các Công đoàn ngành trung ương và tương đương.
Thực hiện Công điện số 750/CĐ-TTg ngày 18 tháng 8 năm 2023 của Thủ tướng Chính phủ \
về việc bảo đảm trật tự, an toàn giao thông, Đoàn Chủ tịch yêu cầu:
1. Tuyên truyền đoàn viên, người lao động chấp hành pháp luật giao thông.
"""


def _index(*texts: tuple[str, str]):
    rows = []
    for i, (name, text) in enumerate(texts, start=1):
        rows.append(PlanRow(i, f"fp{i}", name, text))
    return build_index(rows, shipped_content())


def _sample(name: str) -> tuple[str, str]:
    return name, parse_file(PLANS / name)[0].text


def test_a_broken_opening_still_gives_number_date_issuer_and_proposer():
    doc = parse_plans(DECISION)[0]

    assert (doc.number, doc.date, doc.place) == ("438/QĐ-UBND", date(2021, 2, 3), "Bình Định")
    assert doc.issuer.startswith("ỦY BAN NHÂN DÂN")
    assert doc.authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"
    assert doc.proposer.startswith("Ban An toàn giao thông tỉnh tại Tờ trình số 37/TTr-BATGT")


def test_a_letter_reads_its_addressees_as_recipients():
    doc = parse_plans(LETTER)[0]

    assert doc.number == "7343/TLĐ-TG" and doc.date == date(2023, 8, 25)
    assert doc.issuer == "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    assert doc.recipients[0] == "Các Liên đoàn Lao động tỉnh, thành phố"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("nơi nhận kế hoạch gồm những ai", "Ban An toàn giao thông tỉnh"),
        ("noi nhan ke hoach cua so tttt gom nhung ai", "Ban Giám đốc Sở"),
        ("ai ký kế hoạch của Sở Thông tin và Truyền thông", "Nguyễn Thanh Luân"),
        ("ai ky ke hoach thi dua attgt 2023 cua so tt&tt", "Nguyễn Thanh Luân"),
        ("kế hoạch này thực hiện văn bản nào", "19/KH-BATGT"),
        ("ke hoach cua so tttt thuc hien van ban nao vay", "19/KH-BATGT"),
    ],
)
def test_header_questions_on_a_sample_with_and_without_diacritics(question, fact):
    index = _index(_sample("so-tttt-2023.txt"))

    answer = search(index, question, [1], TODAY)

    assert answer.found, answer.text
    assert fact in answer.text
    assert "Sở Thông tin và Truyền thông" in answer.citation.document


def test_decision_questions_come_from_the_structure():
    index = _index(("qd.txt", DECISION))

    proposer = search(index, "quyet dinh 438 theo de nghi cua co quan nao", [1], TODAY)
    issued = search(index, "qđ 438 bình định ký ngày nào", [1], TODAY)
    signer = search(index, "ai ky quyet dinh 438", [1], TODAY)

    assert proposer.found and "Ban An toàn giao thông tỉnh" in proposer.text
    assert issued.found and "03/02/2021" in issued.text
    assert not signer.found  # the opening has no signature: say so, do not guess


def test_a_number_in_the_question_selects_the_plan_among_the_units():
    index = _index(
        _sample("batgt-tra-cu-2023-truncated.txt"), ("cv.txt", LETTER), ("qd.txt", DECISION)
    )

    kh02 = search(index, "kh 02 ban hanh ngay nao", [1, 2, 3], TODAY)
    cv = search(index, "cv 7343 ban hanh ngay nao", [1, 2, 3], TODAY)
    cited = search(index, "cong dien 750 ngay nao", [1, 2, 3], TODAY)

    assert "20/03/2023" in kh02.text and "02/KH-BATGT" in kh02.citation.document
    assert "25/08/2023" in cv.text and "7343/TLĐ-TG" in cv.citation.document
    assert cited.found and "18 tháng 8 năm 2023" in cited.text


def test_a_docx_duty_table_answers_from_the_right_row(tmp_path):
    import docx

    from bot.services.plans.load import read_plan_file

    document = docx.Document()
    document.add_paragraph("Số: 12/KH-UBND")
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Bảo đảm trật tự an toàn giao thông năm 2024").bold = True
    document.add_paragraph("I. MỤC ĐÍCH")
    document.add_paragraph("Nâng cao ý thức chấp hành pháp luật giao thông.")
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Bảng phân công nhiệm vụ:")
    rows = [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"),
        ("1", "Tuần tra kiểm soát nồng độ cồn", "Công an huyện", "Đội QLTT", "Quý II/2024"),
        ("2", "Tuyên truyền luật giao thông tại trường học", "Phòng Giáo dục", "Đoàn TN", "9/2024"),
        ("3", "Sửa chữa biển báo hư hỏng", "Phòng Kinh tế và Hạ tầng", "UBND xã", "30/6/2024"),
    ]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "phan-cong.docx"
    document.save(path)
    index = _index(("phan-cong.docx", read_plan_file(path)))

    lead = search(
        index, "đơn vị nào chủ trì tuyên truyền luật giao thông tại trường học", [1], TODAY
    )
    who = search(index, "ai chiu trach nhiem sua chua bien bao", [1], TODAY)
    when = search(index, "tuan tra kiem soat nong do con thuc hien khi nao", [1], TODAY)

    assert lead.found and lead.text.startswith("Phòng Giáo dục"), lead.text
    assert "STT" not in lead.text and "Công an huyện" not in lead.text
    assert who.found and "Phòng Kinh tế và Hạ tầng" in who.text
    assert when.found and "Quý II/2024" in when.text


def test_a_question_full_of_numbers_is_still_answered_or_refused_plainly():
    index = _index(_sample("batgt-tra-cu-2023-truncated.txt"), ("qd.txt", DECISION))
    pasted = "kh " + " ".join(f"{n}/KH-X" for n in range(1, 2000)) + " ban hanh ngay nao"

    answer = search(index, pasted, [1, 2], TODAY)

    assert isinstance(answer.text, str) and answer.text
