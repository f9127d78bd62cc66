"""The web channel's HTTP side: join links, the page, its JSON API and security headers.

No personal data without a session cookie; every state change needs the session's
anti-forgery token (the join form a cookie-bound one); everything the person asks goes
through the router, exactly as a chat message would.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import json
import logging
import mimetypes
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import web, web_dashboard
from bot.channels.serving import WebServer
from bot.channels.web_push import WebPush, b64url_decode
from bot.channels.webhook import Health, always_ok
from bot.content import Content, load_content
from bot.core import outbox
from bot.core.messages import Incoming, Reply, attachment_from_dict
from bot.core.router import BotConfig, command_menu
from bot.core.router import Route as BotRoute
from bot.core.texts import ROLE_LABELS, t
from bot.db.models import ChannelAccount, Outbox, OutboxStatus, WebSession
from bot.services import dashboard, digest, web_push_store, web_sessions
from bot.services.invites import InviteRefused

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("web_static")
SESSION_COOKIE = "atgt_session"
JOIN_COOKIE = "atgt_join"
CSRF_HEADER = "x-csrf-token"
THREAD_PAGE = 50
# Every request the page makes is a few hundred bytes; a message is at most 2,000 characters.
MAX_BODY = 16_384
# Commands offered as one-tap chips, in this order, when the person's role has them.
QUICK = ("quiz", "diem", "bangxephang", "lichsu", "baocaotuan", "help")
INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the
    # page's own POSTs, and the origin check needs the real one. Other sites get nothing.
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

Handle = Callable[[Incoming], Awaitable[list[Reply]]]
Clock = Callable[[], datetime]


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Where the page lives and how it talks."""

    url: str
    timezone: str = "Asia/Ho_Chi_Minh"
    host: str = "127.0.0.1"
    port: int = 8083

    @property
    def secure(self) -> bool:
        """Cookies are Secure when the public URL is https."""
        return urlsplit(self.url).scheme == "https"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


class WebChannel:
    """The web page, served on its own port by `atgt run` while the channel is on."""

    def __init__(
        self,
        *,
        config: WebConfig,
        sessionmaker: async_sessionmaker[AsyncSession],
        handle: Handle,
        routes: list[BotRoute] | tuple[BotRoute, ...],
        bot_config: BotConfig,
        clock: Clock,
        health: Health | None = None,
        wake: Callable[[str], None] | None = None,
        push: WebPush | None = None,
        content: Content | None = None,
    ) -> None:
        self.config = config
        self.bot_config = bot_config  # which commands the menu offers (settings)
        self._content = content
        self._topics: dict[str, str] | None = None
        self._push = push
        self._wake = wake or (lambda channel: None)
        self._sessionmaker = sessionmaker
        self._handle = handle
        self._routes = routes
        self._clock = clock
        self._health = health or always_ok
        self._tz = ZoneInfo(config.timezone)
        self._index = _render(STATIC / "index.html")
        self._join_page = (STATIC / "join.html").read_text(encoding="utf-8")
        self.app: ASGIApp = SecurityHeaders(self._starlette())
        self._server: WebServer | None = None

    async def start(self) -> None:
        """Listen on the configured port."""
        self._server = WebServer(self.app, host=self.config.host, port=self.config.port)
        await self._server.start()
        log.info("web channel serving %s on port %d", self.config.url, self.config.port)

    async def stop_receiving(self) -> None:
        """Finish the requests in flight and stop listening."""
        if self._server is not None:
            await self._server.stop()
            self._server = None

    def _starlette(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/", self.index, methods=["GET"]),
                Route("/sw.js", self.service_worker, methods=["GET"]),
                Route("/manifest.webmanifest", self.manifest, methods=["GET"]),
                Route("/j/{code}", self.join_form, methods=["GET"]),
                Route("/j/{code}", self.join, methods=["POST"]),
                Route("/api/me", self.me, methods=["GET"]),
                Route("/api/thread", self.thread, methods=["GET"]),
                Route("/api/send", self.send, methods=["POST"]),
                Route("/api/devices", self.devices, methods=["GET"]),
                Route("/api/devices/{id:int}/revoke", self.revoke, methods=["POST"]),
                Route("/api/logout", self.logout, methods=["POST"]),
                Route("/api/file/{row:int}/{kind}", self.file, methods=["GET"]),
                Route("/api/push", self.push_key, methods=["GET"]),
                Route("/api/push", self.push_subscribe, methods=["POST"]),
                Route("/api/push/remove", self.push_unsubscribe, methods=["POST"]),
                Route("/dashboard", self.dashboard, methods=["GET"]),
                Route("/dashboard/export", self.dashboard_export, methods=["GET"]),
                Route("/healthz", self.healthz, methods=["GET"]),
                Mount("/static", StaticFiles(directory=STATIC / "static"), name="static"),
            ]
        )

    # The page shell: the same for everyone, so the service worker may keep it offline.

    async def index(self, _: Request) -> Response:
        return _html(self._index, cache="no-cache")

    async def service_worker(self, _: Request) -> Response:
        body = (STATIC / "sw.js").read_bytes()
        return Response(body, media_type="text/javascript", headers={"cache-control": "no-cache"})

    async def manifest(self, _: Request) -> Response:
        data = {
            "name": t("web.app_name"),
            "short_name": t("web.short_name"),
            "lang": "vi",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "/static/icon-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
        return Response(
            json.dumps(data, ensure_ascii=False),
            media_type="application/manifest+json",
            headers={"cache-control": "no-cache"},
        )

    async def healthz(self, _: Request) -> Response:
        ok = await self._health()
        return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

    # Joining: GET shows a form (link previews must not use the code up), POST redeems.

    async def join_form(self, request: Request) -> Response:
        nonce = secrets.token_urlsafe(24)
        response = self._join_response(nonce, error="")
        self._set_join_cookie(response, nonce)
        return response

    async def join(self, request: Request) -> Response:
        # The form is tiny and urlencoded: parsed here, without a multipart dependency.
        raw = await _body(request)
        given = (parse_qs((raw or b"").decode("utf-8", "replace")).get("csrf") or [""])[0]
        cookie = request.cookies.get(JOIN_COOKIE, "")
        if not self._same_origin(request) or not cookie or not _equal(given, cookie):
            nonce = secrets.token_urlsafe(24)
            response = self._join_response(nonce, error=t("web.join_again"), status=403)
            self._set_join_cookie(response, nonce)
            return response
        code = request.path_params["code"]
        sender = f"ip:{request.client.host if request.client else 'unknown'}"
        label = web_sessions.device_label(request.headers.get("user-agent", ""))
        error = ""
        async with self._sessionmaker() as session, session.begin():
            try:
                joined = await web_sessions.join(
                    session,
                    code=code[:64],
                    sender=sender,
                    label=label,
                    now=self._clock(),
                    timezone=self.config.timezone,
                    old_token=request.cookies.get(SESSION_COOKIE),
                )
            except InviteRefused as refused:
                error = refused.message  # the transaction commits: the attempt counts
            else:
                await self._welcome(session, joined.account)
        if error:
            return self._join_response(cookie, error=error, status=400)
        self._wake(web.CHANNEL)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            joined.token,
            max_age=int(web_sessions.IDLE_LIMIT.total_seconds()),
            path="/",
            secure=self.config.secure,
            httponly=True,
            samesite="lax",
        )
        response.delete_cookie(JOIN_COOKIE, path="/j/")
        return response

    async def _welcome(self, session: AsyncSession, account: ChannelAccount) -> None:
        """The thread opens with the same greeting a chat gets on joining."""
        person = account.person
        menu = command_menu(self._routes, person.role, web.CHANNEL, self.bot_config)
        greeting = Reply(
            t("onboarding.welcome", name=person.full_name, unit=person.unit.path), menu=menu
        )
        await outbox.enqueue(
            session,
            channel=web.CHANNEL,
            chat_id=account.chat_id,
            replies=[greeting],
            now=self._clock(),
            account_id=account.id,
        )

    def _join_response(self, nonce: str, *, error: str, status: int = 200) -> Response:
        error_html = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        page = self._join_page
        for key, value in (
            ("app_name", t("web.app_name")),
            ("title", t("web.join_title")),
            ("intro", t("web.join_intro")),
            ("private", t("web.join_private")),
            ("button", t("web.join_button")),
            ("csrf", nonce),
        ):
            page = page.replace("{{" + key + "}}", html.escape(value))
        page = page.replace("{{error}}", error_html)
        return _html(page, status=status, cache="no-store")

    def _set_join_cookie(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            JOIN_COOKIE,
            nonce,
            max_age=3600,
            path="/j/",
            secure=self.config.secure,
            httponly=True,
            samesite="strict",
        )

    # The JSON API: a live session for everything, plus the anti-forgery token to change.

    async def _session(self, request: Request, *, change: bool) -> WebSession | Response:
        """The request's live session, or the refusal to send back."""
        async with self._sessionmaker() as session, session.begin():
            # Loaded attributes outlive the session (expire_on_commit=False).
            return await self._live(session, request, change=change)

    async def _live(
        self, session: AsyncSession, request: Request, *, change: bool
    ) -> WebSession | Response:
        """As _session, inside the caller's transaction (one round of BEGIN/COMMIT less)."""
        token = request.cookies.get(SESSION_COOKIE, "")
        found = await web_sessions.find(session, token=token, now=self._clock())
        if found is None:
            response = _json({"error": t("web.signed_out")}, status=401)
            if token:
                response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        if change:
            given = request.headers.get(CSRF_HEADER, "")
            if not self._same_origin(request) or not _equal(given, web_sessions.csrf_token(token)):
                log.warning("web: state change refused (anti-forgery token or origin)")
                return _json({"error": t("web.forbidden")}, status=403)
        return found

    def _same_origin(self, request: Request) -> bool:
        """Browsers send Origin on POST; a foreign one is a cross-site request."""
        origin = request.headers.get("origin")
        return origin is None or origin == self.config.origin

    async def me(self, request: Request) -> Response:
        found = await self._session(request, change=False)
        if isinstance(found, Response):
            return found
        person = found.account.person
        menu = command_menu(self._routes, person.role, web.CHANNEL, self.bot_config)
        offered = {name for name, _ in menu}
        token = request.cookies.get(SESSION_COOKIE, "")
        return _json(
            {
                "name": person.full_name,
                "unit": person.unit.path,
                "role": ROLE_LABELS[person.role],
                "csrf": web_sessions.csrf_token(token),
                "quick": [f"/{name}" for name in QUICK if name in offered],
                "dashboard": person.role in dashboard.VIEWERS,
            }
        )

    async def thread(self, request: Request) -> Response:
        since_text = request.query_params.get("since", "")
        try:
            since = datetime.fromisoformat(since_text) if since_text else None
        except ValueError:
            since = None
        if (since_text and since is None) or (since is not None and since.tzinfo is None):
            return _json({"error": "since"}, status=400)
        # The most frequent request (every open page polls): one transaction for both reads.
        async with self._sessionmaker() as session, session.begin():
            found = await self._live(session, request, change=False)
            if isinstance(found, Response):
                return found
            query = select(Outbox).where(
                Outbox.channel == web.CHANNEL,
                Outbox.chat_id == found.account.chat_id,
                Outbox.status == OutboxStatus.SENT,
            )
            if since is None:
                latest = query.order_by(Outbox.sent_at.desc(), Outbox.id.desc()).limit(THREAD_PAGE)
                rows = list(reversed((await session.execute(latest)).scalars().all()))
            else:
                # >=: rows sent in the same instant as the cursor are sent again; the page
                # drops ids it has. Ordering by id instead would miss rows held back by
                # quiet hours and delivered after later ones.
                newer = query.where(Outbox.sent_at >= since).order_by(Outbox.sent_at, Outbox.id)
                rows = list((await session.execute(newer.limit(200))).scalars())
        cursor = max((row.sent_at for row in rows if row.sent_at), default=since)
        return _json(
            {
                "messages": [web.view(row, self._tz) for row in rows],
                "cursor": cursor.isoformat() if cursor else "",
            }
        )

    async def send(self, request: Request) -> Response:
        found = await self._session(request, change=True)
        if isinstance(found, Response):
            return found
        raw = await _body(request)
        if raw is None:
            return _json({"error": t("web.too_long", limit=web.MAX_TEXT)}, status=413)
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _json({"error": "json"}, status=400)
        if not isinstance(body, dict):
            return _json({"error": "json"}, status=400)
        account = found.account
        base = web.base_event(
            event=web.event_id(found.id, body.get("id")),
            user_id=account.platform_user_id,
            chat_id=account.chat_id,
            now=self._clock(),
        )
        if "row" in body:
            incoming = await self._choice(account.chat_id, base, body)
            if incoming is None:
                return _json({"error": t("web.choice_gone")}, status=400)
        else:
            text = body.get("text")
            if not isinstance(text, str) or not text.strip():
                return _json({"error": t("error.empty")}, status=400)
            if len(text) > web.MAX_TEXT:
                return _json({"error": t("web.too_long", limit=web.MAX_TEXT)}, status=400)
            incoming = web.text_event(base, text.strip())
        await self._handle(incoming)
        return _json({"ok": True}, status=202)

    async def _choice(
        self, chat: str, base: dict[str, Any], body: dict[str, Any]
    ) -> Incoming | None:
        """A pressed button or quiz option, checked against the row that offered it."""
        row_id = body.get("row")
        if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 < row_id < 2**63:
            return None
        async with self._sessionmaker() as session:
            row = await session.get(Outbox, row_id)
        if row is None or row.channel != web.CHANNEL or row.chat_id != chat:
            return None
        return web.choice_event(base, row, body.get("data"), body.get("option"))

    async def devices(self, request: Request) -> Response:
        found = await self._session(request, change=False)
        if isinstance(found, Response):
            return found
        async with self._sessionmaker() as session:
            listed = await web_sessions.devices(session, account_id=found.account_id)
        return _json(
            {
                "devices": [
                    {
                        "id": device.id,
                        "label": device.label,
                        "line": t(
                            "web.device_line",
                            created=self._local(device.created_at),
                            seen=self._local(device.last_seen_at),
                        ),
                        "current": device.id == found.id,
                    }
                    for device in listed
                ]
            }
        )

    async def revoke(self, request: Request) -> Response:
        found = await self._session(request, change=True)
        if isinstance(found, Response):
            return found
        target = request.path_params["id"]
        async with self._sessionmaker() as session, session.begin():
            ended = await web_sessions.end(session, account_id=found.account_id, session_id=target)
        if not ended:
            return _json({"error": t("web.forbidden")}, status=404)
        response = _json({"ok": True, "current": target == found.id})
        if target == found.id:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def logout(self, request: Request) -> Response:
        found = await self._session(request, change=True)
        if isinstance(found, Response):
            return found
        async with self._sessionmaker() as session, session.begin():
            await web_sessions.end(session, account_id=found.account_id, session_id=found.id)
        response = _json({"ok": True})
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def file(self, request: Request) -> Response:
        found = await self._session(request, change=False)
        if isinstance(found, Response):
            return found
        kind = request.path_params["kind"]
        async with self._sessionmaker() as session:
            row = await session.get(Outbox, request.path_params["row"])
        if (
            kind not in ("image", "document")
            or row is None
            or row.channel != web.CHANNEL
            or row.chat_id != found.account.chat_id
            or row.status != OutboxStatus.SENT
        ):
            return _json({"error": t("web.not_found")}, status=404)
        attachment = attachment_from_dict(row.payload.get(kind))
        if attachment is None:
            return _json({"error": t("web.not_found")}, status=404)
        media = mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
        inline = media in INLINE_IMAGES
        disposition = "inline" if inline else "attachment"
        return Response(
            attachment.data,
            media_type=media if inline else "application/octet-stream",
            headers={
                "content-disposition": f"{disposition}; filename*=UTF-8''"
                + quote(attachment.filename),
                "cache-control": "private, no-store",
            },
        )

    async def push_key(self, request: Request) -> Response:
        found = await self._session(request, change=False)
        if isinstance(found, Response):
            return found
        return _json({"key": self._push.keys.public_key if self._push else None})

    async def push_subscribe(self, request: Request) -> Response:
        found = await self._session(request, change=True)
        if isinstance(found, Response):
            return found
        body = await _json_body(request)
        subscription = _subscription(body)
        if self._push is None or subscription is None or not self._push.accepts(subscription[0]):
            return _json({"error": t("web.notify_failed")}, status=400)
        endpoint, p256dh, auth = subscription
        async with self._sessionmaker() as session, session.begin():
            await web_push_store.subscribe(
                session,
                session_id=found.id,
                account_id=found.account_id,
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
                now=self._clock(),
            )
        return _json({"ok": True, "message": t("web.notify_done")})

    async def push_unsubscribe(self, request: Request) -> Response:
        found = await self._session(request, change=True)
        if isinstance(found, Response):
            return found
        body = await _json_body(request)
        endpoint = body.get("endpoint") if isinstance(body, dict) else None
        if not isinstance(endpoint, str):
            return _json({"error": "endpoint"}, status=400)
        async with self._sessionmaker() as session, session.begin():
            await web_push_store.unsubscribe(
                session, account_id=found.account_id, endpoint=endpoint
            )
        return _json({"ok": True})

    # The manager dashboard: an HTML page and its workbook (who sees what: services/dashboard).

    async def dashboard(self, request: Request) -> Response:
        found = await self._dashboard(request)
        if isinstance(found, Response):
            return found
        page = await asyncio.to_thread(web_dashboard.render, found)
        return _html(page, cache="no-store")

    async def dashboard_export(self, request: Request) -> Response:
        found = await self._dashboard(request)
        if isinstance(found, Response):
            return found
        async with self._sessionmaker() as session:
            book = await dashboard.export(session, found)
        data = await asyncio.to_thread(dashboard.workbook, found, book)
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "content-disposition": f"attachment; filename={web_dashboard.filename(found)}",
                "cache-control": "private, no-store",
            },
        )

    async def _dashboard(self, request: Request) -> dashboard.Dashboard | Response:
        unit, weeks = _number(request, "unit"), _number(request, "weeks")
        if unit is False or weeks is False:
            return _html(
                web_dashboard.message_page(t("web.not_found")), status=404, cache="no-store"
            )
        async with self._sessionmaker() as session, session.begin():
            found = await self._live(session, request, change=False)
            if isinstance(found, Response):
                page = web_dashboard.message_page(t("dashboard.signed_out"))
                return _html(page, status=401, cache="no-store")
            try:
                return await dashboard.build(
                    session,
                    viewer=found.account.person,
                    unit_id=unit,
                    weeks=weeks or dashboard.DEFAULT_WEEKS,
                    now=self._clock(),
                    topics=self._topic_map(),
                )
            except dashboard.Refused as refused:
                page = web_dashboard.message_page(refused.message)
                return _html(page, status=refused.status, cache="no-store")

    def _topic_map(self) -> dict[str, str]:
        if self._topics is None:
            self._topics = digest.topic_map(self._content or load_content())
        return self._topics

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read no further: it may be endless)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


async def _json_body(request: Request) -> object:
    """The JSON body, or None when it is too big or not JSON."""
    raw = await _body(request)
    try:
        return json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        return None


def _subscription(body: object) -> tuple[str, str, str] | None:
    """(endpoint, p256dh, auth) of a PushSubscription's JSON, checked for shape."""
    if not isinstance(body, dict) or not isinstance(body.get("keys"), dict):
        return None
    endpoint, keys = body.get("endpoint"), body["keys"]
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not all(isinstance(v, str) for v in (endpoint, p256dh, auth)):
        return None
    try:
        point, secret = b64url_decode(p256dh), b64url_decode(auth)
    except ValueError:
        return None
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return None
    return endpoint, p256dh, auth


def _number(request: Request, name: str) -> int | bool | None:
    """A whole-number query parameter; None when absent, False when malformed."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return None
    return int(text) if text.isdigit() and len(text) < 19 else False


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _json(data: dict[str, Any], *, status: int = 200) -> Response:
    return JSONResponse(data, status_code=status, headers={"cache-control": "no-store"})


def _html(page: str, *, status: int = 200, cache: str) -> Response:
    return Response(
        page, status_code=status, media_type="text/html", headers={"cache-control": cache}
    )


def _render(path: Path) -> str:
    """The page shell with its catalog texts filled in ({{key}} = t('web.key'))."""
    page = path.read_text(encoding="utf-8")
    while "{{" in page:
        start = page.index("{{")
        end = page.index("}}", start)
        key = page[start + 2 : end]
        page = page[:start] + html.escape(t(f"web.{key}")) + page[end + 2 :]
    return page
