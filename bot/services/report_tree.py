"""The unit tree in memory: roll per-unit counts up to every ancestor, rank sibling units.

Everything here loops over units (a few thousand at most), never over people or answers:
the database returns one aggregate row per unit and this module adds them up the tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.db.models import Campaign


@dataclass(slots=True)
class Counts:
    """Figures for a set of people; every field adds up across units."""

    people: int = 0
    reported: int = 0  # complete check-ins in the window's periods
    compliant: int = 0
    late: int = 0
    prev_reported: int = 0  # the same, one week earlier (weekly digests)
    prev_compliant: int = 0
    quiz_people: int = 0  # people who answered at least one question
    answered: int = 0
    correct: int = 0
    delivered: int = 0  # announcement copies delivered
    read: int = 0
    registered: int = 0  # the fields below are filled by per-person reports only
    violations: int = 0
    reminders: int = 0
    acknowledged: int = 0
    topics: dict[str, list[int]] = field(default_factory=dict)  # topic → [answered, correct]

    def add(self, other: Counts) -> None:
        """Add `other` into this one."""
        for name in _SCALARS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for topic, (answered, correct) in other.topics.items():
            mine = self.topics.setdefault(topic, [0, 0])
            mine[0] += answered
            mine[1] += correct


_SCALARS = tuple(name for name in Counts.__slots__ if name != "topics")


def pct(part: int, whole: int) -> int | None:
    """Whole percent, halves rounded up; None when there is nothing to divide by."""
    return (200 * part + whole) // (2 * whole) if whole else None


@dataclass(frozen=True, slots=True)
class Node:
    """One unit."""

    id: int
    parent_id: int | None
    path: str
    name: str
    depth: int


class Tree:
    """Units by id with their children, in path order."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.nodes = {row[0]: Node(*row) for row in rows}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for node in sorted(self.nodes.values(), key=lambda n: n.path):
            self.children[node.parent_id].append(node.id)

    def walk(self, unit_id: int) -> Iterator[int]:
        """The unit and everything below it, in path order."""
        yield unit_id
        for child in self.children.get(unit_id, ()):
            yield from self.walk(child)

    def participating(self, campaign: Campaign) -> set[int]:
        """Units taking part in the campaign: its units and everything below them."""
        found: set[int] = set()
        for link in campaign.units:
            if link.unit_id in self.nodes:
                found.update(self.walk(link.unit_id))
        return found

    def rollup(self, own: dict[int, Counts], keep: set[int]) -> dict[int, Counts]:
        """Counts of each unit with everything below it (only units in `keep` contribute)."""
        totals = {unit_id: Counts() for unit_id in self.nodes}
        for node in sorted(self.nodes.values(), key=lambda n: -n.depth):
            if node.id in keep and node.id in own:
                totals[node.id].add(own[node.id])
            if node.parent_id is not None:
                totals[node.parent_id].add(totals[node.id])
        return totals

    def within(self, unit_id: int | None) -> set[int]:
        """Ids in the subtree (every unit for None)."""
        return set(self.nodes) if unit_id is None else set(self.walk(unit_id))


def score(counts: Counts) -> tuple[float, float, float]:
    """The emulation order: check-in participation, then quiz participation, then accuracy.

    Self-declared compliance is left out on purpose: ranking on it would reward units for
    not reporting their violations.
    """
    people = counts.people or 1
    return (
        counts.reported / people,
        counts.quiz_people / people,
        counts.correct / counts.answered if counts.answered else 0.0,
    )


def ranks(
    unit_ids: Iterable[int], totals: dict[int, Counts], key: Callable[[Counts], Any] = score
) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4) of the units with people, best first."""
    ranked = sorted((u for u in unit_ids if totals[u].people), key=lambda u: key(totals[u]))
    ranked.reverse()
    result: dict[int, int] = {}
    for position, unit_id in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        same = previous is not None and key(totals[previous]) == key(totals[unit_id])
        result[unit_id] = result[previous] if same and previous is not None else position
    return result
