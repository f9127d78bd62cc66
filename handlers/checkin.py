"""The check-in cycle in chat: register, weekly form, notes, self-reports, history, /donvi."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import Button, Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.db.models import Campaign, CheckIn
from bot.services import campaigns, checkins, quiz
from bot.services.campaigns import period_of
from bot.services.checkin_views import (
    confirm_all_reply,
    current_reply,
    day,
    prompt_reply,
    question_reply,
    saved_reply,
)


async def _campaign(ctx: Context) -> Campaign:
    campaign = await campaigns.campaign_for(ctx.session, person=ctx.me, now=ctx.now)
    if campaign is None:
        raise UserError(t("campaign.none"))
    return campaign


async def register(ctx: Context) -> list[Reply]:
    """`/dangky` or the 'Đăng ký thi đua' button."""
    campaign = await _campaign(ctx)
    first = await checkins.register(
        ctx.session, campaign=campaign, person_id=ctx.me.id, now=ctx.now
    )
    key = "campaign.registered" if first else "campaign.already_registered"
    return [Reply(t(key, name=campaign.name))]


async def weekly(ctx: Context) -> list[Reply]:
    """`/baocaotuan`: this period's state and the form."""
    campaign = await _campaign(ctx)
    period = period_of(campaign, ctx.now)
    mine = await checkins.current(
        ctx.session, campaign=campaign, person_id=ctx.me.id, period=period
    )
    if mine is not None and mine.complete:
        return [current_reply(campaign, mine, period)]
    return [prompt_reply(campaign, period)]


async def button(ctx: Context) -> list[Reply]:
    """'ci:<campaign>:<yyyymmdd>:all' (':sure' once confirmed), ':q:<i>' or ':a:<i>:<1|0>'."""
    parts = ctx.incoming.payload.split(":")
    if not _well_formed(parts):
        raise UserError(t("error.unknown_button"))
    campaign = await campaigns.load(ctx.session, int(parts[1]))
    if campaign is None or campaign.id != (await _campaign(ctx)).id:
        raise UserError(t("error.unknown_button"))
    if parts[3] not in ("all", "sure") and int(parts[4]) >= len(campaign.form):
        raise UserError(t("error.unknown_button"))
    start = datetime.strptime(parts[2], "%Y%m%d").date()
    period = checkins.open_period(campaign, period_start=start, now=ctx.now)
    person_id = ctx.me.id
    reports = await checkins.reports_in_period(ctx.session, person_id=person_id, period=period)
    if parts[3] == "all" and reports:
        # Self-reported violations this week: 'all fine' must be a conscious choice.
        return [confirm_all_reply(campaign, period, reports)]
    if parts[3] in ("all", "sure"):
        answers = {question["key"]: True for question in campaign.form}
        saved = await checkins.answer(
            ctx.session,
            campaign=campaign,
            person_id=person_id,
            period=period,
            now=ctx.now,
            answers=answers,
        )
        return [saved_reply(saved, period, reports)]
    index = int(parts[4])
    if parts[3] == "q":
        return [question_reply(campaign, period, index)]
    key = campaign.form[index]["key"]
    saved = await checkins.answer(
        ctx.session,
        campaign=campaign,
        person_id=person_id,
        period=period,
        now=ctx.now,
        answers={key: parts[5] == "1"},
    )
    unanswered = [i for i, q in enumerate(campaign.form) if q["key"] not in saved.answers]
    if unanswered:
        return [question_reply(campaign, period, unanswered[0])]
    return [saved_reply(saved, period, reports)]


def _well_formed(parts: list[str]) -> bool:
    """Stale or forged button data must not reach the parsing below."""
    if len(parts) < 4 or len(parts[2]) != 8:
        return False
    if parse_int(parts[1]) is None or parse_int(parts[2]) is None:
        return False
    try:
        datetime.strptime(parts[2], "%Y%m%d")
    except ValueError:
        return False
    if parts[3] in ("all", "sure"):
        return len(parts) == 4
    if parts[3] == "q":
        return len(parts) == 5 and parse_int(parts[4]) is not None
    return (
        parts[3] == "a"
        and len(parts) == 6
        and parse_int(parts[4]) is not None
        and parts[5] in ("0", "1")
    )


async def note(ctx: Context) -> list[Reply]:
    """`/ghichu TEXT`: a note on this period's check-in."""
    text = ctx.incoming.args.strip()
    if not text:
        raise UserError(t("checkin.note_usage"))
    campaign = await _campaign(ctx)
    period = period_of(campaign, ctx.now)
    await checkins.answer(
        ctx.session,
        campaign=campaign,
        person_id=ctx.me.id,
        period=period,
        now=ctx.now,
        note=text,
    )
    return [Reply(t("checkin.note_saved", start=day(period.start), end=day(period.end)))]


async def violation(ctx: Context) -> list[Reply]:
    """`/vipham` (choose a kind) or `/vipham N dd/mm/yyyy note`."""
    args = ctx.incoming.args.split(maxsplit=2)
    if not args:
        # Labels carry no number: numbered channels add their own, in this same order,
        # and that position is the SỐ of `/vipham SỐ dd/mm/yyyy`.
        buttons = tuple(
            (Button(t(f"violation.kind.{kind}"), f"vp:{kind}"),)
            for kind in checkins.VIOLATION_KINDS
        )
        return [Reply(t("violation.choose"), buttons=buttons)]
    number = parse_int(args[0], maximum=len(checkins.VIOLATION_KINDS))
    if not number:
        raise UserError(t("violation.unknown_kind"))
    kind = checkins.VIOLATION_KINDS[number - 1]
    when = _parse_day(args[1], ctx) if len(args) > 1 else _today(ctx)
    return await _report(ctx, kind, when, args[2] if len(args) > 2 else None)


async def violation_button(ctx: Context) -> list[Reply]:
    """'vp:<kind>': a self-report dated today."""
    return await _report(ctx, ctx.incoming.payload.partition(":")[2], _today(ctx), None)


async def _report(ctx: Context, kind: str, when: date, text: str | None) -> list[Reply]:
    campaign = await campaigns.campaign_for(ctx.session, person=ctx.me, now=ctx.now)
    await checkins.report_violation(
        ctx.session,
        person_id=ctx.me.id,
        campaign_id=campaign.id if campaign else None,
        kind=kind,
        occurred_on=when,
        note=text,
        now=ctx.now,
    )
    return [Reply(t("violation.saved", kind=t(f"violation.kind.{kind}"), date=day(when)))]


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()


def _parse_day(text: str, ctx: Context) -> date:
    try:
        when = datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise UserError(t("violation.bad_date", date=text)) from None
    if when > _today(ctx):
        raise UserError(t("violation.future"))
    return when


async def history(ctx: Context) -> list[Reply]:
    """`/lichsu`: my registrations, check-ins, self-reports and quiz record."""
    person = ctx.me
    registrations, check_ins, reports = await checkins.own_history(ctx.session, person_id=person.id)
    lines = [t("history.header", name=person.full_name)]
    lines += [t("history.registration", date=day(r.registered_at)) for r in registrations] or [
        t("history.no_registration")
    ]
    lines += [_checkin_line(c) for c in check_ins[:12]] or [t("history.no_checkin")]
    lines += [
        t("history.violation", kind=t(f"violation.kind.{r.kind}"), date=day(r.occurred_on))
        for r in reports
    ]
    score = await quiz.score(ctx.session, person_id=person.id)
    lines.append(t("history.quiz", correct=score.correct, answered=score.answered))
    return [Reply("\n".join(lines))]


def _checkin_line(check_in: CheckIn) -> str:
    if not check_in.complete:
        state = t("history.state_incomplete")
    else:
        state = t("checkin.verdict_ok" if check_in.compliant else "checkin.verdict_not_ok")
    late = t("checkin.late") if check_in.late else ""
    return t("history.checkin", start=day(check_in.period_start), state=state, late=late)
