"""Questions about a document a plan cites ("công điện 750 ngày nào", "kh 393 của ai"):
the clause of the plan that cites it, with its number, date, issuer and subject."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .entries import Entry, PlanBundle, entry
from .text import clean_spaces, fold, sentences


def cited_clauses(plans: list[PlanBundle], numbers: set[str]) -> Iterator[tuple[PlanBundle, Entry]]:
    """For each cited number, clauses of the plans' passages that cite it."""
    if not numbers:
        return
    own = {p.number for p in plans}
    wanted = [n for n in numbers if n not in own]
    if not wanted:
        return
    patterns = [
        re.compile(rf"(?<![\d/.])0*{n}\s*[/-]\s*[a-z]|\bso\s*:?\s*0*{n}\b(?!\s*[/.]\s*\d)")
        for n in wanted
    ]
    for plan in plans:
        seen: set[str] = set()
        for passage in plan.passages:
            if passage.kind != "passage":
                continue
            for clause in _clauses(passage.text):
                folded = fold(clause)
                if clause in seen or not any(p.search(folded) for p in patterns):
                    continue
                seen.add(clause)
                yield plan, entry("cited", clause, passage.section, slot=passage.slot)


def _clauses(text: str) -> Iterator[str]:
    """Sentences of a passage, long ones cut at semicolons."""
    for sentence in sentences(text):
        for piece in re.split(r";\s+", clean_spaces(sentence)):
            if piece:
                yield piece[:600]
