"""The explicit ROUTES list: every command, button and message kind the bot answers."""

from __future__ import annotations

from bot.core.messages import Kind
from bot.core.router import Route
from bot.db.models import Role
from handlers import (
    broadcast,
    checkin,
    demo,
    general,
    onboarding,
    people,
    questions,
    quiz,
    reminders,
    report,
    schedules,
    unit_view,
)

ROUTES: list[Route] = [
    Route(Kind.COMMAND, "start", onboarding.start, audience="any", help_key="help.start"),
    Route(Kind.TEXT, "", onboarding.code_message, audience="unlinked"),
    Route(Kind.TEXT, "", questions.ask),
    Route(Kind.BUTTON, "qa", questions.choose),
    Route(Kind.COMMAND, "help", general.help_, help_key="help.help"),
    Route(Kind.COMMAND, "me", general.me, help_key="help.me"),
    Route(Kind.COMMAND, "quiz", quiz.ask, help_key="help.quiz"),
    Route(Kind.POLL_ANSWER, "", quiz.answer),
    Route(Kind.COMMAND, "diem", quiz.my_score, help_key="help.diem"),
    Route(Kind.COMMAND, "bangxephang", quiz.board, help_key="help.bangxephang"),
    Route(Kind.BUTTON, "ack", reminders.acknowledge),
    Route(Kind.COMMAND, "dangky", checkin.register, help_key="help.dangky"),
    Route(Kind.BUTTON, "reg", checkin.register),
    Route(Kind.COMMAND, "baocaotuan", checkin.weekly, help_key="help.baocaotuan"),
    Route(Kind.BUTTON, "ci", checkin.button),
    Route(Kind.COMMAND, "ghichu", checkin.note, help_key="help.ghichu"),
    Route(Kind.COMMAND, "vipham", checkin.violation, help_key="help.vipham"),
    Route(Kind.BUTTON, "vp", checkin.violation_button),
    Route(Kind.COMMAND, "lichsu", checkin.history, help_key="help.lichsu"),
    Route(Kind.COMMAND, "donvi", unit_view.unit_view, min_role=Role.MANAGER, help_key="help.donvi"),
    Route(Kind.COMMAND, "baocao", report.digest_, min_role=Role.MANAGER, help_key="help.baocao"),
    Route(Kind.COMMAND, "nhansu", people.people, min_role=Role.MANAGER, help_key="help.nhansu"),
    Route(Kind.COMMAND, "moi", people.invite, min_role=Role.MANAGER, help_key="help.moi"),
    Route(
        Kind.COMMAND,
        "thongbao",
        broadcast.compose,
        min_role=Role.MANAGER,
        help_key="help.thongbao",
        file_from=broadcast.may_attach,
        when=broadcast.available,
    ),
    Route(Kind.BUTTON, "bc", broadcast.button, min_role=Role.MANAGER, when=broadcast.available),
    Route(Kind.BUTTON, "rd", broadcast.read),
    Route(
        Kind.COMMAND,
        "thongbao_ketqua",
        broadcast.results,
        min_role=Role.MANAGER,
        help_key="help.thongbao_ketqua",
        when=broadcast.available,
    ),
    Route(
        Kind.COMMAND,
        "thongbao_huy",
        broadcast.cancel,
        min_role=Role.MANAGER,
        help_key="help.thongbao_huy",
        when=broadcast.available,
    ),
    Route(Kind.COMMAND, "lich", schedules.manage, min_role=Role.ADMIN, help_key="help.lich"),
    Route(
        Kind.COMMAND,
        "as",
        demo.act_as,
        audience="any",
        help_key="help.as",
        channels=frozenset({"console"}),
        when=demo.in_demo,
    ),
]
