"""Plan Q&A quality on the question sets, through the real service on both databases."""

from __future__ import annotations

import pytest

from bot.services.plans.qa import answer_question
from bot.services.plans.store import import_file
from tests.harness import shipped_content
from tests.qa.evaluate import DEV, HELDOUT, correct, load_questions, plan_units, score


async def _import_samples(sessionmaker, clock) -> None:
    """The five sample plans, each under its own unit."""
    async with sessionmaker() as session, session.begin():
        for path, unit in plan_units().values():
            await import_file(session, path=path, unit_path=unit, now=clock(), create_unit=True)


async def _run(sessionmaker, clock, path):
    results = []
    for question in load_questions(path):
        async with sessionmaker() as session, session.begin():
            answer = await answer_question(
                session,
                now=clock(),
                question=question.text,
                unit_path=question.unit,
                content=shipped_content(),
            )
        results.append((question, answer))
    return results


def test_the_development_set_is_big_and_varied_enough():
    questions = load_questions(DEV)
    answerable = [q for q in questions if q.answerable]
    on_plans = [q for q in answerable if not q.document.startswith(("Luật", "Nghị định"))]
    unaccented = [q for q in on_plans if q.text.isascii()]

    assert len(on_plans) >= 40
    assert len(unaccented) * 2 >= len(on_plans)
    assert len(questions) - len(answerable) >= 10


async def test_development_set_accuracy(sessionmaker, clock):
    await _import_samples(sessionmaker, clock)

    results = await _run(sessionmaker, clock, DEV)
    scores = score(results)

    wrong = [q.text for q, a in results if not correct(q, a)]
    assert scores["accuracy"] >= 0.9, wrong
    assert scores["refusal_accuracy"] >= 0.8, wrong


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_held_out_questions_do_not_regress(sessionmaker, clock):
    """Looser bounds: these questions are not tuned on (see BENCHMARKS.md)."""
    await _import_samples(sessionmaker, clock)

    scores = score(await _run(sessionmaker, clock, HELDOUT))

    assert scores["accuracy"] >= 0.75
    assert scores["refusal_accuracy"] >= 0.75
