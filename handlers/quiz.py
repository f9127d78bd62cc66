"""Quizzes on demand (/quiz), answers, /diem and /bangxephang."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.core.errors import UserError
from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.services import content_review, leaderboard, quiz
from bot.services.digest_text import rate


def _content(ctx: Context) -> Content:
    if ctx.content is None:
        raise UserError(t("quiz.none"))
    return ctx.content


def _local(ctx: Context) -> datetime:
    return ctx.now.astimezone(ZoneInfo(ctx.config.timezone))


async def ask(ctx: Context) -> list[Reply]:
    """`/quiz`: the next question for this person."""
    person = ctx.me
    content = await content_review.apply(ctx.session, _content(ctx))
    item = await quiz.pick_question(
        ctx.session, person_id=person.id, content=content, on=_local(ctx).date(), now=ctx.now
    )
    if item is None:
        return [Reply(t("quiz.none"))]
    return [
        await quiz.deliver(ctx.session, person_id=person.id, item=item, now=ctx.now, run_id=None)
    ]


async def answer(ctx: Context) -> list[Reply]:
    """A quiz answer (native poll or numbered option): verdict, explanation, basis, score."""
    person = ctx.me
    options = ctx.incoming.option_ids
    if len(options) != 1:
        raise UserError(t("quiz.unknown"))
    result = await quiz.record_answer(
        ctx.session,
        ref=ctx.incoming.payload,
        person_id=person.id,
        option=options[0],
        content=_content(ctx),
        now=ctx.now,
    )
    item, score = result.item, result.score
    verdict = (
        t("quiz.right") if result.correct else t("quiz.wrong", answer=item.options[item.correct])
    )
    lines = [
        verdict,
        t("quiz.explain", explanation=item.explanation, basis=item.citation),
        t(
            "quiz.tally",
            correct=score.correct,
            answered=score.answered,
            streak=score.streak,
            best=score.best_streak,
        ),
        t("quiz.more"),
    ]
    return [Reply("\n".join(lines))]


async def my_score(ctx: Context) -> list[Reply]:
    """`/diem`: my record and my rank in my unit."""
    person = ctx.me
    score = await quiz.score(ctx.session, person_id=person.id)
    rank, total = await quiz.rank_in_unit(ctx.session, person=person)
    card = t(
        "score.card",
        name=person.full_name,
        answered=score.answered,
        correct=score.correct,
        accuracy=rate(score.correct, score.answered),
        streak=score.streak,
        best=score.best_streak,
        unit=person.unit.path,
        rank=f"{rank}/{total}" if score.answered else t("score.unranked"),
    )
    return [Reply(card)]


async def board(ctx: Context) -> list[Reply]:
    """`/bangxephang`: my unit among its sibling units (per head), and my unit's top people."""
    person = ctx.me
    local = _local(ctx)
    since = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    units = await leaderboard.unit_standings(
        ctx.session, parent_id=person.unit.parent_id, since=since
    )
    lines = [t("board.units_header", since=since.strftime("%d/%m/%Y"))]
    for rank, s in enumerate(units, 1):
        lines.append(
            t(
                "board.unit_line",
                rank=rank,
                unit=s.path,
                people=s.people,
                participation=round(s.participation * 100),
                accuracy=rate(s.correct, s.answered),
            )
        )
    people = await leaderboard.top_people(ctx.session, unit_id=person.unit_id, since=since)
    lines.append(t("board.people_header", unit=person.unit.path))
    lines += [
        t("board.person_line", rank=rank, name=name, correct=right, answered=answered)
        for rank, (name, right, answered) in enumerate(people, 1)
    ] or [t("board.empty")]
    return [Reply("\n".join(lines))]
