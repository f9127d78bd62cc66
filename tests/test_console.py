"""The console channel: numbered buttons and quiz options pressed by typing the number."""

from __future__ import annotations

import io

from bot.channels.console import ConsoleChannel
from bot.core.messages import Button, Incoming, Kind, Quiz, Reply


class Recorder:
    """Stands in for the router: records what the channel produced, answers scripted replies."""

    def __init__(self, answers: list[list[Reply]]) -> None:
        self.answers = answers
        self.seen: list[Incoming] = []

    async def __call__(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return self.answers.pop(0) if self.answers else []


async def test_buttons_and_quiz_are_numbered_and_pressed_by_number():
    menu = Reply("Chọn:", buttons=((Button("Có", "ck:yes"), Button("Không", "ck:no")),))
    quiz = Reply(quiz=Quiz("Mũ bảo hiểm?", ("Không cần", "Phải đội"), 1, ref="q-1"))
    recorder = Recorder([[menu], [], [quiz], []])
    stdin = io.StringIO("/menu@bot arg\n2\nhello\n2\n")
    stdout = io.StringIO()

    await ConsoleChannel(recorder, stdin=stdin, stdout=stdout).run()

    kinds = [(i.kind, i.command or i.payload or i.text or i.poll_id) for i in recorder.seen]
    assert kinds == [
        (Kind.COMMAND, "menu"),
        (Kind.BUTTON, "ck:no"),
        (Kind.TEXT, "hello"),
        (Kind.POLL_ANSWER, "q-1"),
    ]
    assert recorder.seen[0].args == "arg"
    assert recorder.seen[3].option_ids == (1,)
    assert len({i.event_id for i in recorder.seen}) == 4
    printed = stdout.getvalue()
    assert "  1. Có\n  2. Không\n(gõ số để chọn)" in printed
    assert "Mũ bảo hiểm?\n  1. Không cần\n  2. Phải đội" in printed


async def test_number_without_options_is_plain_text():
    recorder = Recorder([])
    await ConsoleChannel(recorder, stdin=io.StringIO("3\n\n"), stdout=io.StringIO()).run()
    assert [(i.kind, i.text) for i in recorder.seen] == [(Kind.TEXT, "3")]
