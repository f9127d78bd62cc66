"""Announcements: drafts, targets (units, roles), start, schedule, cancel, read tracking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import (
    Attachment,
    Button,
    Reply,
    attachment_from_dict,
    attachment_to_dict,
)
from bot.core.texts import t
from bot.db.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    ChannelAccount,
    Outbox,
    OutboxStatus,
    Person,
    Role,
    Unit,
)
from bot.services import heartbeat, notify, org
from bot.services.notify import QuietHours

READ_PREFIX = "rd"


def ref(broadcast_id: int) -> str:
    """The outbox ref shared by every copy of one announcement."""
    return f"bc{broadcast_id}"


def may_author(role: Role, *, managers_allowed: bool) -> bool:
    """Admins announce to anyone; managers to their own units when the setting allows it."""
    return role == Role.ADMIN or (role == Role.MANAGER and managers_allowed)


def check_author(author: Person, *, managers_allowed: bool) -> None:
    """Refuse an author who may not announce (see `may_author`)."""
    if not may_author(author.role, managers_allowed=managers_allowed):
        raise UserError(t("error.forbidden"))


async def create(
    session: AsyncSession,
    *,
    text: str,
    now: datetime,
    author: Person | None = None,
    attachment: Attachment | None = None,
    unit_ids: Sequence[int] = (),
    roles: Sequence[str] = (),
    progress_to: tuple[str, str] | None = None,
) -> Broadcast:
    """A draft announcement (nothing is sent until start or schedule)."""
    if not text.strip():
        raise UserError(t("broadcast.empty"))
    payload = attachment_to_dict(attachment) if attachment else None
    broadcast = Broadcast(
        author_id=author.id if author else None,
        text=text.strip(),
        attachment=payload,
        unit_ids=list(unit_ids),
        roles=list(roles),
        status=BroadcastStatus.DRAFT,
        created_at=now,
        progress_channel=progress_to[0] if progress_to else None,
        progress_chat_id=progress_to[1] if progress_to else None,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def audience(session: AsyncSession, *, broadcast: Broadcast) -> list[Person]:
    """Active people matching the targets, limited to the author's scope for managers."""
    query = select(Person).join(Unit, Person.unit_id == Unit.id).where(Person.active.is_(True))
    units = await _units(session, broadcast)
    if units:
        query = query.where(or_(*(org.subtree_filter(u) for u in units)))
    if broadcast.roles:
        query = query.where(Person.role.in_([Role(r) for r in broadcast.roles]))
    return list((await session.execute(query.order_by(Person.id))).scalars())


async def _units(session: AsyncSession, broadcast: Broadcast) -> list[Unit]:
    """The target units; a manager's 'everyone' means their own unit."""
    if broadcast.unit_ids:
        rows = await session.execute(select(Unit).where(Unit.id.in_(broadcast.unit_ids)))
        return list(rows.scalars())
    author = await session.get(Person, broadcast.author_id) if broadcast.author_id else None
    if author is not None and author.role == Role.MANAGER:
        return [await session.get(Unit, author.unit_id)]
    return []


async def reachable_count(session: AsyncSession, *, people: Sequence[Person], now: datetime) -> int:
    """How many of these people the bot can reach now."""
    found = await notify.recipients(session, unit=None, now=now, kind="announcement")
    reach = {r.person_id for r in found}
    return sum(p.id in reach for p in people)


def message(broadcast: Broadcast, recipient_id: int) -> Reply:
    """What one person receives: the text, the attachment, and a 'Đã đọc' button."""
    text = t("broadcast.message", text=broadcast.text)
    button = ((Button(t("broadcast.read_button"), f"{READ_PREFIX}:{recipient_id}"),),)
    return Reply(text, buttons=button, document=attachment_from_dict(broadcast.attachment))


async def start(session: AsyncSession, *, broadcast: Broadcast, now: datetime) -> int:
    """Create one recipient row and one outbox row per reachable person; returns how many."""
    if broadcast.status not in (BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED):
        raise UserError(t("broadcast.not_draft"))
    people = await audience(session, broadcast=broadcast)
    found = await notify.recipients(session, unit=None, now=now, kind="announcement")
    reach = {r.person_id: r for r in found}
    rows = [
        BroadcastRecipient(
            broadcast_id=broadcast.id,
            person_id=p.id,
            unit_id=p.unit_id,
            reachable=p.id in reach,
        )
        for p in people
    ]
    session.add_all(rows)
    await session.flush()
    for row in rows:
        if row.reachable:
            await notify.send(
                session,
                to=reach[row.person_id],
                replies=[message(broadcast, row.id)],
                key=f"{ref(broadcast.id)}:p{row.person_id}",
                now=now,
            )
    await _link_outbox(session, broadcast, rows)
    reached = sum(row.reachable for row in rows)
    # Nothing queued means nothing to wait for: done now, not "đang gửi" forever.
    broadcast.status = BroadcastStatus.SENDING if reached else BroadcastStatus.DONE
    broadcast.started_at = now
    return reached


async def warnings(
    session: AsyncSession,
    *,
    reachable: int,
    at: datetime | None,
    now: datetime,
    quiet: str,
    tz: ZoneInfo,
) -> list[str]:
    """What the author should know before queueing: nobody to reach, no running bot, night."""
    found = [t("broadcast.warn_nobody")] if reachable == 0 else []
    found += await not_running(session, now=now, tz=tz)
    when = at or now
    if QuietHours.parse(quiet).release(when, tz) != when:
        local = when.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        found.append(t("broadcast.warn_quiet", when=local, quiet=quiet))
    return found


async def not_running(session: AsyncSession, *, now: datetime, tz: ZoneInfo) -> list[str]:
    """A warning when no `atgt run` scheduler gave a sign of life lately (else nothing)."""
    seen = await heartbeat.last_seen(session)
    if heartbeat.alive(seen, now):
        return []
    last = seen.astimezone(tz).strftime("%d/%m/%Y %H:%M") if seen else t("broadcast.never")
    return [t("broadcast.warn_not_running", last=last)]


def parse_local_time(text: str, tz: ZoneInfo) -> datetime | None:
    """'25/12/2026 08:00' or '2026-12-25 08:00' in local time; None when neither."""
    for pattern in ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(" ".join(text.split()), pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def summary(text: str, width: int = 60) -> str:
    """The first line, cut at a word boundary: one line per announcement in lists."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if len(first) > width:
        cut = first[: width + 1].rsplit(" ", 1)[0] if " " in first[:width] else first[:width]
        return f"{cut.rstrip(' ,;:.-')} …"
    return f"{first} …" if len(lines) > 1 else first


async def _link_outbox(
    session: AsyncSession, broadcast: Broadcast, recipients: Sequence[BroadcastRecipient]
) -> None:
    """Remember each copy's outbox row, for delivery reports."""
    prefix = f"{ref(broadcast.id)}:p"
    rows = await session.execute(
        select(Outbox.id, Outbox.dedupe_key).where(Outbox.dedupe_key.like(f"{prefix}%"))
    )
    by_person = {int(key[len(prefix) :].split(":")[0]): oid for oid, key in rows.all()}
    for recipient in recipients:
        recipient.outbox_id = by_person.get(recipient.person_id)


async def schedule(
    session: AsyncSession, *, broadcast: Broadcast, at: datetime, now: datetime
) -> None:
    """Send later; the broadcast tick starts it when due."""
    if at <= now:
        raise UserError(t("broadcast.past"))
    broadcast.status, broadcast.scheduled_at = BroadcastStatus.SCHEDULED, at


async def cancel(session: AsyncSession, *, broadcast_id: int, now: datetime) -> int:
    """Cancel a draft or scheduled announcement, or stop one mid-send; returns copies stopped."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise UserError(t("broadcast.unknown", id=broadcast_id))
    if broadcast.status in (BroadcastStatus.DONE, BroadcastStatus.CANCELLED):
        raise UserError(t("broadcast.too_late"))
    stopped = await session.execute(
        update(Outbox)
        .where(
            Outbox.dedupe_key.like(f"{ref(broadcast.id)}:p%"),
            Outbox.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.CANCELLED)
    )
    broadcast.status = BroadcastStatus.CANCELLED
    return stopped.rowcount


async def latest_visible(
    session: AsyncSession, *, viewer: Person, number: int | None
) -> Broadcast | None:
    """Announcement `number` (or the newest) if the viewer may see it: admins all, others theirs."""
    query = select(Broadcast).order_by(Broadcast.id.desc())
    if number is not None:
        query = query.where(Broadcast.id == number)
    if viewer.role != Role.ADMIN:
        query = query.where(Broadcast.author_id == viewer.id)
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def due(session: AsyncSession, *, now: datetime) -> list[Broadcast]:
    """Scheduled announcements whose time has come."""
    query = select(Broadcast).where(
        Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.scheduled_at <= now
    )
    return list((await session.execute(query)).scalars())


async def mark_read(session: AsyncSession, *, payload: str, person_id: int, now: datetime) -> bool:
    """'Đã đọc': True the first time."""
    _, _, number = payload.partition(":")
    row_id = parse_int(number)
    row = await session.get(BroadcastRecipient, row_id) if row_id is not None else None
    if row is None or row.person_id != person_id:
        raise UserError(t("error.unknown_button"))
    result = await session.execute(
        update(BroadcastRecipient)
        .where(BroadcastRecipient.id == row.id, BroadcastRecipient.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount == 1


async def read_by_reply(session: AsyncSession, *, channel: str, user_id: str, now: datetime) -> int:
    """Any message from this person counts as 'Đã đọc' for the announcements they received.

    For channels where a tap costs quota (the Zalo Bot counts both directions), the
    announcement carries no button and says so; returns how many were marked read.
    """
    person = select(ChannelAccount.person_id).where(
        ChannelAccount.channel == channel, ChannelAccount.platform_user_id == user_id
    )
    delivered = select(Outbox.id).where(Outbox.status == OutboxStatus.SENT)
    result = await session.execute(
        update(BroadcastRecipient)
        .where(
            BroadcastRecipient.person_id.in_(person),
            BroadcastRecipient.read_at.is_(None),
            BroadcastRecipient.outbox_id.in_(delivered),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
