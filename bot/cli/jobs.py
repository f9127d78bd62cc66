"""`atgt jobs`: list the schedules, run one now, or change one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer

from bot.app import App, build_app
from bot.cli.common import fail, out, settings
from bot.core.errors import UserError
from bot.core.texts import t
from bot.scheduling import Outcome, Scheduler
from bot.services import schedules
from bot.services.notify import QuietHours
from handlers.schedules import describe, run_outcome

jobs_app = typer.Typer(help="Lịch gửi tự động (nhắc nhở, câu đố).", no_args_is_help=True)


T = TypeVar("T")


def _scheduler_run(work: Callable[[Scheduler, App], Awaitable[T]]) -> T:
    """Run `work(scheduler, app)` against the configured database."""
    config = settings()

    async def run() -> T:
        app = build_app(config)
        scheduler = Scheduler(
            app.sessionmaker,
            app.content,
            clock=lambda: datetime.now(UTC),
            quiet=QuietHours.parse(config.quiet_hours),
            timezone=config.timezone,
        )
        try:
            async with app.sessionmaker() as session, session.begin():
                await schedules.ensure_defaults(
                    session, now=datetime.now(UTC), timezone=config.timezone
                )
            return await work(scheduler, app)
        finally:
            await app.close()

    return asyncio.run(run())


@jobs_app.command("list")
def list_jobs() -> None:
    """Liệt kê các lịch và lần chạy kế tiếp."""

    async def work(scheduler: Scheduler, app: App) -> list[str]:
        async with app.sessionmaker() as session:
            rows = []
            last = await schedules.last_runs(session)
            for schedule in await schedules.all_schedules(session):
                upcoming = schedules.trigger(schedule).get_next_fire_time(None, datetime.now(UTC))
                when = upcoming.strftime("%d/%m/%Y %H:%M") if upcoming and schedule.enabled else "—"
                row = f"{describe(schedule)} — {t('cli.jobs_next', when=when)}"
                run = last.get(schedule.id)
                if run is not None:
                    fired = run.fired_at.astimezone(ZoneInfo(schedule.timezone))
                    last_run = t(
                        "cli.jobs_last", when=f"{fired:%d/%m/%Y %H:%M}", outcome=run_outcome(run)
                    )
                    row += f" — {last_run}"
                rows.append(row)
            return rows

    for line in _scheduler_run(work):
        out.print(line, markup=False)


@jobs_app.command("run")
def run_job(schedule_id: Annotated[int, typer.Argument(help="Số thứ tự của lịch.")]) -> None:
    """Chạy một lịch ngay một lần (kể cả ngày nghỉ); tin nhắn vào hàng đợi gửi."""

    async def work(scheduler: Scheduler, app: App) -> Outcome:
        return await scheduler.run_now(schedule_id)

    outcome = _scheduler_run(work)
    if outcome.status == "disabled":
        raise fail(t("schedule.unknown", id=schedule_id))
    if outcome.status == "failed":
        raise fail(t("cli.jobs_failed", id=schedule_id, error=outcome.error))
    out.print(ran_message(schedule_id, outcome), markup=False)


def ran_message(schedule_id: int, outcome: Outcome) -> str:
    """What `atgt jobs run` says: messages queued, and recipients that failed, if any."""
    line = t("cli.jobs_ran", id=schedule_id, count=outcome.queued)
    if outcome.failed:
        line += " " + t("cli.jobs_ran_failed", failed=outcome.failed, error=outcome.error)
    return line


@jobs_app.command("set")
def set_job(
    schedule_id: Annotated[int, typer.Argument(help="Số thứ tự của lịch.")],
    days: Annotated[
        str | None, typer.Option(help="Ngày: T2-T6, T3,T5, T7,CN, 'thứ 2 - thứ 6'…")
    ] = None,
    time: Annotated[str | None, typer.Option(help="Giờ địa phương HH:MM.")] = None,
    enable: Annotated[bool | None, typer.Option("--enable/--disable", help="Bật/tắt.")] = None,
) -> None:
    """Sửa ngày, giờ hoặc bật/tắt một lịch."""

    async def work(scheduler: Scheduler, app: App) -> str:
        async with app.sessionmaker() as session, session.begin():
            schedule = await schedules.update_schedule(
                session,
                schedule_id=schedule_id,
                now=datetime.now(UTC),
                days=days,
                time=time,
                enabled=enable,
            )
            return describe(schedule)

    try:
        out.print(_scheduler_run(work), markup=False)
    except UserError as exc:
        raise fail(exc.message) from None
