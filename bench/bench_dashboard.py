"""The manager dashboard at 100,000 people: the whole organisation and one 50-person group.

    .venv/bin/python -m bench.bench_dashboard [--db postgresql,sqlite] [--repeat 5] [--small]
        [--reuse DBNAME]   # PostgreSQL: generate into DBNAME once, keep it, time it again later

Generates the organisation of `bench/digest_data.py` (a temporary PostgreSQL database on
ATGT_TEST_PG_ADMIN_URL, dropped afterwards unless reused), then times what the page does:
`dashboard.build` (scope check, board, trend, topics, week counts, names) plus the HTML
with its SVG, for the admin (whole organisation) and a group manager; and the workbook of
the group. Each render runs in a fresh database session. Prints one JSON object.
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
from sqlalchemy.orm import selectinload

from bench.digest_data import NOW, Shape, generate
from bot.channels import web_dashboard
from bot.content import load_content
from bot.db.migrate import upgrade_database
from bot.db.models import Person
from bot.db.session import make_engine, make_sessionmaker
from bot.services import dashboard, digest

PG_ADMIN_URL = os.environ.get(
    "ATGT_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ADMIN, GROUP_MANAGER = "B000001", "B000005"


async def render(engine: AsyncEngine, topics: dict[str, str], code: str) -> tuple[float, dict]:
    """One page view: the viewer's dashboard and its HTML, in its own session."""
    async with make_sessionmaker(engine)() as session, session.begin():
        started = time.perf_counter()
        query = select(Person).where(Person.employee_code == code)
        viewer = (await session.execute(query.options(selectinload(Person.unit)))).scalar_one()
        board = await dashboard.build(
            session, viewer=viewer, unit_id=None, weeks=8, now=NOW, topics=topics
        )
        page = web_dashboard.render(board)
        elapsed = time.perf_counter() - started
    return elapsed, {
        "scope": board.label,
        "people": board.digest.counts.people,
        "html_bytes": len(page.encode()),
        "weeks_shown": len(board.points),
    }


async def export(engine: AsyncEngine, topics: dict[str, str], code: str) -> dict[str, object]:
    """The workbook of one viewer's dashboard (people rows + .xlsx)."""
    async with make_sessionmaker(engine)() as session, session.begin():
        started = time.perf_counter()
        query = select(Person).where(Person.employee_code == code)
        viewer = (await session.execute(query.options(selectinload(Person.unit)))).scalar_one()
        board = await dashboard.build(
            session, viewer=viewer, unit_id=None, weeks=8, now=NOW, topics=topics
        )
        book = await dashboard.export(session, board)
        data = dashboard.workbook(board, book)
        elapsed = time.perf_counter() - started
    return {"seconds": round(elapsed, 3), "rows": len(book.rows), "xlsx_bytes": len(data)}


async def timings(engine: AsyncEngine, code: str, repeat: int, topics) -> dict[str, object]:
    first, info = await render(engine, topics, code)
    runs = [(await render(engine, topics, code))[0] for _ in range(repeat)]
    return {
        **info,
        "first_seconds": round(first, 3),
        "median_seconds": round(statistics.median(runs), 3),
        "runs": [round(r, 3) for r in runs],
    }


async def one_database(kind: str, url: str, pg_url: str | None, shape: Shape | None, repeat: int):
    """Generate (unless reused), analyse, then time the pages."""
    engine = make_engine(url)
    try:
        result: dict[str, object] = {"database": kind}
        if shape is not None:
            await asyncio.to_thread(upgrade_database, url)
            started = time.perf_counter()
            result |= await generate(engine, pg_url, shape)
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
            result["generation_seconds"] = round(time.perf_counter() - started, 1)
        topics = digest.topic_map(load_content())
        result["whole_organisation"] = await timings(engine, ADMIN, repeat, topics)
        result["group_of_50"] = await timings(engine, GROUP_MANAGER, repeat, topics)
        result["group_export"] = await export(engine, topics, GROUP_MANAGER)
        return result
    finally:
        await engine.dispose()


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _exists(name: str) -> bool:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        return bool(await connection.fetchval("SELECT 1 FROM pg_database WHERE datname=$1", name))
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", action="store_true", help="2 departments (a quick check)")
    parser.add_argument("--reuse", help="PostgreSQL database to generate once and keep")
    args = parser.parse_args()
    shape = Shape(departments=2) if args.small else Shape()
    results = []
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.db:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            results.append(await one_database("sqlite", url, None, shape, args.repeat))
        if "postgresql" in args.db and args.reuse:
            pg = f"{base}/{args.reuse}"
            fresh = not await _exists(args.reuse)
            if fresh:
                await _admin(f'CREATE DATABASE "{args.reuse}"')
            found = await one_database("postgresql", pg, pg, shape if fresh else None, args.repeat)
            results.append(found)
        elif "postgresql" in args.db:
            name = f"atgt_bench_{uuid.uuid4().hex[:8]}"
            await _admin(f'CREATE DATABASE "{name}"')
            pg = f"{base}/{name}"
            try:
                results.append(await one_database("postgresql", pg, pg, shape, args.repeat))
            finally:
                await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
