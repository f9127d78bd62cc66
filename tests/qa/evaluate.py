"""The Q&A question sets and their scoring, shared by the accuracy test and bench/bench_qa.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.plans.answer import Answer
from bot.services.plans.text import fold

HERE = Path(__file__).resolve().parent
PLANS_DIR = HERE.parents[1] / "content" / "plans"
DEV = HERE / "questions.yaml"
HELDOUT = HERE / "heldout.yaml"


@dataclass(frozen=True)
class Question:
    """One question, the unit it is asked from, and what a right answer contains."""

    text: str
    plan: str
    unit: str
    expect: tuple[str, ...] = ()
    document: str = ""
    section: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


def plan_units() -> dict[str, tuple[Path, str]]:
    """Plan key -> (sample file, unit path it is imported under)."""
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    return {key: (PLANS_DIR / p["file"], p["unit"]) for key, p in data["plans"].items()}


def load_questions(path: Path = DEV) -> list[Question]:
    """Answerable questions first, then the unanswerable ones."""
    plans = yaml.safe_load(DEV.read_text(encoding="utf-8"))["plans"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in data["answerable"]:
        expect = item["expect"]
        out.append(
            Question(
                item["q"],
                item["plan"],
                plans[item["plan"]]["unit"],
                _tuple(expect),
                item.get("document", plans[item["plan"]]["document"]),
                _tuple(item["section"]),
            )
        )
    out += [
        Question(item["q"], item["plan"], plans[item["plan"]]["unit"])
        for item in data["unanswerable"]
    ]
    return out


def _tuple(value: str | list[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def correct(question: Question, answer: Answer) -> bool:
    """Right phrase, document and section for answerable questions; a refusal otherwise."""
    if not question.answerable:
        return not answer.found
    if not answer.found or answer.citation is None:
        return False
    text = " ".join(fold(answer.text).split())
    phrase_ok = any(" ".join(fold(p).split()) in text for p in question.expect)
    document_ok = fold(question.document) in fold(answer.citation.document)
    section_ok = answer.citation.section.startswith(question.section)
    return phrase_ok and document_ok and section_ok


def score(results: list[tuple[Question, Answer]]) -> dict[str, float]:
    """Accuracy on answerable questions and on refusals."""
    answerable = [correct(q, a) for q, a in results if q.answerable]
    refusals = [correct(q, a) for q, a in results if not q.answerable]
    return {
        "accuracy": sum(answerable) / len(answerable) if answerable else 0.0,
        "refusal_accuracy": sum(refusals) / len(refusals) if refusals else 0.0,
        "answerable": len(answerable),
        "unanswerable": len(refusals),
    }
