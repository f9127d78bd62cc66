"""Vietnamese text helpers: diacritic folding for matching what people type."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip diacritics (including đ→d) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip().lower()


def clean(text: str) -> str:
    """NFC-normalise and collapse whitespace, keeping diacritics."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
