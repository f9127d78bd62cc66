"""Plan Q&A benchmark: accuracy on the question sets, and latency with 200 plans indexed.

The five sample plans are imported under their own units, then copies with small
variations (shifted years, a unit line) under other units until there are `--plans` rows.
Every question goes through the real service (`answer_question`: scope query, index
check, search) in its own transaction, as the chat router does.

    .venv/bin/python bench/bench_qa.py [--plans 200] [--repeat 5] [--database-url URL]

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.db.migrate import upgrade_database  # noqa: E402
from bot.db.session import make_engine, make_sessionmaker  # noqa: E402
from bot.services.org import ensure_unit  # noqa: E402
from bot.services.plans.index import clear_cache, load_index  # noqa: E402
from bot.services.plans.load import read_plan_file  # noqa: E402
from bot.services.plans.parse import parse_plans  # noqa: E402
from bot.services.plans.qa import answer_question  # noqa: E402
from bot.services.plans.store import (  # noqa: E402
    ParsedDocument,
    fingerprint,
    import_file,
    split_text,
    store_documents,
)
from tests.qa.evaluate import DEV, HELDOUT, correct, load_questions, plan_units, score  # noqa: E402

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def variant(text: str, copy: int, unit: str) -> list[ParsedDocument]:
    """The documents of a sample with its years shifted and a line naming the unit."""
    shift = copy % 4
    text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m[1]) + shift), text)
    text = f"{text.rstrip()}\n\nĐơn vị áp dụng: {unit}.\n"
    return [ParsedDocument(c, fingerprint(c), parse_plans(c)[0]) for c in split_text(text)]


async def seed(sessionmaker, total: int) -> int:
    """Import the samples under their units, then variants until `total` plans exist."""
    samples = plan_units()
    count = 0
    async with sessionmaker() as session, session.begin():
        for path, unit in samples.values():
            result = await import_file(
                session, path=path, unit_path=unit, now=NOW, create_unit=True
            )
            count += len(result.created)
        texts = [(path, read_plan_file(path)) for path, _unit in samples.values()]
        copy = 0
        while count < total:
            path, text = texts[copy % len(texts)]
            unit_path = f"Bench/Huyện {copy // 20 + 1}/Đơn vị {copy + 1}"
            unit = await ensure_unit(session, path=unit_path)
            docs = variant(text, copy, unit_path)[: total - count]
            result = await store_documents(
                session, unit=unit, file_name=path.name, documents=docs, now=NOW
            )
            count += len(result.created)
            copy += 1
    return count


async def ask(sessionmaker, content, question) -> tuple[object, float]:
    """One question in its own transaction; (answer, seconds)."""
    start = time.perf_counter()
    async with sessionmaker() as session, session.begin():
        answer = await answer_question(
            session, now=NOW, question=question.text, unit_path=question.unit, content=content
        )
    return answer, time.perf_counter() - start


async def run(url: str, plans: int, repeat: int) -> dict:
    """Seed, warm the index, score both question sets, then time repeated questions."""
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    content = load_content()
    try:
        stored = await seed(sessionmaker, plans)
        clear_cache()
        start = time.perf_counter()
        async with sessionmaker() as session:
            index = await load_index(session, content=content)
        build = time.perf_counter() - start
        results = {}
        latencies: list[float] = []
        for name, path in (("dev", DEV), ("heldout", HELDOUT)):
            questions = load_questions(path)
            answers = [(q, (await ask(sessionmaker, content, q))[0]) for q in questions]
            results[name] = score(answers)
            results[name]["wrong"] = [q.text for q, a in answers if not correct(q, a)]
            for _ in range(repeat):
                for q in questions:
                    latencies.append((await ask(sessionmaker, content, q))[1])
    finally:
        await engine.dispose()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "benchmark": "plan_qa",
        "accuracy": round(results["dev"]["accuracy"], 4),
        "refusal_accuracy": round(results["dev"]["refusal_accuracy"], 4),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "plans_indexed": len(index.plans),
        "plans_stored": stored,
        "passages_indexed": index.documents,
        "index_build_s": round(build, 3),
        "questions_timed": len(latencies),
        "dev": results["dev"],
        "heldout": results["heldout"],
        "database": url.split(":", 1)[0],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }


def main() -> None:
    """Parse arguments, run on a fresh SQLite file unless a URL is given, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade_database(url)
        print(json.dumps(asyncio.run(run(url, args.plans, args.repeat)), ensure_ascii=False))


if __name__ == "__main__":
    main()
