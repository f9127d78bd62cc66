"""The console channel: the bot in a terminal, one message per line.

Buttons and quiz options are printed numbered and pressed by typing the number,
as a channel without buttons (Zalo Bot) would present them.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TextIO

from bot.core.messages import Incoming, Kind, Reply, split_command
from bot.core.texts import t

CHANNEL = "console"
Handle = Callable[[Incoming], Awaitable[list[Reply]]]


class ConsoleChannel:
    """Reads lines from `stdin`, sends each through the router, prints the replies."""

    def __init__(
        self, handle: Handle, *, stdin: TextIO, stdout: TextIO, user_id: str = "console"
    ) -> None:
        self._handle = handle
        self._stdin = stdin
        self._stdout = stdout
        self.user_id = user_id
        self._session = uuid.uuid4().hex[:8]
        self._count = 0
        self._choices: list[Incoming] = []

    async def run(self) -> None:
        """Loop until end of input; echo input when it is piped, so transcripts read well."""
        interactive = self._stdin.isatty()
        while True:
            if interactive:
                self._write("> ", end="")
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                return
            line = line.rstrip("\n")
            if not interactive:
                self._write(f"> {line}")
            if line.strip():
                await self.say(line)

    async def say(self, line: str) -> list[Reply]:
        """Send one typed line and print what comes back."""
        replies = await self._handle(self.to_incoming(line))
        for reply in replies:
            self._write(self.render(reply))
        if replies:
            self._choices = self._choices_of(replies[-1])
        return replies

    def to_incoming(self, line: str) -> Incoming:
        """A typed number picks an offered option; `/x` is a command; else text."""
        self._count += 1
        base = {
            "channel": CHANNEL,
            "event_id": f"{self._session}-{self._count}",
            "user_id": self.user_id,
            "chat_id": self.user_id,
            "received_at": datetime.now(UTC),
        }
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self._choices):
            choice = self._choices[int(text) - 1]
            return Incoming(
                **base,
                kind=choice.kind,
                payload=choice.payload,
                poll_id=choice.poll_id,
                option_ids=choice.option_ids,
            )
        command = split_command(text)
        if command:
            return Incoming(
                **base, kind=Kind.COMMAND, text=text, command=command[0], args=command[1]
            )
        return Incoming(**base, kind=Kind.TEXT, text=text)

    @staticmethod
    def render(reply: Reply) -> str:
        """Plain text with numbered options."""
        parts = [reply.text] if reply.text else []
        if reply.quiz:
            parts.append(reply.quiz.question)
            parts += [f"  {i}. {option}" for i, option in enumerate(reply.quiz.options, 1)]
        parts += [f"  {i}. {b.label}" for i, b in enumerate(reply.flat_buttons, 1)]
        for attachment in (reply.image, reply.document):
            if attachment:
                parts.append(f"[tệp: {attachment.filename}] {attachment.caption}".rstrip())
        if reply.quiz or reply.buttons:
            parts.append(t("console.buttons_hint"))
        return "\n".join(parts)

    @staticmethod
    def _choices_of(reply: Reply) -> list[Incoming]:
        """Templates of the events each number stands for."""
        now = datetime.now(UTC)
        stub = {
            "channel": CHANNEL,
            "event_id": "",
            "user_id": "",
            "chat_id": "",
            "received_at": now,
        }
        if reply.quiz:
            return [
                Incoming(**stub, kind=Kind.POLL_ANSWER, poll_id=reply.quiz.ref, option_ids=(i,))
                for i in range(len(reply.quiz.options))
            ]
        return [Incoming(**stub, kind=Kind.BUTTON, payload=b.data) for b in reply.flat_buttons]

    def _write(self, text: str, end: str = "\n") -> None:
        self._stdout.write(text + end)
        self._stdout.flush()
