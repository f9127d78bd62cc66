"""Questions in chat: the real router, a linked person, the plans of their unit."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from bot.core.messages import Kind
from bot.core.router import BotConfig, Router
from bot.core.texts import t
from bot.services.plans.llm import rephraser_from
from bot.services.plans.store import import_file
from handlers import ROUTES
from tests.harness import Chat, linked_chat, load_roster, make_router, shipped_content

PLANS = Path(__file__).resolve().parents[1] / "content" / "plans"


async def _setup(sessionmaker, clock, tmp_path, router=None):
    await load_roster(sessionmaker, clock, tmp_path)
    async with sessionmaker() as session, session.begin():
        for name, unit in (("so-tttt-2023.txt", "Sở A"), ("so-ngoai-vu-2024.txt", "Sở A/Phòng 2")):
            await import_file(session, path=PLANS / name, unit_path=unit, now=clock())
    return router or make_router(sessionmaker, clock)


async def test_each_person_is_answered_from_the_plan_of_their_nearest_unit(
    sessionmaker, clock, tmp_path
):
    router = await _setup(sessionmaker, clock, tmp_path)
    in_phong_2 = await linked_chat(router, sessionmaker, clock, "NV3")
    in_to_1 = await linked_chat(router, sessionmaker, clock, "NV1")

    deadline = await in_phong_2.say("han chot thuc hien phong trao la ngay nao")
    year = await in_to_1.say("ke hoach den khi nao")

    assert "14/12/2024" in deadline
    assert "Nguồn: Kế hoạch “Phát động phong trào thi đua" in deadline
    assert deadline.rstrip().endswith("Mục III.1.")
    assert "năm 2023" in year and "Tên văn bản" in year
    assert "14/12/2024" not in year


async def test_a_unit_with_its_own_plan_still_gets_answers_from_its_parents_plan(
    sessionmaker, clock, tmp_path
):
    router = await _setup(sessionmaker, clock, tmp_path)
    in_phong_2 = await linked_chat(router, sessionmaker, clock, "NV3")

    parent = await in_phong_2.say("phong thong tin bao chi xuat ban co nhiem vu gi")
    own = await in_phong_2.say("ai ky ke hoach")
    named = await in_phong_2.say("ai ký kế hoạch của Sở Thông tin và Truyền thông")

    assert "ban hành văn bản chỉ đạo" in parent
    assert "Nguồn: Kế hoạch “Tổ chức, thực hiện phong trào thi đua" in parent
    assert "Phạm Thị Anh Thư" in own and "Nguồn: Kế hoạch “Phát động phong trào" in own
    assert "Nguyễn Thanh Luân" in named


async def test_an_unsure_question_offers_buttons_that_answer_when_pressed(
    sessionmaker, clock, tmp_path
):
    router = await _setup(sessionmaker, clock, tmp_path)
    chat = await linked_chat(router, sessionmaker, clock, "NV3")

    text = await chat.say("khen thuong bao nhieu tien")
    buttons = chat.last[0].flat_buttons

    assert text.startswith("Chưa chắc đã hiểu đúng câu hỏi. Có phải ý anh/chị là:")
    assert "Nguồn:" in text  # the best guess is quoted and cited
    assert buttons and all(b.data.startswith("qa:") for b in buttons)
    assert all(len(b.data.encode()) <= 64 and len(b.label) <= 60 for b in buttons)
    pressed = await router.handle(chat.incoming(Kind.BUTTON, payload=buttons[0].data))
    assert "Nguồn:" in pressed[0].text


async def test_a_stale_or_foreign_button_is_refused_politely(sessionmaker, clock, tmp_path):
    router = await _setup(sessionmaker, clock, tmp_path)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    for payload in ("qa:p:999:0", "qa:p:2:0", "qa:l:khong-co", "qa:rác"):
        replies = await router.handle(chat.incoming(Kind.BUTTON, payload=payload))
        assert replies[0].text == t("qa.expired")


async def test_what_the_plan_does_not_say_is_said_plainly(sessionmaker, clock, tmp_path):
    router = await _setup(sessionmaker, clock, tmp_path)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    assert await chat.say("Kinh phí thực hiện kế hoạch là bao nhiêu?") == t("qa.not_found")


async def test_bad_input_gets_a_clear_vietnamese_answer(sessionmaker, clock, tmp_path):
    router = await _setup(sessionmaker, clock, tmp_path)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")
    huge = "ke hoach den khi nao " * 500  # 10,500 characters

    replies = {
        "empty": await chat.say(""),
        "spaces": await chat.say("   \n\t "),
        "html": await chat.say("<b>xin chào</b><script>alert(1)</script>"),
        "emoji": await chat.say("🚦🚦🚗💨"),
        "punctuation": await chat.say("?!?..."),
        "number": await chat.say("2"),
        "huge": await chat.say(huge),
        "hello": await chat.say("Xin chào"),
        "thanks": await chat.say("cảm ơn!"),
    }

    assert replies["empty"] == replies["spaces"] == t("qa.empty")
    assert replies["emoji"] == replies["punctuation"] == t("qa.not_understood")
    assert replies["number"] == t("qa.not_understood")
    assert replies["html"] == replies["hello"] == t("qa.greeting", name="Nhân Viên Một")
    assert replies["thanks"] == t("qa.thanks")
    assert replies["huge"].startswith(t("qa.too_long", count=500))
    assert "năm 2023" in replies["huge"]
    assert t("error.apology") not in replies.values()


async def test_unlinked_people_are_still_asked_for_their_invite_code(sessionmaker, clock, tmp_path):
    router = await _setup(sessionmaker, clock, tmp_path)

    reply = await Chat(router, user_id="stranger").say("ke hoach den khi nao")

    assert "Nguồn:" not in reply


def _llm_router(sessionmaker, clock, handler) -> Router:
    rephrase = rephraser_from(
        "http://llm.test/v1", "test-model", None, transport=httpx.MockTransport(handler)
    )
    config = BotConfig(bot_username="atgt_test_bot", rephrase=rephrase)
    return Router(sessionmaker, ROUTES, config, clock, content=shipped_content())


async def test_an_llm_may_reword_the_answer_but_the_citation_stays(sessionmaker, clock, tmp_path):
    seen = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        reply = "Phong trào kéo dài đến hết ngày 14/12/2024 bạn nhé."
        return httpx.Response(200, json={"choices": [{"message": {"content": reply}}]})

    router = await _setup(sessionmaker, clock, tmp_path, _llm_router(sessionmaker, clock, server))
    chat = await linked_chat(router, sessionmaker, clock, "NV3")

    text = await chat.say("han chot thuc hien phong trao la ngay nao")

    assert text.startswith("Phong trào kéo dài đến hết ngày 14/12/2024 bạn nhé.")
    assert "Nguồn: Kế hoạch “Phát động" in text and "Mục III.1" in text
    assert "14/12/2024" in seen[0]["messages"][1]["content"]


async def test_a_failing_llm_leaves_the_extractive_answer(sessionmaker, clock, tmp_path):
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="overloaded")

    router = await _setup(sessionmaker, clock, tmp_path, _llm_router(sessionmaker, clock, server))
    chat = await linked_chat(router, sessionmaker, clock, "NV3")

    text = await chat.say("han chot thuc hien phong trao la ngay nao")

    assert text.startswith("Phong trào thi đua được triển khai thực hiện đến hết ngày 14/12/2024.")
