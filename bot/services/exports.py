"""Excel exports (openpyxl)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_xlsx(
    path: Path | BinaryIO, *, title: str, header: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """One sheet with a bold header row, sensible column widths and a frozen header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[index - 1] or "")) for r in rows])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """The same workbook in memory, to send as a chat attachment."""
    buffer = BytesIO()
    write_xlsx(buffer, title=title, header=header, rows=rows)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet of a multi-sheet workbook."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets, streamed (write-only mode keeps 100,000 rows quick and small)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        page = workbook.create_sheet(sheet.title[:31])
        for index, name in enumerate(sheet.header, start=1):
            sample = [len(str(row[index - 1] or "")) for row in sheet.rows[:200]]
            width = max([len(str(name)), *sample])
            page.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
        page.freeze_panes = "A2"
        page.append([_bold(page, name) for name in sheet.header])
        for row in sheet.rows:
            page.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(page: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(page, value=value)
    cell.font = Font(bold=True)
    return cell
