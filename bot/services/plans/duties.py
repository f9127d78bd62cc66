"""Responsible units: who must do what, from the implementation section and the closing."""

from __future__ import annotations

import re

from .model import Responsibility, Section
from .text import clean_spaces, fold, fold_keep, sentences, strip_marks

# Patterns run on text without diacritics, so typos in accents do not matter.
_UNIT_HEAD = re.compile(
    r"^(?:van phong|phong|ban|so|cac|lanh dao|uy ban|ubnd|cong an|doan|hoi|trung tam"
    r"|cong doan|dang uy|cap uy|chi bo|truong|bo|cuc|chi cuc|thanh tra|mat tran|mttq|dai"
    r"|to|doi|tram|thu truong|chu tich|giam doc|pho|hieu truong|co quan|don vi|hoi dong"
    r"|bch|chi doan|hat|kho bac|vien|hdnd|nguoi dung dau|cong ty|tong cong ty|benh vien"
    r"|canh sat|lien doan|huyen doan|tinh doan|xa doan|thi doan)\s"
)
_NOT_UNIT = re.compile(
    r"^(?:to chuc|ban hanh|doan ket|truong hop|doi moi|doi voi|so luong|so vu|bo sung"
    r"|bo tri|phong chong|phong ngua|hoi nghi|dai dien|pho bien|cac bien phap|cac hoat dong)\b"
)
# Verbs are matched case-sensitively: "Ban Chỉ đạo" is a name, "chỉ đạo" is a verb.
_VERBS = re.compile(
    r"\b(?:co trach nhiem|chiu trach nhiem|chu tri|phoi hop|thuc hien|trien khai|to chuc"
    r"|ban hanh|can cu|tham muu|chi dao|huong dan|theo doi|xay dung|phu trach|duoc giao"
    r"|tang cuong|day manh|kiem tra|tuyen truyen|ra soat|bo tri|long ghep|de nghi"
    r"|nghien cuu|quan triet|pho bien|tong hop|bao cao|don doc|tiep tuc|van dong"
    r"|bao dam|dam bao|cung cap|cap nhat|nghiem tuc|thuong xuyen)\b"
)
_ASKS = re.compile(r"\b(?:de nghi|yeu cau|giao cho)\s+")
_DETERMINERS = {"cac", "nhung", "moi", "va"}
_IMPLEMENTATION = ("to chuc thuc hien", "trach nhiem", "phan cong")


def find_responsible(sections: list[Section], closing: str) -> list[Responsibility]:
    """Units named at the start of items under "Tổ chức thực hiện", plus closing requests."""
    found: list[Responsibility] = []
    for top in sections:
        if not any(k in fold(top.heading) for k in _IMPLEMENTATION):
            continue
        for section in top.walk():
            if section is not top:
                found.extend(_from_item(section))
    for sentence in sentences(closing):
        found.extend(_from_request(sentence))
    return found


def _from_item(section: Section) -> list[Responsibility]:
    """A unit named at the start of one item ("Văn phòng Sở có trách nhiệm: ...")."""
    split = split_unit(section.lead)
    if not split:
        return []
    unit, task = split
    extra = [section.text] if section.text and section.text not in section.lead else []
    extra += [child.lead for child in section.children]
    task = "; ".join(t.rstrip(".;: ") for t in [task, *extra] if t and t.rstrip(".;: "))
    return [Responsibility(unit, clean_spaces(task), section.id)]


def split_unit(text: str) -> tuple[str, str] | None:
    """(unit, task) when the text starts with an organisation followed by a verb or colon."""
    text = clean_spaces(text)
    lower = fold_keep(text)
    if not _UNIT_HEAD.match(lower) or _NOT_UNIT.match(lower):
        return None
    colon = re.match(r"^([^:;.]{2,80}):\s*(.*)$", text)
    verb = _first_verb(text)
    if colon and len(colon[1].split()) <= 10 and (verb is None or colon.end(1) < verb):
        return colon[1].strip(), colon[2].strip()
    if verb is None:
        return None
    task = text[verb:].strip()
    task = "" if re.fullmatch(r"(?:co|chiu) trach nhiem\s*:?", fold_keep(task)) else task
    return text[:verb].strip(" ,"), task


def _first_verb(text: str) -> int | None:
    """Index of the first verb that follows a plausible unit name."""
    bare = strip_marks(text)
    for verb in _VERBS.finditer(bare):
        words = bare[: verb.start()].split()
        if words and words[-1].lower() not in _DETERMINERS and len(words) <= 12:
            return verb.start()
    return None


def _from_request(sentence: str) -> list[Responsibility]:
    """ "... đề nghị các phòng, trung tâm thuộc Sở triển khai thực hiện ..." in the closing."""
    ask = _ASKS.search(fold_keep(sentence))
    if not ask:
        return []
    rest = sentence[ask.end() :]
    verb = _first_verb(rest)
    if verb is None:
        return []
    return [Responsibility(rest[:verb].strip(" ,"), rest[verb:].strip(" ./"), None)]
