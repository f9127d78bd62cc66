"""Duty tables ("Bảng phân công nhiệm vụ": STT | Nội dung | Đơn vị chủ trì | Phối hợp |
Thời gian) read as one item per row, so "đơn vị nào chủ trì …" and "khi nào …" are answered
from the right row instead of from the table flattened into the previous section."""

from __future__ import annotations

import re

from bot.core.texts import t

from .text import fold

_ROLES = (  # checked in order: "đơn vị phối hợp" is coop, not the lead unit
    ("skip", re.compile(r"^(?:stt|tt|so tt|ghi chu)$")),
    ("coop", re.compile(r"phoi hop")),
    ("due", re.compile(r"thoi gian|thoi han|tien do|hoan thanh|\bhan\b|thoi diem")),
    ("unit", re.compile(r"chu tri|trach nhiem|thuc hien|phu trach|don vi|co quan")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|hoat dong|giai phap|chi tieu")),
)

Columns = dict[str, int]


def duty_columns(header: list[str]) -> Columns | None:
    """Column index per role when the first row heads a duty table; None otherwise."""
    columns: Columns = {}
    for index, cell in enumerate(header):
        folded = " ".join(fold(cell).split())
        role = next((name for name, pattern in _ROLES if pattern.search(folded)), None)
        if role and role != "skip":
            columns.setdefault(role, index)
    if "content" in columns and ("unit" in columns or "due" in columns):
        return columns
    return None


def duty_row(row: list[str], columns: Columns) -> str:
    """ "- Công an huyện chủ trì: Tuần tra …; phối hợp: …; thời hạn: …" (empty if blank)."""

    def cell(role: str) -> str:
        index = columns.get(role)
        return row[index].strip(" .;") if index is not None and index < len(row) else ""

    content, unit = cell("content"), cell("unit")
    if not content:
        return ""
    text = t("plans.table_lead", unit=unit, content=content) if unit else content
    if cell("coop"):
        text += "; " + t("plans.table_coop", units=cell("coop"))
    if cell("due"):
        text += "; " + t("plans.table_due", due=cell("due"))
    return f"- {text}."
