"""ZBS template messages: how the OA reaches a person outside the 7-day window.

Since 2026-03-01 Zalo's replacement for transaction messages is a pre-approved template
sent by user id (`POST /v3.0/oa/message/template` with user_id, template_id and
template_data), paid per message. The bot fills two parameters in every template:
`noi_dung` (the message, on one line, cut to TEXT_LIMIT) and `ngay` (dd/mm/yyyy).
Templates are not sent during Zalo's night ban (22:00-06:00, error -234), and no more
than the monthly budget the agency set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.channels.zalo_oa_api import TOKEN_ERRORS, ZaloOaError
from bot.channels.zalo_oa_token import OaTokens
from bot.core.texts import t
from bot.services.notify import QuietHours

TEMPLATE_PATH = "/v3.0/oa/message/template"
INFO_PATH = "/template/info/v2"  # on the business API host, as for ZNS templates
TEXT_PARAM, DATE_PARAM = "noi_dung", "ngay"
TEXT_LIMIT = 200
# What the bot sends: parameter → the longest value it may hold.
PARAMS = {TEXT_PARAM: TEXT_LIMIT, DATE_PARAM: 10}


@dataclass(frozen=True, slots=True)
class Templates:
    """The agency's templates per message kind, its monthly budget and the night ban."""

    ids: dict[str, str]
    budget: int
    night: QuietHours
    tz: ZoneInfo

    def night_until(self, now: datetime) -> datetime | None:
        """When the night ban ends, if `now` is inside it."""
        release = self.night.release(now, self.tz)
        return release if release != now else None


def template_data(text: str, now: datetime, tz: ZoneInfo) -> dict[str, str]:
    """The parameters of one template message."""
    line = " ".join(text.split())
    if len(line) > TEXT_LIMIT:
        line = line[: TEXT_LIMIT - 1] + "…"
    return {TEXT_PARAM: line, DATE_PARAM: now.astimezone(tz).strftime("%d/%m/%Y")}


def problems(info: dict[str, Any]) -> list[str]:
    """What in a template's details (`listParams`, `status`) does not fit what the bot sends."""
    found = []
    status = str(info.get("status") or "")
    if status and status.upper() != "ENABLE":
        found.append(t("zalo.template_status", status=status))
    params = info.get("listParams") if isinstance(info.get("listParams"), list) else []
    names = set()
    for param in params:
        if not isinstance(param, dict):
            continue
        name = str(param.get("name") or "")
        names.add(name)
        if name not in PARAMS:
            if param.get("require"):
                found.append(t("zalo.template_unknown_param", name=name))
            continue
        limit = _int(param.get("maxLength"))
        if limit is not None and limit < PARAMS[name]:
            found.append(t("zalo.template_short_param", name=name, limit=limit, need=PARAMS[name]))
    missing = [name for name in PARAMS if name not in names]
    if TEXT_PARAM in missing:
        found.append(t("zalo.template_missing_param", name=TEXT_PARAM))
    return found


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


async def template_info(
    http: httpx.AsyncClient, tokens: OaTokens, *, base_url: str, template_id: str
) -> dict[str, Any]:
    """A template's details (`status`, `listParams`); refreshes the token once if refused."""
    url = f"{base_url.rstrip('/')}{INFO_PATH}"
    token = await tokens.access_token()
    for attempt in range(2):
        try:
            response = await http.get(
                url, params={"template_id": template_id}, headers={"access_token": token}
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloOaError(0, f"{INFO_PATH}: {type(exc).__name__}") from None
        code = int(data.get("error") or 0) if isinstance(data, dict) else 0
        if code in TOKEN_ERRORS and attempt == 0:
            token = await tokens.refresh(stale=token)
            continue
        if not isinstance(data, dict) or code != 0:
            message = str(data.get("message") or "") if isinstance(data, dict) else ""
            raise ZaloOaError(code, message or f"HTTP {response.status_code}")
        result = data.get("data")
        return result if isinstance(result, dict) else {}
    raise ZaloOaError(-216, "the access token is refused")


async def check_all(
    http: httpx.AsyncClient, tokens: OaTokens, *, base_url: str, ids: dict[str, str]
) -> tuple[list[str], bool]:
    """One line per configured template, and whether all of them fit."""
    lines, fine = [], True
    for kind, template_id in ids.items():
        try:
            info = await template_info(http, tokens, base_url=base_url, template_id=template_id)
        except ZaloOaError as exc:
            lines.append(t("zalo.template_unreadable", kind=kind, id=template_id, error=exc))
            fine = False
            continue
        found = problems(info)
        if found:
            fine = False
            text = "; ".join(found)
            lines.append(t("zalo.template_bad", kind=kind, id=template_id, problems=text))
        else:
            lines.append(t("zalo.template_ok", kind=kind, id=template_id))
    return lines, fine
