"""Weekly digest at scale: 100,000 people, a year of check-ins and quiz answers.

    .venv/bin/python -m bench.bench_digest [--db sqlite,postgresql] [--repeat 3] [--small]

Generates the data on each database (SQLite file; a temporary PostgreSQL database on
ATGT_TEST_PG_ADMIN_URL), then times the numbers and names of every manager's and
admin's digest, and the rendering (PNG + .xlsx) of one team digest and the admin's.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.digest_data import FIRST_WEEK, NOW, Shape, generate
from bot.content import load_content
from bot.db.migrate import upgrade_database
from bot.db.models import Campaign, Person, Role
from bot.db.session import make_engine, make_sessionmaker
from bot.services import campaigns, digest, digest_report, report_counts
from bot.services.digest_text import digest_text
from bot.services.report_people import people_rows
from bot.services.report_window import last_complete_week

PG_ADMIN_URL = os.environ.get(
    "ATGT_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


async def compute_all(engine: AsyncEngine, topics: dict[str, str]) -> dict[str, object]:
    """Every manager's and admin's digest (numbers, names, text), as the weekly job does."""
    async with make_sessionmaker(engine)() as session:
        campaign = await campaigns.load(session, 1)
        assert isinstance(campaign, Campaign)
        viewers = (
            (await session.execute(select(Person).where(Person.role != Role.EMPLOYEE)))
            .scalars()
            .all()
        )
        started = time.perf_counter()
        _, found = await digest.for_viewers(
            session,
            campaign=campaign,
            monday=last_complete_week(campaign, NOW),
            topics=topics,
            viewers=viewers,
        )
        texts = [digest_text(d) for _, d in found]
        elapsed = time.perf_counter() - started
    return {"seconds": round(elapsed, 3), "digests": len(texts), "sample": texts[-1]}


async def render_one(engine: AsyncEngine, topics: dict[str, str], code: str) -> dict[str, object]:
    """One viewer's attachments: their trend and people queries, then PNG + .xlsx (warm)."""
    async with make_sessionmaker(engine)() as session:
        viewer = (
            await session.execute(select(Person).where(Person.employee_code == code))
        ).scalar_one()
        campaign = await campaigns.load(session, 1)
        assert campaign is not None
        data = await digest.board(
            session, campaign=campaign, monday=last_complete_week(campaign, NOW), topics=topics
        )
        found = digest.digest_for(data, scope=digest.scope_of(viewer))
        assert found is not None
        started = time.perf_counter()
        units = digest_report.scope_units(data, found.unit_id)
        trend = await report_counts.trend(
            session, campaign_id=1, first=FIRST_WEEK, last=data.window.first, unit_ids=units
        )
        rows = await people_rows(session, campaign=campaign, window=data.window, unit_ids=units)
        queried = time.perf_counter() - started
    timings = []
    for _ in range(2):  # the first call also imports matplotlib
        started = time.perf_counter()
        _, image, document = digest_report.render(found, data, trend, rows, NOW, None)
        timings.append(time.perf_counter() - started)
    assert image.image is not None and document.document is not None
    return {
        "people": len(rows),
        "queries_seconds": round(queried, 3),
        "render_png_xlsx_seconds": round(timings[1], 3),
        "first_render_seconds": round(timings[0], 3),
        "png_bytes": len(image.image.data),
        "xlsx_bytes": len(document.document.data),
    }


async def one_database(kind: str, url: str, pg_url: str | None, shape: Shape, repeat: int):
    """Generate, analyse, then time compute and render on one database."""
    await asyncio.to_thread(upgrade_database, url)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        counts = await generate(engine, pg_url, shape)
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
        generated = time.perf_counter() - started
        topics = digest.topic_map(load_content())
        runs = [await compute_all(engine, topics) for _ in range(repeat)]
        seconds = [r["seconds"] for r in runs]
        return {
            "database": kind,
            "generation_seconds": round(generated, 1),
            **counts,
            "compute_all_seconds": {"median": statistics.median(seconds), "runs": seconds},
            "digests": runs[0]["digests"],
            "render_group_manager": await render_one(engine, topics, "B000005"),
            "render_admin": await render_one(engine, topics, "B000001"),
            "sample_text": runs[0]["sample"],
        }
    finally:
        await engine.dispose()


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="2 departments (a quick check)")
    args = parser.parse_args()
    shape = Shape(departments=2) if args.small else Shape()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.db:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            results.append(await one_database("sqlite", url, None, shape, args.repeat))
        if "postgresql" in args.db:
            name = f"atgt_bench_{uuid.uuid4().hex[:8]}"
            await _admin(f'CREATE DATABASE "{name}"')
            pg = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            try:
                results.append(await one_database("postgresql", pg, pg, shape, args.repeat))
            finally:
                await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
