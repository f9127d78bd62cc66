"""Questions about plans: the service the chat handler, the CLI and the benchmark call.

The answer comes from the plans of the asker's unit and of every unit above it (nearer
plans first) and the law content in force today. An optional rephraser (an LLM) may reword a found
answer from the same passages; on any failure the extractive answer stands.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content

from .answer import search
from .index import load_index
from .results import Answer
from .store import plan_ids_for_unit, plan_scope
from .suggest import choose

log = logging.getLogger(__name__)
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# (question, extractive answer, source passages) -> reworded answer, or None to keep it.
Rephrase = Callable[[str, str, Sequence[str]], Awaitable[str | None]]


async def answer_question(
    session: AsyncSession,
    *,
    now: datetime,
    question: str,
    unit_path: str | None,
    content: Content | None,
    timezone: str = DEFAULT_TIMEZONE,
    rephrase: Rephrase | None = None,
) -> Answer:
    """Answer from the plans that apply to `unit_path` (all plans when None) and the law."""
    index = await load_index(session, content=content)
    scope = await plan_scope(session, unit_path=unit_path)
    answer = search(index, question, scope, _today(now, timezone))
    if answer.found and rephrase is not None:
        answer = await _reworded(answer, question, rephrase)
    return answer


async def answer_choice(
    session: AsyncSession,
    *,
    now: datetime,
    data: str,
    unit_path: str | None,
    content: Content | None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Answer | None:
    """The answer behind a "Có phải bạn muốn hỏi…" button; None when it no longer applies."""
    index = await load_index(session, content=content)
    plan_ids = await plan_ids_for_unit(session, unit_path=unit_path)
    return choose(index, data, plan_ids, _today(now, timezone))


def _today(now: datetime, timezone: str) -> date:
    """The campaign's calendar day, which decides which law items are in force."""
    return now.astimezone(ZoneInfo(timezone)).date()


async def _reworded(answer: Answer, question: str, rephrase: Rephrase) -> Answer:
    """The rephraser's wording when it gives one; the extractive answer otherwise."""
    try:
        text = await rephrase(question, answer.text, answer.sources)
    except Exception:
        log.warning("rephrasing failed; keeping the extractive answer", exc_info=True)
        return answer
    return replace(answer, text=text) if text else answer
