"""Suggestions ("Có phải bạn muốn hỏi…") and the answers behind their buttons.

Button data must fit in 64 bytes, so it names things by short, stable ids resolved on
the server: "qa:p:<plan id>:<slot>" (a slot is an intent, or a passage of that plan, in
a fixed order) and "qa:l:<law item id>".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from bot.core.ids import parse_int
from bot.core.texts import t

from .citations import clip
from .entries import Entry, PlanBundle
from .index import QaIndex
from .results import Answer, Suggestion, citation_for
from .text import as_sentence

MAX_SUGGESTIONS = 3
MAX_DATA_BYTES = 64


class Ranked(Protocol):
    """A scored candidate, as the search ranks them."""

    entry: Entry
    plan: PlanBundle | None
    confidence: float


def suggestions(
    ranked: Sequence[Ranked], floor: float, labels: Sequence[str] | None = None
) -> tuple[Suggestion, ...]:
    """Up to three distinct choices among the best candidates above `floor`; `labels`
    (the candidates' answers) replace the section titles when given."""
    out: dict[str, Suggestion] = {}
    for i, candidate in enumerate(ranked):
        if candidate.confidence < floor or len(out) == MAX_SUGGESTIONS:
            break
        suggestion = suggestion_for(candidate.entry, candidate.plan)
        if labels is not None:
            suggestion = Suggestion(clip(labels[i], 120), suggestion.data)
        if len(suggestion.data.encode()) <= MAX_DATA_BYTES:
            out.setdefault(suggestion.data, suggestion)
    return tuple(out.values())


def suggestion_for(entry: Entry, plan: PlanBundle | None) -> Suggestion:
    """The button that re-asks an entry: a canned question of its plan, or a law item."""
    if plan is None:
        return Suggestion(entry.heading, f"qa:l:{entry.item_id}")
    if entry.intent is not None:
        return Suggestion(t(f"qa.ask_{entry.intent.value}"), f"qa:p:{plan.plan_id}:{entry.slot}")
    return Suggestion(entry.heading, f"qa:p:{plan.plan_id}:{entry.slot}")


def choose(index: QaIndex, data: str, plan_ids: list[int] | None, today: date) -> Answer | None:
    """The answer behind a suggestion button; None when it no longer applies."""
    parts = data.split(":")
    if parts[:2] == ["qa", "l"] and len(parts) == 3:
        law = next((e for e in index.active_law(today) if e.item_id == parts[2]), None)
        return _direct([law], None) if law else None
    numbers = [parse_int(p) for p in parts[2:]]
    if parts[:2] != ["qa", "p"] or len(parts) != 4 or None in numbers:
        return None
    plan_id, slot = numbers
    plan = index.plans.get(plan_id)
    if plan is None or (plan_ids is not None and plan_id not in plan_ids):
        return None
    target = plan.slot(slot)
    if target is None:
        return None
    return _direct(target if isinstance(target, list) else [target], plan)


def _direct(entries: list[Entry], plan: PlanBundle | None) -> Answer:
    """A found answer quoting the given entries (at most three)."""
    text = "\n".join(as_sentence(clip(e.text, 500)) for e in entries[:3])
    cite = citation_for(entries[0], plan)
    return Answer(True, text, cite, 1.0, sources=tuple(e.text for e in entries))
