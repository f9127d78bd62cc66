"""Fit the calibrated confidence (bot/services/plans/calibrate.py) on the tuning set.

Logistic regression, L2-regularised, by Newton's method in pure Python, over the
features of the best candidate of every question of the tuning set, the samples set and
the first development set (tests/qa/questions.yaml) - never the locked set. A question's
label is 1 when answering with the best candidate would be right (its fact and its
document), 0 otherwise (always 0 for an unanswerable question).

    .venv/bin/python -m bench.fit_confidence [--plans 200]
    .venv/bin/python -m bench.fit_confidence --reliability locked   # report only, no fit

Prints the coefficients to paste into calibrate.py, the fit's accuracy on its data and
the answerable/refusal rates per threshold; or the shipped model's reliability on a set.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
from pathlib import Path

from bench.bench_qa_corpus import NOW, seed
from bot.content import load_content
from bot.db.migrate import upgrade_database
from bot.db.session import make_engine, make_sessionmaker
from bot.services.plans.answer import _found, features, rank_question
from bot.services.plans.calibrate import FEATURES, probability
from bot.services.plans.index import clear_cache, load_index
from bot.services.plans.store import plan_scope
from tests.qa.corpus_eval import is_correct, questions_of
from tests.qa.evaluate import DEV, correct, load_questions

ANSWERABLE: list[bool] = []  # per collected row, for the threshold table


async def collect(
    url: str, plans: int, sets: tuple[str, ...] = ("tuning", "samples"), dev: bool = True
) -> list[tuple[list[float], int]]:
    """(features, label) for every question of the sets that has a candidate."""
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    content = load_content()
    rows = []
    try:
        ids, _units, _ = await seed(sessionmaker, plans)
        clear_cache()
        async with sessionmaker() as session:
            index = await load_index(session, content=content)
            labels = {key: index.plans[pid].document for key, pid in ids.items()}
            today = NOW.date()
            asked = [(q, q.unit) for name in sets for q in questions_of(name)]
            asked += [(q, q.unit) for q in load_questions(DEV)] if dev else []
            for q, unit in asked:
                scope = await plan_scope(session, unit_path=unit)
                ranking = rank_question(index, q.text, scope, today)
                if ranking is None or not ranking.ranked:
                    continue
                answer = _found(ranking.ranked, ranking.query, 1.0)
                if hasattr(q, "doc"):
                    cited = answer.citation.document if answer.citation else ""
                    ok = is_correct(q, True, answer.text, cited, labels)
                else:
                    ok = correct(q, answer)
                rows.append((features(ranking), int(ok)))
                ANSWERABLE.append(q.answerable)
    finally:
        await engine.dispose()
    return rows


def fit(rows, l2: float = 0.01, steps: int = 50):
    """Weights and intercept of a logistic regression (Newton's method, pure Python)."""
    data = [([1.0, *x], y) for x, y in rows]
    k, n = len(data[0][0]), len(data)
    beta = [0.0] * k
    for _ in range(steps):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, y in data:
            z = sum(b * xi for b, xi in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(k):
                grad[i] += (p - y) * x[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, k):  # no penalty on the intercept
            grad[i] += l2 * n * beta[i]
            hess[i][i] += l2 * n
        step = _solve(hess, grad)
        beta = [b - d for b, d in zip(beta, step, strict=True)]
        if max(abs(d) for d in step) < 1e-8:
            break
    return beta[1:], beta[0]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a·x = b (Gaussian elimination with partial pivoting)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def reliability(rows) -> None:
    """How often the best candidate is right, by band of the shipped model's probability."""
    bands = [(0.0, 0.3), (0.3, 0.45), (0.45, 0.6), (0.6, 0.8), (0.8, 1.01)]
    brier = sum((probability(x) - y) ** 2 for x, y in rows) / len(rows)
    print(f"# reliability on {len(rows)} questions; Brier score {brier:.3f}")
    for low, high in bands:
        inside = [(probability(x), y) for x, y in rows if low <= probability(x) < high]
        if inside:
            mean = sum(p for p, _y in inside) / len(inside)
            right = sum(y for _p, y in inside) / len(inside)
            band = f"[{low:.2f}, {high:.2f})"
            print(f"# p in {band}: n={len(inside)}, mean p {mean:.2f}, right {right:.2f}")


def main() -> None:
    """Collect, fit, print; or, with --reliability SET, only report the shipped model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--reliability", default=None, help="a set of tests/qa/split.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'fit.db'}"
        upgrade_database(url)
        if args.reliability:
            reliability(asyncio.run(collect(url, args.plans, (args.reliability,), dev=False)))
            return
        rows = asyncio.run(collect(url, args.plans))
    w, b = fit(rows)
    hits = sum(
        int((b + sum(wi * xi for wi, xi in zip(w, x, strict=True)) >= 0) == bool(y))
        for x, y in rows
    )
    print(f"# {len(rows)} questions, {sum(y for _x, y in rows)} answerable by the top candidate")
    print(f"# fit accuracy {hits / len(rows):.3f}; features {', '.join(FEATURES)}")
    print(f"COEFFICIENTS = ({', '.join(f'{x:.3f}' for x in w)})")
    print(f"INTERCEPT = {b:.3f}")
    total = sum(ANSWERABLE)
    refusable = len(ANSWERABLE) - total
    for cut in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        right = refused = 0
        for (x, y), answerable in zip(rows, ANSWERABLE, strict=True):
            z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
            says = 1 / (1 + math.exp(-z)) >= cut
            right += int(answerable and says and y)
            refused += int(not answerable and not says)
        print(f"# threshold {cut}: answerable right {right / total:.3f}, ", end="")
        print(f"refusals {refused / refusable:.3f}")


if __name__ == "__main__":
    main()
