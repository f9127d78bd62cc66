"""`/donvi`: this period in the units a manager leads (admins: every running campaign)."""

from __future__ import annotations

from bot.core.messages import Reply
from bot.core.router import Context
from bot.core.texts import t
from bot.db.models import Campaign, Person, Role, Unit
from bot.services import campaigns, org
from bot.services.campaigns import period_of
from bot.services.checkin_views import day, due_text
from bot.services.unit_status import UnitStatus, decisions, unit_status

NAMES_SHOWN = 30


async def unit_view(ctx: Context) -> list[Reply]:
    """One block per (campaign, top unit) the viewer may see."""
    viewer = ctx.person
    assert viewer is not None
    blocks = []
    covering = await _campaigns_covering(ctx, viewer)
    for unit in await org.managed_roots(ctx.session, viewer=viewer):
        for campaign in covering:
            blocks.append(await _block(ctx, campaign, unit))
    return [Reply("\n\n".join(blocks) if blocks else t("campaign.none"))]


async def _campaigns_covering(ctx: Context, viewer: Person) -> list[Campaign]:
    """Running campaigns for an admin; the viewer's own campaign for a manager."""
    if viewer.role == Role.ADMIN:
        return await campaigns.running_campaigns(ctx.session, now=ctx.now)
    found = await campaigns.campaign_for(ctx.session, person=viewer, now=ctx.now)
    return [found] if found else []


async def _block(ctx: Context, campaign: Campaign, unit: Unit) -> str:
    period = period_of(campaign, ctx.now)
    rule = await decisions(ctx.session, campaign=campaign, period=period)
    status = await unit_status(ctx.session, campaign=campaign, unit=unit, period=period, rule=rule)
    lines = [
        t(
            "unit.header",
            name=campaign.name,
            start=day(period.start),
            end=day(period.end),
            due=due_text(campaign, period),
        ),
        t("unit.summary", path=status.path, people=status.people),
        *_lines(status, campaign),
    ]
    for child in await org.children(ctx.session, unit=unit):
        sub = await unit_status(
            ctx.session, campaign=campaign, unit=child, period=period, rule=rule
        )
        if sub.people:
            lines.append(t("unit.child", name=child.name, answered=sub.answered, people=sub.people))
    return "\n".join(lines)


def _lines(status: UnitStatus, campaign: Campaign) -> list[str]:
    """Participation is named; violation counts only for large enough groups."""
    lines = [t("unit.registered", registered=status.registered, people=status.people)]
    if status.unregistered:
        lines.append(t("unit.unregistered", names=_names(status.unregistered)))
    lines.append(
        t(
            "unit.answered",
            answered=status.answered,
            people=status.people,
            late=status.late,
            compliant=t("unit.compliant_hidden", k=campaign.privacy_min_group)
            if status.compliant is None
            else f"{status.compliant}/{status.answered}",
        )
    )
    if status.missing:
        lines.append(t("unit.missing", names=_names(status.missing)))
    if status.violations is None:
        lines.append(t("unit.violations_hidden", k=campaign.privacy_min_group))
    else:
        lines.append(t("unit.violations", count=status.violations))
    return lines


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    return t("people.more", names=shown, rest=rest) if rest > 0 else shown
