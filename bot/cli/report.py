"""`atgt report`: figures per unit and per person over any days; `review` for the year end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import fail, in_session, out
from bot.core.errors import UserError
from bot.core.texts import t
from bot.db.models import Campaign, Unit
from bot.services import campaigns, org, review
from bot.services.checkin_views import day
from bot.services.digest_text import rate
from bot.services.report_book import Book, workbook
from bot.services.report_tree import Counts
from bot.services.report_window import days

report_app = typer.Typer(
    help="Báo cáo thi đua theo đơn vị và từng người; hồ sơ bình xét cuối năm.",
    invoke_without_command=True,
)


def _date(text: str) -> date:
    """dd/mm/yyyy or yyyy-mm-dd."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise typer.BadParameter(t("cli.bad_date", value=text))


@report_app.callback()
def report(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option(help="Đơn vị (kèm đơn vị con).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Từ ngày dd/mm/yyyy.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến ngày dd/mm/yyyy.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Ghi số liệu ra tệp .xlsx.")] = None,
    campaign: Annotated[
        int | None, typer.Option(help="Số đợt thi đua (mặc định: mới nhất).")
    ] = None,
) -> None:
    """Số liệu theo đơn vị và từng người trong một khoảng ngày."""
    if ctx.invoked_subcommand is not None:
        return
    if unit is None or start is None or end is None:
        raise fail(t("report.need_unit"), 2)
    first, last = _date(start), _date(end)
    if last < first:
        raise fail(t("report.bad_range"), 2)
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> Outcome:
        found = await org.require_unit(session, path=unit)
        chosen = await _campaign(session, campaign, found, first, last)
        window = days(chosen, first, last, now=now)
        book = await review.build(session, campaign=chosen, window=window, unit=found, now=now)
        return _outcome(book, ranked=False, with_lines=True, want_file=xlsx is not None)

    _show(in_session(work, commit=False), xlsx)


async def _campaign(
    session: AsyncSession, number: int | None, unit: Unit, first: date, last: date
) -> Campaign:
    if number is not None:
        chosen = await campaigns.load(session, number)
        if chosen is None:
            raise UserError(t("cli.campaign_unknown", id=number))
        return chosen
    chosen = await review.pick_campaign(session, unit=unit, first=first, last=last)
    if chosen is None:
        raise UserError(t("report.no_campaign", unit=unit.path, start=day(first), end=day(last)))
    return chosen


@report_app.command("review")
def review_pack(
    campaign: Annotated[int, typer.Option(help="Số đợt thi đua (atgt campaign list).")],
    xlsx: Annotated[Path, typer.Option(help="Tệp .xlsx để ghi hồ sơ.")],
) -> None:
    """Hồ sơ bình xét khen thưởng: tổng hợp, đơn vị và cá nhân, xếp hạng sẵn."""
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> Outcome:
        chosen = await campaigns.load(session, campaign)
        if chosen is None:
            raise UserError(t("cli.campaign_unknown", id=campaign))
        book = await review.campaign_review(session, campaign=chosen, now=now)
        return _outcome(book, ranked=True, with_lines=False, want_file=True)

    _show(in_session(work, commit=False), xlsx)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a report command prints and writes (built before the session closes)."""

    lines: list[str]
    data: bytes | None
    people: int
    units: int


def _outcome(book: Book, *, ranked: bool, with_lines: bool, want_file: bool) -> Outcome:
    units = review.unit_lines(book)
    weeks = book.window.weeks
    lines = [_line(path, c, weeks, shown) for path, c, shown in units] if with_lines else []
    data = workbook(book, ranked=ranked) if want_file else None
    return Outcome(lines, data, len(book.rows), len(units))


def _line(path: str, c: Counts, weeks: int, shown: bool) -> str:
    return t(
        "report.line",
        unit=path,
        people=c.people,
        reported=rate(c.reported, c.people * weeks),
        compliant=rate(c.compliant, c.reported) if shown else t("privacy.hidden_cell"),
        accuracy=rate(c.correct, c.answered),
        reads=rate(c.read, c.delivered),
    )


def _show(outcome: Outcome, path: Path | None) -> None:
    for line in outcome.lines:
        out.print(line, markup=False)
    if path is None or outcome.data is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(outcome.data)
    written = t("report.written", people=outcome.people, units=outcome.units, path=path)
    out.print(written, markup=False)
