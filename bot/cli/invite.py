"""`atgt invite create`: one-time codes for one person or a whole unit (mail-merge .xlsx)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import err, in_session, out, settings
from bot.core.texts import t
from bot.services import bot_state, invites, org, reach
from bot.services.exports import Picture, Sheet, workbook_bytes
from bot.settings import Settings

invite_app = typer.Typer(help="Mã mời tham gia bot.", no_args_is_help=True)


@invite_app.command("create")
def invite_create(
    person: Annotated[str | None, typer.Option(help="Mã nhân viên.")] = None,
    unit: Annotated[str | None, typer.Option(help="Đơn vị (cả đơn vị con).")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Tệp .xlsx để trộn thư.")] = None,
    include_linked: Annotated[bool, typer.Option(help="Tạo cả cho người đã liên kết bot.")] = False,
) -> None:
    """Tạo mã mời dùng một lần, cho một người hoặc cả đơn vị."""
    config = settings()
    ttl = timedelta(days=config.invite_ttl_days)
    if person:
        _invite_person(config, person, ttl)
    elif unit and xlsx:
        _invite_unit(config, unit, xlsx, ttl, include_linked)
    else:
        err.print(t("cli.invite_need_xlsx" if unit else "cli.invite_need_target"))
        raise typer.Exit(2)


def _invite_person(config: Settings, code: str, ttl: timedelta) -> None:
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> tuple[str, str, bool, str | None, int] | None:
        found = await org.find_person(session, code=code)
        if found is None:
            return None
        # The server's operator issues as an admin; a linked person is told (re-link).
        invite = await invites.create_invite(session, person=found, now=now, ttl=ttl)
        username = await bot_state.bot_username(session, config.telegram_bot_username)
        users = await reach.zalo_bot_users(session)
        return found.full_name, invite, bool(found.accounts), username, users

    created = in_session(work)
    if created is None:
        err.print(t("cli.person_unknown", code=code), markup=False)
        raise typer.Exit(1)
    name, invite, relink, username, users = created
    _zalo_bot_limit(config, users, 0 if relink else 1)
    expires = (now + ttl).astimezone(config.tz).strftime("%d/%m/%Y %H:%M")
    out.print(
        t("cli.invite_one", name=name, code=code, invite=invite, expires=expires), markup=False
    )
    link = invites.deep_link(username, invite)
    web = invites.web_link(config.web_url, invite)
    if link or not web:
        out.print(
            t("cli.invite_link", link=link) if link else t("cli.invite_no_link"), markup=False
        )
    if web:
        out.print(t("cli.invite_web_link", link=web), markup=False)
    if relink:
        out.print(t("invite.relink_warning", name=name), markup=False)


def _invite_unit(
    config: Settings, path: str, xlsx: Path, ttl: timedelta, include_linked: bool
) -> None:
    now = datetime.now(UTC)
    expires_at = (now + ttl).astimezone(config.tz).replace(tzinfo=None)
    expires = f"{expires_at:%H:%M %d/%m/%Y}"

    async def work(session: AsyncSession) -> tuple[list[list[object]], str | None, int]:
        found = await org.require_unit(session, path=path)
        rows = []
        username = await bot_state.bot_username(session, config.telegram_bot_username)
        for person in await org.people_in(session, unit=found):
            if person.accounts and not include_linked:
                continue
            code = await invites.create_invite(session, person=person, now=now, ttl=ttl)
            link = invites.deep_link(username, code) or ""
            web = invites.web_link(config.web_url, code) or ""
            message = t(
                "cli.invite_message" if link or web else "cli.invite_message_no_link",
                name=person.full_name,
                code=code,
                link=web or link,
                expires=expires,
            )
            rows.append(
                [
                    person.employee_code,
                    person.full_name,
                    person.unit.path,
                    person.phone or "",
                    code,
                    link,
                    web,
                    expires_at,
                    message,
                    # For printed slips: the phone's camera opens the link the message names.
                    Picture.qr(web or link) if web or link else None,
                ]
            )
        return rows, username, await reach.zalo_bot_users(session)

    rows, username, users = in_session(work)
    _zalo_bot_limit(config, users, len(rows))
    header = t("cli.invite_header").split("|")
    notes = [[t("cli.invite_note")]]
    if not username and not config.web_url:
        notes.insert(0, [t("cli.invite_no_link_bulk")])
        err.print(t("cli.invite_no_link_bulk"), markup=False)
    sheets = [
        Sheet(t("cli.invite_sheet"), header, rows),
        Sheet(t("cli.invite_notes_sheet"), [t("cli.invite_notes_sheet")], notes, filter=False),
    ]
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    xlsx.write_bytes(workbook_bytes(sheets))
    out.print(t("cli.invite_bulk", count=len(rows), path=path, out=xlsx), markup=False)


def _zalo_bot_limit(config: Settings, users: int, invited: int) -> None:
    """With the Zalo Bot on, say early that its free plan stops at 50 users."""
    if config.zalo_bot_token is not None and (note := reach.zalo_bot_limit(users, invited)):
        err.print(note, markup=False)
