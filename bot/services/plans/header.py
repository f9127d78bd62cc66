"""The document's opening (number, place, date, issuer, title) and closing block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import parse_date
from .layout import Para, is_signer_title, line_kind, marker
from .text import PAGE, clean_spaces, ends_sentence, fold, fold_keep, is_caps, strip_emphasis

_OPENERS = ("can cu", "thuc hien", "tren day")
_ORG_START = re.compile(
    r"\b(?:BAN|PHÒNG|SỞ|ĐẢNG ỦY|ĐẢNG UỶ|UBND|ỦY BAN|UỶ BAN|CÔNG AN|(?<!LIÊN )ĐOÀN)\b"
)
_BUILDS = re.compile(r"\b(?:xay dung|ban hanh|trien khai)\s+(?:va\s+\S+\s+)?ke hoach\b")
_SURNAMES = re.compile(
    r"(?:nguyen|tran|le|pham|hoang|huynh|phan|vu|vo|dang|bui|do|ho|ngo|duong|ly|dinh|dao"
    r"|doan|lam|mai|trinh|truong|ha|cao|luu|luong|tang|thai|chau|quach|ton|ta|kieu|la|lai)"
)
_NOT_NAMES = re.compile(r"(?:ban|so|phong|van|cac|luu|uy|cong|trung|hoi|doan|chi|noi|kt|tm)")


@dataclass
class Header:
    """What the opening lines say; body_start indexes the first non-header paragraph."""

    number: str | None = None
    place: str | None = None
    date: date | None = None
    issuer: str | None = None
    title: str | None = None
    has_header: bool = False
    body_start: int = 0


@dataclass
class Closing:
    """Recipients and signer read from the closing block."""

    recipients: list[str] = field(default_factory=list)
    signer_name: str | None = None
    signer_title: str | None = None


def read_header(paras: list[Para]) -> Header:
    """Read number, place-date, issuer lines, "KẾ HOẠCH" and the title from the top."""
    head = Header()
    plan_seen = False
    for i, para in enumerate(paras):
        head.body_start = i
        text, kind = para.text, line_kind(para.text)
        if _is_structural(para):
            return head
        if kind in {"motto", "number", "place_date", "plan"}:
            head.has_header = True
            plan_seen = plan_seen or kind == "plan"
            _read_header_line(head, text, kind)
        elif not plan_seen and head.title is None and _plan_with_title(text):
            plan_seen = head.has_header = True
            head.title = text.split(maxsplit=2)[2]
        elif not plan_seen and is_caps(text) and not fold(text).startswith(_OPENERS):
            head.issuer, head.has_header = _org_segment(text), True
        elif (
            plan_seen
            and head.title is None
            and (para.bold or is_caps(text) or not fold(text).startswith(_OPENERS))
        ):  # "THỰC HIỆN CHIẾN LƯỢC …" in capitals is the title, not a "Thực hiện …" preamble
            head.title = clean_spaces(f"{head.title or ''} {text}").rstrip(".")
        else:
            return head
    head.body_start = len(paras)
    return head


def _is_structural(para: Para) -> bool:
    """True for a numbered heading (I., 1., 1.1., a)) that ends the header."""
    mark = marker(para.text)
    return bool(mark and mark[0] in {"roman", "arabic", "decimal", "letter"})


def _plan_with_title(text: str) -> bool:
    """True for "KẾ HOẠCH Phát động ..." written on one line."""
    words = text.split()
    return len(words) > 2 and fold(" ".join(words[:2])) == "ke hoach" and words[1].isupper()


def _read_header_line(head: Header, text: str, kind: str) -> None:
    """Fill number or place/date from one header line."""
    plain = strip_emphasis(text)
    if kind == "number":
        number = re.sub(r"^\S+\s*[:.]?\s*", "", plain)
        number = re.sub(r"\s*([-/])\s*", r"\1", number).strip()
        head.number = number if re.search(r"\d", number) else None
    elif kind == "place_date":
        place, _, rest = plain.partition(",")
        head.place, head.date = place.strip(), parse_date(rest)


def _org_segment(text: str) -> str:
    """The last organisation name in a capitals issuer line ("UBND HUYỆN X BAN ATGT")."""
    starts = [m.start() for m in _ORG_START.finditer(text) if m.start() > 0]
    return clean_spaces(text[starts[-1] :] if starts else text)


def issuer_from_text(*texts: str) -> str | None:
    """The unit in "... , Sở Ngoại vụ xây dựng Kế hoạch ..." or "Kế hoạch ... của X"."""
    for text in texts:
        folded = fold_keep(text)
        match = _BUILDS.search(folded)
        if not match:
            continue
        before = text[: match.start()]
        unit = re.split(r"[.;,:)(\n]\s*|\bnên\s+", before)[-1].strip()
        if unit[:1].isupper() and 1 <= len(unit.split()) <= 12:
            return unit
    return None


def read_closing(lines: list[str]) -> Closing:
    """Recipients ("Nơi nhận"), signer title lines and the signer's name."""
    out, titles, mode = Closing(), [], ""
    for raw in lines:
        line = strip_emphasis(raw)
        if not line or line == PAGE or re.fullmatch(r"[(\[].*(ký|ky|dấu).*[)\]]", line):
            continue
        if fold(line).startswith("noi nhan"):
            mode = "recipients"
            rest = line.partition(":")[2].strip()
            out.recipients += [_recipient(r) for r in re.split(r"(?:^|\s)[-+•]\s+", rest) if r]
        elif re.match(r"^[-+•]\s*\S", line) or re.match(r"luu\s*[:.]|luu\s+v[tp]\b", fold(line)):
            out.recipients.append(_recipient(line))
        elif out.signer_name is None and (is_signer_title(line) or is_caps(line)):
            titles.append(line)
        elif out.signer_name is None and is_person_name(line):
            out.signer_name = line
        elif mode == "recipients" and out.recipients and line[:1].islower():
            out.recipients[-1] = f"{out.recipients[-1]} {_recipient(line)}"
        elif out.signer_name and len(line.split()) <= 8 and not ends_sentence(line):
            titles.append(f"({line}")
    out.recipients = [r for r in out.recipients if r]
    out.signer_title = _join_titles(titles)
    return out


def _join_titles(titles: list[str]) -> str | None:
    """ "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"; notes after the name stay in parentheses."""
    joined = ""
    for title in titles:
        sep = ", " if title.startswith("(") else " / "
        joined = f"{joined}{sep}{title}" if joined else title
    return joined.replace(", (", ", ") or None


def _recipient(text: str) -> str:
    """One recipient entry without its bullet and trailing punctuation."""
    return re.sub(r"^[-+•]\s*", "", text).strip().rstrip(";,.").strip()


def is_person_name(line: str) -> bool:
    """True for a Vietnamese personal name line such as "Nguyễn Thanh Luân"."""
    words = line.split()
    if not 2 <= len(words) <= 6 or any(not w.isalpha() for w in words):
        return False
    if not all(w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words):
        return False
    first = fold(words[0])
    return bool(_SURNAMES.fullmatch(first)) or not _NOT_NAMES.fullmatch(first)
