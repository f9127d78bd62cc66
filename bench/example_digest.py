"""Write an example weekly digest of the demo organisation to docs/examples/.

    .venv/bin/python -m bench.example_digest [--out docs/examples]

Seeds the demo roster and campaign (bot/services/demo.py) in a temporary SQLite file,
adds 47 weeks of plausible, seeded activity, and renders the Monday 23/11/2026 digest
(week 16/11–22/11) of the admin (AD001) and of a manager (QL003) as the job would.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.content import load_content
from bot.db.migrate import upgrade_database
from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    Campaign,
    CheckIn,
    Outbox,
    OutboxStatus,
    Person,
    QuizDelivery,
    Registration,
)
from bot.db.session import make_engine, make_sessionmaker
from bot.services import digest, digest_report
from bot.services.demo import seed_demo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=TZ)
VIEWERS = ("AD001", "QL003")


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ).astimezone(UTC)


def activity(
    campaign: Campaign, people: list[Person], items: list[str], announced: list[date]
) -> list[object]:
    """Registrations, weekly check-ins, two questions a week; Mondays with an announcement."""
    rng = random.Random(2026)
    rows: list[object] = []
    first = campaign.starts_on - timedelta(days=campaign.starts_on.weekday())
    diligence = {p.id: 0.55 + 0.45 * rng.random() for p in people}
    for person in people:
        if rng.random() < 0.85:
            rows.append(
                Registration(
                    campaign_id=campaign.id, person_id=person.id, registered_at=at(first, 9)
                )
            )
    monday, week = first, 0
    while monday < NOW.date() - timedelta(days=1):
        for person in people:
            if rng.random() < min(0.97, diligence[person.id] + week / 200):
                late = rng.random() < 0.1
                done = at(monday + timedelta(days=5 if late else 3), 9)
                ok = rng.random() < 0.9
                rows.append(
                    CheckIn(
                        campaign_id=campaign.id,
                        person_id=person.id,
                        period_start=monday,
                        answers={},
                        complete=True,
                        compliant=ok,
                        late=late,
                        submitted_at=done,
                        updated_at=done,
                    )
                )
            for offset in (1, 3):
                sent = at(monday + timedelta(days=offset), 10)
                item = rng.choice(items)
                answered = rng.random() < diligence[person.id]
                right = answered and rng.random() < (
                    0.5 if item.startswith(("alcohol", "points")) else 0.8
                )
                rows.append(
                    QuizDelivery(
                        person_id=person.id,
                        item_id=item,
                        sent_at=sent,
                        answered_at=sent + timedelta(minutes=30) if answered else None,
                        chosen=0 if answered else None,
                        correct=right if answered else None,
                    )
                )
        if week % 4 == 2 or monday == NOW.date() - timedelta(days=7):
            announced.append(monday)
        monday, week = monday + timedelta(days=7), week + 1
    return rows


async def announce(session, monday: date, people: list[Person], rng: random.Random) -> None:
    """One announcement to everyone; about 70% read it."""
    started = at(monday, 9)
    broadcast = Broadcast(
        text="Thông báo",
        unit_ids=[],
        roles=[],
        status=BroadcastStatus.DONE,
        created_at=started,
        started_at=started,
    )
    session.add(broadcast)
    for person in people:
        outbox = Outbox(
            channel="telegram",
            chat_id=person.employee_code,
            payload={},
            status=OutboxStatus.SENT,
            not_before=started,
            created_at=started,
        )
        session.add(outbox)
        await session.flush()
        read = started + timedelta(hours=3) if rng.random() < 0.7 else None
        session.add(
            BroadcastRecipient(
                broadcast_id=broadcast.id,
                person_id=person.id,
                unit_id=person.unit_id,
                outbox_id=outbox.id,
                read_at=read,
            )
        )


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}"
        await asyncio.to_thread(upgrade_database, url)
        engine = make_engine(url)
        content = load_content()
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_demo(session, now=NOW, channel="console", user_id="demo", timezone=str(TZ))
            people = list((await session.execute(select(Person).order_by(Person.id))).scalars())
            (campaign, monday), *_ = await digest_report.candidates(
                session, now=NOW, last_week=True
            )
            announced: list[date] = []
            session.add_all(activity(campaign, people, [q.id for q in content.quizzes], announced))
            rng = random.Random(11)
            for monday_ in announced:
                await announce(session, monday_, people, rng)
            await session.flush()
            viewers = [p for p in people if p.employee_code in VIEWERS]
            pending = await digest_report.gather_many(
                session,
                campaign=campaign,
                monday=monday,
                topics=digest.topic_map(content),
                viewers=viewers,
            )
        await engine.dispose()
    results = await digest_report.render_many(pending, NOW)
    out.mkdir(parents=True, exist_ok=True)
    for viewer, rendered in results:
        text, chart, book = rendered.replies
        stem = out / f"digest-{viewer.employee_code}"
        stem.with_suffix(".txt").write_text(text.text + "\n", encoding="utf-8")
        stem.with_suffix(".png").write_bytes(chart.image.data)
        stem.with_suffix(".xlsx").write_bytes(book.document.data)
        print(f"{stem}.txt/.png/.xlsx")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/examples"))
    asyncio.run(main(parser.parse_args().out))
