"""Answer a question from the plans in scope and the law content: extractive, always cited.

Ranking is BM25 over syllables and syllable bigrams; a candidate's score is the share of
the question's (IDF-weighted) terms it covers. Questions with a known intent ("khi nào",
"ai", "bao nhiêu"...) are also matched against the parser's facts; a number in the
question selects the plan, and documents it cites are answered from the citing clause.
The decision uses the calibrated probability of calibrate.py: answer, best guess with
suggestions, or "the documents do not say". HIGH only marks a sure fact when ranking.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain

from bot.core.texts import t

from .calibrate import ANSWER, SUGGEST, probability
from .entries import Entry, PlanBundle
from .index import QaIndex
from .intents import Intent, has_signature
from .query import Query, Weights, analyse, plain
from .refs import cited_clauses
from .results import Answer, Citation, Option, citation_for
from .select import named_numbers, select_documents
from .suggest import suggestions
from .text import as_sentence, clean_spaces, fold, sentences
from .tokens import terms

HIGH, LOW = 0.7, 0.4
_K1, _B = 1.2, 0.75
_FACT_NO_SUBJECT = 0.85
_NO_SIGNATURE = 0.8
_NO_SUBJECT = 0.6
_HEADER = frozenset(
    {Intent.SIGNER, Intent.RECIPIENTS, Intent.PROPOSER, Intent.ISSUED, Intent.ISSUER}
)
_DATED = frozenset({Intent.ISSUED, Intent.ISSUER})  # also asked of cited documents
_CITED = 0.6  # a clause citing the document the question names by number
_FACT_BONUS = 0.1  # at equal confidence, a fact of the asked kind beats a passage
_SECTION = 0.9
_CONTEXT = 0.8
_ONE_WORD = 0.5
_SHORTLIST = 12  # candidates whose best sentence is worked out
_FARTHER = 0.02  # rank given up per level between the asker's unit and the plan's
# A "when" or "how much" answer without a date or a figure is hardly an answer.
_STRICT = {Intent.WHEN: 0.6, Intent.AMOUNT: 0.6, Intent.ISSUED: 0.6}


@dataclass(slots=True)
class _Candidate:
    entry: Entry
    plan: PlanBundle | None
    confidence: float
    rank: float
    text: str
    broad: bool = False  # a fact chosen for its intent alone: list its siblings too
    tie: float = 0.0  # the BM25 part of the rank
    weights: Weights | None = None  # set while a passage still needs its sentence chosen


@dataclass(slots=True)
class Ranking:
    """The ranked candidates of one question, and what the calibration needs to know."""

    query: Query
    ranked: list[_Candidate]
    plans: list[PlanBundle]
    named: bool


def search(
    index: QaIndex, question: str, plan_ids: Sequence[int] | Mapping[int, int] | None, today: date
) -> Answer:
    """The best cited answer, the best guess with suggestions when unsure, or a plain
    "not in the documents".

    `plan_ids` lists the plans in scope nearest first, or maps each to its distance from
    the asker's unit (0: own unit, 1: parent...); None means every plan."""
    ranking = rank_question(index, question, plan_ids, today)
    if ranking is None:  # "2", "???", emoji: nothing to look up
        return Answer(False, t("qa.not_understood"))
    ranked = ranking.ranked
    p = probability(features(ranking)) if ranked else 0.0
    if p >= ANSWER and _fits_kind(ranked[0], ranking.query):
        return _found(ranked, ranking.query, p)
    if p >= SUGGEST or p >= ANSWER:
        return _unsure(ranked, p)
    return Answer(False, t("qa.not_found" if ranking.plans else "qa.no_plan"), None, p)


def rank_question(
    index: QaIndex, question: str, plan_ids: Sequence[int] | Mapping[int, int] | None, today: date
) -> Ranking | None:
    """Candidates in scope, best first; None when the question has nothing to look up."""
    query = analyse(question, index)
    wordy = any(term.isalpha() for term in query.weights)
    if not (wordy or query.intents):
        return None
    scope = _scope(index, plan_ids)
    plans = select_documents(scope, question)
    distance = _distances(plan_ids)
    named = len(plans) < len(scope)  # the question names a plan by its number
    candidates = chain(
        _candidates(index, query, plans, today, law=not named),
        _cited(query, plans, named_numbers(question)),
    )
    shortlist = heapq.nlargest(_SHORTLIST, _nearer_first(candidates, distance), _rank)
    ranked = sorted((_finish(c, query) for c in shortlist), key=_rank, reverse=True)
    return Ranking(query, _header_only(ranked, query, plans, question), plans, named)


def _header_only(
    ranked: list[_Candidate], query: Query, plans: list[PlanBundle], question: str
) -> list[_Candidate]:
    """Who signed, the recipients, who proposed, the date and issuer of the plan are read
    from the parser's structure, never guessed from a passage; a document the question
    cites by number is answered from the clause citing it."""
    asked = query.intents & _HEADER
    if not asked:
        return ranked
    others = named_numbers(question) - {p.number for p in plans}
    keep = [
        _sure(c) if c.entry.intent in asked and c.broad else c
        for c in ranked
        if c.entry.intent in asked or (c.entry.kind == "cited" and others and asked <= _DATED)
    ]
    if Intent.ISSUED in asked and others and not asked - _DATED:
        return [c for c in ranked if c.entry.intent != Intent.ISSUED] or keep
    return keep


def features(ranking: Ranking) -> list[float]:
    """The calibration features (calibrate.FEATURES) of the best candidate."""
    best = ranking.ranked[0]
    runner = next((c for c in ranking.ranked[1:] if c.text != best.text), None)
    query = ranking.query
    intents = query.intents
    kind_match = bool(intents) and (
        best.entry.intent in intents or any(has_signature(i, fold(best.text)) for i in intents)
    )
    total = sum(query.weights.values()) or 1.0
    topic = sum(w for term, w in query.weights.items() if query.roles.get(term) == "topic")
    titled = best.plan.title_terms if best.plan else frozenset()
    _weights, subject, _focus = query.for_plan(titled)
    covered = _coverage(subject, best.entry, frozenset()) if subject else 1.0
    return [
        min(best.confidence, 1.2),
        best.confidence - (runner.confidence if runner else 0.0),
        float(best.entry.kind in {"fact", "fallback", "cited"}),
        float(kind_match),
        float(bool(intents)),
        float(ranking.named),
        float(best.plan is None),
        topic / total,
        covered,
    ]


def _sure(candidate: _Candidate) -> _Candidate:
    """A header fact of the asked kind when the question's other words only name its plan."""
    confidence = max(candidate.confidence, _FACT_NO_SUBJECT)
    candidate.rank += confidence - candidate.confidence
    candidate.confidence = confidence
    return candidate


def _fits_kind(best: _Candidate, query: Query) -> bool:
    """A "when" or "how much" answer without a single figure is a guess, not an answer."""
    strict = query.intents & _STRICT.keys()
    if not strict or strict != query.intents:
        return True
    return best.entry.intent in strict or any(ch.isdigit() for ch in best.text)


def _unsure(ranked: list[_Candidate], p: float) -> Answer:
    """The best guess quoted and cited, with buttons for the next two distinct answers."""
    best = ranked[0]
    others = []
    for candidate in ranked[1:]:
        if candidate.text != best.text and all(c.text != candidate.text for c in others):
            others.append(candidate)
    others = others[:2]
    cite = _citation(best)
    text = t("qa.unsure_best", answer=best.text, document=cite.document, section=cite.section)
    options = tuple(
        Option(c.text, _citation(c), round(min(c.confidence, 1.0), 3)) for c in [best, *others]
    )
    buttons = suggestions(others, 0.0, labels=[c.text for c in others])
    return Answer(False, text, cite, p, buttons, options=options)


def _rank(candidate: _Candidate) -> float:
    return candidate.rank


def _distances(plan_ids: Sequence[int] | Mapping[int, int] | None) -> Mapping[int, int]:
    """Plan id -> distance of its unit from the asker's (a plain list: all the same)."""
    if isinstance(plan_ids, Mapping):
        return plan_ids
    return {}


def _nearer_first(candidates: Iterable[_Candidate], distance: Mapping[int, int]):
    """At equal fit, a plan of the asker's own unit beats its superior's."""
    for candidate in candidates:
        if candidate.plan is not None:
            candidate.rank -= _FARTHER * distance.get(candidate.plan.plan_id, 0)
        yield candidate


def _scope(index: QaIndex, plan_ids: Iterable[int] | None) -> list[PlanBundle]:
    """The plan bundles a question may be answered from."""
    if plan_ids is None:
        return list(index.plans.values())
    return [index.plans[i] for i in plan_ids if i in index.plans]


def _cited(query: Query, plans: list[PlanBundle], numbers: set[str]):
    """Clauses citing a document the question names by number: sure when they also hold
    the rest of the question."""
    for plan, entry in cited_clauses(plans, numbers):
        _weights, subject, focus = query.for_plan(plan.title_terms)
        confidence = _CITED + (1 - _CITED) * _coverage(subject or focus, entry, frozenset())
        yield _Candidate(entry, plan, confidence, confidence + _FACT_BONUS, entry.text)


def _candidates(
    index: QaIndex, query: Query, plans: list[PlanBundle], today: date, law: bool = True
):
    """Every entry in scope that shares a term with the question, plus matching facts."""
    for plan in plans:
        weights, subject, focus = query.for_plan(plan.title_terms)
        for entry in plan.passages:
            yield from _passage(index, query, entry, plan, weights, subject)
        for intent in query.intents:
            for entry in plan.facts.get(intent, ()):
                yield _fact(entry, plan, subject, focus)
    if not law:
        return
    weights, subject, _ = query.for_plan(frozenset())
    for entry in index.active_law(today):
        yield from _passage(index, query, entry, None, weights, subject)


def _passage(
    index: QaIndex,
    query: Query,
    entry: Entry,
    plan: PlanBundle | None,
    weights: dict[str, float],
    subject: dict[str, float],
):
    """A passage or law item scored by coverage, ranked by coverage then BM25."""
    score = _bm25(index, weights, entry)
    if score <= 0:
        return
    extra = plan.title_terms if plan else frozenset()
    confidence = _coverage(weights, entry, extra)
    if entry.kind == "section":
        confidence *= _SECTION  # a whole section only when no single item does as well
    if query.intents and not subject:
        confidence *= _NO_SUBJECT  # "kế hoạch đến khi nào": the facts answer that
    evidence = sum(1 for t in weights if t in entry.tf and query.roles[t] != "generic" and plain(t))
    if evidence < 2:
        confidence = min(confidence, _ONE_WORD)  # one shared word is a hint, not an answer
    tie = 0.01 * score / (score + 10)
    yield _Candidate(entry, plan, confidence, confidence + tie, "", tie=tie, weights=weights)


def _finish(candidate: _Candidate, query: Query) -> _Candidate:
    """Pick the quoted sentence of a shortlisted passage and check it fits the intent."""
    if candidate.weights is None:
        return candidate  # a fact: its text is the quote
    entry, weights = candidate.entry, candidate.weights
    text = _best_sentence(entry.text, weights) if candidate.plan else entry.text
    confidence = candidate.confidence
    offset = candidate.rank - candidate.confidence - candidate.tie  # e.g. a farther unit
    if query.intents:
        confidence *= _signature_factor(query.intents, fold(text))
    rank = confidence + candidate.tie + offset
    return _Candidate(entry, candidate.plan, confidence, rank, text)


def _signature_factor(intents: frozenset[Intent], folded: str) -> float:
    """1 when the text looks like an answer of an asked kind; less otherwise."""
    if any(has_signature(i, folded) for i in intents):
        return 1.0
    return max(_STRICT.get(i, _NO_SIGNATURE) for i in intents)


def _fact(entry: Entry, plan: PlanBundle, subject: Weights, focus: Weights) -> _Candidate:
    """A fact of an asked intent: sure when the question names nothing else, else by focus."""
    if not subject:
        confidence = _FACT_NO_SUBJECT + 0.1 * _coverage(focus, entry, frozenset())
    else:
        confidence = 0.2 + 0.8 * _coverage(focus, entry, frozenset())
    if entry.kind == "fallback":
        confidence *= _SECTION
    bonus = _FACT_BONUS * (3 if confidence >= HIGH else 1)  # a fitting fact beats passages
    return _Candidate(entry, plan, confidence, confidence + bonus, entry.text, not subject)


def _bm25(index: QaIndex, weights: dict[str, float], entry: Entry) -> float:
    """Okapi BM25 with the question's IDF weights."""
    norm = _K1 * (1 - _B + _B * entry.length / index.average_length)
    score = 0.0
    for term, weight in weights.items():
        f = entry.tf.get(term)
        if f:
            score += weight * f * (_K1 + 1) / (f + norm)
    return score


def _coverage(weights: Weights, entry: Entry, extra: frozenset[str]) -> float:
    """Share of the question's weight found in the entry (or its plan's title); a term
    found only in a heading earns part of its weight."""
    total = sum(weights.values())
    if not total:
        return 0.0
    hit = 0.0
    for term, weight in weights.items():
        if term in entry.tf:
            hit += weight * (_CONTEXT if term in entry.context_only else 1.0)
        elif term in extra:
            hit += weight
    return hit / total


def _best_sentence(text: str, weights: dict[str, float]) -> str:
    """The sentence (or clause of a long sentence) that covers most of the question."""
    pieces = [p for s in sentences(text) for p in _clauses(s)]
    if not pieces:
        return clean_spaces(text)

    def score(piece: str) -> float:
        found = set(terms(piece))
        return sum(w for term, w in weights.items() if term in found)

    best = max(pieces, key=score)
    return _window(best, weights)


def _clauses(sentence: str) -> list[str]:
    """A long sentence split at semicolons; short ones stay whole."""
    sentence = clean_spaces(sentence)
    if len(sentence) <= 320:
        return [sentence]
    return [p.strip() for p in re.split(r";\s+", sentence) if p.strip()]


def _window(text: str, weights: Weights, size: int = 60) -> str:
    """A long piece cut to the run of `size` words that covers most of the question."""
    words = text.split()
    if len(words) <= size:
        return text
    folded = [fold(w).strip('.,;:()“”"') for w in words]

    def covered(start: int) -> float:
        found = set(terms(" ".join(folded[start : start + size])))
        return sum(w for term, w in weights.items() if term in found)

    starts = [*range(0, len(words) - size, 5), len(words) - size]
    start = max(starts, key=covered)
    piece = " ".join(words[start : start + size])
    return ("…" if start else "") + piece + ("…" if start + size < len(words) else "")


def _found(ranked: list[_Candidate], query: Query, p: float) -> Answer:
    """The answer from the best candidate; several facts of one intent when nothing narrows."""
    best = ranked[0]
    texts = [best.text]
    if best.broad:
        same = [
            c for c in ranked[1:] if c.entry.intent == best.entry.intent and c.plan is best.plan
        ]
        texts += [c.text for c in same[:2] if c.text not in texts]
    return Answer(
        True,
        "\n".join(as_sentence(text) for text in texts),
        _citation(best),
        p,
        sources=tuple(c.entry.text for c in ranked[:3]),
    )


def _citation(candidate: _Candidate) -> Citation:
    """Document and section of a candidate."""
    return citation_for(candidate.entry, candidate.plan)
