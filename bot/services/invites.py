"""One-time invite codes: created by admins, redeemed by a new user on any channel."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.texts import t
from bot.db.models import ChannelAccount, Invite, InviteAttempt, Person
from bot.services.org import link_account

MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(hours=1)

# Crockford-like alphabet without 0/O/1/I/L: easy to read aloud and retype.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 13  # 31**13 ≈ 2**64.4: unguessable
_NOT_CODE = re.compile(r"[\s\-_.]")


class InviteRefused(Exception):
    """A code that cannot be used; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_code() -> str:
    """A fresh random invite code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What the user typed, as a code: upper case, separators dropped."""
    return _NOT_CODE.sub("", text).upper()


def looks_like_code(text: str) -> bool:
    """Could this message be an invite code (so an unlinked user's text is tried as one)?"""
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def hash_code(code: str) -> str:
    """Only the hash is stored, so a database leak does not leak usable codes."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def deep_link(bot_username: str | None, code: str) -> str | None:
    """The Telegram link that opens the bot with /start CODE."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}" if bot_username else None


def web_link(web_url: str | None, code: str) -> str | None:
    """The web channel's join link for a code (None when the web channel is off)."""
    return f"{web_url.rstrip('/')}/j/{code}" if web_url else None


async def create_invite(
    session: AsyncSession,
    *,
    person: Person,
    now: datetime,
    ttl: timedelta,
    keep_others: bool = False,
) -> str:
    """Issue a code for `person`; earlier unused codes of theirs stop working unless kept."""
    if not keep_others:
        await session.execute(
            update(Invite)
            .where(Invite.person_id == person.id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(expires_at=now)
        )
    code = new_code()
    session.add(
        Invite(person_id=person.id, code_hash=hash_code(code), created_at=now, expires_at=now + ttl)
    )
    await session.flush()
    return code


async def redeem_invite(
    session: AsyncSession,
    *,
    code: str,
    channel: str,
    user_id: str,
    chat_id: str,
    now: datetime,
    timezone: str,
) -> ChannelAccount:
    """Link the sender to the invite's person, or raise InviteRefused saying why not."""
    invite = await claim_invite(session, code=code, now=now, timezone=timezone)
    account = await link_account(
        session, person=invite.person, channel=channel, user_id=user_id, chat_id=chat_id, now=now
    )
    invite.used_by_account_id = account.id
    return account


async def claim_invite(session: AsyncSession, *, code: str, now: datetime, timezone: str) -> Invite:
    """Use up a valid code and return it with its person; else raise InviteRefused."""
    invite = await _find_invite(session, code)
    if invite is None:
        raise InviteRefused(t("onboarding.code_wrong"))
    if invite.used_at is not None:
        raise InviteRefused(t("onboarding.code_used"))
    if invite.expires_at <= now:
        raise InviteRefused(
            t("onboarding.code_expired", expired=_local_date(invite.expires_at, timezone))
        )
    if not invite.person.active:
        raise InviteRefused(t("onboarding.inactive"))
    if not await _mark_used(session, invite, now):
        raise InviteRefused(t("onboarding.code_used"))
    return invite


async def too_many_attempts(
    session: AsyncSession, *, channel: str, user_id: str, now: datetime
) -> bool:
    """Has this sender typed too many bad codes lately? (Guessing stays hopeless.)"""
    count = await session.scalar(
        select(func.count()).where(
            InviteAttempt.channel == channel,
            InviteAttempt.platform_user_id == user_id,
            InviteAttempt.at > now - ATTEMPT_WINDOW,
        )
    )
    return (count or 0) >= MAX_FAILED_ATTEMPTS


def record_failure(session: AsyncSession, *, channel: str, user_id: str, now: datetime) -> None:
    """Remember a refused code for the rate limit."""
    session.add(InviteAttempt(channel=channel, platform_user_id=user_id, at=now))


async def _find_invite(session: AsyncSession, code: str) -> Invite | None:
    query = (
        select(Invite)
        .where(Invite.code_hash == hash_code(code))
        .options(selectinload(Invite.person).selectinload(Person.unit))
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _mark_used(session: AsyncSession, invite: Invite, now: datetime) -> bool:
    """Compare-and-set, so two concurrent redemptions cannot both win."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def _local_date(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y")
