"""Searchable entries: plan passages, facts the parser extracted, and law items, with citations."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from bot.content import Content, QuizItem
from bot.core.texts import t

from .citations import clip, document_label, section_label
from .factsheet import FALLBACK, plan_facts
from .intents import INTENT_SLOTS, Intent
from .model import PlanDocument
from .parse import iter_passages
from .tokens import terms

FIRST_SECTION_SLOT = len(INTENT_SLOTS)


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable thing; `tf` counts its terms (text and headings), for BM25 and coverage."""

    kind: str  # "passage", "fact" or "law"
    text: str  # what the answer quotes
    section: str  # citation section, e.g. "Mục III.2.a"
    tf: dict[str, int]
    length: int
    context_only: frozenset[str] = frozenset()  # terms from headings, not from the text
    heading: str = ""  # short label for a suggestion button
    intent: Intent | None = None
    slot: int = -1  # index in the plan's suggestion list
    item_id: str = ""  # law items: the content id
    document: str = ""  # law items: the cited documents


@dataclass(slots=True)
class PlanBundle:
    """Everything searchable about one stored plan."""

    plan_id: int
    fingerprint: str
    document: str  # citation: number and date, else title, else file name
    passages: list[Entry]
    facts: dict[Intent, list[Entry]] = field(default_factory=dict)
    title_terms: frozenset[str] = frozenset()
    number: str = ""  # the document's number ("209" of "209/KH-BGDĐT"), for selection

    def slot(self, slot: int) -> Entry | list[Entry] | None:
        """What suggestion `slot` answers: the facts of an intent, or one passage."""
        if 0 <= slot < FIRST_SECTION_SLOT:
            return self.facts.get(INTENT_SLOTS[slot]) or None
        index = slot - FIRST_SECTION_SLOT
        return self.passages[index] if 0 <= index < len(self.passages) else None


def entry(
    kind: str, text: str, section: str, context: str = "", *, match: str | None = None, **extra
) -> Entry:
    """An entry indexed on `match` (default: its text) plus context (headings, titles);
    terms found only in the context are remembered, as they earn less credit."""
    own = terms(text if match is None else match)
    around = terms(context) if context else []
    counts = Counter(sys.intern(term) for term in own + around)
    context_only = frozenset(around).difference(own)
    return Entry(kind, text, section, dict(counts), sum(counts.values()), context_only, **extra)


def build_plan(plan_id: int, fingerprint: str, file_name: str, doc: PlanDocument) -> PlanBundle:
    """Passages and facts of one parsed plan."""
    when = doc.date.strftime("%d/%m/%Y") if doc.date else ""
    context = " ".join(x for x in (doc.title, doc.issuer, doc.place, doc.number, when) if x)
    passages = [
        entry(kind, text, label, ctx, match=match, heading=heading, slot=FIRST_SECTION_SLOT + i)
        for i, (kind, text, label, ctx, heading, match) in enumerate(_passages(doc))
    ]
    bundle = PlanBundle(plan_id, fingerprint, document_label(doc, file_name), passages)
    bundle.title_terms = frozenset(terms(context))
    bundle.number = number_key(doc.number) or _announced_number(doc)
    bundle.facts = _facts(doc, passages, context)
    return bundle


def number_key(number: str | None) -> str:
    """The leading figure of a document number ("053" of "053/KH-UB" -> "53"), or ""."""
    match = re.match(r"\s*0*(\d+)", number or "")
    return match[1] if match else ""


_ANNOUNCED = re.compile(
    r"ban h\w*nh (?:kèm theo )?(?:Kế ho\w*|Công văn|Quyết định|Chỉ thị|Công điện)\s+"
    r"(?:s\w*\s+)?0*(\d+)\s*[/-]"
)


def _announced_number(doc: PlanDocument) -> str:
    """The number of a plan relayed by a web post ("UBND tỉnh ban hành Kế hoạch số
    84/KH-UBND …") when the text has no number line of its own."""
    match = _ANNOUNCED.search(doc.preamble[:800])
    return match[1] if match else ""


def _passages(doc: PlanDocument) -> list[tuple[str, str, str, str, str, str | None]]:
    """(kind, text, section, context, button label, match) for the title, the parser's
    passages, and every section with sub-items (found by its heading, quoting its items)."""
    out: list[tuple[str, str, str, str, str, str | None]] = []
    if doc.title:
        label = t("qa.section_title")
        out.append(("passage", doc.title, label, "", label, None))
    for p in iter_passages(doc):
        label = section_label(p.section_id, p.path)
        heading = f"{label}: {clip(p.path[-1], 60)}" if p.section_id else label
        context = " ".join(p.path[-2:]) if p.section_id else ""
        out.append(("passage", p.text, label, context, heading, None))
    for section in doc.walk():
        if section.children:
            label = section_label(section.id)
            text = "\n".join(s.text for s in section.walk() if s is not section and s.text)
            heading = f"{label}: {clip(section.heading, 60)}"
            match = f"{section.heading} {section.lead}"
            out.append(("section", text[:1500], label, "", heading, match))
    return out


def _facts(doc: PlanDocument, passages: list[Entry], context: str) -> dict[Intent, list[Entry]]:
    """Fact entries per intent, matched on their text plus section and title."""
    pairs = [(p.text, p.section) for p in passages]
    return {
        intent: [
            _fact_entry(text, section, ctx, context, intent, INTENT_SLOTS.index(intent))
            for text, section, ctx in facts
        ]
        for intent, facts in plan_facts(doc, pairs).items()
    }


def _fact_entry(text: str, section: str, ctx: str, title: str, intent: Intent, slot: int) -> Entry:
    """A fact entry; a fallback is matched on the title alone, not on its framing words."""
    if ctx == FALLBACK:
        return entry("fallback", text, section, match=title, intent=intent, slot=slot)
    return entry("fact", text, section, f"{ctx} {title}", intent=intent, slot=slot)


def build_law(content: Content) -> list[Entry]:
    """Quizzes (question and explanation) and reminders, cited by their legal basis."""
    out = []
    for item in (*content.quizzes, *content.reminders):
        document, section = _law_citation(item.basis)
        if isinstance(item, QuizItem):
            text, context, heading = item.explanation, item.question, item.question
        else:
            text, context, heading = item.text, "", item.text
        out.append(
            entry(
                "law",
                text,
                section,
                context,
                heading=clip(heading, 60),
                item_id=item.id,
                document=document,
            )
        )
    return out


def _law_citation(basis) -> tuple[str, str]:
    """("Nghị định 168/2024/NĐ-CP", "điểm a khoản 6 Điều 7; khoản 13 Điều 7")."""
    documents = list(dict.fromkeys(ref.document_label for ref in basis))
    sections = [ref.provision for ref in basis]
    return "; ".join(documents), "; ".join(dict.fromkeys(s for s in sections if s))
