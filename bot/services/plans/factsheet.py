"""The parser's facts as quotable answers, one list per intent, each placed in its section.

A fact is (quoted text, section label, context): the context (the section's text, the
title) helps match the fact to a question but is not quoted.
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.texts import t

from .citations import clip, section_label
from .intents import Intent
from .model import PlanDocument, Reference
from .text import clean_spaces, fold, sentences

_TITLE_YEAR = re.compile(r"năm\s+(\d{4})")
Fact = tuple[str, str, str]  # (quoted text, section label, context)
FALLBACK = "\0fallback"  # context marker: a weak fact, matched on the title only
Passages = list[tuple[str, str]]  # (text, section label) of the plan's passages


def plan_facts(doc: PlanDocument, passages: Passages) -> dict[Intent, list[Fact]]:
    """Facts per intent; an intent is left out when the plan states nothing for it."""
    builders = {
        Intent.WHEN: _when,
        Intent.WHO: _who,
        Intent.AMOUNT: _amount,
        Intent.BASIS: _basis,
        Intent.THEME: _theme,
        Intent.REPORT: _report,
        Intent.SIGNER: _signer,
        Intent.ISSUED: _issued,
        Intent.ISSUER: _issuer,
        Intent.RECIPIENTS: _recipients,
        Intent.PROPOSER: _proposer,
    }
    found = {intent: build(doc, passages) for intent, build in builders.items()}
    return {intent: facts for intent, facts in found.items() if facts}


def _where(doc: PlanDocument, section_id: str | None, text: str) -> tuple[str, str]:
    """Section label and heading context of a fact; unnumbered facts are placed by text."""
    if section_id:
        section = doc.section(section_id)
        body = " ".join(f"{s.heading} {s.lead} {s.text}" for s in section.walk()) if section else ""
        return section_label(section_id), body
    probe = clean_spaces(text)[:60]
    if probe and probe in clean_spaces(doc.preamble):
        return t("qa.section_preamble"), ""
    return t("qa.section_closing"), ""


def _when(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Periods, then deadlines; else the campaign year named in the title."""
    items = [(p.text, p.section_id) for p in doc.periods if p.end or p.start]
    items += [(d.text, d.section_id) for d in doc.deadlines]
    facts = _unique([(text, *_where(doc, sid, text)) for text, sid in items])
    year = _TITLE_YEAR.search(doc.title or "")
    if not facts and year:
        text = t("qa.when_title", year=year[1], title=clip(doc.title or "", 160))
        facts.append((text, t("qa.section_title"), FALLBACK))
    return facts


def _who(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Responsible units with their tasks; the whole section backs the match."""
    facts = []
    for duty in doc.responsible:
        text = f"{duty.unit}: {duty.task}" if duty.task else duty.unit
        section, body = _where(doc, duty.section_id, duty.task)
        facts.append((clip(text, 400), section, f"{text} {body}"))
    return _unique(facts)


def _amount(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Targets; those with a figure first."""
    targets = sorted(doc.targets, key=lambda x: x.figure is None)
    return _unique([(x.text, *_where(doc, x.section_id, x.text)) for x in targets])


def _basis(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """The documents the plan says it implements, in one fact."""
    refs = [r for r in doc.references if r.basis]
    if not refs:
        return []
    in_preamble = any(r.number in doc.preamble for r in refs)
    section = t("qa.section_preamble" if in_preamble else "qa.section_title")
    text = t("qa.basis", refs="; ".join(_reference(r) for r in refs))
    return [(text, section, doc.preamble[:300])]


def _reference(ref: Reference) -> str:
    """ "Kế hoạch số 19/KH-BATGT ngày 13/03/2023 của Ban An toàn giao thông tỉnh"."""
    text = f"{ref.kind} số {ref.number}"
    text += f" ngày {_date(ref.date)}" if ref.date else ""
    text += f" của {ref.issuer}" if ref.issuer else ""
    return text + (f" về {clip(ref.title, 120)}" if ref.title else "")


def _theme(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """The theme, quoted from the sentence of the first passage that states it."""
    if not doc.theme:
        return []
    for text, section in passages:
        if doc.theme in clean_spaces(text) and section != t("qa.section_title"):
            sentence = next((s for s in sentences(text) if doc.theme in clean_spaces(s)), text)
            return [(_clip_at(clean_spaces(sentence), doc.theme), section, "")]
    return [(t("qa.theme", theme=doc.theme), t("qa.section_preamble"), "")]


def _report(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Reporting duties as stated."""
    return _unique([(r.text, *_where(doc, r.section_id, r.text)) for r in doc.reporting])


def _signer(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Who signed the plan."""
    if not doc.signer_name:
        return []
    title = doc.signer_title or ""
    text = t("qa.signer_title" if title else "qa.signer", name=doc.signer_name, title=title)
    return [(text, t("qa.section_signer"), t("qa.signer_context"))]


def _issued(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Number, place and date of the plan."""
    if not (doc.number or doc.date):
        return []
    parts = [t("qa.issued_number", number=doc.number)] if doc.number else []
    if doc.date:
        parts.append(t("qa.issued_date", date=_date(doc.date), place=doc.place or ""))
    return [(" ".join(parts).replace("  ", " ") + ".", t("qa.section_header"), "")]


def _issuer(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """Who issued the document (and who decides, for a decision)."""
    if not doc.issuer:
        return []
    issuer = clean_spaces(doc.issuer)
    key = "qa.issuer_place" if doc.place and fold(doc.place) not in fold(issuer) else "qa.issuer"
    text = t(key, issuer=issuer, place=doc.place or "")
    if doc.authority and fold(doc.authority) != fold(issuer):
        text += " " + t("qa.authority", authority=doc.authority)
    return [(text, t("qa.section_header"), "co quan ban hanh")]


def _recipients(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """ "Nơi nhận" (or "Kính gửi") as one list."""
    if not doc.recipients:
        return []
    items = "; ".join(clean_spaces(r).rstrip(" ;.,") for r in doc.recipients)
    return [(t("qa.recipients", items=items), t("qa.section_closing"), "noi nhan gui")]


def _proposer(doc: PlanDocument, passages: Passages) -> list[Fact]:
    """ "Theo đề nghị của …" of a decision."""
    if not doc.proposer:
        return []
    text = t("qa.proposer", proposer=doc.proposer)
    return [(text, t("qa.section_preamble"), "de nghi to trinh")]


def _unique(facts: list[Fact]) -> list[Fact]:
    """Facts with the same quoted text once."""
    seen: set[str] = set()
    return [f for f in facts if not (f[0] in seen or seen.add(f[0]))]  # type: ignore[func-returns-value]


def _date(value: date) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def _clip_at(text: str, anchor: str, width: int = 360) -> str:
    """A window of a long sentence that keeps `anchor` in view."""
    if len(text) <= width:
        return text
    start = max(0, text.find(anchor) - 80)
    if start:
        start = text.find(" ", start) + 1  # begin at a word
    piece = clip(text[start:], width)
    return ("…" if start else "") + piece
