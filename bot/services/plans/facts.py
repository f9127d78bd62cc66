"""Facts found in the body: cited documents, theme, targets, reporting duties."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .dates import DATE, parse_date
from .model import Reference, ReportingDuty, Target
from .text import clean_spaces, fold_keep, sentences

Units = Iterable[tuple[str | None, str]]

_KINDS = {
    "ke hoach": "Kế hoạch",
    "chi thi": "Chỉ thị",
    "ket luan": "Kết luận",
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "quyet dinh": "Quyết định",
    "thong tu": "Thông tư",
    "cong van": "Công văn",
    "huong dan": "Hướng dẫn",
    "chuong trinh": "Chương trình",
    "thong bao": "Thông báo",
    "cong dien": "Công điện",
}
_KIND = "|".join(_KINDS)
_NUM = r"\d+(?:\s*[-/]\s*[a-z0-9]+)+"
_CITE = re.compile(rf"\b(?P<kind>{_KIND})\s+(?:(?:so|so:)\s*(?P<n1>{_NUM}|\d+\b)|(?P<n2>{_NUM}))")
_TAIL = re.compile(
    rf"\s*,?\s*(?:ngay\s+)?(?P<date>{DATE})?"
    rf"\s*(?:cua\s+(?P<issuer>.+?)(?=\s+ve\s|\s+va\s+(?:{_KIND})|\s+tiep tuc|\s+thuc hien"
    r"|\s+nham|[;,.(:]|\s*$))?"
    r"(?:\s+ve\s+(?:viec\s+)?(?P<title>[^;(:]+?)(?=[;(:]|\.(?:\s|$)|$))?"
)
_THEME = re.compile(r"chu de[^“”\"\n.;]{0,60}?[“\"](?P<t>[^”\"]{5,200})[”\"]")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%(?:\s*(?:-|–|đến|den)\s*\d+(?:[.,]\d+)?\s*%)?")
_TARGET_START = re.compile(r"\b(?:phan dau|keo giam|gop phan giam|khong de xay ra|giam)\b")
_FREQUENCIES = [
    (r"\b(?:hang|moi|cua moi|vao cuoi)\s+thang\b", "hằng tháng"),
    (r"\b(?:hang|moi)\s+quy\b|\bdinh ky quy\b", "hằng quý"),
    (r"\b(?:6|sau)\s+thang\b", "6 tháng"),
    (r"\b(?:hang|moi)\s+tuan\b", "hằng tuần"),
    (r"\b(?:hang|moi)\s+nam\b|\bcuoi nam\b", "hằng năm"),
    (r"\bdinh ky\b", "định kỳ"),
    (r"\bdot xuat\b", "đột xuất"),
]
_WHEN = re.compile(r"\b(?:truoc ngay|cham nhat|vao cac|vao cuoi|vao|theo quy dinh)\b[^.;]*")


def find_references(units: Units, basis_units: Units) -> list[Reference]:
    """Cited documents, de-duplicated by number; basis=True when cited in the preamble."""
    refs: dict[str, Reference] = {}
    for basis, group in ((True, basis_units), (False, units)):
        for _sid, text in group:
            for ref in _cites(clean_spaces(text)):
                ref.basis = basis
                known = refs.setdefault(ref.number, ref)
                known.date = known.date or ref.date
                known.issuer = known.issuer or ref.issuer
                known.title = known.title or ref.title
    return list(refs.values())


def _cites(text: str) -> Iterable[Reference]:
    """Every "Kế hoạch số 19/KH-BATGT ngày 13/3/2023 của ... về ..." in the text."""
    folded = fold_keep(text)
    for match in _CITE.finditer(folded):
        span = match.span("n1") if match["n1"] else match.span("n2")
        number = re.sub(r"\s+", "", text[slice(*span)])
        tail = _TAIL.match(folded, match.end())
        ref = Reference(_KINDS[match["kind"]], number)
        if tail:
            ref.date = parse_date(text[slice(*tail.span("date"))]) if tail["date"] else None
            ref.issuer = _piece(text, tail, "issuer")
            ref.title = _piece(text, tail, "title")
        yield ref


def _piece(text: str, match: re.Match[str], group: str) -> str | None:
    """The original-case text of a folded-regex group, trimmed."""
    if not match[group]:
        return None
    piece = text[slice(*match.span(group))]
    # A comma followed by a capital starts the next clause ("..., Sở X xây dựng ...").
    cut = next((m.start() for m in re.finditer(r",\s+", piece) if piece[m.end()].isupper()), None)
    return piece[:cut].strip(' ,.“”"')[:250] or None


def find_theme(texts: Iterable[str]) -> str | None:
    """The year's theme: the quoted slogan after "chủ đề"."""
    for text in texts:
        text = clean_spaces(text)
        match = _THEME.search(fold_keep(text))
        if match:
            return clean_spaces(text[slice(*match.span("t"))])
    return None


def find_targets(units: Units) -> list[Target]:
    """Measurable goals: percentages, "kéo giảm ...", "không để xảy ra ..."."""
    found = []
    for section_id, text in units:
        for sentence in sentences(text):
            for clause in re.split(r";\s*", sentence):
                target = _target(clause)
                if target:
                    found.append(Target(target, section_id, _figure(target)))
    return found


def _target(clause: str) -> str | None:
    """The goal part of a clause, or None when the clause states no measurable goal."""
    folded = fold_keep(clause)
    measurable = _PERCENT.search(clause) or re.search(
        r"keo giam|giam so vu|khong de xay ra|phan dau khong", folded
    )
    if not measurable:
        return None
    start = _TARGET_START.search(folded)
    begin = start.start() if start and start.start() <= measurable.start() else 0
    return clean_spaces(clause[begin:]).rstrip(".") or None


def _figure(text: str) -> str | None:
    """The percentage figure of a target ("5%-10%"), spaces removed."""
    match = _PERCENT.search(text)
    return re.sub(r"\s+", "", match.group()) if match else None


def find_reporting(units: Units) -> list[ReportingDuty]:
    """Sentences that require a report, with frequency and timing."""
    found = []
    for section_id, text in units:
        clauses = (c for s in sentences(clean_spaces(text)) for c in re.split(r";\s+", s))
        for sentence in clauses:
            folded = fold_keep(sentence)
            if not re.search(r"\bbao cao\b(?!\s+vien)", folded) or "(bao cao)" in folded:
                continue
            frequency = next((f for p, f in _FREQUENCIES if re.search(p, folded)), None)
            when = _WHEN.search(folded, folded.find("bao cao"))
            when_text = sentence[slice(*when.span())].strip(" .") if when else None
            found.append(ReportingDuty(sentence, frequency, when_text, section_id))
    return found
