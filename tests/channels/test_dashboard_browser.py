"""The manager dashboard in a real browser (Debian's Chromium via Playwright, as the chat's test).

A manager signs in by link, opens the dashboard, drills into a unit and exports it. Skipped
with the reason shown when Chromium or Playwright is missing, required under CI.
Screenshots at 360×740 go to ATGT_TEST_SCREENSHOTS_DIR when set (docs/screenshots/).
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.runtime import Runtime
from bot.settings import load_settings
from tests.channels.support import free_port
from tests.channels.test_web_browser import PHONE, chromium
from tests.conftest import FakeClock
from tests.digest_org import build, local
from tests.harness import issue_invite

__all__ = ["chromium"]  # the fixture, shared with the chat's browser test
# Read at import: the autouse settings fixture changes directory (a relative path would move).
SCREENSHOTS = os.environ.get("ATGT_TEST_SCREENSHOTS_DIR")
SCREENSHOTS = str(Path(SCREENSHOTS).resolve()) if SCREENSHOTS else None


def shots(tmp_path: Path) -> Path:
    target = Path(SCREENSHOTS or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
async def site(database_url, tmp_path):
    port = free_port()
    settings = load_settings(
        database_url=database_url,
        web_url=f"http://127.0.0.1:{port}",
        web_port=port,
        quiet_hours="21:00-06:30",
        timezone="Asia/Ho_Chi_Minh",
    )
    clock = FakeClock(local(2026, 11, 12, 20, 0))  # Thursday of the campaign's week 2
    runtime = Runtime(settings, clock=clock)
    await build(runtime.app.sessionmaker, tmp_path)
    await runtime.start()
    try:
        yield runtime, settings.web_url, clock
    finally:
        await runtime.stop()


async def test_a_manager_drills_into_a_unit_and_exports(chromium, site, tmp_path):
    runtime, url, clock = site
    folder = shots(tmp_path)
    phone = await chromium.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    page = await phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    code = await issue_invite(runtime.app.sessionmaker, clock, "QL1")
    await page.goto(f"{url}/j/{code}")
    await page.get_by_role("button", name="Tham gia").click()
    await page.locator(".msg.bot").first.wait_for()

    await page.get_by_role("link", name="Bảng theo dõi").click()
    await page.get_by_role("heading", name="Sở X/Phòng 1").wait_for()
    await page.screenshot(path=folder / "dashboard.png")
    await page.locator("svg.chart").scroll_into_view_if_needed()
    await page.screenshot(path=folder / "dashboard-chart.png")

    await page.get_by_role("link", name="Tổ A").click()
    await page.get_by_role("heading", name="Sở X/Phòng 1/Tổ A").wait_for()
    await page.get_by_label("Khoảng thời gian").select_option("4")
    await page.get_by_role("button", name="Xem").click()
    await page.get_by_role("heading", name="Sở X/Phòng 1/Tổ A").wait_for()
    assert "weeks=4" in page.url and "unit=" in page.url
    await page.screenshot(path=folder / "dashboard-unit.png")

    async with page.expect_download() as started:
        await page.get_by_role("link", name="Tải tệp Excel").click()
    download = await started.value
    data = (await download.path()).read_bytes()
    book = load_workbook(BytesIO(data))
    people = [row[3] for row in book["Cá nhân"].iter_rows(values_only=True)][1:]
    assert download.suggested_filename == "bang-theo-doi-20261109.xlsx"
    assert people == ["Bình Hai", "Cúc Ba"]

    # Back up the way it came: the manager's own unit, never above it.
    await page.get_by_role("link", name="Phòng 1").click()
    await page.get_by_role("heading", name="Sở X/Phòng 1").wait_for()
    assert await page.get_by_role("link", name="Sở X").count() == 0
    assert errors == []
    await phone.close()
