"""Read a roster table from .xlsx or delimited text with bounded memory: rows of cell values.

Office files are untrusted: the declared sheet size is ignored, width, rows, file and
unpacked sizes are capped, and merged cells are filled from their top-left value.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from bot.services.vntext import fold

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 40  # a roster has a handful of columns; wider sheets are read this far
MAX_ROWS = 20_000  # sheet rows with content (people plus title, header and footer)
MAX_MERGES = 5_000
HEADER_SCAN_ROWS = 50
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
DELIMITERS = "\t;,"  # ties go to the earlier one: Excel's "Unicode Text" uses tabs

Row = tuple[int, list[object]]


class TableError(ValueError):
    """The file cannot be read as a roster table; the message is Vietnamese."""


@dataclass(frozen=True, slots=True)
class Table:
    """Non-empty rows (numbered as the spreadsheet shows them) of the chosen sheet."""

    sheet: str | None
    rows: list[Row]


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The rows of a roster file; `sheet` picks an xlsx sheet by name or 1-based number."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | {".xlsx", ".xlsm"}:
        raise TableError("chỉ nhận tệp .xlsx hoặc .csv (Excel cũ .xls: hãy lưu lại dạng .xlsx)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableError(f"tệp lớn {size // 1024 // 1024} MB, vượt giới hạn {_mb(MAX_FILE_BYTES)}")
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise TableError("chỉ tệp .xlsx mới có trang tính để chọn (--sheet)")
        return Table(None, _non_empty(_text_rows(path.read_bytes())))
    return _xlsx_table(path, sheet)


def _mb(size: int) -> str:
    return f"{size // 1024 // 1024} MB"


def _non_empty(rows: Iterator[Row]) -> list[Row]:
    """Rows with any content, refusing more than MAX_ROWS of them."""
    kept: list[Row] = []
    for number, cells in rows:
        if any(_filled(c) for c in cells):
            if len(kept) >= MAX_ROWS:
                raise TableError(f"tệp có quá {MAX_ROWS:,} dòng có dữ liệu".replace(",", "."))
            kept.append((number, cells))
    return kept


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


# --- delimited text -------------------------------------------------------------------------


def _text_rows(data: bytes) -> Iterator[Row]:
    """Rows of a CSV/TSV in UTF-8, UTF-16 (BOM or not) or Windows-1258, delimiter detected."""
    text = _decode(data)
    lines = text.splitlines()
    delimiter = _delimiter(lines[:20])
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"')
    for number, values in enumerate(reader, start=1):
        yield number, list(values[:MAX_COLUMNS])


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    if head and head.count(0) * 4 > len(head):  # ASCII-heavy UTF-16 without a BOM
        little = head[1::2].count(0) >= head[0::2].count(0)
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")  # Vietnamese Windows ("ANSI") export


def _delimiter(lines: list[str]) -> str:
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


# --- xlsx -----------------------------------------------------------------------------------


def _xlsx_table(path: Path, sheet: str | None) -> Table:
    _check_archive(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        candidates = [_pick_sheet(names, sheet)] if sheet is not None else names
        for name in candidates:
            worksheet = workbook[name]
            if sheet is None and len(candidates) > 1 and not _has_header(worksheet):
                continue
            rows = _non_empty(_sheet_rows(worksheet))
            _fill_merged(rows, _merged_ranges(path, worksheet))
            return Table(name, rows)
        return Table(names[0], _non_empty(_sheet_rows(workbook[names[0]])))
    finally:
        workbook.close()


def _check_archive(path: Path) -> None:
    """Refuse zip bombs before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise TableError("không đọc được tệp: tệp hỏng hoặc không đúng định dạng .xlsx") from None
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise TableError(f"tệp giải nén vượt giới hạn {_mb(MAX_UNPACKED_BYTES)}")
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_SHARED_STRINGS_BYTES:
        raise TableError(f"phần chữ của tệp vượt giới hạn {_mb(MAX_SHARED_STRINGS_BYTES)}")


def _pick_sheet(names: list[str], wanted: str) -> str:
    """A sheet by exact or loosely typed name, or by its 1-based position."""
    for name in names:
        if name == wanted or fold(name) == fold(wanted):
            return name
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    shown = ", ".join(f"«{n}»" for n in names[:10])
    raise TableError(f"không có trang tính «{_clip(wanted)}»; tệp có: {shown}")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _sheet_rows(worksheet) -> Iterator[Row]:
    """Rows up to MAX_COLUMNS wide, whatever size the sheet claims in its dimension tag."""
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        yield number, list(values)


def _has_header(worksheet) -> bool:
    """Whether a roster header appears near the top of this sheet (for picking the sheet)."""
    from bot.services.roster import find_header  # the header rules live with the columns

    head = []
    for row in _sheet_rows(worksheet):
        if row[0] > HEADER_SCAN_ROWS:
            break
        head.append(row)
    return find_header(head) is not None


def _merged_ranges(path: Path, worksheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, read straight from the XML."""
    ranges = []
    with zipfile.ZipFile(path) as archive, archive.open(worksheet._worksheet_path) as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                if len(ranges) >= MAX_MERGES:
                    raise TableError(f"tệp có quá {MAX_MERGES} vùng ô gộp")
                with contextlib.suppress(TypeError, ValueError):  # a bad range is not filled
                    ranges.append(range_boundaries(element.get("ref", "")))
            element.clear()
    return [r for r in ranges if None not in r]


def _fill_merged(rows: list[Row], ranges: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range its top-left value (a unit merged down many rows)."""
    if not ranges:
        return
    by_number = {number: cells for number, cells in rows}
    numbers = sorted(by_number)
    for min_col, min_row, max_col, max_row in ranges:
        top = by_number.get(min_row)
        if top is None or min_col > MAX_COLUMNS:
            continue
        value = top[min_col - 1]
        for number in _between(numbers, min_row, max_row):
            cells = by_number[number]
            for col in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if not _filled(cells[col - 1]):
                    cells[col - 1] = value


def _between(numbers: list[int], low: int, high: int) -> list[int]:
    return numbers[bisect_left(numbers, low) : bisect_right(numbers, high)]
