"""What a question gets back: an answer (or the reason there is none), its citation, and
"did you mean" suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .entries import Entry, PlanBundle


@dataclass(frozen=True, slots=True)
class Citation:
    """Where an answer comes from: the document and its section."""

    document: str
    section: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A "did you mean" button: its label and callback data ("qa:p:<plan>:<slot>")."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate answer offered when unsure: its quote, citation and score."""

    answer: str
    citation: Citation
    score: float


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of a question; `text` is the quote, or the reason there is none."""

    found: bool
    text: str
    citation: Citation | None = None
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    sources: tuple[str, ...] = ()  # the passages the answer rests on (for a rephraser)
    options: tuple[Option, ...] = ()  # when unsure: the best guess, then the buttons' answers

    def as_json(self) -> dict[str, Any]:
        """The `atgt ask --json` shape."""
        cite = self.citation or Citation("", "")
        return {
            "found": self.found,
            "answer": self.text,
            "citation": {"document": cite.document, "section": cite.section},
            "score": round(float(self.score), 3),
            "suggestions": [
                {
                    "answer": o.answer,
                    "citation": {"document": o.citation.document, "section": o.citation.section},
                    "score": o.score,
                }
                for o in self.options
            ],
        }


def citation_for(entry: Entry, plan: PlanBundle | None) -> Citation:
    """A plan entry is cited by its plan's label; a law item by its own documents."""
    return Citation(plan.document if plan else entry.document, entry.section)
