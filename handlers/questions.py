"""Plain messages from linked people are questions about their plans and traffic law."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.core.messages import Button, Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.services import content_review, fines
from bot.services.plans.qa import answer_choice, answer_question
from bot.services.plans.query import MAX_QUESTION_CHARS
from bot.services.plans.results import Answer
from bot.services.plans.text import fold

_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{0,200}>", re.IGNORECASE | re.DOTALL)
_GREETINGS = {"chao", "xin chao", "chao ban", "chao bot", "hi", "hello", "alo", "helo"}
_THANKS = {"cam on", "cam on ban", "cam on bot", "thanks", "thank you", "tks", "ok", "oke"}
_BUTTON_LABEL = 60


async def ask(ctx: Context) -> list[Reply]:
    """Answer a typed question from the asker's plans and the law, with its source."""
    person = ctx.me
    question = " ".join(_TAGS.sub(" ", ctx.incoming.text or "").split())
    if not question:
        return [Reply(t("qa.empty"))]
    small_talk = " ".join(re.findall(r"[a-z]+", fold(question)))
    if small_talk in _GREETINGS:
        return [Reply(t("qa.greeting", name=person.full_name))]
    if small_talk in _THANKS:
        return [Reply(t("qa.thanks"))]
    # Items a reviewer ended (atgt content review --end) are no longer quoted.
    content = await content_review.apply(ctx.session, ctx.content) if ctx.content else None
    if fines.asks_about_fine(question):
        # Fines come only from verified law items, never from a plan passage or a guess.
        today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
        return [Reply(fines.answer(content, question, on=today) or t("fine.none"))]
    answer = await answer_question(
        ctx.session,
        now=ctx.now,
        question=question,
        unit_path=person.unit.path,
        content=content,
        timezone=ctx.config.timezone,
        rephrase=ctx.config.rephrase,
    )
    reply = render(answer)
    if len(question) > MAX_QUESTION_CHARS:
        note = t("qa.too_long", count=MAX_QUESTION_CHARS)
        reply = Reply(f"{note}\n{reply.text}", buttons=reply.buttons)
    return [reply]


async def choose(ctx: Context) -> list[Reply]:
    """A "Có phải bạn muốn hỏi…" button: answer the question it stands for."""
    person = ctx.me
    content = await content_review.apply(ctx.session, ctx.content) if ctx.content else None
    answer = await answer_choice(
        ctx.session,
        now=ctx.now,
        data=ctx.incoming.payload,
        unit_path=person.unit.path,
        content=content,
        timezone=ctx.config.timezone,
    )
    return [render(answer) if answer is not None else Reply(t("qa.expired"))]


def render(answer: Answer) -> Reply:
    """The answer with its source line, or the refusal with suggestion buttons."""
    if answer.found and answer.citation is not None:
        source = t("qa.source", document=answer.citation.document, section=answer.citation.section)
        return Reply(f"{answer.text}\n{source}")
    buttons = tuple((Button(_label(s.label), s.data),) for s in answer.suggestions)
    return Reply(answer.text, buttons=buttons)


def _label(text: str) -> str:
    """A button label short enough for every channel."""
    return text if len(text) <= _BUTTON_LABEL else text[: _BUTTON_LABEL - 1].rstrip() + "…"
