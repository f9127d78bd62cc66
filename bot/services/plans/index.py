"""The in-memory Q&A index: built lazily once per process and database, refreshed on change.

Stored plans never change in place (a new text is a new row), so a refresh parses only
the plans it has not seen; the change check is one aggregate query per question.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content
from bot.db.models import Plan

from .entries import Entry, PlanBundle, build_law, build_plan
from .intents import CUE_WORDS
from .parse import parse_plans
from .tokens import STOPWORDS

log = logging.getLogger(__name__)
_QUESTION_VOCABULARY = CUE_WORDS | STOPWORDS


@dataclass(frozen=True, slots=True)
class PlanRow:
    """The stored columns the index needs."""

    id: int
    fingerprint: str
    file_name: str
    text: str


@dataclass(slots=True)
class QaIndex:
    """Plan bundles by id, law entries, and corpus statistics for BM25."""

    plans: dict[int, PlanBundle] = field(default_factory=dict)
    law: list[Entry] = field(default_factory=list)
    law_validity: dict[str, tuple[date, date | None]] = field(default_factory=dict)
    content: Content | None = None
    df: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    average_length: float = 1.0

    def idf(self, term: str) -> float:
        """BM25 inverse document frequency; unseen terms get the largest value."""
        n = self.df.get(term, 0)
        return math.log(1 + (self.documents - n + 0.5) / (n + 0.5))

    def known(self, term: str) -> int:
        """How many entries contain the term (question words count as known)."""
        return self.df.get(term, 0) + (term in _QUESTION_VOCABULARY)

    def active_law(self, on: date) -> list[Entry]:
        """Law entries whose rule is in force on that day."""
        return [e for e in self.law if _valid(self.law_validity[e.item_id], on)]


def _valid(bounds: tuple[date, date | None], on: date) -> bool:
    start, end = bounds
    return start <= on and (end is None or on <= end)


def build_index(
    rows: Iterable[PlanRow], content: Content | None, previous: QaIndex | None = None
) -> QaIndex:
    """An index over these plans and the law content, reusing bundles already built."""
    old = previous.plans if previous else {}
    index = QaIndex()
    for row in rows:
        bundle = old.get(row.id)
        if bundle is None or bundle.fingerprint != row.fingerprint:
            bundle = _bundle(row)
        if bundle is not None:
            index.plans[row.id] = bundle
    _add_law(index, content, previous)
    _count(index)
    return index


def _bundle(row: PlanRow) -> PlanBundle | None:
    """Parse one stored plan; a plan the parser cannot read is skipped, not fatal."""
    try:
        docs = parse_plans(row.text)
    except Exception:
        log.exception("plan %s (%s) could not be parsed for the index", row.id, row.file_name)
        return None
    return build_plan(row.id, row.fingerprint, row.file_name, docs[0]) if docs else None


def _add_law(index: QaIndex, content: Content | None, previous: QaIndex | None) -> None:
    """Law entries, reused when the content object is the same."""
    if previous is not None and previous.content is content:
        index.law, index.law_validity = previous.law, previous.law_validity
    elif content is not None:
        index.law = build_law(content)
        items = (*content.quizzes, *content.reminders)
        index.law_validity = {i.id: (i.valid_from, i.valid_until) for i in items}
    index.content = content


def _count(index: QaIndex) -> None:
    """Document frequencies and average length over distinct passages and law entries.

    Units often copy their province's plan word for word; counting a repeated passage
    once keeps a hundred copies from drowning the statistics of everything else."""
    distinct = {e.text: e for b in index.plans.values() for e in b.passages}
    entries = [*distinct.values(), *index.law]
    for e in entries:
        index.df.update(e.tf.keys())
    index.documents = len(entries)
    index.average_length = sum(e.length for e in entries) / len(entries) if entries else 1.0


@dataclass(slots=True)
class _Cached:
    signature: tuple
    index: QaIndex


_CACHE: dict[str, _Cached] = {}


async def load_index(session: AsyncSession, *, content: Content | None) -> QaIndex:
    """The index for this session's database, rebuilt only when plans or content changed."""
    key = session.get_bind().url.render_as_string(hide_password=True)
    signature = await _signature(session)
    cached = _CACHE.get(key)
    if cached and cached.signature == signature and cached.index.content is content:
        return cached.index
    rows = await _rows(session, cached.index if cached else None)
    index = build_index(rows, content, cached.index if cached else None)
    _CACHE[key] = _Cached(signature, index)
    return index


async def _signature(session: AsyncSession) -> tuple:
    """Changes whenever a plan is added or removed (ids are never reused for other text)."""
    query = select(
        func.count(Plan.id),
        func.max(Plan.id),
        func.sum(Plan.id),
        func.min(Plan.fingerprint),
        func.max(Plan.fingerprint),
    )
    return tuple((await session.execute(query)).one())


async def _rows(session: AsyncSession, previous: QaIndex | None) -> list[PlanRow]:
    """All plans; the text is fetched only for those not indexed yet."""
    pairs = (await session.execute(select(Plan.id, Plan.fingerprint))).all()
    known = previous.plans if previous else {}
    missing = [pid for pid, fp in pairs if pid not in known or known[pid].fingerprint != fp]
    texts: dict[int, tuple[str, str]] = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        query = select(Plan.id, Plan.file_name, Plan.text).where(Plan.id.in_(chunk))
        texts.update({pid: (name, text) for pid, name, text in await session.execute(query)})
    return [PlanRow(pid, fp, *texts.get(pid, ("", ""))) for pid, fp in pairs]


def clear_cache() -> None:
    """Forget every index (tests that rebuild databases under the same URL)."""
    _CACHE.clear()
