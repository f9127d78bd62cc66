"""Legal review of law content: what needs a look, and reviewers' decisions in the database.

A decision is appended, never edited; the latest one per item counts. "end" stops the
item from being served from a day on; "ok" confirms it and counts as its last review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content, ContentItem
from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import ContentReview

EXPIRY_WINDOW = timedelta(days=30)
OK, END = "ok", "end"
MAX_NOTE = 1000


@dataclass(frozen=True, slots=True)
class Pending:
    """An item that needs review, and why (`reasons` are catalog texts)."""

    item: ContentItem
    reasons: tuple[str, ...]
    last_review: date | None
    never: bool = False
    amended: bool = False
    expiring: bool = False


async def latest_decisions(session: AsyncSession) -> dict[str, ContentReview]:
    """The latest decision per item id."""
    query = select(ContentReview).order_by(ContentReview.decided_at, ContentReview.id)
    return {row.item_id: row for row in (await session.execute(query)).scalars()}


def last_days(decisions: Mapping[str, ContentReview]) -> dict[str, date]:
    """Item id → last day served, for items whose latest decision ends them."""
    return {
        item_id: row.ends_on - timedelta(days=1)
        for item_id, row in decisions.items()
        if row.decision == END and row.ends_on is not None
    }


# (loaded content, its ends) -> served content: the same object while decisions stand, so
# caches keyed on the content object (the Q&A index) stay valid.
_SERVED: dict[frozenset[tuple[str, date]], tuple[Content, Content]] = {}
_SERVED_MAX = 8


async def apply(session: AsyncSession, content: Content) -> Content:
    """The content as served: items ended by a reviewer stop on their day."""
    ends = last_days(await latest_decisions(session))
    if not ends:
        return content
    key = frozenset(ends.items())
    hit = _SERVED.get(key)
    if hit is not None and hit[0] is content:
        return hit[1]
    if len(_SERVED) >= _SERVED_MAX:
        _SERVED.clear()
    served = content.with_ends(ends)
    _SERVED[key] = (content, served)
    return served


def last_review(item: ContentItem, decision: ContentReview | None) -> date | None:
    """The later of the item's own review and the reviewer's latest decision."""
    days = [item.review.day] if item.review else []
    if decision is not None:
        days.append(decision.decided_at.date())
    return max(days, default=None)


def pending(content: Content, decisions: Mapping[str, ContentReview], *, on: date) -> list[Pending]:
    """Items still served on or after `on` that were amended since review, expire soon, or
    were never reviewed."""
    served = content.with_ends(last_days(decisions))
    found = []
    for item in served.items:
        if item.valid_until is not None and item.valid_until < on:
            continue
        reviewed = last_review(item, decisions.get(item.id))
        reasons = []
        if reviewed is None:
            reasons.append(t("content_review.never"))
        documents = {ref.document for ref in item.basis}
        amendments = [
            a
            for a in content.amendments
            if a.document in documents and (reviewed is None or a.effective > reviewed)
        ]
        for amendment in amendments:
            day, by = f"{amendment.effective:%d/%m/%Y}", amendment.amended_by
            if reviewed is None:
                reasons.append(t("content_review.amended_unreviewed", by=by, day=day))
            else:
                last = f"{reviewed:%d/%m/%Y}"
                reasons.append(t("content_review.amended", by=by, day=day, reviewed=last))
        soon = item.valid_until is not None and item.valid_until < on + EXPIRY_WINDOW
        if soon:
            reasons.append(t("content_review.expiring", day=f"{item.valid_until:%d/%m/%Y}"))
        if reasons:
            found.append(
                Pending(item, tuple(reasons), reviewed, reviewed is None, bool(amendments), soon)
            )
    return found


def counts(found: Sequence[Pending]) -> tuple[int, int, int]:
    """How many pending items were never reviewed, rest on an amended text, expire soon."""
    return (
        sum(p.never for p in found),
        sum(p.amended for p in found),
        sum(p.expiring for p in found),
    )


def expiring(content: Content, *, on: date) -> list[ContentItem]:
    """Items served on `on` whose last day falls within the next 30 days."""
    return [
        item
        for item in content.items
        if item.is_active(on)
        and item.valid_until is not None
        and item.valid_until < on + EXPIRY_WINDOW
    ]


async def decide(
    session: AsyncSession,
    *,
    content: Content,
    item_id: str,
    note: str | None,
    ends_on: date | None,
    by: str,
    now: datetime,
) -> ContentReview:
    """Record "ok" (with a note) or "end" (from `ends_on`) for one item."""
    try:
        item = content.by_id(item_id)
    except KeyError:
        raise UserError(t("content_review.unknown", id=item_id)) from None
    if (note is None) == (ends_on is None):
        raise UserError(t("content_review.need_one"))
    if not by.strip():
        raise UserError(t("content_review.need_by"))
    if note is not None and not note.strip():
        raise UserError(t("content_review.need_note"))
    if ends_on is not None and ends_on <= item.valid_from:
        raise UserError(
            t(
                "content_review.end_too_early",
                id=item_id,
                day=f"{item.valid_from:%d/%m/%Y}",
            )
        )
    row = ContentReview(
        item_id=item.id,
        decision=OK if ends_on is None else END,
        ends_on=ends_on,
        note=(note or "").strip()[:MAX_NOTE] or None,
        decided_by=by.strip()[:200],
        decided_at=now,
    )
    session.add(row)
    await session.flush()
    return row


def describe(items: Sequence[Pending]) -> list[str]:
    """One line per pending item, for the CLI."""
    return [
        t("content_review.line", id=p.item.id, topic=p.item.topic, reasons="; ".join(p.reasons))
        for p in items
    ]
