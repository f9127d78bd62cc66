"""Questions about fines: answered from verified law items in force, or a plain refusal."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.content import load_content
from bot.core.texts import t
from bot.services import content_review, fines
from tests.harness import linked_chat, load_roster, make_router, shipped_content

DAY = date(2026, 12, 6)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("muc phat nong do con xe may", ["2–3 triệu đồng", "6–8 triệu đồng"], ["30–40 triệu"]),
        ("Mức phạt nồng độ cồn ô tô là bao nhiêu?", ["6–8 triệu đồng", "30–40 triệu"], ["2–3"]),
        ("không đội mũ bảo hiểm bị phạt bao nhiêu", ["400.000–600.000 đồng"], []),
        ("vượt đèn đỏ xe máy phạt bao nhiêu", ["4–6 triệu đồng"], []),
        ("xe may cho 3 nguoi bi phat the nao", ["600.000–800.000 đồng"], []),
        ("không có bằng lái xe máy phạt bao nhiêu", ["2–4 triệu đồng"], ["nồng độ cồn"]),
        ("MỨC PHẠT DÙNG ĐIỆN THOẠI KHI LÁI Ô TÔ", ["4–6 triệu đồng"], []),
        ("cho tre ngoi cung hang ghe lai xe o to bi phat bao nhieu", ["800.000–1.000.000"], []),
    ],
)
def test_fine_questions_quote_items_in_force(question, expected, absent):
    reply = fines.answer(shipped_content(), question, on=DAY)
    assert reply is not None and reply.startswith(t("fine.header"))
    for text in expected:
        assert text in reply
    for text in absent:
        assert text not in reply
    assert "Căn cứ: " in reply and "Áp dụng từ ngày 15/08/2026" in reply
    assert "(đã sửa đổi bởi Nghị định 238/2026/NĐ-CP)" in reply


@pytest.mark.parametrize(
    "question",
    ["mức phạt đỗ xe sai chỗ", "phạt bao nhiêu", "muc phat lang lach danh vong o to"],
)
def test_unknown_acts_get_a_plain_refusal(question):
    assert fines.answer(shipped_content(), question, on=DAY) == t("fine.none")


def test_other_questions_are_left_to_plan_answers():
    assert fines.answer(shipped_content(), "Kế hoạch này thực hiện đến khi nào?", on=DAY) is None
    assert not fines.asks_about_fine("khen thưởng bao nhiêu tiền")
    assert not fines.asks_about_fine("kế hoạch phát động phong trào khi nào")
    assert not fines.asks_about_fine("phát nhiều tờ rơi tuyên truyền không")


def test_only_items_in_force_that_day_are_quoted():
    # On 14/08/2026 the reopened items (from 15/08/2026) are not in force yet.
    before = fines.answer(shipped_content(), "muc phat nong do con xe may", on=date(2026, 8, 14))
    assert before == t("fine.none")


def test_an_item_ended_by_a_reviewer_is_no_longer_quoted(tmp_path: Path):
    base = tmp_path / "content"
    (base / "reminders").mkdir(parents=True)
    item = {
        "id": "r-own-001",
        "topic": "helmet",
        "text": "Không đội mũ bảo hiểm khi đi xe máy bị phạt 400.000–600.000 đồng.",
        "basis": [
            {"document": "Nghị định 168/2024/NĐ-CP", "article": 7, "clause": 2, "point": "h"}
        ],
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
        "source": "G168",
    }
    text = yaml.safe_dump({"items": [item]}, allow_unicode=True)
    (base / "reminders" / "x.yaml").write_text(text, encoding="utf-8")
    content = load_content([base])
    assert "400.000–600.000" in (fines.answer(content, "mũ bảo hiểm phạt bao nhiêu", on=DAY) or "")
    ended = content.with_ends({"r-own-001": date(2026, 11, 30)})
    assert fines.answer(ended, "mũ bảo hiểm phạt bao nhiêu", on=DAY) == t("fine.none")


async def test_chat_answers_fines_without_suggestion_buttons(sessionmaker, clock, tmp_path):
    clock.now = datetime(2026, 12, 6, 9, 0, tzinfo=TZ)
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    chat = await linked_chat(router, sessionmaker, clock, "NV1")

    known = await chat.say("muc phat nong do con xe may")
    assert "2–3 triệu đồng" in known and "Áp dụng từ ngày 15/08/2026" in known
    assert not chat.last[0].flat_buttons
    unknown = await chat.say("mức phạt đỗ xe trên vỉa hè là bao nhiêu")
    assert unknown == t("fine.none")
    assert not chat.last[0].flat_buttons

    # A reviewer ends the item from 01/12/2026: the bot stops quoting it.
    async with sessionmaker() as session, session.begin():
        for item_id in ("r-alcohol-003", "q-alcohol-004", "q-alcohol-005", "q-alcohol-012"):
            await content_review.decide(
                session,
                content=shipped_content(),
                item_id=item_id,
                note=None,
                ends_on=date(2026, 12, 1),
                by="Pháp chế",
                now=clock(),
            )
    after = await chat.say("muc phat nong do con xe may")
    assert "2–3 triệu đồng" not in after
