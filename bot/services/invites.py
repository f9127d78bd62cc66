"""One-time invite codes: issued by admins and managers, redeemed by a new user on any channel.

Who may issue a code is decided here, not only in the /moi route: a manager invites only
people of their units whose role is not above theirs and who have not joined yet;
re-linking someone already linked (a lost phone) is an admin's call, and that person is
told on the accounts they already have, when the code is issued and when it is used.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core import outbox
from bot.core.errors import UserError
from bot.core.messages import Reply
from bot.core.texts import CHANNEL_LABELS, t
from bot.db.models import AccountStatus, ChannelAccount, Invite, InviteAttempt, Person, Role
from bot.services.notify import PUSH_CHANNELS, in_window
from bot.services.org import can_manage, link_account

MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(hours=1)

# Crockford-like alphabet without 0/O/1/I/L: easy to read aloud and retype.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 13  # 31**13 ≈ 2**64.4: unguessable
_NOT_CODE = re.compile(r"[\s\-_.]")
# Invite.issued_via: from chat by a person (/moi), by the operator on the server (CLI), or
# unknown (issued before the issuer was recorded).
VIA_CHAT, VIA_CLI, VIA_UNKNOWN = "chat", "cli", "unknown"
VIA_SELF = "self"  # a linked person's own sign-in link for another channel (/web)


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
    issued_by: Person | None = None,
    self_service: bool = False,
) -> str:
    """Issue a code for `person`; earlier unused codes of theirs stop working.

    `issued_by` is the person asking in chat, checked by `check_issuer` (InviteRefused);
    None is the operator on the server (the CLI), who may invite anyone. When `person`
    is already linked, their existing accounts are told a re-link code was issued.
    `self_service` is a linked person asking for a link for themselves (`/web`): their
    other open codes stay valid and nobody needs telling.
    """
    if not person.active:  # redeeming would be refused anyway; say so to the issuer now
        raise UserError(t("invite.inactive", name=person.full_name, code=person.employee_code))
    if not self_service:
        await check_issuer(session, issued_by, person)
        await session.execute(
            update(Invite)
            .where(Invite.person_id == person.id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(expires_at=now)
        )
    code = new_code()
    invite = Invite(
        person_id=person.id,
        code_hash=hash_code(code),
        created_at=now,
        expires_at=now + ttl,
        issued_by_id=person.id if self_service else issued_by.id if issued_by else None,
        issued_via=VIA_SELF if self_service else VIA_CHAT if issued_by else VIA_CLI,
    )
    session.add(invite)
    await session.flush()
    if self_service:
        return code
    issuer = _issuer_label(issued_by)
    notice = t("invite.relink_notice", issuer=issuer)
    await _tell(session, person_id=person.id, text=notice, now=now, key=f"relink:{invite.id}")
    return code


async def check_issuer(session: AsyncSession, issuer: Person | None, person: Person) -> None:
    """Raise InviteRefused unless `issuer` may hand out a code for `person` (None: the CLI)."""
    if issuer is None:
        return
    if not issuer.active or issuer.role.rank < Role.MANAGER.rank:
        raise InviteRefused(t("invite.not_allowed"))
    if not can_manage(issuer, person.unit):
        raise InviteRefused(t("invite.person_unknown", code=person.employee_code))
    if issuer.role == Role.ADMIN:
        return
    name, code = person.full_name, person.employee_code
    if person.role.rank > issuer.role.rank:
        raise InviteRefused(t("invite.role_above", name=name, code=code))
    if await linked_accounts(session, person_id=person.id):
        raise InviteRefused(t("invite.already_linked", name=name, code=code))


async def linked_accounts(session: AsyncSession, *, person_id: int) -> list[ChannelAccount]:
    """Every channel account of a person, whatever its state (queried, not the cached list)."""
    query = select(ChannelAccount).where(ChannelAccount.person_id == person_id)
    return list((await session.execute(query)).scalars())


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
    await tell_linked(
        session, invite=invite, account=account, channel=channel, now=now, timezone=timezone
    )
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
    await _check_still_allowed(session, invite)
    if not await _mark_used(session, invite, now):
        raise InviteRefused(t("onboarding.code_used"))
    return invite


async def tell_linked(
    session: AsyncSession,
    *,
    invite: Invite,
    account: ChannelAccount,
    channel: str,
    now: datetime,
    timezone: str,
) -> None:
    """Tell the person's other accounts that a code of theirs linked a new one."""
    notice = t(
        "invite.relinked_notice",
        channel=CHANNEL_LABELS.get(channel, channel),
        time=now.astimezone(ZoneInfo(timezone)).strftime("%H:%M %d/%m/%Y"),
    )
    await _tell(
        session,
        person_id=invite.person.id,
        text=notice,
        now=now,
        key=f"relinked:{invite.id}",
        skip=account.id,
    )


async def _check_still_allowed(session: AsyncSession, invite: Invite) -> None:
    """A chat-issued code works only while its issuer could still issue it.

    Between issue and use the person may have been promoted or linked, or the issuer
    demoted, moved or removed; the code then stops working. A code of unknown origin
    does not re-link.
    """
    if invite.issued_via == VIA_UNKNOWN:
        # Maybe a manager's /moi from before the rule: no silent second account with it.
        if await linked_accounts(session, person_id=invite.person_id):
            raise InviteRefused(t("onboarding.code_revoked"))
        return
    if invite.issued_via != VIA_CHAT:
        return
    try:
        if invite.issued_by is None:
            raise InviteRefused("issuer removed")
        await check_issuer(session, invite.issued_by, invite.person)
    except InviteRefused:
        raise InviteRefused(t("onboarding.code_revoked")) from None


async def _tell(
    session: AsyncSession,
    *,
    person_id: int,
    text: str,
    now: datetime,
    key: str,
    skip: int | None = None,
) -> None:
    """Queue a security notice to every reachable account the person already has."""
    for account in await linked_accounts(session, person_id=person_id):
        if (
            account.id == skip
            or account.status != AccountStatus.ACTIVE
            or account.channel not in PUSH_CHANNELS
            or not in_window(account, now)
        ):
            continue
        # Sent at once, even in quiet hours: the owner must be able to react in time.
        await outbox.enqueue(
            session,
            channel=account.channel,
            chat_id=account.chat_id,
            replies=[Reply(text)],
            now=now,
            key=f"{key}:{account.id}",
            account_id=account.id,
        )


def _issuer_label(issuer: Person | None) -> str:
    if issuer is None:
        return t("invite.issuer_server")
    return t("invite.issuer_person", name=issuer.full_name, code=issuer.employee_code)


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
        .options(
            selectinload(Invite.person).selectinload(Person.unit),
            selectinload(Invite.issued_by).selectinload(Person.unit),
        )
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
