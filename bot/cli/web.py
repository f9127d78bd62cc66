"""`atgt web keys`: the VAPID key pair Web Push notifications are signed with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.web_push import PushKeys
from bot.cli.common import in_session, out, settings
from bot.core.texts import t
from bot.services import web_push_store

web_app = typer.Typer(help="Kênh web (trình duyệt).", no_args_is_help=True)


@web_app.command("keys")
def keys(
    replace: Annotated[bool, typer.Option(help="Tạo khóa mới thay khóa cũ.")] = False,
) -> None:
    """Tạo khóa Web Push (VAPID) để gửi thông báo tới trình duyệt."""
    config = settings()
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> str:
        stored = await web_push_store.keys(session)
        if stored is not None and not replace:
            day = stored.created_at.astimezone(config.tz).strftime("%d/%m/%Y")
            return t("cli.web_keys_exist", date=day)
        made = PushKeys.generate()
        await web_push_store.store_keys(
            session, private_pem=made.private_pem, public_key=made.public_key, now=now
        )
        return t("cli.web_keys_made", public=made.public_key)

    out.print(in_session(work), markup=False)
