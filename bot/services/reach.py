"""Reachability: who joined but cannot be messaged now, and alerts to the admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.messages import Reply
from bot.core.texts import t
from bot.db.models import AccountStatus, ChannelAccount, Person, Role, Unit
from bot.services import notify
from bot.services.notify import ACCOUNT_COLUMNS, PUSH_CHANNELS, best_accounts, in_window
from bot.services.org import subtree_filter


@dataclass(frozen=True, slots=True)
class Unreachable:
    """An active person none of whose push accounts can be written to now."""

    person: Person
    accounts: tuple[ChannelAccount, ...]


def reachable(account: ChannelAccount, now: datetime) -> bool:
    """Not blocked, and inside the channel's reply window."""
    return account.status == AccountStatus.ACTIVE and in_window(account, now)


async def unreachable(
    session: AsyncSession, *, now: datetime, unit: Unit | None = None
) -> list[Unreachable]:
    """People who joined (have a push account) but whom no channel reaches now."""
    query = (
        select(Person)
        .where(Person.active.is_(True))
        .where(Person.accounts.any(ChannelAccount.channel.in_(PUSH_CHANNELS)))
        .options(selectinload(Person.accounts), selectinload(Person.unit))
        .order_by(Person.employee_code)
    )
    if unit is not None:
        query = query.join(Unit, Person.unit_id == Unit.id).where(subtree_filter(unit))
    found = []
    for person in (await session.execute(query)).scalars():
        push = tuple(a for a in person.accounts if a.channel in PUSH_CHANNELS)
        if not any(reachable(account, now) for account in push):
            found.append(Unreachable(person, push))
    return found


async def alert_admins(
    session: AsyncSession, *, topic: str, text: str, now: datetime, day: date, avoid: str
) -> int:
    """Queue `text` to each admin once per `topic` and day, on a channel other than `avoid`."""
    query = (
        select(*ACCOUNT_COLUMNS)
        .join(Person, ChannelAccount.person_id == Person.id)
        .where(
            Person.active.is_(True),
            Person.role == Role.ADMIN,
            ChannelAccount.status == AccountStatus.ACTIVE,
            ChannelAccount.channel.in_(PUSH_CHANNELS),
            ChannelAccount.channel != avoid,
        )
    )
    admins = best_accounts(await session.execute(query), now)
    queued = 0
    for admin in admins:
        queued += await notify.send(
            session,
            to=admin,
            replies=[Reply(text)],
            key=f"alert:{topic}:{day.isoformat()}:p{admin.person_id}",
            now=now,
        )
    return queued


# The Zalo Bot Basic plan serves at most 50 users per bot; warn from 45.
ZALO_BOT_USERS, ZALO_BOT_NEAR = 50, 45


async def zalo_bot_users(session: AsyncSession) -> int:
    """People linked on the Zalo Bot (a blocked account may still hold its place)."""
    query = select(func.count(func.distinct(ChannelAccount.person_id))).where(
        ChannelAccount.channel == "zalo_bot"
    )
    return int((await session.execute(query)).scalar_one())


def zalo_bot_limit(users: int, invited: int) -> str | None:
    """A warning when these invitations would bring the Zalo Bot near or past 50 users."""
    total = users + invited
    if total >= ZALO_BOT_USERS:
        return t("zalo.bot_limit_full", users=users, total=total, limit=ZALO_BOT_USERS)
    if total >= ZALO_BOT_NEAR:
        return t("zalo.bot_limit_near", users=users, total=total, limit=ZALO_BOT_USERS)
    return None
