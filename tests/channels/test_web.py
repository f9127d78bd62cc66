"""The web channel over HTTP: joining by link, sessions, anti-forgery, and the thread.

Real HTTP requests (httpx) against the page's ASGI app, the production router and routes,
the outbox and the paced sender with the web transport, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.web import WebTransport
from bot.channels.web_app import CSRF_HEADER, SESSION_COOKIE, STATIC, WebChannel, WebConfig
from bot.channels.web_push import WebPush
from bot.core import outbox
from bot.core.messages import Attachment, Reply
from bot.core.router import BotConfig, Router
from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Outbox, Schedule, WebSession
from bot.runtime import Runtime
from bot.scheduling import Scheduler
from bot.services import campaigns, org, privacy, schedules
from bot.services.notify import QuietHours
from bot.services.web_sessions import user_id_of
from bot.settings import SettingsError, load_settings
from handlers import ROUTES
from tests.channels.support import eventually, free_port
from tests.harness import Chat, issue_invite, linked_chat, load_roster, shipped_content
from tests.test_invite_cli import import_roster
from tests.test_invite_cli import run as run_cli
from tests.test_role_matrix import OWN, ROLE_OF, UNLINKED_OWN, allowed, commands

URL = "https://atgt.example.gov.vn"


@dataclass
class Site:
    channel: WebChannel
    router: Router
    sender: Sender
    sessionmaker: object
    clock: object

    def browser(self, user_agent: str = "Mozilla/5.0 (Linux; Android 14) Chrome/130") -> Browser:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.channel.app),
            base_url=URL,
            headers={"user-agent": user_agent},
        )
        return Browser(client, self)


class Browser:
    """One phone's browser: its cookie jar, the page's anti-forgery token, what it has seen."""

    def __init__(self, client: httpx.AsyncClient, site: Site) -> None:
        self.client = client
        self.site = site
        self.csrf = ""
        self.cursor = ""
        self.messages: list[dict] = []

    async def join(self, code: str) -> httpx.Response:
        form = await self.client.get(f"/j/{code}")
        assert form.status_code == 200
        nonce = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        answer = await self.client.post(f"/j/{code}", data={"csrf": nonce})
        if answer.status_code == 303:
            me = await self.client.get("/api/me")
            self.csrf = me.json()["csrf"]
        return answer

    async def post(self, path: str, body: dict | None = None) -> httpx.Response:
        return await self.client.post(path, json=body or {}, headers={CSRF_HEADER: self.csrf})

    async def new_messages(self) -> list[dict]:
        """Let the sender deliver what is due, then read the thread as the page polls it."""
        await self.site.sender.drain()
        params = {"since": self.cursor} if self.cursor else {}
        answer = await self.client.get("/api/thread", params=params)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        self.cursor = data["cursor"] or self.cursor
        known = {m["id"] for m in self.messages}
        fresh = [m for m in data["messages"] if m["id"] not in known]
        self.messages += fresh
        return fresh

    async def say(self, text: str) -> str:
        answer = await self.post("/api/send", {"text": text})
        assert answer.status_code == 202, answer.text
        return "\n".join(m["text"] for m in await self.new_messages())


def make_site(sessionmaker, clock, *, push: WebPush | None = None, **sender_options) -> Site:
    """The production router and web page on the test clock, with an unpaced web sender."""
    router = Router(
        sessionmaker,
        ROUTES,
        BotConfig(invite_ttl_days=14, web_url=URL),
        clock,
        outbox_channels=frozenset({"web"}),
        content=shipped_content(),
    )
    channel = WebChannel(
        config=WebConfig(url=URL),
        sessionmaker=sessionmaker,
        handle=router.handle,
        routes=ROUTES,
        bot_config=router.config,
        clock=clock,
        push=push,
        content=shipped_content(),
    )
    pacer = Pacer(rate=1000, chat_interval=0, group_interval=0)
    sender = Sender(sessionmaker, WebTransport(push), pacer, clock=clock, **sender_options)
    return Site(channel, router, sender, sessionmaker, clock)


@pytest.fixture
async def site(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    return make_site(sessionmaker, clock)


async def joined(site: Site, code: str) -> Browser:
    browser = site.browser()
    secret = await issue_invite(site.sessionmaker, site.clock, code)
    assert (await browser.join(secret)).status_code == 303
    await browser.new_messages()  # the greeting
    return browser


async def test_a_link_signs_the_browser_in_and_the_thread_greets(site):
    browser = site.browser()
    secret = await issue_invite(site.sessionmaker, site.clock, "NV1")
    form = await browser.client.get(f"/j/{secret}")
    # Opening the link (or a chat app's preview of it) does not use the code up.
    assert t("web.join_button") in form.text and "Nhân Viên Một" not in form.text
    answer = await browser.join(secret)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    me = (await browser.client.get("/api/me")).json()
    assert me["name"] == "Nhân Viên Một" and "/diem" in me["quick"]
    greeting = await browser.new_messages()
    assert greeting[0]["text"].startswith("Xin chào Nhân Viên Một")
    # The same link a second time: used up.
    again = site.browser()
    refused = await again.join(secret)
    assert refused.status_code == 400 and t("onboarding.code_used") in refused.text
    async with site.sessionmaker() as session:
        stored = (await session.execute(select(WebSession))).scalars().all()
    token = browser.client.cookies[SESSION_COOKIE]
    assert len(stored) == 1 and token not in stored[0].token_hash
    assert stored[0].label == "Chrome · Android"


async def test_nothing_personal_without_a_session(site):
    browser = site.browser()
    for path in ("/api/me", "/api/thread", "/api/devices", "/api/file/1/image"):
        answer = await browser.client.get(path)
        assert answer.status_code == 401, path
        assert t("web.signed_out") in answer.json()["error"]
    page = await browser.client.get("/")
    assert page.status_code == 200 and "Nhân Viên" not in page.text
    browser.client.cookies.set(SESSION_COOKIE, "made-up")
    assert (await browser.client.get("/api/me")).status_code == 401


async def test_wrong_and_expired_codes_are_refused_and_counted(site, clock):
    browser = site.browser()
    wrong = await browser.join("ABCDEFGHJKMNP")
    assert wrong.status_code == 400 and t("onboarding.code_wrong") in wrong.text
    expired = await issue_invite(site.sessionmaker, clock, "NV2", days=1)
    clock.advance(days=2)
    answer = await browser.join(expired)
    assert answer.status_code == 400 and "đã hết hạn" in answer.text
    for _ in range(4):
        await browser.join("ABCDEFGHJKMNP")
    # Five refusals in the hour: even a good code waits (same limit as in the chats).
    good = await issue_invite(site.sessionmaker, clock, "NV3")
    limited = await browser.join(good)
    assert limited.status_code == 400 and t("onboarding.too_many") in limited.text
    assert (await browser.client.get("/api/me")).status_code == 401
    clock.advance(hours=1, minutes=1)
    assert (await browser.join(good)).status_code == 303


async def test_state_changes_need_the_anti_forgery_token(site):
    browser = await joined(site, "NV1")
    no_token = await browser.client.post("/api/send", json={"text": "/diem"})
    wrong = await browser.client.post(
        "/api/send", json={"text": "/diem"}, headers={CSRF_HEADER: "0" * 64}
    )
    foreign = await browser.client.post(
        "/api/send",
        json={"text": "/diem"},
        headers={CSRF_HEADER: browser.csrf, "origin": "https://evil.example"},
    )
    for answer in (no_token, wrong, foreign):
        assert answer.status_code == 403
    for path in ("/api/logout", "/api/devices/1/revoke"):
        assert (await browser.client.post(path)).status_code == 403
    assert await browser.new_messages() == []  # nothing was sent
    assert all(not m["text"].startswith("Điểm câu đố") for m in browser.messages)
    # The join form refuses a post without the cookie it set.
    secret = await issue_invite(site.sessionmaker, site.clock, "NV2")
    bare = site.browser()
    forged = await bare.client.post(f"/j/{secret}", data={"csrf": "x"})
    assert forged.status_code == 403 and t("web.join_again") in forged.text
    assert (await bare.join(secret)).status_code == 303  # the code was not used up


async def test_devices_revoke_and_log_out(site):
    phone = await joined(site, "NV1")
    laptop = site.browser("Mozilla/5.0 (Windows NT 10.0) Firefox/130")
    secret = await issue_invite(site.sessionmaker, site.clock, "NV1")
    assert (await laptop.join(secret)).status_code == 303
    listed = (await phone.client.get("/api/devices")).json()["devices"]
    assert [d["label"] for d in listed] == ["Firefox · Windows", "Chrome · Android"]
    assert [d["current"] for d in listed] == [False, True]
    # Both devices show the same thread.
    await phone.say("/diem")
    texts = [m["text"] for m in await laptop.new_messages()]
    assert any(text.startswith("Điểm câu đố của Nhân Viên Một") for text in texts)
    revoked = await phone.post(f"/api/devices/{listed[0]['id']}/revoke")
    assert revoked.status_code == 200
    assert (await laptop.client.get("/api/thread")).status_code == 401
    assert (await laptop.post("/api/send", {"text": "/diem"})).status_code == 401
    # Someone else's device cannot be revoked.
    other = await joined(site, "NV2")
    mine = (await phone.client.get("/api/devices")).json()["devices"][0]["id"]
    assert (await other.post(f"/api/devices/{mine}/revoke")).status_code == 404
    assert (await phone.post("/api/logout")).status_code == 200
    assert (await phone.client.get("/api/me")).status_code == 401
    async with site.sessionmaker() as session:
        account = await session.scalar(
            select(ChannelAccount).where(ChannelAccount.platform_user_id == "p3")
        )
    # No device left: reminders go to the person's other channels.
    assert account.channel == "web" and account.status == AccountStatus.LEFT


async def test_joining_again_rotates_the_session(site):
    browser = await joined(site, "NV1")
    first = browser.client.cookies[SESSION_COOKIE]
    secret = await issue_invite(site.sessionmaker, site.clock, "NV1")
    assert (await browser.join(secret)).status_code == 303
    second = browser.client.cookies[SESSION_COOKIE]
    assert second != first
    thief = site.browser()
    thief.client.cookies.set(SESSION_COOKIE, first)
    assert (await thief.client.get("/api/me")).status_code == 401
    devices = (await browser.client.get("/api/devices")).json()["devices"]
    assert len(devices) == 1


async def test_a_quiz_is_answered_with_its_buttons(site):
    browser = await joined(site, "NV1")
    await browser.say("/quiz")
    quiz = browser.messages[-1]
    assert quiz["quiz"]["question"] and len(quiz["quiz"]["options"]) >= 2
    assert "correct" not in quiz["quiz"] and "explanation" not in quiz["quiz"]
    # An option that message did not offer is refused without reaching the router.
    bad = await browser.post("/api/send", {"row": quiz["id"], "option": 99})
    assert bad.status_code == 400 and bad.json()["error"] == t("web.choice_gone")
    answer = await browser.post("/api/send", {"row": quiz["id"], "option": 0})
    assert answer.status_code == 202
    verdict = (await browser.new_messages())[0]["text"]
    assert verdict.startswith(("✅", "❌")) and "Căn cứ:" in verdict


async def test_a_scheduled_reminder_appears_in_the_thread(site, clock):
    browser = await joined(site, "NV1")
    scheduler = Scheduler(
        site.sessionmaker,
        shipped_content(),
        clock=clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    async with site.sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=clock(), timezone="Asia/Ho_Chi_Minh")
    async with site.sessionmaker() as session:
        schedule = await session.scalar(select(Schedule).where(Schedule.kind == "reminder"))
    outcome = await scheduler.run_now(schedule.id)
    assert outcome.queued >= 1
    reminder = (await browser.new_messages())[0]
    assert reminder["text"].startswith("💡")
    ack = reminder["buttons"][0][0]
    assert ack["label"] == t("reminder.ack_button")
    # A payload the message did not carry is refused: buttons cannot be forged.
    forged = await browser.post("/api/send", {"row": reminder["id"], "data": "ack:999"})
    assert forged.status_code == 400
    pressed = await browser.post("/api/send", {"row": reminder["id"], "data": ack["data"]})
    assert pressed.status_code == 202
    assert (await browser.new_messages())[0]["text"] == t("reminder.ack_thanks")


async def test_manager_commands_follow_the_role(site):
    employee = await joined(site, "NV1")
    assert await employee.say("/nhansu") == t("error.forbidden")
    manager = await joined(site, "QL1")
    assert "/nhansu" not in (await employee.client.get("/api/me")).json()["quick"]
    listing = await manager.say("/nhansu")
    # Both joined on the web count as having joined the bot.
    assert listing.startswith("Sở A/Phòng 1: 3 người, 2 đã tham gia bot.")


async def test_questions_and_commands_go_through_the_router(site):
    browser = await joined(site, "NV1")
    assert (await browser.say("/lichsu")).startswith("Lịch sử")
    assert (await browser.say("/bangxephang")).startswith("Thi đua giữa các đơn vị")
    answer = await browser.say("đi xe máy có phải đội mũ bảo hiểm không")
    assert answer and answer not in (t("error.apology"), t("error.not_understood"))
    too_long = await browser.post("/api/send", {"text": "a" * 2001})
    assert too_long.status_code == 400
    assert (await browser.post("/api/send", {"text": "  "})).status_code == 400
    assert (await browser.post("/api/send", {"row": True, "data": "x"})).status_code == 400


async def test_a_retried_send_counts_once(site):
    browser = await joined(site, "NV1")
    for _ in range(2):
        answer = await browser.post("/api/send", {"id": "abc123", "text": "/diem"})
        assert answer.status_code == 202
    assert len(await browser.new_messages()) == 1


async def test_security_headers_everywhere(site):
    browser = await joined(site, "NV1")
    secret = await issue_invite(site.sessionmaker, site.clock, "NV2")
    for path in ("/", "/api/me", f"/j/{secret}", "/static/app.js", "/manifest.webmanifest"):
        headers = (await browser.client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_and_is_light():
    pages = [STATIC / "index.html", STATIC / "join.html"]
    for page in pages:
        for tag in re.findall(r"<script[^>]*>", page.read_text(encoding="utf-8")):
            assert "src=" in tag, (page, tag)
        assert not re.search(r"\son[a-z]+=", page.read_text(encoding="utf-8")), page
    first_load = [*pages[:1], *(STATIC / "static").glob("app.*"), STATIC / "static" / "icon.svg"]
    assert sum(path.stat().st_size for path in first_load) < 150_000


async def test_pwa_files(site):
    browser = site.browser()
    manifest = (await browser.client.get("/manifest.webmanifest")).json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        image = await browser.client.get(icon["src"])
        assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    worker = await browser.client.get("/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.headers["content-type"]
    assert "/api/" not in re.findall(r"SHELL = \[(.*?)\]", worker.text)[0]


async def test_web_command_gives_a_one_time_link(site, sessionmaker, clock):
    chat = await linked_chat(site.router, sessionmaker, clock, "NV2", channel="test")
    other = await issue_invite(sessionmaker, clock, "NV2")
    answer = await chat.say("/web")
    link = re.search(r"https://\S+/j/(\S+)", answer)
    assert link and "15 phút" in answer
    browser = site.browser()
    assert (await browser.join(link.group(1))).status_code == 303
    assert (await browser.client.get("/api/me")).json()["name"] == "Nhân Viên Hai"
    # An invite issued for another channel still works.
    assert (await site.browser().join(other)).status_code == 303
    clock.advance(minutes=16)
    late = re.search(r"/j/(\S+)", await chat.say("/web")).group(1)
    clock.advance(minutes=16)
    assert (await site.browser().join(late)).status_code == 400


async def test_web_command_exists_only_while_the_channel_is_on(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = Router(sessionmaker, ROUTES, BotConfig(), clock, content=shipped_content())
    chat = await linked_chat(router, sessionmaker, clock, "NV1")
    assert "/web" not in await chat.say("/help")
    assert await chat.say("/web") == t("error.forbidden")
    assert isinstance(chat, Chat)


@pytest.mark.parametrize(
    "value", ["atgt.example.gov.vn", "ftp://x.vn", "https://x.vn/bot", "https://x.vn/?a=1"]
)
def test_the_web_url_must_be_a_bare_origin(value):
    with pytest.raises(SettingsError, match="ATGT_WEB_URL"):
        load_settings(web_url=value)


def test_the_web_channel_is_off_unless_its_url_is_set():
    assert load_settings(web_url="").web_url is None
    assert load_settings(web_url="https://x.vn/").web_url == "https://x.vn"


def test_invite_create_prints_the_web_link(database_url, tmp_path):
    import_roster(database_url, tmp_path)
    result = run_cli(database_url, "invite", "create", "--person", "NV1", ATGT_WEB_URL=URL)
    assert result.exit_code == 0, result.output
    code = re.search(r"\(NV1\): (\w{13})", result.output).group(1)
    assert f"{URL}/j/{code}" in result.output
    bulk = tmp_path / "moi.xlsx"
    result = run_cli(
        database_url, "invite", "create", "--unit", "Sở A", "--xlsx", str(bulk), ATGT_WEB_URL=URL
    )
    assert result.exit_code == 0, result.output
    header, *rows = load_workbook(bulk).active.iter_rows(values_only=True)
    column = header.index("Link web")
    assert rows and all(row[column] == f"{URL}/j/{row[4]}" for row in rows)


async def test_atgt_run_serves_the_page_with_only_the_web_url_set(database_url, tmp_path):
    port = free_port()
    settings = load_settings(
        database_url=database_url,
        web_url="http://atgt.test",
        web_port=port,
        quiet_hours="21:00-06:30",
        timezone="Asia/Ho_Chi_Minh",
    )
    runtime = Runtime(settings)
    await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    try:
        secret = await issue_invite(runtime.app.sessionmaker, runtime.app.router.now, "NV1")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            form = await client.get(f"/j/{secret}")
            nonce = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
            joined = await client.post(f"/j/{secret}", data={"csrf": nonce})
            assert joined.status_code == 303
            cookie = joined.headers["set-cookie"]
            assert "HttpOnly" in cookie and "Secure" not in cookie  # plain http here

            async def thread() -> list[str]:
                answer = await client.get("/api/thread")
                return [m["text"] for m in answer.json()["messages"]]

            await eventually(thread, lambda texts: len(texts) == 1)
            csrf = (await client.get("/api/me")).json()["csrf"]
            sent = await client.post(
                "/api/send", json={"text": "/diem"}, headers={CSRF_HEADER: csrf}
            )
            assert sent.status_code == 202
            texts = await eventually(thread, lambda texts: len(texts) == 2)
            assert texts[1].startswith("Điểm câu đố của Nhân Viên Một")
    finally:
        await runtime.stop()


async def test_an_announcement_is_sent_and_read_on_the_web(site):
    admin = await joined(site, "AD1")
    employee = await joined(site, "NV1")
    await admin.say("/thongbao Nhắc đội mũ bảo hiểm")
    draft = admin.messages[-1]
    send_now = next(b for line in draft["buttons"] for b in line if b["label"] == "Gửi ngay")
    assert (
        await admin.post("/api/send", {"row": draft["id"], "data": send_now["data"]})
    ).is_success
    await admin.new_messages()
    notice = (await employee.new_messages())[0]
    assert "Nhắc đội mũ bảo hiểm" in notice["text"]
    (read,) = [b for line in notice["buttons"] for b in line]
    for _ in range(2):
        pressed = await employee.post("/api/send", {"row": notice["id"], "data": read["data"]})
        assert pressed.status_code == 202
    replies = [m["text"] for m in await employee.new_messages()]
    assert replies == [t("broadcast.read_thanks"), t("broadcast.read_again")]
    assert "1 đã đọc" in await admin.say("/thongbao_ketqua")


async def test_an_oversized_request_is_refused_unread(site):
    browser = await joined(site, "NV1")
    huge = b'{"text": "' + b"a" * 100_000 + b'"}'
    answer = await browser.client.post(
        "/api/send", content=huge, headers={CSRF_HEADER: browser.csrf}
    )
    assert answer.status_code == 413
    assert await browser.new_messages() == []


async def test_the_role_matrix_holds_on_the_web(site):
    refused = t("error.forbidden")
    browsers = {code: await joined(site, code) for code in ROLE_OF}
    for route in commands():
        for code, role in ROLE_OF.items():
            # An invite names someone not linked yet (re-linking NV1 would tell NV1 about it).
            target = UNLINKED_OWN if route.name == "moi" else OWN
            answer = await browsers[code].say(f"/{route.name} {target}")
            assert (answer != refused) == allowed(route, role, web=True), (route.name, code, answer)


async def test_forgetting_a_person_signs_their_browsers_out(site):
    browser = await joined(site, "NV1")
    await browser.say("/diem")
    async with site.sessionmaker() as session, session.begin():
        person = await org.find_person(session, code="NV1")
        await privacy.forget_person(session, person=person)
    assert (await browser.client.get("/api/me")).status_code == 401
    async with site.sessionmaker() as session:
        assert (await session.execute(select(WebSession))).first() is None
        assert (await session.execute(select(Outbox))).first() is None


async def test_a_deactivated_person_is_signed_out(site):
    browser = await joined(site, "NV1")
    async with site.sessionmaker() as session, session.begin():
        person = await org.find_person(session, code="NV1")
        person.active = False
    assert (await browser.client.get("/api/thread")).status_code == 401


async def test_registration_and_the_weekly_check_in_from_the_page(site, clock):
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # Monday
    async with site.sessionmaker() as session, session.begin():
        await campaigns.create_campaign(
            session,
            name="Thi đua 2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            units=[await org.find_unit(session, path="Sở A")],
            timezone="Asia/Ho_Chi_Minh",
            now=clock(),
        )
    browser = await joined(site, "NV1")
    assert "Thi đua 2026" in await browser.say("/dangky")

    async def press(label_or_data: str) -> str:
        message = browser.messages[-1]
        button = next(
            b
            for line in message["buttons"]
            for b in line
            if label_or_data in (b["label"], b["data"]) or b["data"].endswith(label_or_data)
        )
        body = {"row": message["id"], "data": button["data"]}
        assert (await browser.post("/api/send", body)).status_code == 202
        return "\n".join(m["text"] for m in await browser.new_messages())

    await browser.say("/baocaotuan")
    await press(":q:0")  # question by question
    await press(":a:0:1")
    await press(":a:1:1")
    saved = await press(":a:2:1")
    assert "Đã ghi nhận báo cáo tuần 23/11/2026 – 29/11/2026: chấp hành đầy đủ." in saved


async def test_a_file_is_served_only_to_the_browser_whose_thread_holds_it(site):
    # An outsider, another employee and a manager of another unit cannot fetch it by number.
    owner, colleague, other_manager = [await joined(site, c) for c in ("NV1", "NV2", "QL2")]
    async with site.sessionmaker() as session, session.begin():
        nv1 = await org.find_person(session, code="NV1")
        document = Attachment("ket-qua.xlsx", b"PK-not-really", "Kết quả")
        await outbox.enqueue(
            session,
            channel="web",
            chat_id=user_id_of(nv1),
            replies=[Reply(document=document)],
            now=site.clock(),
        )
    await owner.new_messages()  # the sender puts the row into NV1's thread
    async with site.sessionmaker() as session:
        query = select(Outbox.id).where(Outbox.chat_id == user_id_of(nv1))
        row = max((await session.execute(query)).scalars())
    path = f"/api/file/{row}/document"

    assert (await owner.client.get(path)).content == b"PK-not-really"
    for browser in (colleague, other_manager):
        assert (await browser.client.get(path)).status_code == 404
    assert (await site.browser().client.get(path)).status_code == 401
