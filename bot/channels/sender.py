"""The paced sender: drains one channel's outbox through its transport.

One worker per chat keeps each chat's messages in order; many chats are served at once
within the global rate. A retry_after pauses every send; a blocked recipient is marked;
a moved chat is followed; network failures are retried with backoff and never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.delivery import (
    ChatMoved,
    Deferred,
    OutsideWindow,
    PermanentFailure,
    RecipientBlocked,
    RetryAfter,
    SendResult,
    TemporaryFailure,
    Transport,
)
from bot.channels.pacing import Pacer
from bot.core import outbox
from bot.core.messages import reply_from_dict
from bot.db.models import Outbox, OutboxStatus

log = logging.getLogger(__name__)

BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0)
REQUEUE_AFTER = timedelta(seconds=60)


class Sender:
    """Drains pending outbox rows of `transport.channel`."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport,
        pacer: Pacer,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        window: int = 200,
        idle_poll: float = 1.0,
        backoff: tuple[float, ...] = BACKOFF,
        requeue_after: timedelta = REQUEUE_AFTER,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._transport = transport
        self._pacer = pacer
        self._clock = clock
        self._window = window
        self._idle_poll = idle_poll
        self._backoff = backoff
        self._requeue_after = requeue_after
        self._queues: dict[str, deque[Outbox]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._stopping = False

    @property
    def channel(self) -> str:
        return self._transport.channel

    def wake(self) -> None:
        """New rows were committed: look now rather than at the next poll."""
        self._wake.set()

    async def recover(self) -> int:
        """Rows left 'sending' by a crash go back to pending (each may repeat once)."""
        async with self._sessionmaker() as session, session.begin():
            stale = await outbox.release_stale(session, channel=self.channel)
        if stale:
            log.warning(
                "%s: %d messages interrupted by a restart will be resent", self.channel, stale
            )
        return stale

    async def run(self) -> None:
        """Until stop(): claim due rows and hand them to chat workers."""
        self._stopping = False  # a process that regains the role runs again
        recovered, failures = False, 0
        while not self._stopping:
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                claimed = await self._claim_batch()
                failures = 0
            except Exception:
                # The database restarting or unreachable must not end the sender.
                pause = self._backoff[min(failures, len(self._backoff) - 1)]
                log.exception("%s: cannot read the outbox; again in %.0fs", self.channel, pause)
                failures += 1
                await asyncio.sleep(pause)
                continue
            if not claimed:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle_poll)

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming; give workers `grace` seconds, then cancel them.

        A cancelled worker leaves its rows 'sending'; the next start releases them.
        """
        self._stopping = True
        self._wake.set()
        workers = list(self._workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def drain(self) -> None:
        """Send everything due now, then return (for the CLI and tests)."""
        while await self._claim_batch() or self._workers:
            if self._workers:
                await asyncio.wait(list(self._workers.values()))

    async def pending(self) -> int:
        """How many rows still wait to be sent."""
        async with self._sessionmaker() as session:
            query = select(func.count()).where(
                Outbox.channel == self.channel, Outbox.status == OutboxStatus.PENDING
            )
            return (await session.execute(query)).scalar_one()

    async def _claim_batch(self) -> int:
        room = self._window - sum(len(q) for q in self._queues.values())
        if room <= 0:
            await asyncio.sleep(0.05)
            return 0
        async with self._sessionmaker() as session, session.begin():
            rows = await outbox.claim(session, channel=self.channel, now=self._clock(), limit=room)
        for row in rows:
            self._queues.setdefault(row.chat_id, deque()).append(row)
            if row.chat_id not in self._workers:
                self._workers[row.chat_id] = asyncio.create_task(self._work(row.chat_id))
        return len(rows)

    async def _work(self, chat_id: str) -> None:
        """Send one chat's rows in order."""
        queue = self._queues[chat_id]
        try:
            while queue:
                row = queue[0]
                if not await self._deliver(row):
                    await self._requeue(list(queue))
                    queue.clear()
                    break
                queue.popleft()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: worker for a chat crashed; its rows are requeued", self.channel)
            await self._requeue(list(queue))
        finally:
            self._queues.pop(chat_id, None)
            self._workers.pop(chat_id, None)

    async def _deliver(self, row: Outbox) -> bool:
        """Send every part of one row; False means 'give up for now, keep the order'."""
        reply = reply_from_dict(row.payload)
        result = SendResult()
        parts = self._transport.parts(reply)
        index, failures = 0, 0
        while index < len(parts):
            if self._transport.is_message(parts[index]):
                await self._pacer.wait(row.chat_id, group=self._transport.is_group(row.chat_id))
            try:
                sent = await self._transport.send_part(row.chat_id, parts[index])
            except RetryAfter as exc:
                log.warning("%s: flood control, pausing all sends %.1fs", self.channel, exc.seconds)
                self._pacer.pause(exc.seconds)
                continue
            except ChatMoved as exc:
                await self._move(row, exc.new_chat_id)
                continue
            except RecipientBlocked:
                await self._blocked(row)
                return True
            except Deferred as exc:
                log.info("%s: message %d %s", self.channel, row.id, exc)
                await self._db(
                    outbox.mark_retry, row_id=row.id, not_before=exc.until, error=str(exc)
                )
                return True
            except OutsideWindow as exc:
                # Expected on a channel with a reply window: never retried, not an error.
                log.warning("%s: message %d not sent: %s", self.channel, row.id, exc)
                await self._db(outbox.mark_failed, row_id=row.id, error=str(exc))
                await self._db(
                    outbox.mark_window_closed,
                    channel=self.channel,
                    chat_id=row.chat_id,
                    now=self._clock(),
                )
                return True
            except PermanentFailure as exc:
                log.error("%s: message %d rejected: %s", self.channel, row.id, exc)
                await self._db(outbox.mark_failed, row_id=row.id, error=str(exc))
                return True
            except TemporaryFailure as exc:
                failures += 1
                if failures > len(self._backoff):
                    log.warning("%s: still failing (%s); retrying later", self.channel, exc)
                    return False
                await asyncio.sleep(self._backoff[failures - 1])
                continue
            result = SendResult(
                sent.message_id or result.message_id, sent.poll_id or result.poll_id
            )
            index += 1
        await self._db(
            outbox.mark_sent,
            row_id=row.id,
            now=self._clock(),
            message_id=result.message_id,
            poll_id=result.poll_id,
        )
        return True

    async def _db(self, operation: Callable[..., Awaitable[object]], **kwargs: object) -> None:
        """Run one outbox operation in its own short transaction."""
        async with self._sessionmaker() as session, session.begin():
            await operation(session, **kwargs)

    async def _move(self, row: Outbox, new_chat_id: str) -> None:
        log.info("%s: chat %s moved to %s", self.channel, row.chat_id, new_chat_id)
        await self._db(outbox.move_chat, channel=self.channel, old=row.chat_id, new=new_chat_id)
        row.chat_id = new_chat_id

    async def _blocked(self, row: Outbox) -> None:
        log.info("%s: chat %s blocked the bot", self.channel, row.chat_id)
        await self._db(
            outbox.mark_failed,
            row_id=row.id,
            error="recipient blocked the bot",
            status=OutboxStatus.BLOCKED,
        )
        await self._db(outbox.mark_chat_blocked, channel=self.channel, chat_id=row.chat_id)
        queue = self._queues.get(row.chat_id)
        if queue is not None:
            # Later rows of this chat were already claimed: they cannot be delivered either.
            for later in list(queue)[1:]:
                await self._db(
                    outbox.mark_failed,
                    row_id=later.id,
                    error="recipient blocked the bot",
                    status=OutboxStatus.BLOCKED,
                )
            while len(queue) > 1:
                queue.pop()

    async def _requeue(self, rows: list[Outbox]) -> None:
        """Put rows back to pending for a later attempt, keeping their order by id."""
        later = self._clock() + self._requeue_after
        for row in rows:
            await self._db(outbox.mark_retry, row_id=row.id, not_before=later, error="requeued")
