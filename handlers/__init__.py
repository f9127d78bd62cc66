"""The explicit ROUTES list: every command, button and message kind the bot answers."""

from __future__ import annotations

from bot.core.messages import Kind
from bot.core.router import Route
from bot.db.models import Role
from handlers import demo, general, onboarding, people, quiz, reminders, schedules

ROUTES: list[Route] = [
    Route(Kind.COMMAND, "start", onboarding.start, audience="any", help_key="help.start"),
    Route(Kind.TEXT, "", onboarding.code_message, audience="unlinked"),
    Route(Kind.COMMAND, "help", general.help_, help_key="help.help"),
    Route(Kind.COMMAND, "me", general.me, help_key="help.me"),
    Route(Kind.COMMAND, "quiz", quiz.ask, help_key="help.quiz"),
    Route(Kind.POLL_ANSWER, "", quiz.answer),
    Route(Kind.COMMAND, "diem", quiz.my_score, help_key="help.diem"),
    Route(Kind.COMMAND, "bangxephang", quiz.board, help_key="help.bangxephang"),
    Route(Kind.BUTTON, "ack", reminders.acknowledge),
    Route(Kind.COMMAND, "nhansu", people.people, min_role=Role.MANAGER, help_key="help.nhansu"),
    Route(Kind.COMMAND, "moi", people.invite, min_role=Role.MANAGER, help_key="help.moi"),
    Route(Kind.COMMAND, "lich", schedules.manage, min_role=Role.ADMIN, help_key="help.lich"),
    Route(
        Kind.COMMAND,
        "as",
        demo.act_as,
        audience="any",
        help_key="help.as",
        channels=frozenset({"console"}),
    ),
]
