"""Messages of the check-in cycle, shared by handlers and scheduled jobs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.messages import Button, Reply
from bot.core.texts import t
from bot.db.models import Campaign, CheckIn, ViolationReport
from bot.services.campaigns import Period

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def day(value: date) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def due_text(campaign: Campaign, period: Period) -> str:
    """'17:00 Thứ Sáu 27/11/2026'."""
    due = period.due.astimezone(ZoneInfo(campaign.timezone))
    return f"{due:%H:%M} {WEEKDAYS[due.weekday()]} {day(due)}"


def period_key(campaign: Campaign, period: Period) -> str:
    """Button prefix naming the campaign and period: 'ci:<id>:<yyyymmdd>'."""
    return f"ci:{campaign.id}:{period.start:%Y%m%d}"


def registration_reply(campaign: Campaign) -> Reply:
    """The invitation to register, with its one-tap button."""
    text = t(
        "campaign.invite",
        name=campaign.name,
        start=day(campaign.starts_on),
        end=day(campaign.ends_on),
    )
    return Reply(text, buttons=((Button(t("campaign.register_button"), f"reg:{campaign.id}"),),))


def prompt_reply(campaign: Campaign, period: Period, *, nudge: bool = False) -> Reply:
    """The weekly form: one tap for 'all fine', or question by question."""
    key = "checkin.nudge" if nudge else "checkin.prompt"
    text = t(key, start=day(period.start), end=day(period.end), due=due_text(campaign, period))
    prefix = period_key(campaign, period)
    buttons = (
        (Button(t("checkin.all_button"), f"{prefix}:all"),),
        (Button(t("checkin.detail_button"), f"{prefix}:q:0"),),
    )
    return Reply(text, buttons=buttons)


def question_reply(campaign: Campaign, period: Period, index: int) -> Reply:
    """Question `index` of the form with Có / Không."""
    question = campaign.form[index]
    prefix = f"{period_key(campaign, period)}:a:{index}"
    text = t("checkin.question", number=index + 1, total=len(campaign.form), text=question["text"])
    return Reply(
        text,
        buttons=(
            (Button(t("checkin.yes"), f"{prefix}:1"), Button(t("checkin.no"), f"{prefix}:0")),
        ),
    )


def current_reply(campaign: Campaign, check_in: CheckIn, period: Period) -> Reply:
    """A report already sent: what it says, and buttons to change it."""
    verdict = t("checkin.verdict_ok" if check_in.compliant else "checkin.verdict_not_ok")
    late = t("checkin.late") if check_in.late else ""
    lines = [t("checkin.current", start=day(period.start), end=day(period.end), verdict=verdict)]
    lines[0] += late
    for question in campaign.form:
        if question["key"] in check_in.answers:
            answer = t("checkin.yes" if check_in.answers[question["key"]] else "checkin.no")
            lines.append(t("checkin.current_answer", text=question["text"], answer=answer))
    if check_in.note:
        lines.append(t("checkin.current_note", note=check_in.note))
    lines.append(t("checkin.change_hint"))
    prefix = period_key(campaign, period)
    buttons = [] if check_in.compliant else [(Button(t("checkin.all_button"), f"{prefix}:all"),)]
    buttons.append((Button(t("checkin.redo_button"), f"{prefix}:q:0"),))
    return Reply("\n".join(lines), buttons=tuple(buttons))


def reports_text(reports: Sequence[ViolationReport]) -> str:
    """'Dùng điện thoại khi lái xe (23/11/2026); …'."""
    return "; ".join(f"{t(f'violation.kind.{r.kind}')} ({day(r.occurred_on)})" for r in reports)


def confirm_all_reply(
    campaign: Campaign, period: Period, reports: Sequence[ViolationReport]
) -> Reply:
    """Asked before 'all fine' is recorded in a week with self-reported violations."""
    text = t(
        "checkin.confirm_all",
        start=day(period.start),
        end=day(period.end),
        count=len(reports),
        reports=reports_text(reports),
    )
    prefix = period_key(campaign, period)
    buttons = (
        (Button(t("checkin.confirm_all_button"), f"{prefix}:sure"),),
        (Button(t("checkin.detail_button"), f"{prefix}:q:0"),),
    )
    return Reply(text, buttons=buttons)


def saved_reply(
    check_in: CheckIn, period: Period, reports: Sequence[ViolationReport] = ()
) -> Reply:
    """The confirmation after the last answer; notes self-reports next to 'all fine'."""
    verdict = t("checkin.verdict_ok" if check_in.compliant else "checkin.verdict_not_ok")
    lines = [
        t(
            "checkin.saved",
            start=day(period.start),
            end=day(period.end),
            verdict=verdict,
            late=t("checkin.late") if check_in.late else "",
        ),
        t("checkin.saved_hint"),
    ]
    if check_in.compliant and reports:
        lines.append(t("checkin.saved_with_reports", count=len(reports)))
    if not check_in.compliant:
        lines.append(t("checkin.suggest_report"))
    return Reply("\n".join(lines))
