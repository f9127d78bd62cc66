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
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from bot.core.texts import t
from bot.services.vntext import fold

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 10 * 1024 * 1024  # styles, workbook, relationships: small in any real file
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
        raise TableError(t("roster.bad_type"))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableError(t("roster.too_large", size=_mb(size), limit=_mb(MAX_FILE_BYTES)))
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise TableError(t("roster.sheet_for_xlsx"))
        return Table(None, _non_empty(_text_rows(path.read_bytes())))
    return _xlsx_table(path, sheet)


def _mb(size: int) -> str:
    """Megabytes with a Vietnamese decimal comma: 10,5."""
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",")


def _non_empty(rows: Iterator[Row]) -> list[Row]:
    """Rows with any content, refusing more than MAX_ROWS of them."""
    kept: list[Row] = []
    for number, cells in rows:
        if any(_filled(c) for c in cells):
            if len(kept) >= MAX_ROWS:
                limit = f"{MAX_ROWS:,}".replace(",", ".")  # Vietnamese thousands separator
                raise TableError(t("roster.too_many_rows", limit=limit))
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
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, list(values[:MAX_COLUMNS])
    except csv.Error:  # a field over the csv module's size limit, or a stray NUL
        raise TableError(t("roster.bad_csv_line", row=number + 1)) from None


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
        # Chart sheets have no cells to read.
        names = [n for n in workbook.sheetnames if hasattr(workbook[n], "_worksheet_path")]
        if not names:
            raise TableError(t("roster.broken"))
        candidates = [_pick_sheet(names, sheet)] if sheet is not None else names
        with zipfile.ZipFile(path) as archive:
            chosen = candidates[0]
            if len(candidates) > 1:
                found = (n for n in candidates if _has_header(archive, workbook[n]))
                chosen = next(found, chosen)
            reader = SheetReader(archive, workbook[chosen])
            rows = _non_empty(reader.rows())
        _fill_merged(rows, reader.merges)
        return Table(chosen, rows)
    finally:
        workbook.close()


def _check_archive(path: Path) -> None:
    """Refuse zip bombs before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise TableError(t("roster.broken")) from None
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise TableError(t("roster.unpacked_too_large", limit=_mb(MAX_UNPACKED_BYTES)))
    for info in infos:
        # openpyxl builds objects from every part but the sheets, which are streamed.
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels")) or "/worksheets/" in name:
            continue
        limit = MAX_SHARED_STRINGS_BYTES if name.endswith("sharedstrings.xml") else MAX_PART_BYTES
        if info.file_size > limit:
            part = _clip(info.filename.rpartition("/")[2])
            raise TableError(t("roster.part_too_large", part=part, limit=_mb(limit)))


def _pick_sheet(names: list[str], wanted: str) -> str:
    """A sheet by exact or loosely typed name, or by its 1-based position."""
    for name in names:
        if name == wanted or fold(name) == fold(wanted):
            return name
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    shown = ", ".join(f"«{_clip(n)}»" for n in names[:10])
    raise TableError(t("roster.unknown_sheet", sheet=_clip(wanted), sheets=shown))


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _has_header(archive: zipfile.ZipFile, worksheet) -> bool:
    """Whether a roster header appears near the top of this sheet (for picking the sheet)."""
    from bot.services.roster import find_header  # the header rules live with the columns

    head = []
    for row in SheetReader(archive, worksheet).rows():
        if row[0] > HEADER_SCAN_ROWS:
            break
        head.append(row)
    return find_header(head) is not None


class SheetReader:
    """Stream a worksheet's XML: only rows that exist (the dimension tag is never trusted),
    only the first MAX_COLUMNS columns, and the merged ranges, each element freed once read."""

    def __init__(self, archive: zipfile.ZipFile, worksheet) -> None:
        self._archive = archive
        self._path = worksheet._worksheet_path  # openpyxl keeps the part name private
        self._strings = worksheet._shared_strings
        self.merges: list[tuple[int, int, int, int]] = []

    def rows(self) -> Iterator[Row]:
        number = 0
        with self._archive.open(self._path) as source:
            parents: list = []
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    if tag in ("sheetData", "mergeCells"):
                        parents.append(element)
                    continue
                if tag == "row":
                    number = _int(element.get("r"), number + 1)
                    yield number, self._values(element)
                    (parents[-1] if parents else element).clear()  # free finished rows
                elif tag == "mergeCell":
                    self._merge(element.get("ref", ""))
                    (parents[-1] if parents else element).clear()

    def _merge(self, ref: str) -> None:
        if len(self.merges) >= MAX_MERGES:
            raise TableError(t("roster.too_many_merges", limit=MAX_MERGES))
        with contextlib.suppress(TypeError, ValueError):  # a bad range is only not filled
            bounds = range_boundaries(ref)
            if None not in bounds:
                self.merges.append(bounds)

    def _values(self, row) -> list[object]:
        values: list[object] = [None] * MAX_COLUMNS
        column = 0
        for cell in row:
            if not cell.tag.endswith("}c"):
                continue
            ref = cell.get("r")
            column = column_index_from_string(ref.rstrip("0123456789")) if ref else column + 1
            if column <= MAX_COLUMNS:
                values[column - 1] = self._value(cell)
        return values

    def _value(self, cell) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
        raw = next((v.text for v in cell if v.tag.endswith("}v")), None)
        if raw is None:
            return None
        if kind == "s":
            index = _int(raw, -1)
            return str(self._strings[index]) if 0 <= index < len(self._strings) else None
        if kind == "n":
            with contextlib.suppress(ValueError):
                number = float(raw)
                return int(number) if number.is_integer() and abs(number) < 1e15 else number
        return raw


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


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
