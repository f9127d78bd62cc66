"""Manager and admin views of their staff: who has joined, and invites from chat."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import UserError
from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.db.models import AccountStatus, Person
from bot.services import invites, org

NAMES_SHOWN = 30


async def people(ctx: Context) -> list[Reply]:
    """`/nhansu`: per managed unit, head count, who joined, and names of who has not."""
    viewer = _viewer(ctx)
    lines: list[str] = []
    for unit in await org.managed_roots(ctx.session, viewer=viewer):
        staff = await org.people_in(ctx.session, unit=unit)
        missing = [p.full_name for p in staff if not _joined(p)]
        lines.append(
            t("people.summary", unit=unit.path, total=len(staff), joined=len(staff) - len(missing))
        )
        lines.append(_missing_line(missing))
    return [Reply("\n".join(lines))]


def _joined(person: Person) -> bool:
    return any(a.status == AccountStatus.ACTIVE for a in person.accounts)


def _missing_line(names: list[str]) -> str:
    """Named list of who has not joined, capped so the message stays readable."""
    if not names:
        return t("people.all_joined")
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown = t("people.more", names=shown, rest=len(names) - NAMES_SHOWN)
    return t("people.missing", count=len(names), names=shown)


async def invite(ctx: Context) -> list[Reply]:
    """`/moi CODE`: a one-time invite; the invites service decides whom the sender may invite."""
    viewer = _viewer(ctx)
    code = ctx.incoming.args.strip()
    if not code:
        raise UserError(t("invite.usage"))
    if ctx.incoming.group:
        # Everyone in a group would see a code that links an account to this person.
        raise UserError(t("invite.private_only"))
    person = await org.find_person(ctx.session, code=code)
    if person is None:
        raise UserError(t("invite.person_unknown", code=code))
    ttl = timedelta(days=ctx.config.invite_ttl_days)
    try:
        secret = await invites.create_invite(
            ctx.session, person=person, now=ctx.now, ttl=ttl, issued_by=viewer
        )
    except invites.InviteRefused as refused:
        raise UserError(refused.message) from None
    expires = (ctx.now + ttl).astimezone(ZoneInfo(ctx.config.timezone)).strftime("%d/%m/%Y")
    lines = [t("invite.created", name=person.full_name, code=code, invite=secret, expires=expires)]
    link = invites.deep_link(ctx.config.bot_username, secret)
    if link:
        lines.append(t("invite.link", link=link))
    if person.accounts:
        lines.append(t("invite.relink_warning", name=person.full_name))
    return [Reply("\n".join(lines))]


def _viewer(ctx: Context) -> Person:
    person = ctx.me
    return person
