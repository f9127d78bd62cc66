"""Line layout: classify lines, split glued documents, re-join hard-wrapped paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from .text import PAGE, ends_sentence, fold, is_caps, starts_lower, strip_emphasis

# Marker patterns run on the text with emphasis removed.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("roman", re.compile(r"^(?P<n>[IVX]{1,6})\s*[.):]\s*(?=\S)")),
    ("decimal", re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\)?\s+(?=\S)")),
    ("arabic", re.compile(r"^(?P<n>\d{1,2})\s*[.)](?:\s+|(?=[^\W\d_]))")),
    ("letter", re.compile(r"^(?P<n>[a-zđ])\s*[).]\s+(?=\S)")),
    ("dash", re.compile(r"^[-–—−•·▪●◦]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\s*(?=\S)")),
]
_NUMBER_LINE = re.compile(r"^so\s*[:.]?\s*(?P<n>\d*\s*[-/]?\s*[a-z0-9]+(?:\s*[-/]\s*[a-z0-9]+)+)")
_PLACE_DATE = re.compile(r"^(?P<place>[^\d,;:.]{2,40}),\s*ngay\b[^\n]{0,20}?nam\s+\d{4}")
_PLACE_NUMERIC = re.compile(r"^(?P<place>[^\d,;:.]{2,40}),\s*(?:ngay\s+)?\d{1,2}/\d{1,2}/\d{4}$")
_SIGNER_PREFIX = re.compile(r"^(?:kt|tm|t/m|t\.m|tl|t/l|q|k/t|tuq|ttl|tu\.q)\s*[.:]?\s+\S")
_SIGNER_WORDS = re.compile(
    r"^(?:pho\s+)?(?:giam doc|truong ban|chu tich|bi thu|truong phong|chanh van phong"
    r"|hieu truong|thu truong|tong giam doc|cuc truong|chi cuc truong|vien truong"
    r"|chanh an|chu nhiem)\b"
)
_OPENERS = ("Căn cứ ", "Thực hiện ", "Trên đây ", "Nơi nhận")


def marker(text: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) when the text starts with a heading or bullet marker."""
    text = strip_emphasis(text)
    for kind, pattern in MARKERS:
        match = pattern.match(text)
        if match and (kind != "roman" or roman_value(match["n"])):
            label = match.groupdict().get("n") or ""
            return kind, label, strip_emphasis(text[match.end() :])
    return None


def roman_value(numeral: str) -> int:
    """Integer value of a Roman numeral from 1 to 30; 0 when it is not a valid one."""
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(numeral, [*numeral[1:], ""], strict=True):
        total += -values[a] if b and values[a] < values[b] else values[a]
    return total if 0 < total <= 30 and to_roman(total) == numeral else 0


def to_roman(value: int) -> str:
    """Roman numeral for 1..39."""
    tens, units = divmod(value, 10)
    digits = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    return "X" * tens + digits[units]


def line_kind(line: str) -> str | None:
    """The header or closing role of a line (number, place_date, plan, motto, ...)."""
    text = strip_emphasis(line)
    folded = fold(text).strip()
    if _NUMBER_LINE.match(folded) and text[:1].isupper():
        return "number"
    if (_PLACE_DATE.match(folded) or _PLACE_NUMERIC.match(folded)) and text[:1].isupper():
        return "place_date"
    if re.fullmatch(r"ke hoach\s*:?", folded):
        return "plan"
    if "cong hoa xa hoi chu nghia" in folded or re.match(r"doc lap\s*[-–—]\s*tu do", folded):
        return "motto"
    if folded.startswith("noi nhan"):
        return "recipients"
    if is_signer_title(line):
        return "signer"
    return None


def is_signer_title(line: str) -> bool:
    """True for signer title lines such as "KT. GIÁM ĐỐC" or "T/M BAN THƯỜNG VỤ"."""
    text = strip_emphasis(line)
    folded = fold(text)
    if not text or len(text.split()) > 8 or marker(text):
        return False
    if _SIGNER_PREFIX.match(folded):
        return True
    if is_caps(text):
        return bool(_SIGNER_WORDS.match(folded)) or folded.startswith("truong ")
    short = len(text.split()) <= 4 and not ends_sentence(text) and text[:1].isupper()
    return short and bool(_SIGNER_WORDS.match(folded))


def split_documents(lines: list[str]) -> list[list[str]]:
    """Split lines where a new document header follows the end (or body) of another."""
    chunks: list[list[str]] = []
    start, seen_body, seen_closing = 0, False, False
    for i, line in enumerate(lines):
        kind = line_kind(line)
        mark = marker(line)
        if kind in {"recipients", "signer"} and seen_body:
            seen_closing = True
        elif mark and mark[0] in {"roman", "arabic"}:
            seen_body = True
        anchor = kind in {"number", "plan", "motto"} or (kind == "place_date" and seen_closing)
        if anchor and (seen_closing or seen_body) and i > start:
            cut = _header_start(lines, start, i)
            chunks.append(lines[start:cut])
            start, seen_body, seen_closing = cut, False, False
    chunks.append(lines[start:])
    return [c for c in chunks if any(line.strip() and line != PAGE for line in c)]


def _header_start(lines: list[str], start: int, anchor: int) -> int:
    """Walk back from an anchor over the new document's issuer lines (capitals)."""
    cut, k = anchor, anchor - 1
    while k > start:
        line = lines[k]
        if not line or line == PAGE:
            k -= 1
        elif is_caps(line) and not is_signer_title(line) and not marker(line):
            cut, k = k, k - 1
        else:
            break
    return cut


def closing_start(lines: list[str]) -> int:
    """Index where the closing block (recipients, signer) starts; len(lines) if none."""
    body_from = next((i for i, line in enumerate(lines) if marker(line)), 0)
    for i in range(body_from, len(lines)):
        if line_kind(lines[i]) in {"recipients", "signer"} and not _decides(lines, i):
            return i
    return len(lines)


def _decides(lines: list[str], i: int) -> bool:
    """A capitals line followed by "Căn cứ …" names who decides ("CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH" at the top of a decision); it is not the signature block."""
    after = next((line for line in lines[i + 1 :] if line.strip()), "")
    return fold(after).startswith(("can cu", "xet de nghi", "theo de nghi"))


@dataclass
class Para:
    """A logical paragraph re-joined from physical lines."""

    text: str
    bold: bool = False


def join_paragraphs(lines: list[str]) -> list[Para]:
    """Re-join hard-wrapped lines; blank lines and page breaks separate paragraphs."""
    width = wrap_width(lines)
    paras: list[Para] = []
    cur: list[str] = []
    brk: str | None = None
    for line in lines:
        if line == PAGE or not line:
            brk = "page" if line == PAGE or brk == "page" else "blank"
            continue
        if cur and _should_join(cur, line, brk, width):
            cur.append(line)
        else:
            _flush(cur, paras)
            cur = [line]
        brk = None
    _flush(cur, paras)
    return paras


def wrap_width(lines: list[str]) -> int | None:
    """Typical length of hard-wrapped lines (those followed by a lowercase continuation)."""
    sizes = sorted(len(a) for a, b in pairwise(lines) if a and b != PAGE and _continues(b))
    return sizes[len(sizes) // 2] if len(sizes) >= 3 else None


def _continues(line: str) -> bool:
    """True when a line reads as the middle of a sentence (lowercase or digit start)."""
    text = strip_emphasis(line)
    return bool(text) and (starts_lower(text) or (text[0].isdigit() and not marker(text)))


def _bold(raw: str) -> bool:
    """True when the text after any marker is wrapped in ** (a bold heading)."""
    raw = raw.strip()
    rest = raw
    for _kind, pattern in MARKERS[:4]:
        match = pattern.match(raw.lstrip("*"))
        if match:
            rest = raw.lstrip("*")[match.end() :].strip()
            break
    return any(t.startswith("**") and t.endswith("**") and len(t) > 4 for t in (raw, rest))


def _flush(cur: list[str], paras: list[Para]) -> None:
    """Turn collected raw lines into a Para."""
    if cur:
        raw = " ".join(cur)
        paras.append(Para(re.sub(r"\s+", " ", strip_emphasis(raw)), _bold(raw)))


def _standalone(line: str) -> bool:
    """Lines that never take a continuation: KẾ HOẠCH, Số:, place-date, motto, Nơi nhận."""
    return line_kind(line) in {"number", "place_date", "plan", "motto", "recipients", "signer"}


def _starts_block(cur: list[str], line: str) -> bool:
    """True when the line must start a new paragraph."""
    text = strip_emphasis(line)
    mark = marker(text)
    if mark and mark[0] in {"dash", "plus"} and starts_lower(mark[2]):
        return ends_sentence(cur[-1])  # "chính trị -\nxã hội" is a wrapped hyphen
    if mark or _standalone(line) or text.startswith(_OPENERS):
        return True
    return is_caps(text) and not is_caps(" ".join(cur))


def _heading_like(cur: list[str], width: int | None) -> bool:
    """True when the collected lines look like a finished heading or paragraph."""
    if _bold(" ".join(cur)) and " ".join(cur).count("**") % 2 == 0:
        return True
    last = strip_emphasis(cur[-1])
    if width and len(last) > 1.25 * width:
        return True  # far longer than the wrap width: an unwrapped, finished paragraph
    if last.endswith((",", "-", "–")):
        return False
    if width:  # a line well short of the wrap width ended its paragraph
        return len(last) < (0.75 if len(cur) == 1 else 0.6) * width
    return len(cur) == 1 and len(last) < (60 if marker(last) else 40)


def _should_join(cur: list[str], line: str, brk: str | None, width: int | None) -> bool:
    """Decide whether a physical line continues the current paragraph."""
    if _standalone(cur[0]) or _starts_block(cur, line):
        return False
    if brk is None and " ".join(cur).count("**") % 2 == 1:
        return True  # inside a bold span that wraps over several lines
    if ends_sentence(cur[-1]):
        return False
    if _continues(line):
        return True
    if brk == "blank":
        return False
    if is_caps(" ".join(cur)):
        return brk is None and is_caps(line)
    return not _heading_like(cur, width)
