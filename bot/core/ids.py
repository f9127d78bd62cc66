"""Numbers typed by people or carried by buttons, checked before they reach a query."""

from __future__ import annotations

# Row ids are INTEGER columns: PostgreSQL refuses larger values, SQLite's driver overflows.
MAX_ID = 2**31 - 1


def parse_int(text: str, maximum: int = MAX_ID) -> int | None:
    """0..maximum written in ASCII digits, or None ('²', '-1', '1e9' and huge numbers)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None
