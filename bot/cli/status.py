"""`atgt status`: what the running bot is doing, read from the database (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import in_session, out, settings
from bot.core.texts import CHANNEL_LABELS, t
from bot.db.models import Outbox, OutboxStatus
from bot.leadership import lock_key
from bot.services import bot_state, schedules, usage
from bot.settings import Settings
from handlers.schedules import describe, run_outcome

CHANNELS = ("telegram", "zalo_bot", "zalo_oa")
ROLES = ("scheduler", *(f"sender:{channel}" for channel in CHANNELS))
BACKLOG = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)
# pg_locks shows a bigint advisory key as two 32-bit halves (classid, objid), objsubid 1.
HOLDER = text(
    "SELECT l.pid, a.client_addr FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.classid::bigint = :high AND l.objid::bigint = :low"
)


def status() -> None:
    """Tình trạng bot: kênh, hàng đợi gửi, lịch đã chạy, tiến trình chính."""
    config = settings()
    for line in in_session(lambda session: _report(session, config), commit=False):
        out.print(line, markup=False, highlight=False)


async def _report(session: AsyncSession, config: Settings) -> list[str]:
    lines = [t("status.title")]
    lines += await _channels(session, config)
    lines += await _backlog(session, config)
    lines += await _usage(session, config, datetime.now(UTC))
    lines += await _schedules(session, config)
    lines += await _leaders(session, config)
    return lines


def _when(value: str | datetime | None, config: Settings) -> str:
    if value is None:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(config.tz).strftime("%d/%m/%Y %H:%M")


def _configured(config: Settings) -> dict[str, bool]:
    return {
        "telegram": config.telegram_token is not None,
        "zalo_bot": config.zalo_bot_token is not None,
        "zalo_oa": config.zalo_oa_enabled,
    }


async def _channels(session: AsyncSession, config: Settings) -> list[str]:
    lines = [t("status.channels")]
    notes = await bot_state.with_prefix(session, bot_state.CHANNEL_PREFIX)
    username = await bot_state.bot_username(session, config.telegram_bot_username)
    for channel, configured in _configured(config).items():
        note = notes.get(channel)
        if not configured and note is None:
            continue
        value: dict[str, Any] = note.value if note else {}
        state = t(f"status.state.{value['state']}") if value else ""
        extra = []
        if value.get("mode"):
            extra.append(t(f"status.mode.{value['mode']}"))
        if channel == "telegram" and username:
            extra.append(f"@{username.lstrip('@')}")
        if not configured:
            extra.append(t("status.not_configured"))
        if not value:
            lines.append(t("status.channel_never", channel=CHANNEL_LABELS.get(channel, channel)))
            continue
        since = _when(value.get("since"), config)
        lines.append(
            t(
                "status.channel_line",
                channel=CHANNEL_LABELS.get(channel, channel),
                state=state,
                since=since,
                process=value.get("process", "—"),
                extra=f" ({', '.join(extra)})" if extra else "",
            )
        )
    if len(lines) == 1:
        lines.append(t("status.no_channel"))
    return lines


async def _backlog(session: AsyncSession, config: Settings) -> list[str]:
    query = (
        select(Outbox.channel, Outbox.status, func.count(), func.min(Outbox.created_at))
        .where(Outbox.status.in_(BACKLOG))
        .group_by(Outbox.channel, Outbox.status)
    )
    counts: dict[str, dict[OutboxStatus, int]] = {}
    oldest: dict[str, datetime] = {}
    for channel, status_, count, first in await session.execute(query):
        counts.setdefault(channel, {})[OutboxStatus(status_)] = count
        if status_ == OutboxStatus.PENDING and first is not None:
            oldest[channel] = first
    lines = [t("status.backlog")]
    for channel in sorted(counts):
        by_status = counts[channel]
        lines.append(
            t(
                "status.backlog_line",
                channel=CHANNEL_LABELS.get(channel, channel),
                pending=by_status.get(OutboxStatus.PENDING, 0),
                sending=by_status.get(OutboxStatus.SENDING, 0),
                failed=by_status.get(OutboxStatus.FAILED, 0),
                oldest=t("status.backlog_oldest", when=_when(oldest[channel], config))
                if channel in oldest
                else "",
            )
        )
    if not counts:
        lines.append(t("status.backlog_empty"))
    return lines


async def _usage(session: AsyncSession, config: Settings, now: datetime) -> list[str]:
    """This month's Zalo messages as Zalo counts them, and where the month is heading."""
    month = usage.month_of(now, config.tz)
    counts = {
        (channel, kind): await usage.count(session, channel=channel, month=month, kind=kind)
        for channel in ("zalo_bot", "zalo_oa")
        for kind in (usage.SENT, usage.RECEIVED, usage.TEMPLATE)
    }
    configured = _configured(config)
    if not any(counts.values()) and not (configured["zalo_bot"] or configured["zalo_oa"]):
        return []
    lines = [t("status.usage", month=f"{month[5:]}/{month[:4]}")]
    if configured["zalo_bot"] or counts[("zalo_bot", usage.SENT)]:
        used = counts[("zalo_bot", usage.SENT)] + counts[("zalo_bot", usage.RECEIVED)]
        quota = config.zalo_bot_monthly_quota
        projected = usage.projection(used, now, config.tz)
        line = t(
            "status.usage_bot",
            sent=counts[("zalo_bot", usage.SENT)],
            received=counts[("zalo_bot", usage.RECEIVED)],
            used=used,
            quota=quota,
            percent=round(100 * used / quota) if quota else 0,
            projected=projected,
        )
        lines.append(line + (t("status.usage_over") if quota and projected > quota else ""))
    if configured["zalo_oa"] or counts[("zalo_oa", usage.SENT)]:
        templates = counts[("zalo_oa", usage.TEMPLATE)]
        lines.append(
            t(
                "status.usage_oa",
                sent=counts[("zalo_oa", usage.SENT)],
                received=counts[("zalo_oa", usage.RECEIVED)],
                templates=templates,
                budget=config.zalo_oa_template_budget,
                projected=usage.projection(templates, now, config.tz),
            )
        )
    return lines


async def _schedules(session: AsyncSession, config: Settings) -> list[str]:
    lines = [t("status.schedules")]
    runs = await schedules.last_runs(session)
    for schedule in await schedules.all_schedules(session):
        run = runs.get(schedule.id)
        if run is None:
            lines.append(t("status.schedule_never", schedule=describe(schedule)))
        else:
            lines.append(
                t(
                    "status.schedule_ran",
                    schedule=describe(schedule),
                    when=_when(run.fired_at, config),
                    outcome=run_outcome(run),
                )
            )
    if len(lines) == 1:
        lines.append(t("status.schedules_none"))
    return lines


async def _leaders(session: AsyncSession, config: Settings) -> list[str]:
    lines = [t("status.leaders")]
    notes = await bot_state.with_prefix(session, bot_state.ROLE_PREFIX)
    postgres = session.bind.dialect.name == "postgresql"
    for role in ROLES:
        note = notes.get(role)
        label = t(f"status.role.{role.split(':')[0]}", channel=CHANNEL_LABELS.get(role[7:], ""))
        if postgres:
            key = lock_key(role) & 0xFFFFFFFFFFFFFFFF
            held = await session.execute(HOLDER, {"high": key >> 32, "low": key & 0xFFFFFFFF})
            holder = held.first()
            if holder is None:
                if note is not None:
                    lines.append(t("status.role_free", role=label))
                continue
            where = note.value.get("process", "?") if note else "?"
            lines.append(t("status.role_held", role=label, process=where, pid=holder.pid))
        elif note is not None:
            since = _when(note.value.get("since"), config)
            process = note.value.get("process")
            lines.append(t("status.role_sqlite", role=label, process=process, since=since))
    if len(lines) == 1:
        lines.append(t("status.leaders_none"))
    return lines
