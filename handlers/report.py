"""`/baocao`: the digest of the units a manager leads (admins: the whole organisation)."""

from __future__ import annotations

from bot.content import load_content
from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.services import digest, digest_report
from bot.services.vntext import fold

LAST_WEEK_WORDS = frozenset({"truoc", "tuantruoc", "tuan truoc", "last"})


async def digest_(ctx: Context) -> list[Reply]:
    """This week so far, or last week with `/baocao truoc`: text, chart and workbook."""
    viewer = ctx.person
    assert viewer is not None
    last_week = fold(ctx.incoming.args).strip() in LAST_WEEK_WORDS
    rendered = await digest_report.for_viewer(
        ctx.session,
        viewer=viewer,
        now=ctx.now,
        topics=digest.topic_map(ctx.content or load_content()),
        last_week=last_week,
    )
    return rendered.replies if rendered else [Reply(t("digest.none"))]
