"""Web Push: a local fake push service receives the encrypted push; the test decrypts it.

The browser side (its key pair and auth secret) is played by the test, as a browser's
PushManager would; the server's keys come from `atgt web keys`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.pacing import Pacer
from bot.channels.sender import Sender
from bot.channels.serving import WebServer
from bot.channels.web import WebTransport
from bot.channels.web_app import WebChannel, WebConfig
from bot.channels.web_push import PushKeys, WebPush, b64url, b64url_decode, retry_after
from bot.core.router import BotConfig, Router
from bot.core.texts import t
from bot.db.models import Schedule, WebPushSubscription
from bot.runtime import Runtime
from bot.scheduling import Scheduler
from bot.services import schedules, web_push_store
from bot.services.notify import QuietHours
from bot.settings import load_settings
from handlers import ROUTES
from tests.channels.support import free_port
from tests.channels.test_web import URL, Site, joined, make_site
from tests.harness import load_roster, shipped_content
from tests.test_invite_cli import run as run_cli


class FakePushService:
    """Records each push; answers the `script`'s replies in turn, then `status` (201)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 201
        self.script: list[tuple[int, dict[str, str]]] = []  # (status, headers)
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[Route("/push/{id}", self._receive, methods=["POST"])])
        self._server = WebServer(app, host="127.0.0.1", port=self.port)

    async def _receive(self, request: Request) -> Response:
        self.received.append(
            (dict(request.headers) | {"path": request.url.path}, await request.body())
        )
        if self.script:
            status, headers = self.script.pop(0)
            return Response(status_code=status, headers=headers)
        return Response(status_code=self.status)

    async def __aenter__(self) -> FakePushService:
        await self._server.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()


class PushBrowser:
    """A browser's PushManager: its own key pair and auth secret."""

    def __init__(self, endpoint: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.json = {
            "endpoint": endpoint,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict:
        clear = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(clear)


def verify_vapid(header: str, server_key: str, audience: str) -> dict:
    """Check the VAPID JWT's ES256 signature with the server's public key; return its claims."""
    token, key = re.fullmatch(r"vapid t=([^,]+), k=(\S+)", header).groups()
    assert key == server_key
    head, body, signature = token.split(".")
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(b64url_decode(body))
    assert claims["aud"] == audience and claims["sub"] == URL
    return claims


def test_keys_are_made_once_by_the_cli(database_url):
    made = run_cli(database_url, "web", "keys")
    assert made.exit_code == 0, made.output
    public = re.search(r"Khóa công khai: (\S+)", made.output).group(1)
    again = run_cli(database_url, "web", "keys")
    assert again.exit_code == 0 and "--replace" in again.output
    replaced = run_cli(database_url, "web", "keys", "--replace")
    assert public not in replaced.output and "Khóa công khai" in replaced.output


async def stored_keys(sessionmaker, clock) -> PushKeys:
    """Keys as `atgt web keys` stores them (the command itself is tested above)."""
    made = PushKeys.generate()
    async with sessionmaker() as session, session.begin():
        await web_push_store.store_keys(
            session, private_pem=made.private_pem, public_key=made.public_key, now=clock()
        )
    async with sessionmaker() as session:
        return PushKeys((await web_push_store.keys(session)).private_pem)


@pytest.fixture
async def push_site(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    keys = await stored_keys(sessionmaker, clock)
    push = WebPush(sessionmaker, keys=keys, subject=URL, clock=clock, hosts=None)
    yield make_site(sessionmaker, clock, push=push, backoff=(0.01,))
    await push.aclose()


async def reminder_now(site: Site) -> None:
    scheduler = Scheduler(
        site.sessionmaker,
        shipped_content(),
        clock=site.clock,
        quiet=QuietHours.parse("21:00-06:30"),
        timezone="Asia/Ho_Chi_Minh",
    )
    async with site.sessionmaker() as session, session.begin():
        await schedules.ensure_defaults(session, now=site.clock(), timezone="Asia/Ho_Chi_Minh")
    async with site.sessionmaker() as session:
        schedule = await session.scalar(select(Schedule).where(Schedule.kind == "reminder"))
    assert (await scheduler.run_now(schedule.id)).queued == 1


async def subscriptions(site: Site) -> int:
    async with site.sessionmaker() as session:
        return len((await session.execute(select(WebPushSubscription))).all())


async def test_a_reminder_is_pushed_encrypted_and_signed(push_site):
    site = push_site
    browser = await joined(site, "NV1")
    key = (await browser.client.get("/api/push")).json()["key"]
    async with FakePushService() as service:
        device = PushBrowser(f"{service.origin}/push/1")
        answer = await browser.post("/api/push", device.json)
        assert answer.status_code == 200 and answer.json()["message"] == t("web.notify_done")
        await reminder_now(site)
        reminder = (await browser.new_messages())[0]
        ((headers, body),) = service.received
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    verify_vapid(headers["authorization"], key, service.origin)
    shown = device.decrypt(body)
    assert shown["title"] == t("web.app_name")
    assert shown["body"].startswith("💡") and reminder["text"].startswith(shown["body"][:40])
    # A signature checked against any other key fails.
    other = PushKeys.generate().public_key
    with pytest.raises(InvalidSignature):
        verify_vapid(headers["authorization"].replace(key, other), other, service.origin)


async def test_a_gone_subscription_is_removed_and_the_thread_still_fills(push_site):
    site = push_site
    browser = await joined(site, "NV1")
    async with FakePushService() as service:
        service.status = 410
        await browser.post("/api/push", PushBrowser(f"{service.origin}/push/1").json)
        assert await subscriptions(site) == 1
        await reminder_now(site)
        assert (await browser.new_messages())[0]["text"].startswith("💡")
        assert len(service.received) == 1
    assert await subscriptions(site) == 0


async def test_flood_control_is_waited_out_and_no_device_gets_a_push_twice(push_site):
    site = push_site
    phone, laptop = await joined(site, "NV1"), await joined(site, "NV1")
    await phone.new_messages()  # the notice about the second device, before any push
    async with FakePushService() as service:
        devices = [PushBrowser(f"{service.origin}/push/{n}") for n in (1, 2)]
        for browser, device in zip((phone, laptop), devices, strict=True):
            assert (await browser.post("/api/push", device.json)).status_code == 200
        # The first device's push goes through, the second is told to wait, then taken.
        service.script = [(201, {}), (429, {"retry-after": "0"})]
        await reminder_now(site)
        assert (await phone.new_messages())[0]["text"].startswith("💡")
        paths = [headers["path"] for headers, _ in service.received]
        by_path = {f"/push/{n}": device for n, device in zip((1, 2), devices, strict=True)}
        shown = [by_path[h["path"]].decrypt(body)["body"] for h, body in service.received]
    # The first push went through, the second was refused once and sent again; no other.
    assert sorted(paths) == ["/push/1", "/push/2", "/push/2"] and paths[0] != paths[1] == paths[2]
    assert all(text.startswith("💡") for text in shown)
    assert await subscriptions(site) == 2


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("0.5", 0.5), (None, 1.0), ("Wed, 21 Oct 2026 07:28:00 GMT", 1.0),
     ("-4", 1.0), ("nan", 1.0), ("99999", 3600.0)],
)  # fmt: skip
def test_a_retry_after_is_read_safely(header, seconds):
    assert retry_after(header) == seconds


async def test_an_unreachable_push_service_does_not_hold_the_thread(push_site):
    site = push_site
    browser = await joined(site, "NV1")
    down = PushBrowser(f"http://127.0.0.1:{free_port()}/push/1")
    assert (await browser.post("/api/push", down.json)).status_code == 200
    await reminder_now(site)
    assert (await browser.new_messages())[0]["text"].startswith("💡")
    assert await subscriptions(site) == 1  # kept: the service may come back


async def test_subscriptions_are_checked_and_end_with_the_session(push_site):
    site = push_site
    site.channel._push.hosts = ("fcm.googleapis.com",)  # production's list, shortened
    browser = await joined(site, "NV1")
    good = PushBrowser("https://fcm.googleapis.com/fcm/send/abc")
    for endpoint in ("http://127.0.0.1:9/push", "https://evil.example/fcm.googleapis.com"):
        refused = await browser.post("/api/push", PushBrowser(endpoint).json)
        assert refused.status_code == 400 and refused.json()["error"] == t("web.notify_failed")
    bad_key = {**good.json, "keys": {"p256dh": "AAAA", "auth": good.json["keys"]["auth"]}}
    assert (await browser.post("/api/push", bad_key)).status_code == 400
    no_token = await browser.client.post("/api/push", json=good.json)
    assert no_token.status_code == 403
    assert (await browser.post("/api/push", good.json)).status_code == 200
    assert (await browser.post("/api/push", good.json)).status_code == 200  # again: one row
    assert await subscriptions(site) == 1
    removed = await browser.post("/api/push/remove", {"endpoint": good.json["endpoint"]})
    assert removed.status_code == 200 and await subscriptions(site) == 0
    assert (await browser.post("/api/push", good.json)).status_code == 200
    await browser.post("/api/logout")
    assert await subscriptions(site) == 0


async def test_no_keys_no_push(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = Router(
        sessionmaker, ROUTES, BotConfig(web_url=URL), clock, outbox_channels=frozenset({"web"})
    )
    channel = WebChannel(
        config=WebConfig(url=URL),
        sessionmaker=sessionmaker,
        handle=router.handle,
        routes=ROUTES,
        bot_config=router.config,
        clock=clock,
    )
    sender = Sender(
        sessionmaker,
        WebTransport(),
        Pacer(rate=1000, chat_interval=0, group_interval=0),
        clock=clock,
    )
    browser = await joined(Site(channel, router, sender, sessionmaker, clock), "NV1")
    assert (await browser.client.get("/api/push")).json() == {"key": None}
    assert (
        await browser.post("/api/push", PushBrowser("https://fcm.googleapis.com/x").json)
    ).status_code == 400


@pytest.fixture
def keys_made(database_url) -> str:
    """`atgt web keys` run before the test's event loop starts (the CLI runs its own)."""
    assert run_cli(database_url, "web", "keys").exit_code == 0
    return database_url


async def test_atgt_run_offers_push_once_keys_exist(keys_made, tmp_path):
    database_url = keys_made
    port = free_port()
    runtime = Runtime(
        load_settings(database_url=database_url, web_url=f"http://127.0.0.1:{port}", web_port=port)
    )
    await load_roster(runtime.app.sessionmaker, runtime.app.router.now, tmp_path)
    await runtime.start()
    try:
        assert runtime.push is not None
        async with runtime.app.sessionmaker() as session:
            stored = await web_push_store.keys(session)
        assert runtime.push.keys.public_key == stored.public_key
    finally:
        await runtime.stop()


async def test_a_person_export_has_their_devices_and_subscriptions_without_secrets(
    push_site, database_url, tmp_path
):
    site = push_site
    phone, laptop = await joined(site, "NV1"), await joined(site, "NV1")
    other = await joined(site, "NV2")
    device = PushBrowser("http://127.0.0.1:9/push/nv1")
    assert (await phone.post("/api/push", device.json)).status_code == 200
    assert (
        await other.post("/api/push", PushBrowser("http://127.0.0.1:9/push/nv2").json)
    ).status_code == 200
    exported = tmp_path / "nv1.json"

    result = await asyncio.to_thread(
        run_cli, database_url, "org", "forget", "NV1", "--export", str(exported), "--yes"
    )

    assert result.exit_code == 0, result.output
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert len(data["web_session"]) == 2 and all(d["label"] for d in data["web_session"])
    (subscription,) = data["web_push_subscription"]
    assert subscription["endpoint"] == device.json["endpoint"]
    text = exported.read_text(encoding="utf-8")
    assert "token_hash" not in text and device.json["keys"]["auth"] not in text
    assert device.json["keys"]["p256dh"] not in text
    for browser in (phone, laptop):
        assert (await browser.client.get("/api/me")).status_code == 401
    assert (await other.client.get("/api/me")).status_code == 200
    assert await subscriptions(site) == 1  # NV2's stays
