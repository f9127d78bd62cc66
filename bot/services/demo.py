"""Demo data: a small organisation from the bundled roster, and a console identity."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import ChannelAccount, Person
from bot.services.org import find_person, link_account
from bot.services.roster import import_roster, read_roster
from bot.services.schedules import ensure_defaults

DEMO_ROSTER = Path(__file__).resolve().parents[2] / "content" / "demo" / "roster.csv"
DEMO_PERSON = "NV001"
DEMO_EXAMPLES = ("NV001", "QL001", "AD001")


async def seed_demo(
    session: AsyncSession, *, now: datetime, channel: str, user_id: str, timezone: str
) -> Person:
    """Load the demo roster (idempotent) and return who the console acts as."""
    await import_roster(session, rows=read_roster(DEMO_ROSTER), now=now)
    await ensure_defaults(session, now=now, timezone=timezone)
    query = (
        select(ChannelAccount)
        .where(ChannelAccount.channel == channel, ChannelAccount.platform_user_id == user_id)
        .options(selectinload(ChannelAccount.person).selectinload(Person.unit))
    )
    account = (await session.execute(query)).scalar_one_or_none()
    if account is not None:
        return account.person
    person = await find_person(session, code=DEMO_PERSON)
    assert person is not None, "the bundled demo roster lacks its demo person"
    await link_account(
        session, person=person, channel=channel, user_id=user_id, chat_id=user_id, now=now
    )
    return person
