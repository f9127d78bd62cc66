"""Report workbooks: a summary sheet, units (each with its sub-units) and people, ranked.

Compliance and self-reported violations go through `disclosure` in every sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.texts import t
from bot.db.models import Campaign
from bot.services import disclosure
from bot.services.checkin_views import day
from bot.services.exports import Percent, Sheet, workbook_bytes
from bot.services.report_people import PersonRow
from bot.services.report_tree import Counts, Tree, ranks
from bot.services.report_window import Window


@dataclass(frozen=True, slots=True)
class Book:
    """What a report workbook is made of."""

    campaign: Campaign
    window: Window
    tree: Tree
    units: list[int]  # participating units in scope, path order
    scope: int | None
    rows: Sequence[PersonRow]
    generated: datetime

    @property
    def label(self) -> str:
        """The scope's path, or 'whole organisation'."""
        return self.tree.nodes[self.scope].path if self.scope is not None else t("digest.whole_org")


def unit_totals(book: Book) -> dict[int, Counts]:
    """Per unit, its people's figures with everything below it."""
    own: dict[int, Counts] = {}
    for row in book.rows:
        c = own.setdefault(row.unit_id, Counts())
        c.people += 1
        c.registered += row.registered_on is not None
        c.quiz_people += row.answered > 0
        for name in _SHARED:
            setattr(c, name, getattr(c, name) + getattr(row, name))
    return book.tree.rollup(own, set(book.units))


_SHARED = (
    "reported compliant late violations answered correct reminders acknowledged delivered read"
).split()


def person_key(row: PersonRow) -> tuple[int, ...]:
    """Registered, weeks reported, correct answers, reminders acknowledged, announcements read."""
    return (row.registered_on is not None, row.reported, row.correct, row.acknowledged, row.read)


def workbook(book: Book, *, ranked: bool) -> bytes:
    """Summary, units and people sheets; `ranked` sorts for emulation, else by unit path."""
    return workbook_bytes(book_sheets(book, ranked=ranked))


def book_sheets(book: Book, *, ranked: bool) -> list[Sheet]:
    """The sheets of `workbook` (the dashboard adds its own after them)."""
    totals = unit_totals(book)
    rule = privacy(book)
    return [_summary(book, totals, rule), _units(book, totals, ranked, rule), _people(book, ranked)]


@dataclass(frozen=True, slots=True)
class Privacy:
    """The disclosure decisions of a book's units, and the group sizes they were made on."""

    rule: disclosure.Decisions
    reporters: dict[int, int]  # per unit with sub-units: people who reported at least once


def privacy(book: Book) -> Privacy:
    """Decide on people, not check-ins: over several weeks one person reports many times."""
    own: dict[int, Counts] = {}
    for row in book.rows:
        c = own.setdefault(row.unit_id, Counts())
        c.people += 1
        c.reported += row.reported > 0
    groups = book.tree.rollup(own, set(book.units))
    rule = disclosure.decide(book.tree.children, groups, book.campaign.privacy_min_group)
    return Privacy(rule, {u: c.reported for u, c in groups.items()})


def _summary(book: Book, totals: dict[int, Counts], privacy: Privacy) -> Sheet:
    """Key figures of the whole scope."""
    c = Counts()
    tops = _tops(book)
    for top in tops:
        c.add(totals[top])
    tz = ZoneInfo(book.campaign.timezone)
    k = book.campaign.privacy_min_group
    rows: list[tuple[str, Any]] = [
        (t("report.summary_campaign"), book.campaign.name),
        (t("report.summary_scope"), book.label),
        (t("report.summary_days"), f"{day(book.window.first)} – {day(book.window.last)}"),
        (t("report.summary_generated"), book.generated.astimezone(tz)),
        (t("report.summary_weeks"), book.window.weeks),
        (t("report.summary_units"), sum(1 for u in book.units if totals[u].people)),
        (t("report.summary_people"), c.people),
        (t("report.summary_registered"), f"{c.registered}/{c.people}"),
        (t("report.summary_reported"), Percent(c.reported, c.people * book.window.weeks)),
        (
            t("report.summary_compliant"),
            _or_hidden(
                Percent(c.compliant, c.reported),
                privacy.rule.compliance.shown_over(
                    sum(privacy.reporters[top] for top in tops), tops
                ),
            ),
        ),
        (
            t("report.summary_violations"),
            _or_hidden(c.violations, privacy.rule.violations.shown_over(c.people, tops)),
        ),
        (t("report.summary_quiz"), f"{c.correct}/{c.answered}"),
        (t("report.summary_acks"), f"{c.acknowledged}/{c.reminders}"),
        (t("report.summary_reads"), f"{c.read}/{c.delivered}"),
        (t("report.summary_order"), t("report.order_text")),
        (
            t("report.summary_privacy"),
            t("report.privacy_text", k=k) if k > 1 else t("report.privacy_text_off"),
        ),
    ]
    header = t("report.summary_header").split("|")
    return Sheet(t("report.sheet_summary"), header, rows, filter=False)


def _tops(book: Book) -> list[int]:
    """The highest units of the scope that take part."""
    if book.scope is not None:
        return [book.scope]
    chosen = set(book.units)
    return [u for u in book.units if book.tree.nodes[u].parent_id not in chosen]


def _or_hidden(value: Any, shown: bool) -> Any:
    return value if shown else t("privacy.hidden_cell")


def _units(book: Book, totals: dict[int, Counts], ranked: bool, privacy: Privacy) -> Sheet:
    """One row per unit with people (figures include sub-units)."""
    shown = [u for u in book.units if totals[u].people]
    rank: dict[int, int] = {}
    parents = {book.tree.nodes[u].parent_id for u in shown}
    for parent in parents:
        rank.update(ranks([u for u in shown if book.tree.nodes[u].parent_id == parent], totals))
    if ranked:
        nodes = book.tree.nodes
        parent_path = {u: nodes[p].path if (p := nodes[u].parent_id) else "" for u in shown}
        shown.sort(key=lambda u: (nodes[u].depth, parent_path[u], rank[u], nodes[u].path))
    weeks = book.window.weeks
    rule = privacy.rule
    rows = [_unit_row(book.tree, u, rank[u], totals[u], weeks, rule) for u in shown]
    return Sheet(t("report.sheet_units"), t("report.units_header").split("|"), rows)


def _unit_row(
    tree: Tree, unit_id: int, rank: int, c: Counts, weeks: int, rule: disclosure.Decisions
) -> list[Any]:
    node = tree.nodes[unit_id]
    return [
        rank,
        node.path,
        node.depth + 1,
        c.people,
        c.registered,
        c.reported,
        Percent(c.reported, c.people * weeks),
        _or_hidden(Percent(c.compliant, c.reported), rule.compliance.shown(unit_id)),
        c.late,
        _or_hidden(c.violations, rule.violations.shown(unit_id)),
        c.quiz_people,
        c.answered,
        c.correct,
        Percent(c.correct, c.answered),
        Percent(c.acknowledged, c.reminders),
        Percent(c.read, c.delivered),
    ]


def _people(book: Book, ranked: bool) -> Sheet:
    """One row per person; ranks are competition ranks on `person_key`."""
    order = sorted(book.rows, key=person_key, reverse=True)
    rank: dict[int, int] = {}
    for position, row in enumerate(order, start=1):
        before = order[position - 2] if position > 1 else None
        same = before is not None and person_key(before) == person_key(row)
        rank[row.person_id] = rank[before.person_id] if same and before else position
    rows = order if ranked else list(book.rows)
    weeks = book.window.weeks
    k = book.campaign.privacy_min_group
    data = [_person_row(rank[r.person_id], r, weeks, k) for r in rows]
    return Sheet(t("report.sheet_people"), t("report.people_header").split("|"), data)


def _person_row(rank: int, r: PersonRow, weeks: int, k: int) -> list[Any]:
    """One person is a group of one: their compliance and violations follow the same rule."""
    return [
        rank,
        r.path,
        r.code,
        r.name,
        r.registered_on,
        r.reported,
        weeks,
        Percent(r.reported, weeks),
        disclosure.cell(r.compliant, 1, k),
        r.late,
        disclosure.cell(r.violations, 1, k),
        r.answered,
        r.correct,
        Percent(r.correct, r.answered),
        r.reminders,
        r.acknowledged,
        r.delivered,
        r.read,
    ]
