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
# A 2026 organisation: the Sở TT&TT merged into the Sở KH&CN (03/2025) and districts are gone
# (07/2025), so the demo has a sở with phòng and trung tâm, and a phường.
DEMO_ROOT = "Sở KH&CN"
DEMO_WARD = "UBND phường Hòa Bình"
DEMO_CAMPAIGN = "Thi đua bảo đảm trật tự, an toàn giao thông năm {year}"
DEMO_PLANS_DIR = DEMO_ROSTER.parents[1] / "plans"
# The demo campaign's own plan, written for the demo and marked as a sample in its text.
DEMO_SAMPLE_PLAN = DEMO_ROSTER.parent / "ke-hoach-mau-2026.txt"
# The five real sample plans (import examples) -> a unit of their own, outside the roster,
# so they never answer for the demo organisation.
SAMPLES_ROOT = "Kế hoạch mẫu"
DEMO_PLANS = {
    "so-tttt-2023.txt": f"{SAMPLES_ROOT}/Sở TT&TT 2023",
    "so-ngoai-vu-2024.txt": f"{SAMPLES_ROOT}/Sở Ngoại vụ 2024",
    "batgt-tra-cu-2023-truncated.txt": f"{SAMPLES_ROOT}/Ban ATGT huyện Trà Cú 2023",
    "dang-uy-khoi-ct23.txt": f"{SAMPLES_ROOT}/Đảng ủy Khối",
    "xa-lien-minh-2022-two-fragments.txt": f"{SAMPLES_ROOT}/Xã Liên Minh 2022",
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
    units = [await find_unit(session, path=path) for path in (DEMO_ROOT, DEMO_WARD)]
    assert all(units), "the bundled demo roster lacks its sở or phường"
    await create_campaign(
        session,
        name=name,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        units=[unit for unit in units if unit is not None],
        timezone=timezone,
        now=now,
    )


async def seed_demo_plans(session: AsyncSession, *, now: datetime) -> None:
    """Import the demo plan and the sample plans under their units (idempotent by fingerprint)."""
    await import_file(session, path=DEMO_SAMPLE_PLAN, unit_path=DEMO_ROOT, now=now)
    for file_name, unit_path in DEMO_PLANS.items():
        await import_file(
            session, path=DEMO_PLANS_DIR / file_name, unit_path=unit_path, now=now, create_unit=True
        )
