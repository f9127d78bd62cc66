"""`/lich` for admins: list, enable, disable and edit the schedules."""

from __future__ import annotations

from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import CATALOG, t
from bot.db.models import Schedule, ScheduleRun
from bot.services import schedules

_VIETNAM_ZONES = ("Asia/Ho_Chi_Minh", "Asia/Saigon")


def display_name(schedule: Schedule) -> str:
    """A default schedule's Vietnamese name; an admin's own keeps its name and kind."""
    key = f"schedule.name.{schedule.name}"
    if key in CATALOG:
        return t(key)
    return t("schedule.custom_name", name=schedule.name, kind=t(f"schedule.kind.{schedule.kind}"))


def describe(schedule: Schedule) -> str:
    """One line per schedule, as admins read it."""
    target = t("schedule.for_unit", unit=schedule.unit.path) if schedule.unit else ""
    holidays = t("schedule.holidays") if schedule.skip_holidays else ""
    return t(
        "schedule.line",
        id=schedule.id,
        name=display_name(schedule),
        days=schedules.days_label(schedule.days),
        time=schedule.time,
        tz=t("schedule.tz_vietnam") if schedule.timezone in _VIETNAM_ZONES else schedule.timezone,
        state=t("schedule.on" if schedule.enabled else "schedule.off"),
        target=target + holidays,
    )


def run_outcome(run: ScheduleRun) -> str:
    """What a run did, as admins read it: sent, skipped or failed, with failed recipients."""
    if run.status == "failed":
        return t("status.run.failed", error=run.error or "?")
    if run.status not in ("sent", "skipped"):
        return run.status
    outcome = t(f"status.run.{run.status}", count=run.recipients)
    if run.failed:
        failed = t("status.run.failed_some", failed=run.failed, error=run.error or "?")
        outcome = f"{outcome}, {failed}"
    return outcome


async def manage(ctx: Context) -> list[Reply]:
    """`/lich`, `/lich bat|tat ID`, `/lich sua ID NGÀY GIỜ`."""
    words = ctx.incoming.args.split()
    if not words:
        listed = [describe(s) for s in await schedules.all_schedules(ctx.session)]
        return [Reply("\n".join([t("schedule.header"), *listed, t("schedule.usage")]))]
    action, rest = words[0].lower(), words[1:]
    schedule_id = parse_int(rest[0]) if rest else None
    if schedule_id is None or action not in ("bat", "tat", "sua"):
        raise UserError(t("schedule.usage"))
    changes: dict[str, object] = {"enabled": action == "bat"} if action != "sua" else {}
    if action == "sua":
        if len(rest) < 3:
            raise UserError(t("schedule.usage"))
        # Days may contain spaces ("thứ 2 - thứ 6"); the time is the last word.
        changes = {"days": " ".join(rest[1:-1]), "time": rest[-1]}
    schedule = await schedules.update_schedule(
        ctx.session, schedule_id=schedule_id, now=ctx.now, **changes
    )
    return [Reply(f"{t('schedule.updated')}\n{describe(schedule)}")]
