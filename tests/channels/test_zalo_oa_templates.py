"""End to end: ZBS templates reach OA users outside the 7-day window, within a budget."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from typer.testing import CliRunner

from bot.channels.zalo_oa_templates import check_all
from bot.channels.zalo_oa_token import OaTokens
from bot.cli import app
from bot.core import outbox
from bot.core.messages import Reply
from bot.db.models import OutboxStatus
from bot.services import notify, reach, usage
from bot.settings import SettingsError, load_settings
from tests.channels.support import eventually, free_port, rows, settled
from tests.channels.test_zalo_oa_e2e import USER, Oa, start, telegram_admin
from tests.fakes.zalo import FakeZaloOa


@pytest.fixture
async def api() -> AsyncIterator[FakeZaloOa]:
    async with FakeZaloOa() as fake:
        fake.add_template("tpl-reminder")
        yield fake


@pytest.fixture
def launch(database_url, tmp_path, api, clock):
    """Start the bot with templates for reminders and the given monthly budget."""

    async def run(budget: int) -> Oa:
        port = free_port()
        runtime = await start(
            database_url,
            api,
            port,
            tmp_path,
            clock=clock,
            zalo_oa_templates="reminder=tpl-reminder",
            zalo_oa_template_budget=budget,
            zalo_oa_template_night="22:00-06:00",
            timezone="Asia/Ho_Chi_Minh",
        )
        oa = Oa(runtime, api, port)
        await oa.join("NV1")
        await settled(runtime, "zalo_oa")
        clock.advance(days=7, minutes=1)  # 08:01 in Hanoi: outside the window, not at night
        return oa

    yield run
    notify.FALLBACKS.clear()


async def test_outside_the_window_the_reminder_goes_as_a_template(launch, api, clock, caplog):
    caplog.set_level(logging.INFO)
    oa = await launch(budget=5)
    try:
        assert (await oa.runtime.scheduler.run_now(1)).queued == 1
        oa.runtime.senders["zalo_oa"].wake()
        await settled(oa.runtime, "zalo_oa")
        (sent,) = api.template_sent
        assert (sent["user_id"], sent["template_id"]) == (USER, "tpl-reminder")
        assert "Nhắc nhở an toàn giao thông" in sent["template_data"]["noi_dung"]
        assert sent["template_data"]["ngay"] == "09/03/2026"
        assert (await rows(oa.runtime, "zalo_oa"))[-1].status == OutboxStatus.SENT
        async with oa.runtime.app.sessionmaker() as session:
            used = await usage.count(
                session, channel="zalo_oa", month="2026-03", kind=usage.TEMPLATE
            )
            talk = [
                await usage.count(session, channel="zalo_oa", month="2026-03", kind=kind)
                for kind in ("sent", "received")
            ]
        assert used == 1 and talk == [1, 1]  # the invite code in, the welcome out
        assert not [
            r
            for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith("bot.channels")
        ]
    finally:
        await oa.runtime.stop()


async def test_at_budget_0_people_outside_the_window_are_skipped_and_listed(launch, api, clock):
    oa = await launch(budget=0)
    try:
        assert (await oa.runtime.scheduler.run_now(1)).queued == 0
        async with oa.runtime.app.sessionmaker() as session:
            (silent,) = await reach.unreachable(session, now=clock())
        assert silent.person.employee_code == "NV1"
        assert api.template_calls == []
    finally:
        await oa.runtime.stop()


async def test_a_spent_budget_skips_queued_messages_and_says_why(launch, api, clock, caplog):
    caplog.set_level(logging.INFO)
    oa = await launch(budget=1)
    try:
        await telegram_admin(oa.runtime)
        async with oa.runtime.app.sessionmaker() as session, session.begin():
            await outbox.enqueue(
                session,
                channel="zalo_oa",
                chat_id=USER,
                replies=[Reply(f"nhắc {n}", extra={"template": "reminder"}) for n in (1, 2)],
                now=clock(),
                key="two",
            )
        oa.runtime.senders["zalo_oa"].wake()
        await settled(oa.runtime, "zalo_oa")
        first, second = (await rows(oa.runtime, "zalo_oa"))[-2:]
        assert first.status == OutboxStatus.SENT and len(api.template_sent) == 1
        assert (
            second.status == OutboxStatus.FAILED and "budget (1 a month) is spent" in second.error
        )
        assert not [
            r
            for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith("bot.channels")
        ]
        queued = len(await rows(oa.runtime, "zalo_oa"))
        await oa.runtime.scheduler.run_now(1)
        assert len(await rows(oa.runtime, "zalo_oa")) == queued  # nothing left this month
        texts = [row.payload["text"] for row in await rows(oa.runtime, "telegram")]
        warnings = [text for text in texts if "tin mẫu ZBS của ngân sách" in text]
        assert len(warnings) == 1 and "1/1 tin mẫu ZBS của ngân sách tháng 03/2026" in warnings[0]
    finally:
        await oa.runtime.stop()


async def test_the_night_ban_defers_templates(launch, api, clock):
    oa = await launch(budget=5)
    try:
        api.night = True  # Zalo's clock says night, whatever ours says
        assert (await oa.runtime.scheduler.run_now(1)).queued == 1
        oa.runtime.senders["zalo_oa"].wake()

        async def deferred():
            row = (await rows(oa.runtime, "zalo_oa"))[-1]
            return row if row.status == OutboxStatus.PENDING and row.error else None

        row = await eventually(deferred, bool)
        assert "-234" in row.error and row.not_before.timestamp() > clock().timestamp()
        assert api.template_sent == [] and len(api.template_calls) == 1

        clock.advance(hours=14)  # 22:01 in Hanoi: our own clock keeps it for the morning
        api.night = False
        async with oa.runtime.app.sessionmaker() as session, session.begin():
            await outbox.enqueue(
                session,
                channel="zalo_oa",
                chat_id=USER,
                replies=[Reply("nhắc", extra={"template": "reminder"})],
                now=clock(),
                key="late",
            )
        oa.runtime.senders["zalo_oa"].wake()
        late = await eventually(lambda: rows(oa.runtime, "zalo_oa"), lambda r: r[-1].error)
        assert late[-1].status == OutboxStatus.PENDING and len(api.template_calls) == 1
        assert late[-1].not_before.hour == 23  # 06:00 in Hanoi, in UTC
    finally:
        await oa.runtime.stop()


async def test_zalo_refusing_a_cs_message_switches_to_the_template(launch, api, clock):
    oa = await launch(budget=5)
    clock.advance(days=-7)  # back inside our count of the window; Zalo disagrees
    try:
        api.users[USER].in_window = False
        assert (await oa.runtime.scheduler.run_now(1)).queued == 1
        oa.runtime.senders["zalo_oa"].wake()
        await settled(oa.runtime, "zalo_oa")
        assert len(api.template_sent) == 1
        assert (await rows(oa.runtime, "zalo_oa"))[-1].status == OutboxStatus.SENT
        async with oa.runtime.app.sessionmaker() as session:
            (silent,) = await reach.unreachable(session, now=clock())
        assert silent.person.employee_code == "NV1"  # by CS message, until they write
    finally:
        await oa.runtime.stop()


async def test_templates_check_compares_their_parameters_with_what_the_bot_sends(
    sessionmaker, clock, api
):
    api.add_template("short", params=(("noi_dung", True, 50), ("ngay", True, 10)))
    api.add_template("extra", params=(("noi_dung", True, 200), ("ma_don", True, 20)))
    api.add_template("off", status="REJECT")
    ids = {"reminder": "tpl-reminder", "quiz": "short", "checkin": "extra"}
    ids |= {"announcement": "off", "other": "missing"}
    async with httpx.AsyncClient() as http:
        tokens = OaTokens(
            sessionmaker=sessionmaker,
            http=http,
            app_id=api.app_id,
            secret_key=api.secret_key,
            oauth_url=api.oauth_url,
            seed=api.seed,
            clock=clock,
        )
        lines, fine = await check_all(http, tokens, base_url=api.url, ids=ids)
    assert not fine
    good, short, extra, off, missing = lines
    assert good.startswith("✓ reminder (mẫu tpl-reminder)")
    assert "«noi_dung» chỉ nhận 50 ký tự, bot gửi tới 200" in short
    assert "bắt buộc tham số «ma_don»" in extra
    assert "trạng thái REJECT" in off
    assert missing.startswith("✗ other (mẫu missing): không đọc được") and "-201" in missing


def test_templates_check_without_templates_says_what_to_set(database_url):
    env = {"ATGT_DATABASE_URL": database_url}
    result = CliRunner().invoke(app, ["zalo", "templates", "check"], env=env)
    assert result.exit_code == 1 and "ATGT_ZALO_OA_TEMPLATES" in result.output


def test_template_settings_name_the_bad_kind():
    assert load_settings(zalo_oa_templates="reminder=1, quiz=2").zalo_oa_templates == {
        "reminder": "1",
        "quiz": "2",
    }
    with pytest.raises(SettingsError, match="remindr"):
        load_settings(zalo_oa_templates="remindr=1")
    with pytest.raises(SettingsError, match="template_id"):
        load_settings(zalo_oa_templates='{"quiz": ""}')


def test_atgt_zalo_templates_check_against_the_fake(database_url):
    """The command itself: the grant from the settings, one line per template, exit code 1."""
    ready, done = threading.Event(), threading.Event()
    box: dict[str, FakeZaloOa] = {}

    async def serve() -> None:
        async with FakeZaloOa() as fake:
            fake.add_template("tpl-reminder")
            fake.add_template("short", params=(("noi_dung", True, 50), ("ngay", True, 10)))
            box["api"] = fake
            ready.set()
            while not done.is_set():
                await asyncio.sleep(0.02)

    thread = threading.Thread(target=asyncio.run, args=(serve(),))
    thread.start()
    try:
        assert ready.wait(10)
        fake = box["api"]
        env = {
            "ATGT_DATABASE_URL": database_url,
            "ATGT_ZALO_OA_APP_ID": fake.app_id,
            "ATGT_ZALO_OA_SECRET_KEY": fake.secret_key,
            "ATGT_ZALO_OA_REFRESH_TOKEN": fake.seed,
            "ATGT_ZALO_OA_OAUTH_URL": fake.oauth_url,
            "ATGT_ZALO_OA_BUSINESS_API_URL": fake.url,
            "ATGT_ZALO_OA_TEMPLATE_BUDGET": "50",
        }
        good = CliRunner().invoke(
            app,
            ["zalo", "templates", "check"],
            env=env | {"ATGT_ZALO_OA_TEMPLATES": "reminder=tpl-reminder"},
        )
        assert good.exit_code == 0, good.output
        assert "✓ reminder (mẫu tpl-reminder)" in good.output and "/50 tin" in good.output
        bad = CliRunner().invoke(
            app,
            ["zalo", "templates", "check"],
            env=env | {"ATGT_ZALO_OA_TEMPLATES": "reminder=tpl-reminder,quiz=short"},
        )
        assert bad.exit_code == 1 and "✗ quiz (mẫu short)" in bad.output
        assert fake.seed not in good.output + bad.output
    finally:
        done.set()
        thread.join(10)
