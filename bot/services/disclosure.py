"""The one privacy rule: a group's self-declared conduct is shown only when the group is large.

Participation is named on purpose (managers chase missing reports), but whether someone
declared a violation is their own affair. Compliance among those who reported and the count
of self-reported violations are therefore shown only for groups of at least the campaign's
`privacy_min_group` people: for compliance the people who reported (the missing ones are
named, so the reporters are known), for violations the people of the group. One person is
a group of one, so per-person figures stay hidden unless the threshold is 1. Every view
(chat text, chart, workbook) asks this module.
"""

from __future__ import annotations

from typing import Any

from bot.core.texts import t


def shown(group: int, min_group: int) -> bool:
    """May figures about `group` people be shown?"""
    return group >= max(min_group, 1)


def compliance(compliant: int, reported: int, min_group: int) -> int | None:
    """Compliant check-ins among `reported`, or None when too few reported."""
    return compliant if shown(reported, min_group) else None


def violations(count: int, people: int, min_group: int) -> int | None:
    """Self-reported violations of `people`, or None when the group is too small."""
    return count if shown(people, min_group) else None


def cell(value: Any, group: int, min_group: int) -> Any:
    """A workbook value, or the 'hidden' marker when the group is too small."""
    return value if shown(group, min_group) else t("privacy.hidden_cell")
