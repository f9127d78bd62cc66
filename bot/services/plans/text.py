"""Text helpers: diacritic folding, input normalisation and line predicates."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PAGE = "\f"  # sentinel line marking a page break

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u3000\u2002\u2003\u2009]")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:(?:trang|page)\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$")
_COLUMN_GAP = re.compile(r"(?<=\S)[ ]{4,}(?=\S)")
_END = re.compile(r"[.!?…;:][\"”’»)\]*]*$")
_STRICT_END = re.compile(r"[.!?…][\"”’»)\]*/.]*$")


def fold(text: str) -> str:
    """Fold Vietnamese text for matching: NFD, drop combining marks, đ→d, lowercase."""
    if text.isascii():  # questions typed without diacritics, and text folded already
        return text.lower()
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").lower()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One folded character, or the input when folding would change the length."""
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


@lru_cache(maxsize=4096)
def _strip_char(ch: str) -> str:
    """One character without diacritics, case kept."""
    bare = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return bare if len(bare) == 1 else ch


def strip_marks(text: str) -> str:
    """Drop diacritics but keep case, character by character (indices are preserved)."""
    return "".join(_strip_char(ch) for ch in text)


def fold_keep(text: str) -> str:
    """Fold character by character so indices into the result match the NFC input."""
    return "".join(_fold_char(ch) for ch in text)


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis markers (``**bold**``, ``*italic*``)."""
    return re.sub(r"\*+", "", text).strip()


def clean_spaces(text: str) -> str:
    """Collapse runs of whitespace into one space."""
    return re.sub(r"\s+", " ", text).strip()


def normalize_lines(text: str) -> list[str]:
    """Split raw text into stripped lines; page breaks and page numbers become PAGE."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = _SPACES.sub(" ", text).replace("\t", "    ")
    text = re.sub(r"\r\n?|[\u2028\u2029\x0b]", "\n", text)
    lines: list[str] = []
    for raw in text.replace(PAGE, "\n" + PAGE + "\n").split("\n"):
        line = raw.strip()
        if PAGE in raw or _PAGE_NUMBER.match(fold(strip_emphasis(line))):
            lines.append(PAGE)
            continue
        if not any(c.isalnum() for c in line):
            lines.append("")  # rules such as "-----" or a lone "./."
            continue
        line = re.sub(r"^\*\s+(?=\S)", "- ", line)  # Markdown "* item" bullet
        lines.extend(_split_columns(line))
    return lines


def _split_columns(line: str) -> list[str]:
    """Split a two-column line (recipients | signer) at wide gaps, except inside dates."""
    pieces, last = [], 0
    for gap in _COLUMN_GAP.finditer(line):
        left, right = fold(line[last : gap.start()]), fold(line[gap.end() :])
        if re.search(r"(ngay|thang|so\s*:?|/)$", left) or re.match(r"(thang|nam|/)", right):
            continue
        pieces.append(line[last : gap.start()])
        last = gap.end()
    pieces.append(line[last:])
    return [clean_spaces(p) for p in pieces]


def ends_sentence(text: str) -> bool:
    """True when the text ends with punctuation that closes a sentence or clause."""
    return bool(_END.search(strip_emphasis(text).rstrip()))


def ends_strictly(text: str) -> bool:
    """True when the text ends with a full stop, ?, ! or an ellipsis."""
    return bool(_STRICT_END.search(strip_emphasis(text).rstrip()))


def as_sentence(line: str) -> str:
    """A quoted line as an answer reads: capital first letter, closed by a full stop."""
    line = line.strip()
    if not line:
        return line
    # A quote cut mid-sentence ("…piece") keeps its small letter: it is not a start.
    if line[0].islower():
        line = line[0].upper() + line[1:]
    if ends_strictly(line) or line.endswith((":", "”", '"', ")")):
        return line
    return line.rstrip(",;") + "."


def first_letter(text: str) -> str:
    """The first alphabetic character of the text, or an empty string."""
    return next((c for c in text if c.isalpha()), "")


def starts_lower(text: str) -> bool:
    """True when the text (ignoring leading punctuation) starts with a lowercase letter."""
    return first_letter(strip_emphasis(text)[:3]).islower()


def is_caps(text: str) -> bool:
    """True for an all-capital line of at least two words (e.g. a heading)."""
    text = strip_emphasis(text)
    letters = [c for c in text if c.isalpha()]
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    return len(letters) >= 4 and len(words) >= 2 and all(c.isupper() for c in letters)


def clip(text: str, words: int = 12) -> str:
    """The first sentence or the first few words of the text, with an ellipsis if cut."""
    text = clean_spaces(text)
    first = re.split(r"(?<=[.;:!?])\s", text, maxsplit=1)[0]
    parts = first.split()
    short = " ".join(parts[:words]).rstrip(".,;:")
    return short if len(parts) <= words and first == text else short + "…"


def sentences(text: str) -> list[str]:
    """Split text into sentences at . ! ? (or a newline) followed by a non-lowercase start."""
    out: list[str] = []
    for block in text.split("\n"):
        start = 0
        for gap in re.finditer(r"(?<=[.!?])\s+", block):
            if not block[gap.end() : gap.end() + 1].islower():
                out.append(block[start : gap.start()])
                start = gap.end()
        out.append(block[start:])
    return [s.strip() for s in out if s.strip()]
