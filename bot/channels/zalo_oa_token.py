"""Zalo OA access tokens: ~25 h access tokens from a single-use, rotating refresh token.

Using a refresh token spends it; the answer carries the next one. That pair is written
to the database in the transaction that used the old one, before anything uses it, so a
crash never leaves us holding a spent token. One refresh at a time: an asyncio.Lock in
the process and, on PostgreSQL, the token row locked (FOR UPDATE) across processes.

TokenError
├── TokenUnavailable   no answer from the OAuth server: try again later
└── TokenRefused       the refresh token was refused: an OA admin must grant access again
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ZaloOaToken

log = logging.getLogger(__name__)

DEFAULT_LIFETIME = timedelta(seconds=90_000)  # the documented 25 h
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TokenError(Exception):
    """No usable access token."""


class TokenUnavailable(TokenError):
    """The OAuth server did not answer usefully; the refresh token was not spent."""


class TokenRefused(TokenError):
    """The OAuth server refused the refresh token."""


@dataclass(frozen=True, slots=True)
class TokenPair:
    """An access token, the refresh token that comes with it, and when the first expires."""

    access: str
    refresh: str
    expires_at: datetime


def fingerprint(secret: str) -> str:
    """SHA-256 hex of a secret, to notice a changed setting without storing it twice."""
    return hashlib.sha256(secret.encode()).hexdigest()


class OaTokens:
    """The current access token, refreshed ahead of expiry or when the API rejects it."""

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        http: httpx.AsyncClient,
        app_id: str,
        secret_key: str,
        oauth_url: str,
        seed: str | None,
        clock: Callable[[], datetime],
        margin: timedelta = timedelta(minutes=30),
    ) -> None:
        self._sessionmaker = sessionmaker
        self._http = http
        self._app_id = app_id
        self._secret_key = secret_key
        self._oauth_url = oauth_url
        self._seed = seed
        self._clock = clock
        self._margin = margin
        self._lock = asyncio.Lock()
        self._pair: TokenPair | None = None

    async def load(self) -> None:
        """Read the stored pair; a new initial refresh token in the settings replaces it."""
        async with self._sessionmaker() as session, session.begin():
            row = await self._row(session)
            seed_hash = fingerprint(self._seed) if self._seed else None
            if row is None and seed_hash is None:
                raise TokenRefused("no refresh token: set ATGT_ZALO_OA_REFRESH_TOKEN")
            if row is None:
                row = ZaloOaToken(app_id=self._app_id)
                session.add(row)
            if seed_hash is not None and row.seed_hash != seed_hash:
                log.info("zalo_oa: using the refresh token from the settings (a new grant)")
                row.access_token, row.refresh_token = "", self._seed or ""
                row.expires_at, row.refreshed_at, row.seed_hash = EPOCH, self._clock(), seed_hash
            self._pair = TokenPair(row.access_token, row.refresh_token, row.expires_at)

    async def access_token(self) -> str:
        """A valid access token, refreshed first when it is about to expire."""
        if self._pair is None:
            await self.load()
        assert self._pair is not None
        if self._expiring(self._pair):
            return await self.refresh(stale=self._pair.access)
        return self._pair.access

    async def refresh(self, *, stale: str) -> str:
        """Replace `stale` (rejected or expiring) unless someone already did; one at a time."""
        async with self._lock:
            assert self._pair is not None
            if self._pair.access != stale and not self._expiring(self._pair):
                return self._pair.access
            self._pair = await self._rotate(stale)
            return self._pair.access

    def _expiring(self, pair: TokenPair) -> bool:
        return not pair.access or pair.expires_at - self._margin <= self._clock()

    async def _rotate(self, stale: str) -> TokenPair:
        async with self._sessionmaker() as session:
            row = await self._row(session)
            if row is None:
                raise TokenRefused("the stored token disappeared")
            stored = TokenPair(row.access_token, row.refresh_token, row.expires_at)
            if stored.access != stale and not self._expiring(stored):
                await session.commit()
                return stored  # another process rotated it meanwhile
            if session.bind.dialect.name != "postgresql":
                # SQLite cannot hold a read across a slow call and then write (WAL snapshot);
                # it runs in one process, where the asyncio.Lock serialises refreshes.
                await session.commit()
            pair = await self._exchange(row.refresh_token)
            row.access_token, row.refresh_token = pair.access, pair.refresh
            row.expires_at, row.refreshed_at = pair.expires_at, self._clock()
            await self._commit(session, row, pair)
        log.info("zalo_oa: access token refreshed; valid until %s", pair.expires_at.isoformat())
        return pair

    async def _commit(self, session: AsyncSession, row: ZaloOaToken, pair: TokenPair) -> None:
        """Store the new pair; the old refresh token is spent, so try hard."""
        try:
            await session.commit()
            return
        except Exception:
            log.exception("zalo_oa: storing the new token pair failed; retrying once")
            await session.rollback()
        async with self._sessionmaker() as retry, retry.begin():
            again = await self._row(retry)
            assert again is not None
            again.access_token, again.refresh_token = pair.access, pair.refresh
            again.expires_at, again.refreshed_at = pair.expires_at, self._clock()

    async def _exchange(self, refresh_token: str) -> TokenPair:
        """Spend the refresh token at the OAuth server for a new pair."""
        form = {"refresh_token": refresh_token, "app_id": self._app_id}
        form["grant_type"] = "refresh_token"
        try:
            response = await self._http.post(
                self._oauth_url, data=form, headers={"secret_key": self._secret_key}
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TokenUnavailable(f"OAuth server: {type(exc).__name__}") from None
        if response.status_code >= 500 or not isinstance(data, dict):
            raise TokenUnavailable(f"OAuth server: HTTP {response.status_code}")
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if not access or not refresh:
            reason = data.get("error_description") or data.get("error_name") or data.get("message")
            raise TokenRefused(f"OAuth error {data.get('error')}: {reason}")
        lifetime = _seconds(data.get("expires_in"))
        return TokenPair(str(access), str(refresh), self._clock() + lifetime)

    async def _row(self, session: AsyncSession) -> ZaloOaToken | None:
        """The stored pair, locked until the transaction ends (one refresher at a time)."""
        query = select(ZaloOaToken).where(ZaloOaToken.app_id == self._app_id).with_for_update()
        return (await session.execute(query)).scalar_one_or_none()


def _seconds(value: object) -> timedelta:
    """`expires_in` arrives as a string ("90000")."""
    try:
        return timedelta(seconds=int(str(value)))
    except ValueError:
        return DEFAULT_LIFETIME
