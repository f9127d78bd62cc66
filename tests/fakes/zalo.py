"""Fake Zalo servers on 127.0.0.1: the Bot Platform API and the OA v3 API with its OAuth.

Both model what the reference (shared/reference/zalo-api.md) describes, including its
traps: errors inside HTTP 200, one update per getUpdates and 408 when idle, a monthly
quota counting both directions, single-use rotating refresh tokens, the 7-day window.
"""

import asyncio
import contextlib
import hashlib
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

J = dict[str, Any]


class _Local:
    """A Starlette app served by uvicorn on a free port for the duration of `async with`."""

    routes: list[Route]

    async def __aenter__(self):
        config = uvicorn.Config(Starlette(routes=self.routes), "127.0.0.1", 0, log_config=None)
        self._server = uvicorn.Server(config)
        self._server.capture_signals = contextlib.nullcontext  # keep pytest's signal handlers
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():
            self._task.result()
        self.url = f"http://127.0.0.1:{self._server.servers[0].sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        await self._task


def _hex_id() -> str:
    return secrets.token_hex(10)  # 20 hex characters, like the platform's ids


def text_update(user_id: str, text: str, *, message_id: str | None = None) -> J:
    """A `message.text.received` update wrapped in `{ok, result}`, as the docs show it."""
    message = {"from": {"id": user_id, "display_name": f"User {user_id}", "is_bot": False}}
    message |= {"chat": {"id": user_id, "chat_type": "PRIVATE"}, "text": text}
    message |= {"message_id": message_id or _hex_id(), "date": int(time.time() * 1000)}
    return {"ok": True, "result": {"event_name": "message.text.received", "message": message}}


class BotApiError(Exception):
    """An `ok:false` answer (sent with HTTP 200, as the platform may do)."""

    def __init__(self, code: int, description: str) -> None:
        self.code, self.description = code, description


class FakeZaloBot(_Local):
    """The Bot Platform: POST /bot<token>/<method>, JSON bodies, `{ok, result}` answers."""

    def __init__(self, token: str = "1234567890:zalo-test-secret", *, quota: int = 3000) -> None:
        self.token, self.quota, self.used = token, quota, 0
        self.max_poll_timeout = 1.0
        self.updates: list[J] = []
        self.sent: list[J] = []  # successful sendMessage bodies
        self.calls: list[tuple[str, J]] = []
        self.webhook: J = {"url": "", "secret_token": ""}
        self._forced: list[tuple[int, str]] = []
        self.hold: asyncio.Event | None = None  # if given, sendMessage answers once it is set
        self.holding = 0  # sendMessage calls waiting on `hold`
        self._new = asyncio.Event()
        self.routes = [Route("/bot{token}/{method}", self._handle, methods=["POST"])]

    async def __aexit__(self, *exc_info: object) -> None:
        self._new.set()
        await super().__aexit__(*exc_info)

    def make_text(self, user_id: str, text: str, *, message_id: str | None = None) -> J:
        """A wrapped text update, not queued; it counts on the quota (both directions do)."""
        self.used += 1
        return text_update(user_id, text, message_id=message_id)

    def push_text(self, user_id: str, text: str, *, message_id: str | None = None) -> J:
        """Queue a text message for getUpdates."""
        update = self.make_text(user_id, text, message_id=message_id)
        self.updates.append(update["result"])
        self._new.set()
        return update

    def fail_next(self, code: int, description: str = "forced") -> None:
        """The next sendMessage answers ok:false with this error code."""
        self._forced.append((code, description))

    def texts(self, chat_id: str) -> list[str]:
        """Texts sent to one chat, in order."""
        return [s["text"] for s in self.sent if s["chat_id"] == chat_id]

    async def _handle(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        body = json.loads(await request.body() or b"{}")
        try:
            if request.path_params["token"] != self.token:
                raise BotApiError(401, "Unauthorized")
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                raise BotApiError(404, "Not Found")
            self.calls.append((method, body))
            self._request = request
            result = await handler(body)
        except BotApiError as err:
            return JSONResponse(
                {"ok": False, "error_code": err.code, "description": err.description}
            )
        return JSONResponse({"ok": True, "result": result})

    async def _m_getme(self, body: J) -> J:
        return {"id": "bot-id", "account_name": "Bot ATGT", "account_type": "BASIC"}

    async def _m_getupdates(self, body: J) -> J:
        if self.webhook["url"]:
            raise BotApiError(400, "webhook is set; getUpdates is not available")
        request = self._request
        deadline = time.monotonic() + min(float(body.get("timeout") or 0), self.max_poll_timeout)
        while not self.updates and time.monotonic() < deadline:
            self._new.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new.wait(), 0.05)
            if await request.is_disconnected():  # the poller left: keep the update for later
                raise BotApiError(499, "client closed the request")
        if not self.updates:
            raise BotApiError(408, "Request timeout")
        return self.updates.pop(0)  # one update per call, delivered at most once

    async def _m_setwebhook(self, body: J) -> J:
        url, secret = str(body.get("url") or ""), str(body.get("secret_token") or "")
        if not url.startswith("https://") or not 8 <= len(secret) <= 256:
            raise BotApiError(400, "Bad request")
        self.webhook = {"url": url, "secret_token": secret}
        return {"url": url, "updated_at": int(time.time() * 1000)}

    async def _m_deletewebhook(self, body: J) -> J:
        if not self.webhook["url"]:
            raise BotApiError(400, "Bad request")
        self.webhook = {"url": "", "secret_token": ""}
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _m_sendmessage(self, body: J) -> J:
        if self._forced:
            raise BotApiError(*self._forced.pop(0))
        text = body.get("text")
        if not body.get("chat_id") or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            raise BotApiError(400, "Bad request")
        if self.used >= self.quota:
            raise BotApiError(429, "Quota exceeded")
        if self.hold is not None:  # the message is out, but the answer is slow
            self.holding += 1
            await self.hold.wait()
            self.holding -= 1
        self.used += 1
        self.sent.append(body)
        return {"message_id": _hex_id(), "date": int(time.time() * 1000)}


@dataclass
class OaUser:
    """A follower of the fake OA."""

    user_id: str
    follows: bool = True
    in_window: bool = True


@dataclass
class FakeZaloOa(_Local):
    """The OA v3 API (`/v3.0/oa/message/cs`) and its OAuth server (`/v4/oa/access_token`)."""

    app_id: str = "3141592653589793238"
    secret_key: str = "app-secret-key"
    oa_secret: str = "oa-secret-key"
    quota: int = 1000
    title_limit: int = 20
    refresh_token: str = field(default_factory=lambda: "R-" + secrets.token_hex(8))
    access_token: str = ""
    sent: list[J] = field(default_factory=list)  # successful CS message bodies
    cs_calls: list[J] = field(default_factory=list)  # every CS message body received
    token_calls: list[J] = field(default_factory=list)  # every OAuth form received
    users: dict[str, OaUser] = field(default_factory=dict)
    hold: asyncio.Event | None = None  # if given, CS messages are answered once it is set
    templates: dict[str, J] = field(default_factory=dict)  # ZBS template id → its details
    template_sent: list[J] = field(default_factory=list)  # accepted template messages
    template_calls: list[J] = field(default_factory=list)  # every template body received
    night: bool = False  # Zalo's night ban (22:00-06:00): templates are refused with -234
    holding: int = 0  # CS calls waiting on `hold`

    def __post_init__(self) -> None:
        self.seed = self.refresh_token  # the first grant, for the bot's settings
        self._ids = itertools.count(1)
        self.routes = [
            Route("/v3.0/oa/message/cs", self._cs, methods=["POST"]),
            Route("/v4/oa/access_token", self._oauth, methods=["POST"]),
            Route("/v3.0/oa/message/template", self._template, methods=["POST"]),
            Route("/template/info/v2", self._template_info, methods=["GET"]),
        ]

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/v4/oa/access_token"

    def expire_access(self) -> None:
        """The current access token stops working (the API answers -216)."""
        self.access_token = "expired-" + secrets.token_hex(4)

    def event(self, user_id: str, text: str, *, msg_id: str | None = None) -> J:
        """A `user_send_text` webhook body; the user interacted, so the window reopens."""
        self.users.setdefault(user_id, OaUser(user_id)).in_window = True
        body = {"app_id": self.app_id, "sender": {"id": user_id}, "recipient": {"id": "oa-1"}}
        body |= {"event_name": "user_send_text", "timestamp": str(int(time.time() * 1000))}
        body |= {"message": {"text": text, "msg_id": msg_id or f"m{next(self._ids):0>30}"}}
        body["user_id_by_app"] = "9" * 19
        return body

    def signed(self, body: J, *, secret: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The raw bytes Zalo would POST and their signature header."""
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        data = self.app_id.encode() + raw + body["timestamp"].encode()
        mac = hashlib.sha256(data + (secret or self.oa_secret).encode()).hexdigest()
        return raw, {"X-ZEvent-Signature": f"mac={mac}", "Content-Type": "application/json"}

    def texts(self, user_id: str) -> list[str]:
        """Texts sent to one user, in order."""
        return [s["message"]["text"] for s in self.sent if s["recipient"]["user_id"] == user_id]

    def buttons(self, user_id: str) -> list[J]:
        """The buttons of the last message to this user that had some."""
        for body in reversed(self.sent):
            attachment = body["message"].get("attachment")
            if body["recipient"]["user_id"] == user_id and attachment:
                return attachment["payload"]["buttons"]
        return []

    async def _oauth(self, request: Request) -> JSONResponse:
        form = dict(await request.form())
        self.token_calls.append(form)
        ok = (
            request.headers.get("secret_key") == self.secret_key
            and form.get("app_id") == self.app_id
        )
        if not ok or form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": -14002, "error_name": "Invalid app"})
        if form.get("refresh_token") != self.refresh_token:  # single use: the old one is dead
            return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
        self.access_token = "A-" + secrets.token_hex(8)
        self.refresh_token = "R-" + secrets.token_hex(8)
        pair = {"access_token": self.access_token, "refresh_token": self.refresh_token}
        return JSONResponse(pair | {"expires_in": "90000"})

    async def _cs(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.cs_calls.append(body)
        if not self.access_token or request.headers.get("access_token") != self.access_token:
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        user = self.users.get(str(body.get("recipient", {}).get("user_id")))
        problem = self._check(body.get("message") or {})
        if problem:
            return JSONResponse({"error": -201, "message": problem})
        if user is None or not user.follows:
            return JSONResponse({"error": -213, "message": "User has not followed the OA"})
        if not user.in_window:
            return JSONResponse({"error": -230, "message": "User has not interacted in 7 days"})
        if self.quota <= 0:
            return JSONResponse({"error": -211, "message": "Out of quota"})
        if self.hold is not None:  # the message is out, but the answer is slow
            self.holding += 1
            await self.hold.wait()
            self.holding -= 1
        self.quota -= 1
        self.sent.append(body)
        data = {"message_id": f"oa{next(self._ids)}", "user_id": user.user_id}
        return JSONResponse({"error": 0, "message": "Success", "data": data})

    def add_template(
        self,
        template_id: str,
        params: tuple[tuple[str, bool, int], ...] = (("noi_dung", True, 200), ("ngay", True, 10)),
        status: str = "ENABLE",
    ) -> None:
        """An approved ZBS template with (name, required, maxLength) parameters."""
        params_ = [
            {"name": n, "require": r, "type": "STRING", "maxLength": m, "minLength": 0}
            for n, r, m in params
        ]
        self.templates[template_id] = {
            "templateId": template_id,
            "templateName": f"Mẫu {template_id}",
            "status": status,
            "listParams": params_,
        }

    async def _template(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.template_calls.append(body)
        if not self.access_token or request.headers.get("access_token") != self.access_token:
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        template = self.templates.get(str(body.get("template_id")))
        if template is None or template["status"] != "ENABLE":
            return JSONResponse({"error": -201, "message": "Template does not exist"})
        data = body.get("template_data")
        for param in template["listParams"]:
            value = data.get(param["name"]) if isinstance(data, dict) else None
            if value is None and param["require"]:
                return JSONResponse({"error": -201, "message": f"missing {param['name']}"})
            if value is not None and len(str(value)) > param["maxLength"]:
                return JSONResponse({"error": -201, "message": f"{param['name']} too long"})
        user = self.users.get(str(body.get("user_id")))
        if user is None or not user.follows:
            return JSONResponse({"error": -213, "message": "User has not followed the OA"})
        if self.night:
            return JSONResponse({"error": -234, "message": "Not allowed from 22:00 to 06:00"})
        if self.quota <= 0:
            return JSONResponse({"error": -211, "message": "Out of quota"})
        self.quota -= 1
        self.template_sent.append(body)
        answer = {"msg_id": f"t{next(self._ids)}", "sent_time": str(int(time.time() * 1000))}
        return JSONResponse({"error": 0, "message": "Success", "data": answer})

    async def _template_info(self, request: Request) -> JSONResponse:
        if request.headers.get("access_token") != self.access_token:
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        template = self.templates.get(request.query_params.get("template_id", ""))
        if template is None:
            return JSONResponse({"error": -201, "message": "Template does not exist"})
        return JSONResponse({"error": 0, "message": "Success", "data": template})

    def _check(self, message: J) -> str | None:
        """-201 reasons: text length, too many or malformed buttons."""
        if not 1 <= len(str(message.get("text") or "")) <= 2000:
            return "text must be 1-2000 characters"
        buttons = (message.get("attachment") or {}).get("payload", {}).get("buttons", [])
        if len(buttons) > 5:
            return "at most 5 buttons"
        for button in buttons:
            if button.get("type") != "oa.query.hide" or not len(button.get("title", "")) >= 1:
                return "bad button"
            if len(button["title"]) > self.title_limit or len(button.get("payload", "")) > 1000:
                return "button title or payload too long"
        return None
