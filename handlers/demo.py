"""Console-only demo helper: /as CODE switches which person the terminal acts as."""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.router import BotConfig, Context
from bot.core.texts import ROLE_LABELS, t
from bot.db.models import Person, Role
from bot.services.org import find_person, link_account

DEMO_EXAMPLE_CODE = "NV001"


def in_demo(role: Role, config: BotConfig) -> bool:
    """Demo-only commands exist only in `atgt demo`."""
    return config.demo


async def act_as(ctx: Context) -> list[Reply]:
    """Re-link the console account to another person (the console is a local, trusted tool)."""
    code = ctx.incoming.args.strip()
    if not code:
        return [Reply(t("demo.as_usage", example=DEMO_EXAMPLE_CODE))]
    person = await find_person(ctx.session, code=code)
    if person is None:
        return [Reply(t("demo.as_unknown", code=code))]
    incoming = ctx.incoming
    await link_account(
        ctx.session,
        person=person,
        channel=incoming.channel,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        now=ctx.now,
    )
    return [Reply(describe_person_text(person))]


def describe_person_text(person: Person) -> str:
    """One line naming who the console acts as."""
    return t(
        "demo.as_done",
        name=person.full_name,
        code=person.employee_code,
        role=ROLE_LABELS[person.role],
        unit=person.unit.path,
    )
