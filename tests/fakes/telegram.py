"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of PTB bots."""

import asyncio
import contextlib
import html
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import partialmethod
from http import HTTPStatus
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

J = dict[str, Any]  # a JSON object
BOT_USER: J = {"id": 7000000001, "is_bot": True, "first_name": "ATGT Test Bot"}
BOT_USER |= {"username": "atgt_test_bot", "can_join_groups": True}
BOT_USER |= {"can_read_all_group_messages": False, "supports_inline_queries": False}
# Free-text parameters that stay strings even when they look like JSON ("123", "true").
_RAW_FIELDS = {"text", "caption", "question", "explanation", "url", "secret_token", "parse_mode"}
_RAW_FIELDS |= {"callback_query_id", "inline_message_id", "language_code", "type"}
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "a", "code"}
_HTML_TAGS |= {"pre", "blockquote", "tg-spoiler", "tg-emoji"}
_VI = {"language_code": "vi"}
_TAG = re.compile(r"<(/?)([^\s<>/]*)[^<>]*>")


class ApiError(Exception):
    """An error reply in Bot API shape; 400s get the "Bad Request: " prefix."""

    def __init__(self, description: str, status: int = 400, **parameters: Any) -> None:
        self.description = f"Bad Request: {description}" if status == 400 else description
        self.status, self.parameters = status, parameters


@dataclass
class Sent:
    """One call by the bot: in api.sent if it succeeded, in api.rejected if answered 429."""

    method: str
    chat_id: int | str | None
    params: J
    at: float  # time.monotonic()
    message_id: int | None = None
    retry_after: int | None = None  # set for rejected calls
    forced: bool = False  # rejected by force_429 rather than by a flood limit


def html_text(text: str) -> str:
    """Text as Telegram shows it after HTML parsing; raises ApiError on malformed tags."""
    parts, stack, pos = [], [], 0
    for match in _TAG.finditer(text):
        parts.append(text[pos : match.start()])
        pos, closing, name = match.end(), match.group(1), match.group(2).lower()
        if name not in _HTML_TAGS or (closing and (not stack or stack.pop() != name)):
            raise ApiError(f"can't parse entities: unsupported or unmatched tag {match[0]!r}")
        if not closing:
            stack.append(name)
    if stack or "<" in (plain := "".join([*parts, text[pos:]])):
        raise ApiError(f"can't parse entities: unclosed tag {stack} or bare '<' (use &lt;)")
    return html.unescape(plain)


class FakeBotApi:
    """A real HTTP server speaking enough of the Bot API for python-telegram-bot."""

    # Settings: pass as constructor keywords or assign on the instance at any time.
    global_per_second = 30  # sends per second over all chats
    private_burst, private_per_second = 3, 1.0  # token bucket per private chat
    group_per_minute = 20  # sends per minute per group chat (negative id)
    max_poll_timeout = 1.0  # cap on getUpdates' long-poll timeout, seconds
    latency = 0.0  # seconds added to every call
    enforce_limits = True

    def __init__(self, token: str = "123456:TEST-TOKEN", **settings: float) -> None:
        for name, value in settings.items():
            getattr(FakeBotApi, name)  # AttributeError on a misspelt setting
            setattr(self, name, value)
        self.token, self.port, self.url, self.base_url = token, 0, "", ""  # set once serving
        self.sent: list[Sent] = []
        self.rejected: list[Sent] = []
        self.calls: list[tuple[str, J]] = []  # every authorised call, in order
        self.in_flight = 0  # requests received and not yet answered
        self._outage: tuple[float, int] = (0.0, 502)  # (until, status) of a simulated outage
        self._hang = 0.0
        self.failed_during_outage = 0
        self.updates: list[J] = []  # queued for getUpdates, not yet confirmed
        self.polls: dict[str, J] = {}
        self.commands: dict[tuple[str, str], list[J]] = {}  # (scope JSON, language) -> list
        self.webhook: J = {"url": "", "secret_token": None}
        self.blocked: set[int] = set()
        self.migrated: dict[int | str, int] = {}  # old chat id -> new chat id
        self.users: dict[int, str] = {}  # first names by user id
        self.files: dict[str, bytes] = {}  # file_id -> content, served by getFile + /file/
        self.downloads: list[str] = []  # file_ids whose content was fetched
        self._forced: deque[tuple[int, int]] = deque()  # (http status, retry_after)
        self._global_hits, self._group_hits = deque(), defaultdict(deque)  # send times
        self._buckets: dict[Any, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._update_ids, self._message_ids, self._ids = (itertools.count(n) for n in (1000, 1, 1))
        self._new_update = asyncio.Event()
        # Bot API methods: _m_<name in lower case>(method name as sent, decoded params)
        self._handlers = {n[3:]: getattr(self, n) for n in dir(self) if n.startswith("_m_")}
        self._server, self._task = None, None  # uvicorn.Server and its asyncio.Task

    async def __aenter__(self) -> "FakeBotApi":
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle, methods=["POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )
        self._server = uvicorn.Server(uvicorn.Config(app, "127.0.0.1", 0, log_config=None))
        self._server.capture_signals = contextlib.nullcontext  # keep pytest's signal handlers
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():  # startup failed
            self._task.result()
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.base_url = f"{self.url}/bot"  # for PTB's base_url, which appends the token
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._new_update.set()  # end pending long-polls now
        self._server.should_exit = True
        await self._task

    def block(self, user_id: int, blocked: bool = True) -> None:
        """Sends to this user fail with 403 'bot was blocked by the user' (or work again)."""
        (self.blocked.add if blocked else self.blocked.discard)(user_id)

    unblock = partialmethod(block, blocked=False)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Sends to chat_id now fail with 400 and parameters.migrate_to_chat_id."""
        self.migrated[chat_id] = new_chat_id

    def force_429(self, count: int, retry_after: int) -> None:
        """The next `count` calls with a chat_id fail with 429 and this retry_after."""
        self._forced.extend([(429, retry_after)] * count)

    def force_status(self, count: int, http_status: int) -> None:
        """The next `count` calls with a chat_id fail with this HTTP status (e.g. 500, 502)."""
        self._forced.extend([(http_status, 0)] * count)

    def outage(self, seconds: float, http_status: int = 502, hang: float = 0.0) -> None:
        """Every call with a chat_id fails with `http_status` for the next `seconds`;
        with `hang`, each first waits that long (a client with a shorter timeout gives up)."""
        self._outage = (time.monotonic() + seconds, http_status)
        self._hang = hang
        self.failed_during_outage = 0

    def sent_to(self, chat_id: int | str, method: str | None = None) -> list[Sent]:
        """Successful calls to one chat, optionally of one method."""
        return [s for s in self.sent if s.chat_id == chat_id and method in (None, s.method)]

    def texts(self, chat_id: int | str) -> list[str]:
        """Texts (as the bot sent them, markup included) of sendMessage calls to one chat."""
        return [s.params["text"] for s in self.sent_to(chat_id, "sendMessage")]

    def my_commands(self, scope: J | None = None, language_code: str = "") -> list[J]:
        """Commands set with setMyCommands for a scope dict (default scope if None)."""
        key = self._scope_key({"scope": scope, "language_code": language_code})
        return self.commands.get(key, [])

    def push(self, update: J | None = None, queue: bool = True, **body: Any) -> J:
        """Queue an update (or one of `body` with the next update_id) for getUpdates."""
        update = update or {"update_id": next(self._update_ids), **body}
        if queue:
            self.updates.append(update)
            self._new_update.set()  # wake waiting long-polls
            self._new_update = asyncio.Event()
        return update

    def push_message(self, user_id: int, text: str, *, chat_id: int | None = None,
                     first_name: str | None = None, queue: bool = True) -> J:  # fmt: skip
        """A message update from a user (a bot_command entity if text starts with '/')."""
        sender, chat = self._user(user_id, first_name), self._chat(chat_id or user_id)
        message = {"message_id": next(self._message_ids), "date": int(time.time())}
        message |= {"chat": chat, "from": sender, "text": text}
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push(queue=queue, message=message)

    def push_document(self, user_id: int, caption: str, data: bytes, *,
                      filename: str = "tep.pdf", chat_id: int | None = None,
                      queue: bool = True) -> J:  # fmt: skip
        """A document message with a caption (a bot_command entity if it starts with '/')."""
        sender, chat = self._user(user_id), self._chat(chat_id or user_id)
        file_id = f"DOC{next(self._ids)}"
        self.files[file_id] = data
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": filename}
        document["file_size"] = len(data)
        message = {"message_id": next(self._message_ids), "date": int(time.time())}
        message |= {"chat": chat, "from": sender, "caption": caption, "document": document}
        if caption.startswith("/"):
            length = len(caption.split()[0].encode("utf-16-le")) // 2
            message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push(queue=queue, message=message)

    def push_callback(self, user_id: int, data: str, message_id: int, queue: bool = True) -> J:
        """A callback_query update for a button on the bot's message `message_id`."""
        origin = next((s for s in reversed(self.sent) if s.message_id == message_id), None)
        chat_id = origin.chat_id if origin and origin.chat_id is not None else user_id
        message = {"message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id)}
        message |= {"from": BOT_USER, "text": origin.params.get("text", "") if origin else ""}
        query = {"id": str(next(self._ids)), "from": self._user(user_id), "data": data}
        query |= {"chat_instance": "1", "message": message}
        return self.push(queue=queue, callback_query=query)

    def push_poll_answer(self, user_id: int, poll_id: str, option_ids: list[int], queue=True) -> J:
        """A poll_answer update (empty option_ids = vote retracted)."""
        answer = {"poll_id": poll_id, "user": self._user(user_id), "option_ids": list(option_ids)}
        answer["option_persistent_ids"] = [str(i) for i in option_ids]  # required by PTB 22.8
        return self.push(queue=queue, poll_answer=answer)

    def push_my_chat_member(self, user_id: int, status: str, queue: bool = True) -> J:
        """A my_chat_member update; "kicked" (user blocked the bot) also blocks, "member" not."""
        self.block(user_id, blocked=status == "kicked")
        kicked = {"user": BOT_USER, "status": "kicked", "until_date": 0}
        member = {"user": BOT_USER, "status": "member"}
        old, new = (member, kicked) if status == "kicked" else (kicked, member)
        change = {"chat": self._chat(user_id), "from": self._user(user_id)}
        change |= {"date": int(time.time()), "old_chat_member": old, "new_chat_member": new}
        return self.push(queue=queue, my_chat_member=change)

    # make_message: the same update, not queued (e.g. to POST to a webhook yourself).
    make_message = partialmethod(push_message, queue=False)

    def _user(self, user_id: int, first_name: str | None = None) -> J:
        """A Telegram user; remembers first_name for later updates and chats."""
        self.users[user_id] = first_name or self.users.get(user_id, f"User {user_id}")
        return {"id": user_id, "is_bot": False, "first_name": self.users[user_id]} | _VI

    def _chat(self, chat_id: int | str) -> J:
        """A Chat: positive ids are private chats, others groups ("-100..." supergroups)."""
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": self.users.get(chat_id, "User")}
        kind = "supergroup" if str(chat_id).startswith(("-100", "@")) else "group"
        return {"id": chat_id, "type": kind, "title": "Test group"}

    async def _handle(self, request: Request) -> JSONResponse:
        """Serve /bot<token>/<method>: auth, forced failures, then the method's handler."""
        method = request.path_params["method"]
        try:
            if request.path_params["token"] != self.token:
                raise ApiError("Unauthorized", 401)
            if (handler := self._handlers.get(method.lower())) is None:
                raise ApiError("Not Found", 404)
            self.calls.append((method, params := await self._read_params(request)))
            self.in_flight += 1
            try:
                await asyncio.sleep(self.latency)
                if "chat_id" in params and time.monotonic() < self._outage[0]:
                    self.failed_during_outage += 1
                    await asyncio.sleep(self._hang)
                    raise ApiError(HTTPStatus(self._outage[1]).phrase, self._outage[1])
                if "chat_id" in params and self._forced:
                    status, retry_after = self._forced.popleft()
                    self._reject(method, params, retry_after, forced=True)
                    raise ApiError(HTTPStatus(status).phrase, status)
                result = await handler(method, params)
            finally:
                self.in_flight -= 1
        except ApiError as err:
            body = {"ok": False, "error_code": err.status, "description": err.description}
            body |= {"parameters": err.parameters} if err.parameters else {}
            return JSONResponse(body, status_code=err.status)
        return JSONResponse({"ok": True, "result": result})

    def _reject(self, method: str, params: J, wait: int, forced: bool) -> None:
        """Record and raise a 429 when `wait` (seconds) is non-zero."""
        if wait:
            at, chat_id = time.monotonic(), params["chat_id"]
            self.rejected.append(Sent(method, chat_id, params, at, None, wait, forced))
            raise ApiError(f"Too Many Requests: retry after {wait}", 429, retry_after=wait)

    def _acquire(self, chat_id: Any, now: float) -> int:
        """Take a flood-limit slot: 0 if granted, else whole seconds until one frees (>= 1)."""
        stored, at = self._buckets.get(chat_id, (float(self.private_burst), now))
        tokens = min(self.private_burst, stored + (now - at) * self.private_per_second)
        chat_wait = self._wait(self._group_hits[chat_id], 60.0, self.group_per_minute, now)
        if isinstance(chat_id, int) and chat_id > 0:  # a private chat: token bucket
            chat_wait = (1 - tokens) / self.private_per_second
        wait = max(chat_wait, self._wait(self._global_hits, 1.0, self.global_per_second, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global_hits.append(now)
        self._buckets[chat_id] = (tokens - 1, now)  # read for private chats only
        self._group_hits[chat_id].append(now)  # read for groups only
        return 0

    def _send(self, method: str, params: J, **content: Any) -> J:
        """Check buttons, migration, blocks and flood limits; record the call, return a Message."""
        markup, chat_id = params.get("reply_markup"), params["chat_id"]
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        for button in itertools.chain.from_iterable(rows):
            if not 1 <= len(str(button.get("callback_data", "x")).encode()) <= 64:
                raise ApiError("BUTTON_DATA_INVALID")
        if new := self.migrated.get(chat_id):
            raise ApiError("group chat was upgraded to a supergroup chat", migrate_to_chat_id=new)
        if chat_id in self.blocked:
            raise ApiError("Forbidden: bot was blocked by the user", 403)
        if self.enforce_limits:
            self._reject(method, params, self._acquire(chat_id, time.monotonic()), forced=False)
        message_id = params.get("message_id") if "edit" in method else next(self._message_ids)
        message = {"message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id)}
        message |= {"from": BOT_USER, **content} | ({"reply_markup": markup} if rows else {})
        self.sent.append(Sent(method, chat_id, params, time.monotonic(), message_id))
        return message

    async def _m_getme(self, method: str, params: J) -> J:
        return BOT_USER

    async def _m_getupdates(self, method: str, params: J) -> list[J]:
        if self.webhook["url"]:
            raise ApiError("Conflict: can't use getUpdates method while webhook is active", 409)
        offset = int(params.get("offset") or 0)  # confirms every update below it
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:  # long-poll until a push (which always adds an update)
            timeout = min(float(params.get("timeout") or 0), self.max_poll_timeout)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return self.updates[: max(1, min(int(params.get("limit") or 100), 100))]

    async def _m_setwebhook(self, method: str, params: J) -> bool:  # also deleteWebhook
        self.updates = [] if params.get("drop_pending_updates") else self.updates
        self.webhook = {"url": params.get("url") or "", "secret_token": params.get("secret_token")}
        return True

    async def _m_getwebhookinfo(self, method: str, params: J) -> J:
        info = {"url": self.webhook["url"], "has_custom_certificate": False}
        return info | {"pending_update_count": len(self.updates)}

    async def _m_sendmessage(self, method: str, params: J) -> J:  # also editMessageText
        return self._send(method, params, text=self._shown_text(params, "text", 4096))

    async def _m_sendpoll(self, method: str, params: J) -> J:
        question = str(params.get("question") or "")
        options = [o["text"] if isinstance(o, dict) else str(o) for o in params.get("options", [])]
        if not 1 <= len(question) <= 300 or not 1 <= len(options) <= 12:
            raise ApiError("a poll needs a question of 1-300 characters and 1-12 options")
        if any(not 1 <= len(o) <= 100 for o in options):
            raise ApiError("poll options must be 1-100 characters")
        single = params.get("correct_option_id")  # the pre-9.6 single-answer form
        correct = params.get("correct_option_ids", None if single is None else [single])
        kind = params.get("type") or "regular"
        if kind == "quiz" and (not correct or any(not 0 <= i < len(options) for i in correct)):
            raise ApiError("a quiz poll needs a valid correct option")
        explanation = self._shown_text(params, "explanation", 200, "explanation_parse_mode")
        if explanation.count("\n") > 2:
            raise ApiError("explanation can have at most 2 line feeds")
        poll = {"id": str(5 * 10**18 + next(self._ids)), "question": question, "type": kind}
        as_dicts = ({"persistent_id": str(i), "text": o} for i, o in enumerate(options))
        poll["options"] = [option | {"voter_count": 0} for option in as_dicts]
        poll |= {"total_voter_count": 0, "is_closed": False, "allows_revoting": False}
        poll |= {"is_anonymous": params.get("is_anonymous", True), "members_only": False}
        poll |= {"allows_multiple_answers": bool(params.get("allows_multiple_answers"))}
        poll |= {"correct_option_ids": list(correct)} if correct is not None else {}
        poll |= {"explanation": params["explanation"]} if explanation else {}
        message = self._send(method, params, poll=poll)
        self.polls[poll["id"]] = poll
        return message

    async def _m_senddocument(self, method: str, params: J) -> J:  # also sendPhoto
        field = method.removeprefix("send").lower()  # "document" or "photo"
        if not (upload := params.get(field)):
            raise ApiError(f"there is no {field} in the request")
        caption = self._shown_text(params, "caption", 1024)
        size, name = (upload["size"], upload["filename"]) if isinstance(upload, dict) else (0, None)
        info = {"file_id": (file_id := f"FILE{next(self._ids)}"), "file_unique_id": file_id}
        info["file_size"] = size
        content: J = {"caption": caption} if caption else {}
        info |= {"file_name": name} if field == "document" else {"width": 1280, "height": 720}
        content[field] = [info] if field == "photo" else info
        return self._send(method, params, **content)

    async def _m_getfile(self, method: str, params: J) -> J:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise ApiError("Bad Request: invalid file_id")
        info = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
        }
        return info | {"file_path": f"documents/{file_id}"}

    async def _download(self, request: Request) -> Response:
        """GET /file/bot<token>/<file_path>: the content of a file getFile returned."""
        file_id = request.path_params["path"].rpartition("/")[2]
        if request.path_params["token"] != self.token or file_id not in self.files:
            return Response(status_code=404)
        self.downloads.append(file_id)
        return Response(self.files[file_id], media_type="application/octet-stream")

    async def _m_answercallbackquery(self, method: str, params: J) -> bool:
        self.sent.append(Sent(method, None, params, time.monotonic()))
        return True

    async def _m_setmycommands(self, method: str, params: J) -> bool:  # also deleteMyCommands
        self.commands[self._scope_key(params)] = list(params.get("commands") or [])
        return True

    _m_editmessagetext = _m_sendmessage
    _m_sendphoto = _m_senddocument
    _m_deletewebhook = _m_setwebhook
    _m_deletemycommands = _m_setmycommands

    def _wait(self, hits: deque[float], period: float, limit: int, now: float) -> float:
        """Seconds until a sliding window of `period` seconds has room for one more hit."""
        while hits and hits[0] <= now - period:
            hits.popleft()
        return hits[0] + period - now if len(hits) >= limit else 0.0

    def _scope_key(self, params: J) -> tuple[str, str]:
        """Key of a command list: canonical scope JSON and language code."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code") or ""

    def _shown_text(self, params: J, field: str, limit: int, mode: str = "parse_mode") -> str:
        """A text, caption or explanation as displayed (after HTML parsing), checked for length."""
        raw = str(params.get(field) or "")
        shown = html_text(raw) if str(params.get(mode)).upper() == "HTML" else raw
        if field == "text" and not shown.strip():
            raise ApiError("message text is empty")
        if len(shown) > limit:
            raise ApiError("message is too long" if field == "text" else f"{field} is too long")
        return shown

    async def _read_params(self, request: Request) -> J:
        """Query, url-encoded or multipart parameters, decoded; uploaded files become dicts."""
        params: J = dict(request.query_params)
        async with request.form() as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    value = {"filename": value.filename, "size": len(data), "data": data}
                params[name] = value
        for name, value in params.items():  # PTB JSON-encodes every non-string value
            if isinstance(value, str) and name not in _RAW_FIELDS:
                with contextlib.suppress(ValueError):
                    params[name] = json.loads(value)
        return params
