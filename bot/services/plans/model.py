"""Data classes for a parsed plan document ("Kế hoạch")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Section:
    """One numbered or bulleted part of the plan; ids look like "III.2.a" or "I.1.-2"."""

    id: str
    heading: str
    text: str = ""
    children: list[Section] = field(default_factory=list)
    kind: str = ""  # roman, caps, arabic, decimal, letter, dash, plus
    lead: str = ""  # the marked paragraph itself, without its marker

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Reference:
    """A document the plan cites, e.g. "Kế hoạch số 19/KH-BATGT ngày 13/3/2023"."""

    kind: str
    number: str
    date: date | None = None
    issuer: str | None = None
    title: str | None = None
    basis: bool = False  # cited in the title or preamble ("Căn cứ", "Thực hiện")


@dataclass
class Period:
    """A time span the plan runs over; either end may be unknown."""

    start: date | None
    end: date | None
    text: str
    section_id: str | None = None


@dataclass
class Deadline:
    """A due date ("trước ngày ...", "đến hết ngày ..."); date is None when recurring."""

    date: date | None
    text: str
    section_id: str | None = None


@dataclass
class Responsibility:
    """A unit named as responsible, with its task text."""

    unit: str
    task: str
    section_id: str | None = None


@dataclass
class Target:
    """A measurable goal such as "kéo giảm 5-10% số vụ"."""

    text: str
    section_id: str | None = None
    figure: str | None = None  # e.g. "5%-10%", "100%"


@dataclass
class ReportingDuty:
    """A duty to report, with its frequency ("hằng tháng") and timing if stated."""

    text: str
    frequency: str | None = None
    when: str | None = None
    section_id: str | None = None


@dataclass
class PlanDocument:
    """Everything extracted from one plan; missing values are None or empty."""

    number: str | None = None
    place: str | None = None
    date: date | None = None
    issuer: str | None = None
    title: str | None = None
    theme: str | None = None
    preamble: str = ""
    sections: list[Section] = field(default_factory=list)
    closing: str = ""
    references: list[Reference] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    responsible: list[Responsibility] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    reporting: list[ReportingDuty] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_name: str | None = None
    signer_title: str | None = None
    proposer: str | None = None  # "Theo đề nghị của …" of a decision
    authority: str | None = None  # who decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH")
    truncated: bool = False
    fragment: bool = False

    def walk(self) -> Iterator[Section]:
        """All sections, depth first."""
        for section in self.sections:
            yield from section.walk()

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or None."""
        return next((s for s in self.walk() if s.id == section_id), None)

    @property
    def complete(self) -> bool:
        """True when the document has its start, its end and a signer."""
        return not (self.truncated or self.fragment) and self.signer_name is not None


@dataclass(frozen=True)
class Passage:
    """A chunk of plan text for a search index, with its section id and heading path."""

    section_id: str
    path: tuple[str, ...]
    text: str
