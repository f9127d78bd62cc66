"""Build the section tree (I → 1 → a → dash → plus) from body paragraphs."""

from __future__ import annotations

import re

from .layout import Para, is_signer_title, marker, roman_value, to_roman
from .model import Section
from .text import clip, ends_sentence, is_caps

_RANK = {"roman": 1, "caps": 1, "arabic": 2, "letter": 6, "dash": 7, "plus": 8}
_LABELLED = re.compile(r"^(?P<label>[^:;,.]{2,60}?)\s*:\s+(?P<rest>\S.*)$")


def section_marker(para: Para) -> tuple[str, str, str] | None:
    """(kind, label, rest) for a paragraph that opens a section, including capitals headings."""
    mark = marker(para.text)
    if mark:
        return mark
    text = para.text.strip()
    if is_caps(text) and len(text) < 150 and not is_signer_title(text):
        return "caps", "", text
    return None


class _Builder:
    """Keeps the open path of sections while paragraphs are added in order."""

    def __init__(self) -> None:
        self.roots: list[Section] = []
        self.stack: list[tuple[float, Section, str]] = []  # (rank, section, number)
        self.ids: set[str] = set()
        self.last_top = 0

    def add_heading(self, kind: str, label: str, rest: str, bold: bool) -> None:
        """Open a new section under the nearest ancestor of lower rank."""
        rank = _RANK.get(kind, 2 + label.count("."))
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        own, number = self._label(kind, label, parent)
        section = _new_section(kind, rest, bold)
        section.id = self._unique(f"{parent[1].id}.{own}" if parent else own)
        (parent[1].children if parent else self.roots).append(section)
        self.stack.append((rank, section, number))

    def add_text(self, text: str) -> bool:
        """Append a plain paragraph to the open section; False when none is open."""
        if not self.stack:
            return False
        section = self.stack[-1][1]
        section.text = f"{section.text}\n{text}".strip()
        return True

    def _label(self, kind: str, label: str, parent) -> tuple[str, str]:
        """The id part for a new section and its plain number (for "1.2" style labels)."""
        if kind in {"roman", "caps"}:
            value = roman_value(label) if kind == "roman" else self.last_top + 1
            self.last_top = value
            return to_roman(value) if value < 40 else label, ""
        if kind == "arabic":
            return str(int(label)), str(int(label))
        if kind == "decimal":
            head, _, tail = label.rpartition(".")
            same = parent and parent[2] == ".".join(str(int(p)) for p in head.split("."))
            return (str(int(tail)) if same else label), label
        if kind == "letter":
            return label, ""
        symbol = "-" if kind == "dash" else "+"
        siblings = parent[1].children if parent else self.roots
        return f"{symbol}{sum(1 for s in siblings if s.kind == kind) + 1}", ""

    def _unique(self, section_id: str) -> str:
        """Make repeated numbering ("1." twice) yield distinct ids."""
        candidate, n = section_id, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{section_id}~{n}"
        self.ids.add(candidate)
        return candidate


def _new_section(kind: str, rest: str, bold: bool) -> Section:
    """A section whose heading is either the marked line or a short form of it."""
    rest = rest.strip()
    labelled = _LABELLED.match(rest)
    if labelled and len(labelled["label"].split()) <= 6:
        return Section("", labelled["label"].strip(), labelled["rest"], kind=kind, lead=rest)
    if kind in {"roman", "caps"}:
        return Section("", rest.rstrip(":").strip(), kind=kind, lead=rest)
    heading_like = bold or is_caps(rest) or rest.endswith(":") or not ends_sentence(rest)
    if heading_like and kind not in {"dash", "plus"}:
        return Section("", rest.rstrip(":").strip(), kind=kind, lead=rest)
    return Section("", clip(rest), rest, kind=kind, lead=rest)


def build_sections(paras: list[Para]) -> tuple[list[str], list[Section]]:
    """Sections from paragraphs; also returns paragraphs that came before any section."""
    builder, before = _Builder(), []
    for para in paras:
        mark = section_marker(para)
        if mark:
            builder.add_heading(*mark, bold=para.bold)
        elif not builder.add_text(para.text):
            before.append(para.text)
    return before, builder.roots
