"""Parse plan texts into PlanDocument objects and search passages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .dates import find_deadlines, find_periods
from .duties import find_responsible
from .facts import find_references, find_reporting, find_targets, find_theme
from .header import issuer_from_text, read_closing, read_header
from .layout import Para, closing_start, join_paragraphs, split_documents
from .model import (
    Deadline,
    Passage,
    Period,
    PlanDocument,
    Reference,
    ReportingDuty,
    Responsibility,
    Section,
    Target,
)
from .rescue import authority, find_proposer, mend_header_lines, rescue_header
from .sections import build_sections, section_marker
from .text import ends_strictly, fold, normalize_lines, sentences, starts_lower

__all__ = [
    "Deadline",
    "Passage",
    "Period",
    "PlanDocument",
    "Reference",
    "ReportingDuty",
    "Responsibility",
    "Section",
    "Target",
    "iter_passages",
    "parse_plans",
]

PREAMBLE_LABEL = "Phần mở đầu"
CLOSING_LABEL = "Phần kết"
_CHUNK = 1200
_OWNER = re.compile(
    r"\bcủa\s+((?:Sở|Ban|Phòng|UBND|Ủy ban|Uỷ ban|Đảng ủy|Đảng uỷ|Công an|Trường|Đoàn|Hội)"
    r"\b[^,;.]*)"
)


def parse_plans(text: str) -> list[PlanDocument]:
    """Parse a text holding one or more (possibly glued, cut or hard-wrapped) plans."""
    return [_parse_one(chunk) for chunk in split_documents(normalize_lines(text))]


def _parse_one(lines: list[str]) -> PlanDocument:
    """Parse the lines of a single document."""
    lines = mend_header_lines(lines)
    cut = closing_start(lines)
    paras = join_paragraphs(lines[:cut])
    head = read_header(paras)
    preamble, body, closing = _zones(paras[head.body_start :])
    before, sections = build_sections(body)
    end = read_closing(lines[cut:])
    doc = PlanDocument(
        number=head.number,
        place=head.place,
        date=head.date,
        title=head.title,
        preamble="\n".join([p.text for p in preamble] + before),
        sections=sections,
        closing="\n".join(p.text for p in closing),
        recipients=end.recipients,
        signer_name=end.signer_name,
        signer_title=end.signer_title,
    )
    doc.issuer = head.issuer
    rescue_header(doc, lines)
    doc.issuer = doc.issuer or issuer_from_text(doc.preamble) or _owner(doc)
    doc.proposer = find_proposer("\n".join(lines[:cut]))
    doc.authority = authority(lines)
    last = (closing or body or preamble or [Para("")])[-1].text
    has_end = bool(end.recipients or end.signer_name)
    doc.truncated = not has_end and not ends_strictly(last)
    first = paras[0].text if paras else ""
    doc.fragment = not head.has_header or starts_lower(first)
    _add_facts(doc, doc.date.year if doc.date else _year(doc.title))
    return doc


def _zones(paras: list[Para]) -> tuple[list[Para], list[Para], list[Para]]:
    """Split body paragraphs into preamble, sections and closing ("Trên đây là ...")."""
    marks = [section_marker(p) for p in paras]
    first = next((i for i, m in enumerate(marks) if m and m[0] != "dash"), None)
    if first is None:
        first = next((i for i, m in enumerate(marks) if m), len(paras))
    end = next(
        (i for i in range(first, len(paras)) if fold(paras[i].text).startswith("tren day")),
        len(paras),
    )
    return paras[:first], paras[first:end], paras[end:]


def _owner(doc: PlanDocument) -> str | None:
    """The issuer named as "... của Sở X" at the end of the title or in the closing."""
    for text in (doc.title or "", doc.closing):
        match = _OWNER.search(text)
        if match:
            return match[1].strip()
    return None


def _year(title: str | None) -> int | None:
    """The campaign year named in the title ("... năm 2023")."""
    match = re.search(r"năm\s+(\d{4})", title or "")
    return int(match[1]) if match else None


def _add_facts(doc: PlanDocument, year: int | None) -> None:
    """Fill references, theme, periods, deadlines, targets, duties and reporting."""
    body = [(s.id, s.text) for s in doc.walk()]
    tail = [(None, doc.closing)]
    basis = [(None, doc.title or ""), (None, doc.preamble)]
    refs = find_references(body + tail, basis)
    doc.references = [r for r in refs if r.number != doc.number]
    doc.theme = find_theme(text for _sid, text in basis + body + tail)
    doc.periods = find_periods(basis[1:] + body + tail)
    doc.deadlines = find_deadlines(body + tail, year)
    doc.targets = find_targets(body)
    doc.reporting = find_reporting(body + tail)
    doc.responsible = find_responsible(doc.sections, doc.closing)


def iter_passages(doc: PlanDocument) -> Iterator[Passage]:
    """Chunks of text with their section id and heading path, for a search index."""
    if doc.preamble:
        yield from _chunks("", (PREAMBLE_LABEL,), doc.preamble)
    for section in doc.sections:
        yield from _section_passages(section, ())
    if doc.closing:
        yield from _chunks("", (CLOSING_LABEL,), doc.closing)


def _section_passages(section: Section, path: tuple[str, ...]) -> Iterator[Passage]:
    """Passages for one section and its descendants."""
    path = (*path, section.heading)
    text = section.text or ("" if section.children else section.heading)
    if text:
        yield from _chunks(section.id, path, text)
    for child in section.children:
        yield from _section_passages(child, path)


def _chunks(section_id: str, path: tuple[str, ...], text: str) -> Iterator[Passage]:
    """Split long text at sentence boundaries into chunks of about _CHUNK characters."""
    chunk = ""
    for sentence in sentences(text):
        if chunk and len(chunk) + len(sentence) > _CHUNK:
            yield Passage(section_id, path, chunk)
            chunk = ""
        chunk = f"{chunk} {sentence}".strip()
    if chunk:
        yield Passage(section_id, path, chunk)
