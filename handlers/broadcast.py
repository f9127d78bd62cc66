"""`/thongbao`: compose, target, preview, send or schedule, cancel; 'Đã đọc'; results."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.errors import UserError
from bot.core.ids import parse_int
from bot.core.messages import Attachment, Button, Reply
from bot.core.router import BotConfig, Context
from bot.core.texts import ROLE_LABELS, t
from bot.db.models import Broadcast, Person, Role, Unit
from bot.services import broadcast as service
from bot.services import broadcast_report, org

MAX_UNIT_BUTTONS = 30


def _author(ctx: Context) -> Person:
    person = ctx.me
    service.check_author(person, managers_allowed=ctx.config.manager_broadcast)
    return person


def available(role: Role, config: BotConfig) -> bool:
    """Do the announcement commands exist for this role (ATGT_MANAGER_BROADCAST)?"""
    return service.may_author(role, managers_allowed=config.manager_broadcast)


def may_attach(person: Person, config: BotConfig) -> bool:
    """May this person's /thongbao carry a file? Asked before the file is downloaded."""
    try:
        service.check_author(person, managers_allowed=config.manager_broadcast)
    except UserError:
        return False
    return True


async def compose(ctx: Context) -> list[Reply]:
    """`/thongbao [@dd/mm/yyyy HH:MM] TEXT`: a draft and its preview."""
    author = _author(ctx)
    text, at = _split_schedule(ctx.incoming.args, ctx)
    draft = await service.create(
        ctx.session,
        text=text,
        now=ctx.now,
        author=author,
        attachment=ctx.incoming.attachment,
        progress_to=(ctx.incoming.channel, ctx.incoming.chat_id),
    )
    draft.scheduled_at = at
    return [await _preview(ctx, draft)]


def _split_schedule(args: str, ctx: Context) -> tuple[str, datetime | None]:
    """A leading '@dd/mm/yyyy HH:MM' asks for a scheduled send."""
    if not args.startswith("@"):
        return args, None
    words = args[1:].split(maxsplit=2)
    at = service.parse_local_time(" ".join(words[:2]), ZoneInfo(ctx.config.timezone))
    if at is None:
        raise UserError(t("broadcast.bad_time", value=" ".join(words[:2])))
    if at <= ctx.now:
        raise UserError(t("broadcast.past"))
    return (words[2] if len(words) > 2 else ""), at


async def _preview(ctx: Context, draft: Broadcast) -> Reply:
    people = await service.audience(ctx.session, broadcast=draft)
    reachable = await service.reachable_count(ctx.session, people=people, now=ctx.now)
    text = t(
        "broadcast.preview",
        id=draft.id,
        text=draft.text,
        targets=await _targets(ctx, draft),
        total=len(people),
        reachable=reachable,
    )
    tz = ZoneInfo(ctx.config.timezone)
    notes = await service.warnings(
        ctx.session,
        reachable=reachable,
        at=draft.scheduled_at,
        now=ctx.now,
        quiet=ctx.config.quiet_hours,
        tz=tz,
    )
    text = "\n".join([text, *notes])
    key = f"bc:{draft.id}"
    send = (
        t("broadcast.button_schedule", when=_local(ctx, draft.scheduled_at))
        if draft.scheduled_at
        else t("broadcast.button_send")
    )
    buttons = (
        (Button(send, f"{key}:send"),),
        (
            Button(t("broadcast.button_units"), f"{key}:units"),
            Button(t("broadcast.button_roles"), f"{key}:roles"),
        ),
        (Button(t("broadcast.button_cancel"), f"{key}:cancel"),),
    )
    return Reply(text, buttons=buttons)


async def _targets(ctx: Context, draft: Broadcast) -> str:
    parts = []
    if draft.unit_ids:
        parts.append(", ".join(await org.unit_paths(ctx.session, unit_ids=draft.unit_ids)))
    if draft.roles:
        parts.append(", ".join(ROLE_LABELS[Role(r)] for r in draft.roles))
    if parts:
        return "; ".join(parts)
    own = ctx.person is not None and ctx.person.role == Role.MANAGER
    return t("broadcast.target_own" if own else "broadcast.target_all")


def _local(ctx: Context, moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(ZoneInfo(ctx.config.timezone)).strftime("%d/%m/%Y %H:%M")


async def button(ctx: Context) -> list[Reply]:
    """'bc:<id>:send|units|roles|done|cancel|u:<unit>|r:<role>'."""
    author = _author(ctx)
    parts = ctx.incoming.payload.split(":")
    draft_id = parse_int(parts[1]) if parts[1:2] else None
    draft = await ctx.session.get(Broadcast, draft_id) if draft_id is not None else None
    if (
        draft is None
        or len(parts) < 3
        or (draft.author_id != author.id and author.role != Role.ADMIN)
    ):
        raise UserError(t("error.unknown_button"))
    action = parts[2]
    if action == "send":
        return [await _send(ctx, draft)]
    if action == "cancel":
        stopped = await service.cancel(ctx.session, broadcast_id=draft.id, now=ctx.now)
        return [Reply(t("broadcast.cancelled", id=draft.id, count=stopped))]
    if action in ("u", "r") and len(parts) == 4:
        await _toggle(ctx, author, draft, action, parts[3])
        action = "units" if action == "u" else "roles"
    if action == "units":
        return [await _unit_menu(ctx, draft, author)]
    if action == "roles":
        return [_role_menu(draft)]
    if action == "done":
        return [await _preview(ctx, draft)]
    raise UserError(t("error.unknown_button"))


async def _send(ctx: Context, draft: Broadcast) -> Reply:
    if draft.scheduled_at is not None:
        await service.schedule(ctx.session, broadcast=draft, at=draft.scheduled_at, now=ctx.now)
        return Reply(t("broadcast.scheduled", id=draft.id, when=_local(ctx, draft.scheduled_at)))
    count = await service.start(ctx.session, broadcast=draft, now=ctx.now)
    return Reply(t("broadcast.started" if count else "broadcast.nobody", id=draft.id, count=count))


async def _toggle(ctx: Context, author: Person, draft: Broadcast, kind: str, value: str) -> None:
    """Add or remove one target; a unit outside the author's scope is refused."""
    if kind == "u":
        unit_id = parse_int(value)
        unit = await ctx.session.get(Unit, unit_id) if unit_id is not None else None
        if unit is None or not org.can_manage(author, unit):
            raise UserError(t("error.forbidden"))
        draft.unit_ids = sorted(set(draft.unit_ids) ^ {unit.id})
    elif value in {r.value for r in Role}:
        draft.roles = sorted(set(draft.roles) ^ {value})


async def _unit_menu(ctx: Context, draft: Broadcast, author: Person) -> Reply:
    """The units the author may target: their scope's top units and the level below."""
    units: list[Unit] = []
    for root in await org.managed_roots(ctx.session, viewer=author):
        units.append(root)
        units += await org.children(ctx.session, unit=root)
    rows = tuple(
        (Button(("✓ " if u.id in draft.unit_ids else "") + u.path, f"bc:{draft.id}:u:{u.id}"),)
        for u in units[:MAX_UNIT_BUTTONS]
    )
    done = ((Button(t("broadcast.button_done"), f"bc:{draft.id}:done"),),)
    return Reply(t("broadcast.choose_units"), buttons=rows + done)


def _role_menu(draft: Broadcast) -> Reply:
    rows = tuple(
        (
            Button(
                ("✓ " if r.value in draft.roles else "") + ROLE_LABELS[r],
                f"bc:{draft.id}:r:{r.value}",
            ),
        )
        for r in Role
    )
    done = ((Button(t("broadcast.button_done"), f"bc:{draft.id}:done"),),)
    return Reply(t("broadcast.choose_roles"), buttons=rows + done)


async def read(ctx: Context) -> list[Reply]:
    """'Đã đọc' under an announcement."""
    first = await service.mark_read(
        ctx.session, payload=ctx.incoming.payload, person_id=ctx.me.id, now=ctx.now
    )
    return [Reply(t("broadcast.read_thanks" if first else "broadcast.read_again"))]


async def cancel(ctx: Context) -> list[Reply]:
    """`/thongbao_huy ID`."""
    _author(ctx)
    number = parse_int(ctx.incoming.args.strip())
    if number is None:
        raise UserError(t("help.thongbao_huy"))
    broadcast = await _latest(ctx, number)  # a manager may cancel only their own
    stopped = await service.cancel(ctx.session, broadcast_id=broadcast.id, now=ctx.now)
    return [Reply(t("broadcast.cancelled", id=number, count=stopped))]


async def results(ctx: Context) -> list[Reply]:
    """`/thongbao_ketqua [ID] [xlsx]`: delivery and read rates per unit."""
    _author(ctx)
    words = ctx.incoming.args.split()
    number = next((n for n in map(parse_int, words) if n is not None), None)
    broadcast = await _latest(ctx, number)
    lines = await broadcast_report.result_lines(ctx.session, broadcast=broadcast)
    replies = [Reply("\n".join(lines))]
    if "xlsx" in (w.lower() for w in words):
        tz = ZoneInfo(ctx.config.timezone)
        data = await broadcast_report.export_bytes(ctx.session, broadcast_id=broadcast.id, tz=tz)
        caption = t("broadcast.xlsx_caption", id=broadcast.id)
        replies.append(Reply(document=Attachment(f"thong-bao-{broadcast.id}.xlsx", data, caption)))
    return replies


async def _latest(ctx: Context, number: int | None) -> Broadcast:
    found = await service.latest_visible(ctx.session, viewer=ctx.me, number=number)
    if found is None:
        raise UserError(t("broadcast.unknown", id=number) if number else t("broadcast.none"))
    return found
