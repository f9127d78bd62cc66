"""Quiz flow through the router: one answer per question, spaced repetition, scores, ranks."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.messages import Kind
from bot.core.texts import t
from bot.db.models import QuizCard, QuizDelivery
from tests.harness import (
    RIGHT,
    WRONG,
    Chat,
    asks_quiz,
    contains,
    linked_chat,
    load_roster,
    make_router,
    shipped_content,
)


async def ask_quiz(chat):
    """Send /quiz; return (ref, quiz item)."""
    await chat.say("/quiz")
    (reply,) = chat.last
    assert reply.quiz is not None
    return reply.quiz.ref, reply.quiz


async def answer(chat, ref: str, option: int, event_id: str | None = None) -> str:
    incoming = chat.incoming(
        Kind.POLL_ANSWER, event_id=event_id, poll_id=ref, payload=ref, option_ids=(option,)
    )
    chat.last = await chat.router.handle(incoming)
    return "\n".join(r.text for r in chat.last)


async def test_answer_is_scored_with_explanation_and_legal_basis(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")

    def explained(chat: Chat) -> bool:
        """The answer names the right option's explanation and its legal basis."""
        item = next(q for q in shipped_content().quizzes if q.question == chat.quiz.question)
        return item.explanation in chat.text and f"Căn cứ: {item.citation}" in chat.text

    await chat.dialog(
        [
            ("/quiz", asks_quiz),
            (RIGHT, contains(t("quiz.right"), "Điểm của anh/chị: 1/1 câu đúng")),
            (RIGHT, t("quiz.already_answered")),
            ("/quiz", asks_quiz),
            (WRONG, contains("❌ Chưa đúng. Đáp án đúng:", "Điểm của anh/chị: 1/2 câu đúng")),
            ("/diem", contains("Đã trả lời: 2 câu, đúng 1 câu (50%)")),
        ]
    )
    await chat.dialog([("/quiz", asks_quiz), (RIGHT, explained)])


async def test_an_answer_is_recorded_once(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")
    ref, quiz = await ask_quiz(chat)

    first = await answer(chat, ref, quiz.correct, event_id="poll-1")
    redelivered = await answer(chat, ref, quiz.correct, event_id="poll-1")
    changed_mind = await answer(chat, ref, (quiz.correct + 1) % len(quiz.options))

    assert "Chính xác" in first
    assert redelivered == ""
    assert changed_mind == t("quiz.already_answered")
    async with sessionmaker() as session:
        rows = (await session.execute(select(QuizDelivery))).scalars().all()
    assert [(r.chosen, r.correct) for r in rows] == [(quiz.correct, True)]


async def test_nobody_answers_someone_elses_question(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    owner = await linked_chat(router, sessionmaker, clock, "NV1")
    other = await linked_chat(router, sessionmaker, clock, "NV2")
    ref, _ = await ask_quiz(owner)

    assert await answer(other, ref, 0) == t("quiz.unknown")
    assert await answer(other, "q999999", 0) == t("quiz.unknown")
    assert await answer(other, "garbage", 0) == t("quiz.unknown")


async def test_wrong_answers_come_back_and_right_ones_wait(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    chat = await linked_chat(make_router(sessionmaker, clock), sessionmaker, clock, "NV1")
    ref_wrong, quiz_wrong = await ask_quiz(chat)
    await answer(chat, ref_wrong, (quiz_wrong.correct + 1) % len(quiz_wrong.options))
    ref_right, quiz_right = await ask_quiz(chat)
    await answer(chat, ref_right, quiz_right.correct)

    clock.advance(hours=1)
    _, soon = await ask_quiz(chat)
    clock.advance(days=1)
    _, due = await ask_quiz(chat)

    assert soon.question not in (quiz_wrong.question, quiz_right.question)
    assert due.question == quiz_wrong.question  # the missed one is back after a day
    async with sessionmaker() as session:
        cards = {c.box for c in (await session.execute(select(QuizCard))).scalars()}
    assert cards == {0, 1}


async def test_streak_score_and_rank_in_unit(sessionmaker, clock, tmp_path):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    best = await linked_chat(router, sessionmaker, clock, "NV2")  # Sở A/Phòng 1
    second = await linked_chat(router, sessionmaker, clock, "QL1")  # Sở A/Phòng 1
    for _ in range(3):
        ref, quiz = await ask_quiz(best)
        await answer(best, ref, quiz.correct)
    ref, quiz = await ask_quiz(second)
    await answer(second, ref, (quiz.correct + 1) % len(quiz.options))

    card = await best.say("/diem")
    board = await second.say("/bangxephang")

    assert "Đã trả lời: 3 câu, đúng 3 câu (100%)" in card
    assert "Chuỗi đúng liên tiếp: 3 (cao nhất: 3)" in card
    assert "Xếp hạng trong Sở A/Phòng 1: 1/2" in card
    assert "1. Sở A/Phòng 1: 67% tham gia, 75% đúng (3 người)" in board
    assert "2. Sở A/Phòng 2: 0% tham gia" in board
    assert "1. Nhân Viên Hai: 3/3 câu đúng" in board


async def test_boards_count_every_answer_and_rank_only_those_who_answered(
    sessionmaker, clock, tmp_path
):
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    wrong = await linked_chat(router, sessionmaker, clock, "NV1")  # alone in Sở A/Phòng 1/Tổ 1
    right = await linked_chat(router, sessionmaker, clock, "NV2")  # Sở A/Phòng 1
    idle = await linked_chat(router, sessionmaker, clock, "QL1")  # Sở A/Phòng 1, never answers
    ref, quiz = await ask_quiz(wrong)
    await answer(wrong, ref, (quiz.correct + 1) % len(quiz.options))
    ref, quiz = await ask_quiz(right)
    await answer(right, ref, quiz.correct)

    own_board = await wrong.say("/bangxephang")
    board = await idle.say("/bangxephang")
    idle_card = await idle.say("/diem")
    right_card = await right.say("/diem")

    assert t("board.empty") not in own_board
    assert "1. Nhân Viên Một: 0/1 câu đúng" in own_board
    assert "1. Sở A/Phòng 1/Tổ 1: 100% tham gia, 0% đúng (1 người)" in own_board
    assert "2. Sở A/Phòng 2: 0% tham gia, — đúng (2 người)" in board
    assert "1. Nhân Viên Hai: 1/1 câu đúng" in board
    assert "Trưởng Phòng Một" not in board  # no answers, not on the board
    assert "Đã trả lời: 0 câu" in idle_card
    assert "Xếp hạng trong Sở A/Phòng 1: chưa xếp hạng" in idle_card
    assert "2/2" not in idle_card
    assert "Xếp hạng trong Sở A/Phòng 1: 1/2" in right_card
