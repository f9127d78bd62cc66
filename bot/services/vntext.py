"""Vietnamese text helpers for matching what people type (roster headers, roles, commands)."""

from __future__ import annotations

import re
import unicodedata

from bot.services.plans.text import fold as fold_marks

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip diacritics (including đ→d) and collapse whitespace."""
    return _SPACES.sub(" ", fold_marks(text)).strip()


def clean(text: str) -> str:
    """NFC-normalise and collapse whitespace, keeping diacritics."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
