"""What a question asks for: a date, a unit, a figure, a basis, the theme, reporting, a signer.

Cues are matched on folded text, so "khi nào", "khi nao" and "bao h" (→ "bao gio") agree.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    """A question type that the parser's extracted facts can answer directly."""

    WHEN = "when"
    WHO = "who"
    AMOUNT = "amount"
    BASIS = "basis"
    THEME = "theme"
    REPORT = "report"
    SIGNER = "signer"
    ISSUED = "issued"
    ISSUER = "issuer"
    RECIPIENTS = "recipients"
    PROPOSER = "proposer"


# The order is part of the suggestion ids ("qa:p:<plan>:<slot>"): append, never reorder.
INTENT_SLOTS: tuple[Intent, ...] = tuple(Intent)

_CUES: dict[Intent, re.Pattern[str]] = {
    Intent.WHEN: re.compile(
        r"\b(?:khi nao|bao gio|luc nao|chung nao|bao lau|han chot|han cuoi|thoi han|het han"
        r"|ngay nao|thoi gian|ket thuc|keo dai|den khi|toi khi|may gio|thang nao|nam nao"
        r"|ngay may|thang may"
        r"|han)\b"
    ),
    Intent.WHO: re.compile(
        r"\b(?:(?:do )?ai ban hanh|do ai|ai|don vi nao|bo phan nao|phong nao|co quan nao"
        r"|ben nao|to chuc nao"
        r"|chiu trach nhiem|phu trach|chu tri|nhiem vu|trach nhiem|lam gi)\b"
    ),
    Intent.AMOUNT: re.compile(
        r"\b(?:bao nhieu|may phan tram|phan tram|chi tieu|ti le|ty le|keo giam|giam bao nhieu"
        r"|may (?:nguoi|dua|vu|lan|diem|trieu))\b"
    ),
    Intent.BASIS: re.compile(
        r"\b(?:can cu|van ban nao|theo van ban|thuc hien theo|lam theo"
        r"|chi thi nao|ke hoach nao|nghi quyet nao|quyet dinh nao|trien khai theo"
        r"|thuc hien chi thi|theo kh)\b"
    ),
    Intent.THEME: re.compile(r"\b(?:chu de|khau hieu|thong diep|slogan)\b"),
    Intent.REPORT: re.compile(r"\bbao cao\b(?! vien)"),
    Intent.SIGNER: re.compile(
        r"\b(?:ai ky|nguoi ky|ky ten|ky ban hanh|ky ke hoach|ky van ban|ky duyet)\b"
    ),
    Intent.ISSUED: re.compile(
        r"\b(?:ban hanh|ky)\b.{0,24}\b(?:ngay nao|khi nao|bao gio|luc nao|nam nao|hom nao"
        r"|o dau|tai dau|noi nao)\b"
        r"|\b(?:so hieu|so may|so bao nhieu|ngay ban hanh|ngay ky)\b"
    ),
    Intent.ISSUER: re.compile(
        r"\b(?:co quan|don vi|cap|uy ban nhan dan|ubnd|so|tinh|huyen|ai) nao\b.{0,16}\bban hanh\b"
        r"|\b(?:do|cua) (?:co quan|don vi|cap) nao\b|\b(?:do )?ai ban hanh\b"
        r"|\bban hanh boi\b|\bco quan ban hanh\b"
    ),
    Intent.RECIPIENTS: re.compile(
        r"\bnoi nhan\b|\bkinh gui\b|\bgui (?:cho |den |toi |ve )?(?:nhung )?"
        r"(?:ai|noi nao|co quan nao|don vi nao)\b|\bgui nhung (?:ai|dau|noi nao)\b"
    ),
    Intent.PROPOSER: re.compile(r"\b(?:theo )?de nghi cua\b|\bto trinh\b|\bai de nghi\b"),
}
# Syllables that only say what kind of answer is wanted; not part of the subject.
CUE_WORDS = frozenset(
    "khi nao bao gio luc chung lau han chot cuoi thoi gian het ket thuc keo dai den toi "
    "ngay may thang nam ai chiu trach nhiem phu chu tri vu lam gi nhieu phan tram chi tieu "
    "muc dau ti ty le giam can cu dua tren vao theo thuc hien hanh trien khai de khau hieu "
    "thong diep cao ky nguoi ten duyet so hieu hom noi nhan gui kinh de nghi trinh".split()
)
# Single words that only name the document ("kế hoạch này", "của").
GENERIC_WORDS = frozenset("ke hoach trao nay cua dot minh".split())
_QUESTION = re.compile(
    r"\b(?:(?:den|toi|tu|vao) )?(?:khi nao|bao gio|luc nao|ngay nao|chung nao|dau"
    r"|ngay may|thang may|nam may)\b"
    r"|\b(?:nhu the nao|the nao|bao lau|la bao nhieu|bao nhieu"
    r"|o dau|la gi|cai gi|nhung gi|nhung ai|don vi nao|bo phan nao"
    r"|co quan nao|phong nao|ra sao|lam sao|thi sao|so may|thu may|la may"
    r"|may (?:nguoi|dua|cai|chiec|lan))\b"
)
_SIGNATURES: dict[Intent, re.Pattern[str]] = {
    Intent.WHEN: re.compile(
        r"\d{1,2}\s*/\s*\d{1,2}|\bnam \d{4}\b|\bthang \d|\bhang (?:thang|quy|nam|tuan)"
        r"|\bdinh ky\b|\bcuoi (?:thang|nam|quy)\b|\bmoi thang\b"
    ),
    Intent.WHO: re.compile(r""),  # "nhiệm vụ gì" asks for the task, not only for a unit
    Intent.AMOUNT: re.compile(
        r"\d+(?:[.,]\d+)?\s*(?:%|phan tram|nguoi|vu|diem|trieu|nghin|dong|km|lan|tuoi|mg"
        r"|tieu chi)|\b(?:mot|hai|ba|bon|tat ca|toan bo) (?:nguoi|vu|lan|diem|tieu chi)\b"
    ),
    Intent.BASIS: re.compile(r"\bso\s*\d|\d+\s*[-/]\s*[a-z]"),
    Intent.THEME: re.compile(r"chu de|[“\"]"),
    Intent.REPORT: re.compile(r"\bbao cao\b"),
    Intent.SIGNER: re.compile(r"(?!)"),
    Intent.ISSUED: re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\bso\s*\d"),
    Intent.ISSUER: re.compile(r""),
    Intent.RECIPIENTS: re.compile(r""),
    Intent.PROPOSER: re.compile(r""),
}


def detect(folded: str) -> frozenset[Intent]:
    """The intents a folded question expresses; a signer question is not a "who" question."""
    found = {intent for intent, cue in _CUES.items() if cue.search(folded)}
    if Intent.SIGNER in found:
        found.discard(Intent.WHO)
    if Intent.ISSUED in found:
        found.discard(Intent.SIGNER)
    if found & {Intent.ISSUER, Intent.RECIPIENTS, Intent.PROPOSER}:
        found -= {Intent.WHO, Intent.REPORT}  # "gửi cho ai", "cơ quan nào ban hành"
    if Intent.PROPOSER in found:
        found.discard(Intent.ISSUER)  # "theo đề nghị của cơ quan nào"
    if Intent.ISSUER in found and Intent.ISSUED in found and "ngay" not in folded:
        found.discard(Intent.ISSUED)  # "do cơ quan nào ban hành" asks who, not when
    return frozenset(found)


def cue_spans(folded: str) -> list[tuple[int, int]]:
    """Where the intent cues are in a folded question."""
    return [m.span() for cue in _CUES.values() for m in cue.finditer(folded)]


def question_spans(folded: str) -> list[tuple[int, int]]:
    """Where the interrogative phrases ("khi nào", "bao nhiêu", ...) are."""
    return [m.span() for m in _QUESTION.finditer(folded)]


def has_signature(intent: Intent, folded: str) -> bool:
    """Does a folded text look like an answer of this kind (a date, a figure, a unit)?"""
    return bool(_SIGNATURES[intent].search(folded))
