"""Random and malformed input through the router and the Telegram adapter: never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Bot, Update

from bot.channels.telegram import to_incoming
from bot.core.messages import Kind
from bot.core.texts import t
from handlers import ROUTES
from tests.harness import Chat, linked_chat, load_roster, make_router

COMMANDS = sorted({r.name for r in ROUTES if r.kind == Kind.COMMAND})
PREFIXES = [*sorted({r.name for r in ROUTES if r.kind == Kind.BUTTON}), "zz", ""]
numbers = st.integers(-(2**70), 2**70).map(str) | st.sampled_from(["²", "١٢", "1e9", "0"])
junk = (
    st.text(min_size=0, max_size=300)
    | numbers
    | st.sampled_from(
        ["<b>x</b>", "*bold* _x_", "\u202e\u200b", "🚦" * 50, "' OR 1=1 --", "x" * 10_000, "%s%n"]
    )
)
messages = st.one_of(
    junk,
    st.builds(lambda c, a: f"/{c} {a}", st.sampled_from(COMMANDS), junk),
    st.builds(lambda a: f"/{a}", junk),
)
buttons = st.builds(lambda p, a: f"{p}:{a}", st.sampled_from(PREFIXES), junk)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
async def org(sessionmaker, clock, tmp_path):
    """Built once per test; every generated example reuses it."""
    await load_roster(sessionmaker, clock, tmp_path)
    router = make_router(sessionmaker, clock)
    return router, await linked_chat(router, sessionmaker, clock, "AD1")


@SETTINGS
@given(text=messages, press=buttons, options=st.lists(st.integers(-5, 99), max_size=3))
@example(text="/thongbao_huy 9223372036854775808", press="ack:9223372036854775808", options=[])
async def test_any_input_is_answered_or_ignored(org, text, press, options):
    router, admin = org
    stranger = Chat(router, user_id="stranger")
    for chat in (admin, stranger):
        for incoming in (
            chat.message(text),
            chat.incoming(Kind.BUTTON, payload=press),
            chat.incoming(
                Kind.POLL_ANSWER, poll_id=press, payload=press, option_ids=tuple(options)
            ),
        ):
            replies = await router.handle(incoming)
            assert all(r.text or r.quiz or r.document for r in replies)
            assert all(r.text != t("error.apology") for r in replies), (incoming, replies)


BAD_NUMBERS = ("9223372036854775808", "2147483648", "-1", "²", "١٢", "0")


async def test_out_of_range_numbers_in_every_button_and_command(org):
    """Every number slot of every button and command, filled with what a query cannot take."""
    router, admin = org
    shapes = ("{p}:{n}", "{p}:{n}:{n}", "{p}:{n}:20261123:q:{n}", "{p}:{n}:20261123:a:{n}:1")
    presses = [s.format(p=p, n=n) for p in PREFIXES for n in BAD_NUMBERS for s in shapes]
    presses += ["qa:p:1:9223372036854775808", "qa:p:²:1", "bc:1:u:9223372036854775808"]
    for press in presses:
        for incoming in (
            admin.incoming(Kind.BUTTON, payload=press),
            admin.incoming(Kind.POLL_ANSWER, poll_id=press, payload=press, option_ids=(0,)),
        ):
            replies = await router.handle(incoming)
            assert all(r.text != t("error.apology") for r in replies), (incoming, replies)
    for command in COMMANDS:
        for n in BAD_NUMBERS:
            replies = await router.handle(admin.message(f"/{command} {n} {n} {n}"))
            assert all(r.text != t("error.apology") for r in replies), (command, n, replies)


def update_json(draw_text: str, user_id: int, kind: str) -> dict:
    """A structurally valid Telegram update of several kinds around arbitrary text."""
    user = {"id": user_id, "is_bot": False, "first_name": draw_text[:64] or "x"}
    chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
    message = {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": chat,
        "from": user,
        "text": draw_text,
    }
    bodies = {
        "message": {"message": message},
        "edited": {"edited_message": message},
        "callback": {
            "callback_query": {
                "id": "1",
                "from": user,
                "chat_instance": "c",
                "data": draw_text[:64],
                "message": message,
            }
        },
        "photo": {
            "message": {
                **message,
                "text": None,
                "caption": draw_text,
                "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
            }
        },
    }
    return {"update_id": 1, **bodies[kind]}


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=500),
    user_id=st.integers(1, 2**40),
    kind=st.sampled_from(["message", "edited", "callback", "photo"]),
)
def test_telegram_adapter_maps_any_update_without_raising(text, user_id, kind):
    update = Update.de_json(update_json(text, user_id, kind), Bot("1:x"))
    incoming = to_incoming(update)
    if kind == "edited":
        assert incoming is None
    else:
        assert incoming is not None and incoming.user_id == str(user_id)
