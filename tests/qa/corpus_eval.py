"""The corpus question sets (issue 17): loading, the tuning / locked split, and scoring."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.plans.text import fold

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
SAMPLES_DIR = HERE.parents[1] / "content" / "plans"
QUESTIONS = HERE / "corpus_questions.yaml"
SPLIT = HERE / "split.yaml"


@dataclass(frozen=True)
class Document:
    """One document of the corpus (or a sample) and the unit it is imported under."""

    key: str
    path: Path
    unit: str
    sample: bool = False
    part: int = 0  # which document of a glued file


@dataclass(frozen=True)
class CorpusQuestion:
    """A question, the unit it is asked from, its document and the fact a right answer holds."""

    text: str
    doc: str
    unit: str
    expect: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


def load_documents() -> dict[str, Document]:
    """Document key -> Document."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    out = {}
    for key, item in data["documents"].items():
        sample = bool(item.get("sample"))
        base = SAMPLES_DIR if sample else CORPUS_DIR
        out[key] = Document(key, base / item["file"], item["unit"], sample, item.get("part", 0))
    return out


def load_corpus_questions() -> list[CorpusQuestion]:
    """Every question of the file, in order."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    docs = load_documents()
    out = []
    for item in data["questions"]:
        expect = item.get("a") or ()
        expect = tuple(expect) if isinstance(expect, list) else ((expect,) if expect else ())
        unit = item.get("unit") or docs[item["doc"]].unit
        out.append(CorpusQuestion(item["q"], item["doc"], unit, expect))
    return out


def load_split() -> dict[str, list[str]]:
    """{"tuning": [doc keys], "locked": [doc keys], "samples": [doc keys]}."""
    return yaml.safe_load(SPLIT.read_text(encoding="utf-8"))


def questions_of(set_name: str) -> list[CorpusQuestion]:
    """The questions whose document is in the named set of the split."""
    keys = set(load_split()[set_name])
    return [q for q in load_corpus_questions() if q.doc in keys]


def _date_pattern(value: str) -> str:
    day, month, year = (int(p) for p in value.split("/"))
    return (
        rf"(?<!\d)0?{day}\s*[/.-]\s*0?{month}\s*[/.-]\s*{year}"
        rf"|ngay\s+0?{day}\s+thang\s+0?{month}\s+nam\s+{year}"
    )


def fact_found(expect: str, text: str) -> bool:
    """Whether an answer text holds an expected fact (folded, spaces collapsed)."""
    folded = " ".join(fold(text).split())
    if expect.startswith("date:"):
        return re.search(_date_pattern(expect[5:]), folded) is not None
    if expect.startswith("re:"):
        return re.search(expect[3:], folded) is not None
    return " ".join(fold(expect).split()) in folded


def is_correct(question: CorpusQuestion, found: bool, text: str, cited: str, labels) -> bool:
    """Right fact and the question's document cited; a refusal when unanswerable.

    `labels` maps a document key to the citation label its import produced."""
    if not question.answerable:
        return not found
    if not found:
        return False
    return cited == labels[question.doc] and any(fact_found(e, text) for e in question.expect)


def summary(rows: list[tuple[CorpusQuestion, bool]]) -> dict:
    """Accuracy on answerable questions and on refusals."""
    ans = [ok for q, ok in rows if q.answerable]
    ref = [ok for q, ok in rows if not q.answerable]
    return {
        "accuracy": round(sum(ans) / len(ans), 4) if ans else 0.0,
        "refusal_accuracy": round(sum(ref) / len(ref), 4) if ref else 0.0,
        "answerable": len(ans),
        "unanswerable": len(ref),
    }
