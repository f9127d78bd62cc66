"""Read plan files (.txt, .docx, .pdf) into text; every failure raises PlanFileError."""

from __future__ import annotations

import codecs
from pathlib import Path

from .tables import duty_columns, duty_row

TEXT_SUFFIXES = {".txt", ".text", ".md"}


class PlanFileError(Exception):
    """A plan file that cannot be read; reason is Vietnamese and shown to the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Không đọc được tệp {self.path.name}: {reason}")


def read_plan_file(path: Path) -> str:
    """The text of a .txt, .docx or .pdf plan; bold .docx paragraphs come back as **...**."""
    path = Path(path)
    if not path.is_file():
        raise PlanFileError(path, "không tìm thấy tệp")
    suffix = path.suffix.lower()
    readers = {".docx": _read_docx, ".pdf": _read_pdf}
    if suffix in TEXT_SUFFIXES:
        text = _read_text(path)
    elif suffix in readers:
        text = readers[suffix](path)
    elif suffix == ".doc":
        raise PlanFileError(path, "định dạng .doc cũ không được hỗ trợ, hãy lưu lại thành .docx")
    else:
        raise PlanFileError(path, f"định dạng “{suffix or 'không có đuôi'}” không được hỗ trợ")
    if not text.strip():
        raise PlanFileError(path, "tệp không có nội dung chữ")
    return text


def _read_text(path: Path) -> str:
    """UTF-8 text (BOM tolerated; UTF-16 accepted when it has a BOM)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise PlanFileError(path, "tệp không phải văn bản thuần (có byte nhị phân)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileError(path, "tệp không được mã hóa UTF-8") from exc


def _read_docx(path: Path) -> str:
    """Paragraphs and table cells in document order, separated by blank lines."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(_paragraph_text(item))
            elif isinstance(item, Table):
                blocks.extend(_table_texts(item))
    except Exception as exc:  # python-docx, zipfile and lxml raise many error types
        raise PlanFileError(path, "tệp .docx bị hỏng hoặc không đúng định dạng") from exc
    return "\n\n".join(b for b in blocks if b.strip())


def _table_texts(table) -> list[str]:
    """A duty table (content, responsible unit, deadline) as one item per row; any other
    table (a layout grid for the header or the signature) cell by cell."""
    rows = [[_cell_text(cell) for cell in row.cells] for row in table.rows]
    columns = duty_columns(rows[0]) if rows else None
    if columns is not None:
        return [item for row in rows[1:] if (item := duty_row(row, columns))]
    return _cell_texts(table)


def _cell_text(cell) -> str:
    return " ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())


def _cell_texts(table) -> list[str]:
    """Cell paragraphs row by row; merged cells are read once."""
    seen: set = set()  # cell elements are kept alive here, so identity is stable
    out: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            out.extend(_paragraph_text(p) for p in cell.paragraphs)
    return out


def _paragraph_text(paragraph) -> str:
    """Paragraph text with bold stretches wrapped in ** so headings stay recognisable."""
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    groups: list[list] = []  # [bold, text]
    for run in paragraph.runs:
        bold = run.bold if run.bold is not None else style_bold
        if groups and (groups[-1][0] == bold or not run.text.strip()):
            groups[-1][1] += run.text
        else:
            groups.append([bold, run.text])
    return "".join(_wrap(text) if bold else text for bold, text in groups)


def _wrap(text: str) -> str:
    """Wrap the non-blank core of a text in ** markers, keeping surrounding spaces."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}**{core}**{text[start + len(core) :]}"


def _read_pdf(path: Path) -> str:
    """Text layer of every page; pages are separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanFileError(path, "tệp PDF có mật khẩu")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanFileError:
        raise
    except (PyPdfError, ValueError, KeyError, OSError, TypeError) as exc:
        raise PlanFileError(path, "tệp PDF bị hỏng hoặc không đúng định dạng") from exc
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise PlanFileError(path, "tệp PDF không có lớp chữ (có thể là bản scan, cần OCR)")
    return text
