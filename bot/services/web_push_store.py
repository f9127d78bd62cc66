"""Web Push records: the server's VAPID keys and the browsers' subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ChannelAccount, WebPushKey, WebPushSubscription

CHANNEL = "web"


@dataclass(frozen=True, slots=True)
class Subscription:
    """What a push needs: where, and the browser's keys."""

    id: int
    endpoint: str
    p256dh: str
    auth: str


async def keys(session: AsyncSession) -> WebPushKey | None:
    """The stored VAPID key pair, if `atgt web keys` has made one."""
    return (await session.execute(select(WebPushKey).order_by(WebPushKey.id))).scalars().first()


async def store_keys(
    session: AsyncSession, *, private_pem: str, public_key: str, now: datetime
) -> None:
    """Keep a new key pair; subscriptions made for the old one can no longer be used."""
    await session.execute(delete(WebPushSubscription))
    await session.execute(delete(WebPushKey))
    session.add(WebPushKey(private_pem=private_pem, public_key=public_key, created_at=now))


async def subscribe(
    session: AsyncSession,
    *,
    session_id: int,
    account_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    now: datetime,
) -> None:
    """Bind a browser's subscription to its session (a resubscription replaces it)."""
    await session.execute(
        delete(WebPushSubscription).where(WebPushSubscription.endpoint == endpoint)
    )
    session.add(
        WebPushSubscription(
            session_id=session_id,
            account_id=account_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            created_at=now,
        )
    )


async def unsubscribe(session: AsyncSession, *, account_id: int, endpoint: str) -> None:
    """The browser turned notifications off."""
    await session.execute(
        delete(WebPushSubscription).where(
            WebPushSubscription.account_id == account_id,
            WebPushSubscription.endpoint == endpoint,
        )
    )


async def for_chat(session: AsyncSession, *, chat_id: str) -> list[Subscription]:
    """Every subscription of the web account with this chat id."""
    query = (
        select(
            WebPushSubscription.id,
            WebPushSubscription.endpoint,
            WebPushSubscription.p256dh,
            WebPushSubscription.auth,
        )
        .join(ChannelAccount, ChannelAccount.id == WebPushSubscription.account_id)
        .where(ChannelAccount.channel == CHANNEL, ChannelAccount.chat_id == chat_id)
        .order_by(WebPushSubscription.id)
    )
    return [Subscription(*row) for row in await session.execute(query)]


async def drop(session: AsyncSession, *, subscription_id: int) -> None:
    """The push service says this subscription is gone."""
    await session.execute(
        delete(WebPushSubscription).where(WebPushSubscription.id == subscription_id)
    )
