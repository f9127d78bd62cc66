"""Web channel sign-ins: an invite link opens a session for one browser (a "device").

A person has one web channel account (so every device shows the same thread); each
signed-in browser holds a random token in a cookie, and only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Person, WebSession
from bot.services import invites
from bot.services.org import link_account

CHANNEL = "web"
# A device unused this long must join again with a new link.
IDLE_LIMIT = timedelta(days=60)
# How stale last_seen_at may get before a request rewrites it (one UPDATE per request is waste).
TOUCH_EVERY = timedelta(minutes=5)
# Devices kept per person; joining on one more signs out the longest unused.
MAX_DEVICES = 10


@dataclass(frozen=True, slots=True)
class Joined:
    """A new sign-in: the cookie value (shown once, never stored) and its account."""

    token: str
    account: ChannelAccount


def hash_token(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The per-session anti-forgery token: derived, so nothing more is stored."""
    return hashlib.sha256(b"csrf:" + token.encode()).hexdigest()


def user_id_of(person: Person) -> str:
    """The web account's platform id (and chat id): one per person."""
    return f"p{person.id}"


async def join(
    session: AsyncSession,
    *,
    code: str,
    sender: str,
    label: str,
    now: datetime,
    timezone: str,
    old_token: str | None = None,
) -> Joined:
    """Redeem an invite for this browser; raise InviteRefused (the failure is recorded).

    `sender` (the client address) keys the same rate limit on wrong codes as the chats.
    Commit even when this raises, so a refused attempt counts.
    """
    if await invites.too_many_attempts(session, channel=CHANNEL, user_id=sender, now=now):
        raise invites.InviteRefused(t("onboarding.too_many"))
    try:
        invite = await invites.claim_invite(session, code=code, now=now, timezone=timezone)
    except invites.InviteRefused:
        invites.record_failure(session, channel=CHANNEL, user_id=sender, now=now)
        raise
    person = invite.person
    user_id = user_id_of(person)
    account = await link_account(
        session, person=person, channel=CHANNEL, user_id=user_id, chat_id=user_id, now=now
    )
    account.status = AccountStatus.ACTIVE
    invite.used_by_account_id = account.id
    await invites.tell_linked(
        session, invite=invite, account=account, channel=CHANNEL, now=now, timezone=timezone
    )
    if old_token:
        # Rotation: the browser's earlier session (if any) ends with this sign-in.
        await session.execute(
            delete(WebSession).where(WebSession.token_hash == hash_token(old_token))
        )
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            account_id=account.id,
            token_hash=hash_token(token),
            label=label[:200],
            created_at=now,
            last_seen_at=now,
        )
    )
    await session.flush()
    await _keep_newest(session, account.id)
    return Joined(token, account)


async def _keep_newest(session: AsyncSession, account_id: int) -> None:
    """Sign out the longest-unused devices beyond MAX_DEVICES."""
    query = (
        select(WebSession.id)
        .where(WebSession.account_id == account_id)
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
        .offset(MAX_DEVICES)
    )
    extra = list((await session.execute(query)).scalars())
    if extra:
        await session.execute(delete(WebSession).where(WebSession.id.in_(extra)))


async def find(session: AsyncSession, *, token: str, now: datetime) -> WebSession | None:
    """The live session of a cookie, with account, person and unit loaded; None if invalid."""
    if not token or len(token) > 100:
        return None
    query = (
        select(WebSession)
        .where(WebSession.token_hash == hash_token(token))
        .options(
            joinedload(WebSession.account).joinedload(ChannelAccount.person).joinedload(Person.unit)
        )
    )
    found = (await session.execute(query)).unique().scalar_one_or_none()
    if found is None or now - found.last_seen_at > IDLE_LIMIT:
        return None
    if not found.account.person.active or found.account.channel != CHANNEL:
        return None
    if now - found.last_seen_at >= TOUCH_EVERY or now < found.last_seen_at:
        found.last_seen_at = now
    return found


async def devices(session: AsyncSession, *, account_id: int) -> list[WebSession]:
    """The signed-in browsers of an account, most recently used first."""
    query = (
        select(WebSession)
        .where(WebSession.account_id == account_id)
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
    )
    return list((await session.execute(query)).scalars())


async def end(session: AsyncSession, *, account_id: int, session_id: int) -> bool:
    """Sign one device of this account out; False if it is not one of theirs.

    With no device left the web account stops receiving, so reminders go to the
    person's other channels.
    """
    result = await session.execute(
        delete(WebSession).where(WebSession.id == session_id, WebSession.account_id == account_id)
    )
    if result.rowcount != 1:
        return False
    left = await session.scalar(select(func.count()).where(WebSession.account_id == account_id))
    if not left:
        await session.execute(
            update(ChannelAccount)
            .where(ChannelAccount.id == account_id)
            .values(status=AccountStatus.LEFT)
        )
    return True


_BROWSERS = (("Edg", "Edge"), ("OPR", "Opera"), ("Zalo", "Zalo"), ("Firefox", "Firefox"))
_BROWSERS += (("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"))
_SYSTEMS += (("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """A short, recognisable name for a browser: "Chrome · Android"."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    # Only names from the tables above: nothing the browser sent is echoed back.
    return " · ".join(part for part in (browser, system) if part) or t("web.device_unknown")
