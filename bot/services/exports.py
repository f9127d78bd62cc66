"""Excel exports (openpyxl): the one workbook writer every export goes through.

Every cell is written by `_cell`: user text always stays text (never a formula), dates and
percentages are real Excel values with number formats; a `Picture` (a QR code) is an image
over an empty cell. Every sheet gets a bold frozen
header, an autofilter, column widths from its content and an A4 fit-to-width print setup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

import segno
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT = "0%"
# Spreadsheet programs read text starting with these as a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_WIDTH = 60
HEADER_WIDTH = 22  # long headers wrap instead of widening the column
SAMPLE_ROWS = 200
PIXELS_PER_CHARACTER = 7  # a column width unit on screen, in the default font
POINTS_PER_PIXEL = 0.75
QR_PIXELS = 120  # about 3 cm printed: scannable from an invitation slip


@dataclass(frozen=True, slots=True)
class Percent:
    """A share written as an Excel percentage (empty when there is nothing to divide by)."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        """The fraction, or None."""
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG image shown `pixels` square in its cell (the cell itself stays empty)."""

    png: bytes
    pixels: int

    @classmethod
    def qr(cls, text: str, pixels: int = QR_PIXELS) -> Picture:
        """A QR code of `text` (error correction M, the quiet zone the standard asks for)."""
        buffer = BytesIO()
        segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=4, border=4)
        return cls(buffer.getvalue(), pixels)


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: a header row and data rows (str, numbers, dates, Percent, None)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    filter: bool = True  # key/value sheets have nothing to filter


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets, streamed (write-only mode keeps 100,000 rows quick and small)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(
    path: Path | BinaryIO, *, title: str, header: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """One sheet written to a file (or binary stream)."""
    data = xlsx_bytes(title=title, header=header, rows=rows)
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        path.write(data)


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """One sheet in memory, to send as a chat attachment."""
    return workbook_bytes([Sheet(title, header, rows)])


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    page = workbook.create_sheet(_title(sheet.title))
    columns = max([len(sheet.header), *(len(row) for row in sheet.rows[:SAMPLE_ROWS])], default=0)
    wrap = set()
    for index in range(columns):
        name = sheet.header[index] if index < len(sheet.header) else ""
        widest = max(
            [0, *(_width(row[index]) for row in sheet.rows[:SAMPLE_ROWS] if index < len(row))]
        )
        header_width = min(len(name), HEADER_WIDTH)
        width = min(max(widest, header_width, 4) + 2, MAX_WIDTH)
        if widest + 2 > MAX_WIDTH:
            wrap.add(index)
        page.column_dimensions[get_column_letter(index + 1)].width = width
    page.freeze_panes = "A2"
    if sheet.filter and columns:
        last = get_column_letter(columns)
        page.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    _print_setup(page, columns)
    page.append([_header_cell(page, name) for name in sheet.header])
    for number, row in enumerate(sheet.rows, start=2):
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, Picture):
                _place(page, value, column=index, row=number)
                cells.append(None)
            else:
                cells.append(_cell(page, value, wrap=index in wrap))
        page.append(cells)


def _place(page: Any, picture: Picture, *, column: int, row: int) -> None:
    """The image over its cell; the row grows to hold it (set before the row is written)."""
    image = Image(BytesIO(picture.png))
    image.width = image.height = picture.pixels
    page.add_image(image, f"{get_column_letter(column + 1)}{row}")
    height = picture.pixels * POINTS_PER_PIXEL + 4
    dimension = page.row_dimensions[row]
    dimension.height = max(dimension.height or 0, height)


def _title(text: str) -> str:
    """A legal sheet title: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in _clean(text))
    return cleaned.strip()[:31] or "Sheet"


def _print_setup(page: Any, columns: int) -> None:
    """A4, one page wide (landscape for wide tables), header row repeated on every page."""
    page.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    page.page_setup.orientation = "landscape" if columns > 6 else "portrait"
    page.page_setup.fitToWidth = 1
    page.page_setup.fitToHeight = 0
    page.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    page.print_title_rows = "1:1"
    page.print_options.gridLines = True


def _header_cell(page: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(page, value=_clean(value))
    cell.data_type = "s"
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _cell(page: Any, value: Any, *, wrap: bool = False) -> Any:
    """One cell: text stays text, dates and shares get number formats.

    Numbers and ordinary text go out as bare values (a styled cell object per value would
    double the time of a 100,000-row sheet); only "=" makes openpyxl write a formula.
    """
    if isinstance(value, Percent):
        cell = WriteOnlyCell(page, value=value.value)
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(page, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(page, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None or isinstance(value, bool | int | float):
        return value
    text = _clean(str(value))
    if not wrap and not text.startswith(FORMULA_STARTS):
        return text  # plain text: openpyxl writes it as a string as it is (the fast path)
    cell = WriteOnlyCell(page, value=text)
    # openpyxl turns any text starting with "=" into a formula; force the text type, and
    # mark risky starts with Excel's quote prefix so editing the cell keeps it text.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _clean(text: str) -> str:
    """Without the control characters an .xlsx cannot hold (they would abort the export)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _width(value: Any) -> int:
    """Characters the value takes on screen."""
    if value is None:
        return 0
    if isinstance(value, Percent):
        return 5
    if isinstance(value, Picture):
        return -(-value.pixels // PIXELS_PER_CHARACTER)
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    return max((len(line) for line in str(value).splitlines()), default=0)
