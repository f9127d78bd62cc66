"""The web channel in a real browser: Debian's Chromium driven by Playwright (no download).

Skipped with the reason shown when Chromium or Playwright is missing; `.ci/run` installs
both. Screenshots at 360×740 go to the test's directory, or to ATGT_TEST_SCREENSHOTS_DIR when
set (that is how docs/screenshots/ is refreshed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.settings import load_settings
from tests.channels.support import free_port
from tests.conftest import IN_CI
from tests.harness import issue_invite, load_roster

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 360, "height": 740}


def _unavailable() -> str | None:
    if CHROMIUM is None:
        return "no Chromium (apt-get install chromium; .ci/run does)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright missing (pip install -e '.[dev]')"
    return None


@pytest.fixture
async def chromium():
    reason = _unavailable()
    if reason:
        if IN_CI:
            pytest.fail(f"CI requires the browser test: {reason}")
        pytest.skip(f"browser test skipped: {reason}")
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            await browser.close()


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
    runtime = Runtime(settings)
    await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    try:
        yield runtime, settings.web_url
    finally:
        await runtime.stop()


def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("ATGT_TEST_SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


async def test_join_answer_a_quiz_ask_and_log_out(chromium, site, tmp_path):
    from playwright.async_api import expect

    runtime, url = site
    folder = shots(tmp_path)
    sessionmaker, now = runtime.app.sessionmaker, runtime.app.router.now
    phone = await chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = await phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    code = await issue_invite(sessionmaker, now, "NV1")
    await page.goto(f"{url}/j/{code}")
    await page.screenshot(path=folder / "web-join.png")
    await page.get_by_role("button", name="Tham gia").click()
    await page.locator(".msg.bot", has_text="Xin chào Nhân Viên Một").wait_for()

    await page.locator(".chip", has_text="/quiz").click()
    options = page.locator(".msg.bot .options button")
    await options.first.wait_for()
    await page.screenshot(path=folder / "web-quiz.png")
    await options.first.click()
    await page.locator(".msg.bot", has_text="Căn cứ:").last.wait_for()
    await page.screenshot(path=folder / "web-answer.png")

    before = await page.locator(".msg.bot").count()
    await page.get_by_label("Câu hỏi hoặc lệnh").fill("/diem")
    await page.keyboard.press("Enter")
    await page.locator(".msg.bot", has_text="Điểm câu đố của Nhân Viên Một").wait_for()
    assert await page.locator(".msg.bot").count() == before + 1
    assert await page.locator(".msg.me", has_text="/diem").count() == 1

    # A second device, revoked from the first: it is refused on its next request.
    laptop = await chromium.new_context(viewport={"width": 1024, "height": 740})
    other = await laptop.new_page()
    await other.goto(f"{url}/j/{await issue_invite(sessionmaker, now, 'NV1')}")
    await other.get_by_role("button", name="Tham gia").click()
    await other.locator(".msg.bot").first.wait_for()

    await page.get_by_role("button", name="Thiết bị của tôi").click()
    devices = page.locator("#device-list li")
    await devices.nth(1).wait_for()
    await page.screenshot(path=folder / "web-devices.png")
    await devices.filter(has_not_text="Thiết bị này").get_by_role("button").click()
    # (wait_for_function would need eval, which the page's CSP forbids.)
    await expect(devices).to_have_count(1)
    await other.reload()
    await other.locator("#signed-out").wait_for()

    await page.get_by_role("button", name="Đăng xuất", exact=True).click()
    await page.locator("#signed-out").wait_for()
    await page.reload()
    await page.locator("#signed-out").wait_for()
    await page.screenshot(path=folder / "web-signed-out.png")
    assert await page.locator("#thread .msg").count() == 0
    assert errors == []
    await laptop.close()
    await phone.close()
