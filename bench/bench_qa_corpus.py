"""Plan Q&A on the development corpus (issue 17): tuning, samples and locked sets, side by
side with a plain BM25 top-passage baseline, and latency with 200 plans indexed.

The 27 corpus documents (tests/qa/corpus/) and the five samples are imported under their
units (tests/qa/corpus_questions.yaml); variants of the samples under other units fill
the database up to `--plans`. Every question goes through the real service
(`answer_question`) in its own transaction. The locked set is scored only with
`--locked` (once, at the end of a piece of work; see tests/qa/README.md).

    .venv/bin/python -m bench.bench_qa_corpus [--plans 200] [--repeat 3] [--locked]

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_qa import variant
from bot.content import load_content
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker
from bot.services.org import ancestor_paths, ensure_unit, normalize_path
from bot.services.plans.index import clear_cache, load_index
from bot.services.plans.load import read_plan_file
from bot.services.plans.parse import parse_plans
from bot.services.plans.qa import answer_question
from bot.services.plans.store import ParsedDocument, fingerprint, split_text, store_documents
from bot.services.plans.text import fold, sentences
from tests.qa.corpus_eval import (
    CorpusQuestion,
    fact_found,
    is_correct,
    load_documents,
    questions_of,
    summary,
)

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
TEXTS: dict[int, str] = {}  # plan id -> stored text, for the baseline


async def seed(sessionmaker, total: int) -> tuple[dict[str, int], dict[int, str], int]:
    """Import the corpus and the samples, then variants; (doc key -> plan id, plan id ->
    unit path, plans stored)."""
    docs = load_documents()
    ids: dict[str, int] = {}
    units: dict[int, str] = {}
    count = 0
    async with sessionmaker() as session, session.begin():
        for key, doc in docs.items():
            unit = await ensure_unit(session, path=doc.unit)
            parts = document_text(doc)
            result = await store_documents(
                session, unit=unit, file_name=doc.path.name, documents=parts, now=NOW
            )
            plans = result.created + result.existing
            count += len(result.created)
            plan = plans[min(doc.part, len(plans) - 1)]
            ids[key] = plan.id
            for p in plans:
                units[p.id] = normalize_path(doc.unit)
                TEXTS[p.id] = p.text
        samples = [d for d in docs.values() if d.sample and d.part == 0]
        copy = 0
        while count < total:
            doc = samples[copy % len(samples)]
            unit_path = f"Bench/Huyện {copy // 20 + 1}/Đơn vị {copy + 1}"
            unit = await ensure_unit(session, path=unit_path)
            parts = variant(read_plan_file(doc.path), copy, unit_path)[: total - count]
            result = await store_documents(
                session, unit=unit, file_name=doc.path.name, documents=parts, now=NOW
            )
            count += len(result.created)
            copy += 1
    return ids, units, count


def document_text(doc) -> list[ParsedDocument]:
    """The documents of a corpus file without its two metadata lines ("# source", "# note")."""
    lines = read_plan_file(doc.path).splitlines()
    while lines and lines[0].startswith(("# source:", "# note:")):
        lines.pop(0)
    chunks = split_text("\n".join(lines))
    return [ParsedDocument(c, fingerprint(c), parse_plans(c)[0]) for c in chunks]


class Baseline:
    """Plain BM25 over sentences of the plan texts; answers with the top sentence in scope."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.passages: list[tuple[int, str, Counter[str]]] = []
        for plan_id, text in texts.items():
            for sentence in sentences(" ".join(text.split())):
                tf = Counter(_words(sentence))
                if tf:
                    self.passages.append((plan_id, sentence, tf))
        self.df = Counter(w for _p, _s, tf in self.passages for w in tf)
        self.n = len(self.passages)
        self.avg = sum(sum(tf.values()) for *_x, tf in self.passages) / max(self.n, 1)

    def answer(self, question: str, scope: set[int]) -> tuple[bool, str, int | None]:
        """(found, text, plan id) of the best sentence; not found when nothing matches."""
        words = set(_words(question))
        best, best_score = None, 0.0
        for plan_id, sentence, tf in self.passages:
            if plan_id not in scope:
                continue
            length = sum(tf.values())
            score = 0.0
            for w in words:
                f = tf.get(w)
                if f:
                    idf = math.log(1 + (self.n - self.df[w] + 0.5) / (self.df[w] + 0.5))
                    score += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length / self.avg))
            if score > best_score:
                best, best_score = (plan_id, sentence), score
        if best is None:
            return False, "", None
        return True, best[1], best[0]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


async def ask(sessionmaker, content, question: CorpusQuestion):
    """One question in its own transaction; (answer, seconds)."""
    start = time.perf_counter()
    async with sessionmaker() as session, session.begin():
        answer = await answer_question(
            session, now=NOW, question=question.text, unit_path=question.unit, content=content
        )
    return answer, time.perf_counter() - start


async def run(url: str, plans: int, repeat: int, sets: list[str]) -> dict:
    """Seed, score each set with the service and the baseline, then time the questions."""
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    content = load_content()
    try:
        ids, units, stored = await seed(sessionmaker, plans)
        clear_cache()
        start = time.perf_counter()
        async with sessionmaker() as session:
            index = await load_index(session, content=content)
        build = time.perf_counter() - start
        labels = {key: index.plans[plan_id].document for key, plan_id in ids.items()}
        baseline = Baseline(TEXTS)
        out: dict = {}
        latencies: list[float] = []
        for name in sets:
            questions = questions_of(name)
            rows, base_rows, wrong = [], [], []
            for q in questions:
                answer, _ = await ask(sessionmaker, content, q)
                cited = answer.citation.document if answer.citation else ""
                ok = is_correct(q, answer.found, answer.text, cited, labels)
                rows.append((q, ok))
                if not ok:
                    wrong.append(q.text)
                scope = {p for p, u in units.items() if u in ancestor_paths(normalize_path(q.unit))}
                found, text, plan_id = baseline.answer(q.text, scope)
                if q.answerable:
                    base_ok = found and plan_id == ids[q.doc]
                    base_ok = base_ok and any(fact_found(e, text) for e in q.expect)
                else:
                    base_ok = not found
                base_rows.append((q, base_ok))
            out[name] = {**summary(rows), "bm25_baseline": summary(base_rows)}
            if name != "locked":
                out[name]["wrong"] = wrong
            for _ in range(repeat):
                for q in questions:
                    latencies.append((await ask(sessionmaker, content, q))[1])
    finally:
        await engine.dispose()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "benchmark": "plan_qa_corpus",
        **{name: out[name] for name in sets},
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "plans_indexed": len(index.plans),
        "plans_stored": stored,
        "index_build_s": round(build, 3),
        "questions_timed": len(latencies),
        "database": url.split(":", 1)[0],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load": round(os.getloadavg()[0], 1),
        },
    }


def main() -> None:
    """Parse arguments, run on a fresh SQLite file unless a URL is given, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--locked", action="store_true", help="also score the locked set")
    args = parser.parse_args()
    sets = ["tuning", "samples"] + (["locked"] if args.locked else [])
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade_database(url)
        result = asyncio.run(run(url, args.plans, args.repeat, sets))
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
