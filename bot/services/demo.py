"""Demo data: a small organisation from the bundled roster, and a console identity."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import Campaign, ChannelAccount, Person
from bot.services.campaigns import create_campaign
from bot.services.org import find_person, find_unit, link_account
from bot.services.plans.store import import_file
from bot.services.roster import import_roster, read_roster
from bot.services.schedules import ensure_defaults

DEMO_ROSTER = Path(__file__).resolve().parents[2] / "content" / "demo" / "roster.csv"
DEMO_PERSON = "NV001"
DEMO_EXAMPLES = ("NV001", "QL001", "AD001")
DEMO_ROOT = "Sở TT&TT"
DEMO_CAMPAIGN = "Thi đua bảo đảm trật tự, an toàn giao thông năm {year}"
DEMO_PLANS_DIR = DEMO_ROSTER.parents[1] / "plans"
# Sample plan -> the demo unit it applies to (units are created without people).
DEMO_PLANS = {
    "so-tttt-2023.txt": DEMO_ROOT,
    "so-ngoai-vu-2024.txt": "Sở Ngoại vụ",
    "batgt-tra-cu-2023-truncated.txt": "Ban ATGT huyện Trà Cú",
    "dang-uy-khoi-ct23.txt": "Đảng ủy Khối",
    "xa-lien-minh-2022-two-fragments.txt": "Xã Liên Minh",
}


async def seed_demo(
    session: AsyncSession, *, now: datetime, channel: str, user_id: str, timezone: str
) -> Person:
    """Load the demo roster (idempotent) and return who the console acts as."""
    await import_roster(session, rows=read_roster(DEMO_ROSTER), now=now)
    await ensure_defaults(session, now=now, timezone=timezone)
    await _ensure_campaign(session, now=now, timezone=timezone)
    await seed_demo_plans(session, now=now)
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


async def _ensure_campaign(session: AsyncSession, *, now: datetime, timezone: str) -> None:
    """A campaign over the demo organisation for the current year (once)."""
    year = now.astimezone(ZoneInfo(timezone)).year
    name = DEMO_CAMPAIGN.format(year=year)
    if (await session.execute(select(Campaign.id).where(Campaign.name == name))).first():
        return
    root = await find_unit(session, path=DEMO_ROOT)
    assert root is not None
    await create_campaign(
        session,
        name=name,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        units=[root],
        timezone=timezone,
        now=now,
    )


async def seed_demo_plans(session: AsyncSession, *, now: datetime) -> None:
    """Import the sample plans under their demo units (idempotent by fingerprint)."""
    for file_name, unit_path in DEMO_PLANS.items():
        await import_file(
            session, path=DEMO_PLANS_DIR / file_name, unit_path=unit_path, now=now, create_unit=True
        )
