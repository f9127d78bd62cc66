"""Weekly digest for managers and admins: rates, changes, quiz, weak topics, rank, names.

`board` computes one campaign-week for every unit at once (a few aggregate queries, then
a roll-up over the unit tree); `digest_for` cuts one viewer's scope out of it in memory,
so the digests of all managers cost about as much as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content
from bot.db.models import Campaign, Person, Role
from bot.services import disclosure, report_counts
from bot.services.report_tree import Counts, Tree, ranks
from bot.services.report_window import Window, week

NAMES_SHOWN = 20
CHILDREN_SHOWN = 10
WEAK_TOPICS = 3


def topic_map(content: Content) -> dict[str, str]:
    """Question id → topic."""
    return {item.id: item.topic for item in content.quizzes}


@dataclass(frozen=True, slots=True)
class Board:
    """One campaign-week for every unit: roll-ups, sibling ranks, capped missing names."""

    campaign: Campaign
    window: Window
    tree: Tree
    keep: set[int]  # units taking part
    totals: dict[int, Counts]
    ranks: dict[int, int]
    rivals: dict[int | None, int]  # ranked units per parent
    names: dict[int, list[str]]
    rule: disclosure.Decisions  # what may be shown of each unit
    previous: disclosure.Hidden  # compliance decisions of the week before

    @property
    def has_previous(self) -> bool:
        """Did the campaign run in the week before?"""
        return self.window.first - timedelta(days=1) >= self.campaign.starts_on


async def board(
    session: AsyncSession,
    *,
    campaign: Campaign,
    monday: date,
    topics: Mapping[str, str],
    names: bool = True,
) -> Board:
    """Compute the week starting `monday` for all units of the campaign.

    `names=False` leaves out the non-reporters' names (the dashboard reads its scope's own).
    """
    window = week(campaign, monday)
    tree = await report_counts.load_tree(session)
    keep = tree.participating(campaign)
    own = await report_counts.unit_counts(
        session, campaign_id=campaign.id, window=window, topics=topics
    )
    totals = tree.rollup(own, keep)
    ranked: dict[int, int] = {}
    rivals: dict[int | None, int] = {}
    for parent, children in tree.children.items():
        found = ranks(children, totals)
        ranked.update(found)
        rivals[parent] = len(found)
    missing = (
        await report_counts.missing_names(
            session, campaign_id=campaign.id, monday=monday, cap=NAMES_SHOWN
        )
        if names
        else {}
    )
    k = campaign.privacy_min_group
    rule = disclosure.decide(tree.children, totals, k)
    before = {u: c.prev_reported for u, c in totals.items()}
    previous = disclosure.hidden_units(tree.children, before, k)
    return Board(campaign, window, tree, keep, totals, ranked, rivals, missing, rule, previous)


@dataclass(frozen=True, slots=True)
class Child:
    """A unit directly below the scope, with its rank among its siblings."""

    rank: int
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Digest:
    """One viewer's digest: the numbers of their scope (a unit, or the whole organisation)."""

    campaign: str
    window: Window
    unit_id: int | None  # None: several top units (an admin's whole organisation)
    label: str
    counts: Counts
    has_previous: bool
    rank: tuple[int, int] | None  # (rank, ranked siblings)
    missing: list[str]  # at most NAMES_SHOWN
    children: list[Child]
    min_group: int  # the campaign's privacy threshold (see `disclosure`)
    compliance_shown: bool  # may this scope's compliance be shown?
    previous_shown: bool  # and its compliance of the week before (the change)?

    @property
    def weak_topics(self) -> list[tuple[str, int, int]]:
        """(topic, answered, correct) with wrong answers, lowest accuracy first."""
        weak = [(t, a, c) for t, (a, c) in self.counts.topics.items() if c < a]
        weak.sort(key=lambda x: (x[2] / x[1], -x[1], x[0]))
        return weak[:WEAK_TOPICS]


def scope_of(viewer: Person) -> int | None:
    """The unit a viewer's digest covers: their own unit; an admin's is everything (None)."""
    return None if viewer.role == Role.ADMIN else viewer.unit_id


def digest_for(data: Board, *, scope: int | None) -> Digest | None:
    """The digest of `scope`; None when nobody there takes part in the campaign."""
    tree = data.tree
    if scope is None:
        roots = [u for u in tree.children.get(None, []) if data.totals[u].people]
        if len(roots) == 1:
            return digest_for(data, scope=roots[0])
        counts = Counts()
        for root in roots:
            counts.add(data.totals[root])
        if not roots:
            return None
        shown = (
            data.rule.compliance.shown_over(counts.reported, roots),
            data.previous.shown_over(counts.prev_reported, roots),
        )
        return _digest(data, None, counts, rank=None, children=roots, shown=shown)
    counts = data.totals.get(scope)
    if counts is None or not counts.people:
        return None
    parent = tree.nodes[scope].parent_id
    rivals = data.rivals.get(parent, 0)
    rank = (data.ranks[scope], rivals) if rivals > 1 else None
    children = tree.children.get(scope, [])
    shown = (data.rule.compliance.shown(scope), data.previous.shown(scope))
    return _digest(data, scope, counts, rank=rank, children=children, shown=shown)


def _digest(
    data: Board,
    scope: int | None,
    counts: Counts,
    *,
    rank,
    children: list[int],
    shown: tuple[bool, bool],
) -> Digest:
    """Assemble the digest: names in unit-path order, children by rank."""
    units = data.tree.children.get(None, []) if scope is None else [scope]
    names: list[str] = []
    for top in units:
        for unit_id in data.tree.walk(top):
            if len(names) >= NAMES_SHOWN:
                break
            if unit_id in data.keep:
                names.extend(data.names.get(unit_id, [])[: NAMES_SHOWN - len(names)])
    ranked = [
        Child(data.ranks[u], data.tree.nodes[u].name, data.totals[u])
        for u in children
        if data.totals[u].people
    ]
    ranked.sort(key=lambda c: (c.rank, c.name))
    label = data.tree.nodes[scope].path if scope is not None else ""
    return Digest(
        data.campaign.name,
        data.window,
        scope,
        label,
        counts,
        data.has_previous,
        rank,
        names,
        ranked,
        data.campaign.privacy_min_group,
        *shown,
    )


async def for_viewers(
    session: AsyncSession,
    *,
    campaign: Campaign,
    monday: date,
    topics: Mapping[str, str],
    viewers: Sequence[Person],
) -> tuple[Board, list[tuple[Person, Digest]]]:
    """The digests of many viewers from one board (viewers without participants are left out)."""
    data = await board(session, campaign=campaign, monday=monday, topics=topics)
    found = []
    for viewer in viewers:
        digest = digest_for(data, scope=scope_of(viewer))
        if digest is not None:
            found.append((viewer, digest))
    return data, found
