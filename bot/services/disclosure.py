"""The one privacy rule: a group's self-declared conduct is shown only when the group is large.

Participation is named on purpose (managers chase missing reports), but whether someone
declared a violation is their own affair. Compliance among those who reported and the count
of self-reported violations are therefore shown only for groups of at least the campaign's
`privacy_min_group` people: for compliance the people who reported (the missing ones are
named, so the reporters are known), for violations the people of the group. One person is
a group of one, so per-person figures stay hidden unless the threshold is 1. Every view
(chat text, chart, workbook) asks this module.

A unit's figures include its sub-units, so a shown unit minus its shown sub-units must not
narrow down to a small group either (`hidden_units` then hides a sub-unit as well).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.texts import t


def shown(group: int, min_group: int) -> bool:
    """May figures about `group` people be shown?"""
    return group >= max(min_group, 1)


def cell(value: Any, group: int, min_group: int) -> Any:
    """A workbook value, or the 'hidden' marker when the group is too small."""
    return value if shown(group, min_group) else t("privacy.hidden_cell")


@dataclass(frozen=True, slots=True)
class Hidden:
    """Units whose figures stay hidden, and the people the shown units at or below each cover."""

    units: set[int]
    covered: dict[int, int]
    min_group: int

    def shown(self, unit_id: int) -> bool:
        """May this unit's figures be shown?"""
        return unit_id not in self.units

    def shown_over(self, total: int, parts: Iterable[int]) -> bool:
        """May a total over several whole units (an organisation with several tops) be shown?"""
        residual = total - sum(self.covered.get(part, 0) for part in parts)
        return shown(total, self.min_group) and not 0 < residual < self.min_group


def hidden_units(
    children: Mapping[int | None, Sequence[int]], group: Mapping[int, int], min_group: int
) -> Hidden:
    """Decide every unit of a tree from its rolled-up group sizes (`group`: unit → people).

    A unit is hidden when its group is too small. When a shown unit minus its shown
    sub-units would leave 1 to `min_group - 1` people (its own people and hidden sub-units),
    its smallest shown sub-unit is hidden too (with its sub-units if that is not enough), so
    totals, which leaders read first, stay visible.
    """
    hidden: set[int] = set()
    covered: dict[int, int] = {}

    def below(unit_id: int) -> int:
        return sum(covered[child] for child in children.get(unit_id, ()))

    def hide_all(unit_id: int) -> None:
        hidden.add(unit_id)
        covered[unit_id] = 0
        for child in children.get(unit_id, ()):
            hide_all(child)

    def visit(unit_id: int) -> None:
        for child in children.get(unit_id, ()):
            visit(child)
        size = group.get(unit_id, 0)
        if not shown(size, min_group):
            hidden.add(unit_id)
            covered[unit_id] = below(unit_id)
            return
        if 0 < size - below(unit_id) < min_group:
            kids = [c for c in children.get(unit_id, ()) if c not in hidden]
            smallest = min(kids, key=lambda c: (group.get(c, 0), c))  # one exists: below > 0
            hidden.add(smallest)
            covered[smallest] = below(smallest)
            if group.get(smallest, 0) - covered[smallest] < min_group:
                hide_all(smallest)
        covered[unit_id] = size

    for root in children.get(None, ()):
        visit(root)
    return Hidden(hidden, covered, min_group)


@dataclass(frozen=True, slots=True)
class Decisions:
    """What may be shown of every unit of a tree."""

    compliance: Hidden  # groups: the people who reported
    violations: Hidden  # groups: the people of the unit


def decide(
    children: Mapping[int | None, Sequence[int]], totals: Mapping[int, Any], min_group: int
) -> Decisions:
    """Both decisions from rolled-up counts (anything with `reported` and `people`)."""
    return Decisions(
        hidden_units(children, {u: c.reported for u, c in totals.items()}, min_group),
        hidden_units(children, {u: c.people for u, c in totals.items()}, min_group),
    )
