"""How answers cite plans: document labels and section labels, in the catalog's words."""

from __future__ import annotations

import re

from bot.core.texts import t

from .model import PlanDocument
from .parse import CLOSING_LABEL, PREAMBLE_LABEL
from .text import clean_spaces, fold


def section_label(section_id: str, path: tuple[str, ...] = ()) -> str:
    """ "III.2.a" -> "Mục III.2.a"; "I.1.-2" -> "Mục I.1, ý 2"; unnumbered parts by name."""
    if not section_id:
        head = path[0] if path else PREAMBLE_LABEL
        named = {PREAMBLE_LABEL: "qa.section_preamble", CLOSING_LABEL: "qa.section_closing"}
        return t(named[head]) if head in named else head
    parts = re.sub(r"~\d+", "", section_id).split(".")
    numbered = ".".join(p for p in parts if p[:1] not in {"-", "+"})
    bullets = [p[1:] for p in parts if p[:1] in {"-", "+"}]
    if bullets and numbered:
        return t("qa.section_item", id=numbered, n=bullets[0])
    return t("qa.section", id=numbered or section_id)


def document_label(doc: PlanDocument, file_name: str) -> str:
    """How a plan is cited: number and date; else its title (and issuer); else the file."""
    if doc.number:
        when = doc.date.strftime("%d/%m/%Y") if doc.date else ""
        return t("qa.doc_number_date" if when else "qa.doc_number", number=doc.number, date=when)
    if doc.title:
        title = clip(doc.title, 140)
        issuer = doc.issuer or ""
        if issuer and fold(issuer) not in fold(title):
            return t("qa.doc_title_issuer", title=title, issuer=issuer)
        return t("qa.doc_title", title=title)
    return t("qa.doc_unknown", file=file_name)


def clip(text: str, width: int) -> str:
    """One line, at most `width` characters, cut at a word."""
    text = clean_spaces(text)
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
