"""`atgt report` over a range of days and `atgt report review` (the year-end pack)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import app
from bot.db.session import make_engine, make_sessionmaker
from tests.digest_org import build


def run(database_url: str, *args: str):
    return CliRunner().invoke(app, list(args), env={"ATGT_DATABASE_URL": database_url})


def setup(database_url: str, tmp_path: Path) -> int:
    async def work() -> int:
        engine = make_engine(database_url)
        try:
            return await build(make_sessionmaker(engine), tmp_path)
        finally:
            await engine.dispose()

    return asyncio.run(work())


def rows(path: Path, sheet: str) -> list[tuple]:
    return [tuple(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_report_for_a_unit_over_one_week(database_url, tmp_path):
    setup(database_url, tmp_path)
    out = tmp_path / "p1.xlsx"

    result = run(
        database_url,
        "report",
        "--unit",
        "Sở X/Phòng 1",
        "--from",
        "09/11/2026",
        "--to",
        "2026-11-15",
        "--xlsx",
        str(out),
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Sở X/Phòng 1: 4 người, báo cáo 100%, chấp hành 75%, câu đố đúng 75%, đọc thông báo 67%",
        # Only 2 of Tổ A reported: below the privacy threshold of 3.
        "Sở X/Phòng 1/Tổ A: 2 người, báo cáo 100%, chấp hành ẩn, câu đố đúng 100%, "
        "đọc thông báo 0%",
        f"Đã ghi 4 người, 2 đơn vị vào {out}.",
    ]
    people = rows(out, "Cá nhân")
    assert [r[2] for r in people[1:]] == ["A1", "QL1", "A2", "A3"]
    # A3: not registered, reported once out of one week, one self-reported violation.
    # Per-person compliance and violations are hidden (a group of one).
    assert people[4][4:11] == (None, 1, 1, 1.0, "ẩn", 0, "ẩn")
    # A1: two reminders, one acknowledged; one announcement received and read.
    assert people[1][14:] == (2, 1, 1, 1)
    summary = dict(rows(out, "Tổng hợp")[1:])
    assert summary["Phạm vi"] == "Sở X/Phòng 1"
    assert summary["Số tuần báo cáo được tính (đã qua hạn)"] == 1


def test_report_refuses_an_unknown_unit_and_a_reversed_range(database_url, tmp_path):
    setup(database_url, tmp_path)

    unknown = run(
        database_url, "report", "--unit", "Sở Y", "--from", "1/11/2026", "--to", "2/11/2026"
    )
    reversed_ = run(
        database_url, "report", "--unit", "Sở X", "--from", "9/11/2026", "--to", "1/11/2026"
    )

    assert unknown.exit_code == 1 and "Không có đơn vị Sở Y." in unknown.output
    assert reversed_.exit_code == 2


def test_review_pack_ranks_units_and_people(database_url, tmp_path):
    campaign_id = setup(database_url, tmp_path)
    out = tmp_path / "review.xlsx"

    result = run(
        database_url, "report", "review", "--campaign", str(campaign_id), "--xlsx", str(out)
    )

    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["Tổng hợp", "Đơn vị", "Cá nhân"]
    units = rows(out, "Đơn vị")
    assert [(r[0], r[1]) for r in units[1:]] == [
        (1, "Sở X"),
        (1, "Sở X/Phòng 1"),
        (2, "Sở X/Phòng 2"),
        (3, "Sở X/Văn phòng"),
        (1, "Sở X/Phòng 1/Tổ A"),
    ]
    # Phòng 1 over two weeks: 7 of 8 check-ins (88%), 5 of them compliant (71%),
    # 3 of 4 answers right.
    assert units[2][3:8] == (4, 3, 7, 0.875, pytest.approx(5 / 7))
    assert units[2][11:14] == (4, 3, 0.75)
    people = rows(out, "Cá nhân")
    assert [(r[0], r[2]) for r in people[1:]] == [
        (1, "A1"),
        (2, "B1"),
        (3, "QL1"),
        (4, "A2"),
        (5, "QL2"),
        (6, "A3"),
        (6, "AD1"),
        (8, "B3"),
        (9, "B2"),
    ]
    summary = dict(rows(out, "Tổng hợp")[1:])
    assert summary["Số tuần báo cáo được tính (đã qua hạn)"] == 2
    assert summary["Đã đăng ký thi đua"] == "5/9"
    assert summary["Tỉ lệ báo cáo tuần (%)"] == pytest.approx(12 / 18)
    assert summary["Tự khai vi phạm"] == 1
