"""Where a web join's time goes: SQL statements and CPU of N joins, in-process, one at a time.

    .venv/bin/python -m bench.profile_web_join [--joins 60] [--db postgresql]

Seeds the bench_web organisation, then for each invite opens the join form and presses
"Tham gia" through the real Starlette app (httpx ASGI transport, no network). Prints the
p50 of a join, the statements one join runs (counted on the engine), and a cProfile of the
join POSTs sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import re
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import event

from bench.bench_inbound import database
from bench.bench_web import seed
from bot.channels.web_app import WebChannel, WebConfig
from bot.core.router import BotConfig, Router
from bot.db.session import make_engine, make_sessionmaker
from handlers import ROUTES
from tests.harness import shipped_content

URL = "http://atgt.bench"


async def profile(url: str, joins: int) -> None:
    codes = await seed(url, joins, Path(tempfile.mkdtemp()))
    engine = make_engine(url)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(conn, cursor, statement, params, context, executemany) -> None:
        statements.append(" ".join(statement.split()[:6]))

    sessionmaker = make_sessionmaker(engine)

    def clock() -> datetime:
        return datetime.now(UTC)

    router = Router(
        sessionmaker,
        ROUTES,
        BotConfig(web_url=URL),
        clock,
        outbox_channels=frozenset({"web"}),
        content=shipped_content(),
    )
    channel = WebChannel(
        config=WebConfig(url=URL),
        sessionmaker=sessionmaker,
        handle=router.handle,
        routes=ROUTES,
        clock=clock,
    )
    times, counts, seen = [], [], Counter()
    profiler = cProfile.Profile()
    for code in codes:
        transport = httpx.ASGITransport(app=channel.app)
        async with httpx.AsyncClient(transport=transport, base_url=URL) as client:
            form = await client.get(f"/j/{code}")
            nonce = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
            statements.clear()
            started = time.perf_counter()
            profiler.enable()
            answer = await client.post(f"/j/{code}", data={"csrf": nonce})
            profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 303:
                raise RuntimeError(f"join: HTTP {answer.status_code}")
            counts.append(len(statements))
            seen.update(statements)
    print(f"join p50 {statistics.median(times):.1f} ms, {statistics.median(counts)} statements")
    for statement, count in seen.most_common():
        print(f"{count / joins:4.1f}  {statement}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--joins", type=int, default=60)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    with database(args.db) as url:
        asyncio.run(profile(url, args.joins))


if __name__ == "__main__":
    main()
