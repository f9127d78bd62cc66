"""Zalo OA API v3 calls: the access token header, one retry after a refresh, error codes.

Errors arrive as HTTP 200 with `error` ≠ 0. ZaloOaError carries the code and a plain
English meaning for the logs; delivery_error says what the sender should do about it.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.channels.delivery import (
    DeliveryError,
    OutsideWindow,
    PermanentFailure,
    RecipientBlocked,
    RetryAfter,
    TemporaryFailure,
)
from bot.channels.zalo_oa_token import OaTokens

log = logging.getLogger(__name__)

TOKEN_ERRORS = (-216, -220)
WINDOW_ERRORS = (-227, -230, -232)
MEANINGS = {
    -32: "the app's rate limit (4,000 requests/minute) is exceeded",
    -201: "a parameter is invalid",
    -211: "the OA's message quota is used up",
    -213: "the user does not follow the OA (unfollowed or never followed)",
    -216: "the access token is invalid",
    -220: "the access token has expired",
    -221: "the OA is not verified",
    -224: "the OA's package does not include this feature",
    -227: "the user has been inactive for more than 45 days",
    -230: "the user has not interacted with the OA in the last 7 days",
    -232: "the user has not interacted with the OA in the last 7 days",
    -234: "promotional messages are not allowed from 22:00 to 06:00",
    -240: "API v2 no longer works; v3 is required",
}


class ZaloOaError(Exception):
    """An OA API call failed; `code` is the API's `error` (0: no usable answer)."""

    def __init__(self, code: int, message: str) -> None:
        meaning = MEANINGS.get(code, "unknown error")
        super().__init__(f"Zalo OA error {code} ({meaning}): {message}")
        self.code = code


class ZaloOaClient:
    """Calls the OA API with the current access token; refreshes and retries once if refused."""

    def __init__(self, *, tokens: OaTokens, api_url: str, http: httpx.AsyncClient) -> None:
        self._tokens = tokens
        self._api_url = api_url.rstrip("/")
        self._http = http

    async def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """The `data` of one call; raises ZaloOaError or TokenError."""
        token = await self._tokens.access_token()
        data = await self._post(path, body, token)
        if _code(data) in TOKEN_ERRORS:
            log.info("zalo_oa: access token refused (%s); refreshing once", _code(data))
            token = await self._tokens.refresh(stale=token)
            data = await self._post(path, body, token)
        if (code := _code(data)) != 0:
            raise ZaloOaError(code, str(data.get("message") or ""))
        result = data.get("data")
        return result if isinstance(result, dict) else {}

    async def _post(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        try:
            response = await self._http.post(
                self._api_url + path, json=body, headers={"access_token": token}
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloOaError(0, f"{path}: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise ZaloOaError(0, f"{path}: HTTP {response.status_code}")
        return data


def _code(data: dict[str, Any]) -> int:
    try:
        return int(data.get("error") or 0)
    except (TypeError, ValueError):
        return 0


def delivery_error(exc: ZaloOaError) -> DeliveryError:
    """What the sender should do about a failed send."""
    if exc.code == -32:
        return RetryAfter(60.0)
    if exc.code == -213:
        return RecipientBlocked(str(exc))
    if exc.code in WINDOW_ERRORS:
        return OutsideWindow(str(exc))
    if exc.code in (0, -234, *TOKEN_ERRORS):
        return TemporaryFailure(str(exc))
    return PermanentFailure(str(exc))
