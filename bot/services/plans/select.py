"""Which documents a question is about: a number it names ("kh 25", "qđ 438") selects the
plans with that number among those in scope, so another plan of the unit cannot answer.

Words that only name the document (issuer, place, title) are already discounted when
scoring passages (`Query.for_plan`); the number is the one sure identifier.
"""

from __future__ import annotations

import re

from .entries import PlanBundle
from .query import MAX_QUESTION_CHARS
from .text import fold

# A figure not part of a date ("12/2020", "02/9") or a time; years are not numbers of plans.
_FIGURE = re.compile(r"(?<![\d/.:-])0*(\d{1,5})(?![\d]|\s*[/.]\s*\d|\s*(?:h|gio|%)\b)")


_MAX_NUMBERS = 4  # a question names a document or two; a pasted table is not a question


def named_numbers(question: str) -> set[str]:
    """Figures in the question that could be a document number (the first few)."""
    folded = fold(question[:MAX_QUESTION_CHARS])
    found = [m[1] for m in _FIGURE.finditer(folded) if not _is_year(m[1])]
    return set(found[:_MAX_NUMBERS])


def _is_year(figure: str) -> bool:
    return len(figure) == 4 and figure[:2] in {"19", "20"}


def select_documents(plans: list[PlanBundle], question: str) -> list[PlanBundle]:
    """The plans whose number the question names; all of them when it names none."""
    numbers = named_numbers(question)
    if not numbers:
        return plans
    named = [p for p in plans if p.number and p.number in numbers]
    return named or plans
