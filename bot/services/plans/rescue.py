"""Header facts the layout parser missed, read from the raw opening lines by pattern.

Real openings break words across lines ("ỦY / BAN NHÂN DÂN |"), put the number and the
place-date in table cells, or start with a web page's summary ("Số hiệu: …",
"Người ký: …"). These patterns only fill what the parser left empty; they also read
"Kính gửi:" recipients and "Theo đề nghị của …" of a decision.
"""

from __future__ import annotations

import re

from .dates import parse_date
from .model import PlanDocument
from .text import clean_spaces, fold

_HEAD_LINES = 60
_NUMBER = re.compile(
    r"(?:^|\|)\s*Số(?:\s+hiệu)?\s*[:.]\s*(\d+\s*/\s*[A-ZĐ0-9][A-ZĐa-zđ0-9\-/.]*)", re.M
)
_PLACE_DATE = re.compile(
    r"([A-ZĐ][^\n,|:;]{1,40}?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)
_ISSUED_ON = re.compile(r"Ngày ban hành\s*:\s*(\d{1,2}/\d{1,2}/\d{4})")
_SIGNER = re.compile(r"Người ký\s*:\s*((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+ ?){2,5})")
_CODE_NUMBER = re.compile(r"\d+\s*/\s*[^\s|,;]+")
_MOTTO = re.compile(r"^\s*CỘNG\s*$|^\s*CỘNG\s+HÒA|^\s*CỘNG HOÀ")
_KINDS = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "CÔNG VĂN", "CÔNG ĐIỆN", "HƯỚNG DẪN")
_PROPOSER = re.compile(r"Theo đề nghị của\s+(.+?)(?:[.;]\s|[.;,]?\s*$|,\s*\n|\n\s*QUYẾT)", re.S)
_ADDRESSEES = re.compile(r"Kính gửi\s*:?\s*(.+?)(?=\n\s*(?:Thực hiện|Căn cứ|Theo|Để|Ngày)\b)", re.S)


def mend_header_lines(lines: list[str]) -> list[str]:
    """The opening lines without table-cell bars, and words broken off onto their own
    line ("ỦY" / "BAN NHÂN DÂN", "Thành" / "phố Hồ Chí Minh, ngày …") joined again."""
    head = [re.sub(r"\s*\|\s*$", "", line) for line in lines[:_HEAD_LINES]]
    out: list[str] = []
    for line in head:
        word = out[-1].strip() if out else ""
        lone = len(word.split()) == 1 and word[:1].isupper() and not word[-1:].isdigit()
        nxt = line.strip()
        broken = nxt[:1].islower() or (word.isupper() and nxt.isupper())
        if lone and nxt and broken:
            out[-1] = f"{word} {nxt}"
            continue
        out.append(line)
    return out + lines[_HEAD_LINES:]


def rescue_header(doc: PlanDocument, lines: list[str]) -> None:
    """Fill the number, date, place, issuer, title and signer the parser left empty."""
    head = [line.strip() for line in lines[:_HEAD_LINES]]
    text = "\n".join(head)
    _tidy(doc, text)
    if doc.number is None:
        match = _NUMBER.search(text)
        doc.number = re.sub(r"\s+", "", match[1]).rstrip(".") if match else None
    if doc.date is None:
        _place_date(doc, text)
    if doc.issuer is None:
        doc.issuer = _issuer(head)
    if len((doc.title or "").split()) < 3:
        doc.title = _title(head) or doc.title
    if doc.signer_name is None:
        match = _SIGNER.search(text)
        doc.signer_name = match[1].strip() if match else None
    if not doc.recipients:
        doc.recipients = _addressees(text)


def _tidy(doc: PlanDocument, text: str) -> None:
    """A number or place that swallowed the next table cell ("232/KH-UBND | Đắk Nông…")."""
    if doc.number and not re.fullmatch(r"\d+\s*/\s*\S+", doc.number):
        match = _CODE_NUMBER.search(doc.number)
        doc.number = re.sub(r"\s+", "", match.group()) if match else None
    if doc.place and (re.search(r"\d|[A-ZĐ]{2,}-[A-ZĐ]", doc.place) or len(doc.place) > 40):
        doc.place = None
        doc.date = None  # read again below, from the place-date pattern


def _place_date(doc: PlanDocument, text: str) -> None:
    """ "Hưng Yên, ngày 07 / tháng 02 năm 2024", even across line breaks and cells."""
    cells = text.replace("|", "\n")
    match = _PLACE_DATE.search(cells.replace("\n", " ").replace("  ", " "))
    exact = next(
        (m for m in _PLACE_DATE.finditer(re.sub(r"(?<=ngày)\s+|\s+(?=tháng|năm)", " ", cells))),
        None,
    )
    match = exact or match
    if match:
        place = re.sub(r"^.*?(?:\d\S*|[A-ZĐ]{2,}-[A-ZĐ]\S*)\s+", "", match[1].strip())
        doc.place = doc.place or (place if not re.search(r"\d", place) else None)
        doc.date = parse_date(f"{match[2]}/{match[3]}/{match[4]}")
        return
    issued = _ISSUED_ON.search(text)
    if issued:
        doc.date = parse_date(issued[1])


def _issuer(head: list[str]) -> str | None:
    """The capitals lines just above "CỘNG HÒA…", joined ("ỦY" + "BAN NHÂN DÂN")."""
    for i, line in enumerate(head):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 1 and _MOTTO.search(cells[1]) and cells[0].isupper():
            return clean_spaces(cells[0])  # "ỦY BAN NHÂN DÂN | CỘNG HÒA …" on one row
        if not _MOTTO.search(line):
            continue
        name: list[str] = []
        for above in reversed(head[:i]):
            piece = above.strip(" |-")
            if not piece:
                if name:
                    break
                continue
            if not piece.isupper() or ":" in piece:
                break
            name.insert(0, piece)
        joined = clean_spaces(" ".join(name))
        return joined or None
    return None


def _title(head: list[str]) -> str | None:
    """The capitals lines after a "KẾ HOẠCH" / "QUYẾT ĐỊNH" line (the subject)."""
    for i, line in enumerate(head):
        piece = line.strip(" |")
        if piece not in _KINDS:
            continue
        parts = []
        for below in head[i + 1 :]:
            below = below.strip(" |")
            if not below and not parts:
                continue
            if not below or not below.isupper():
                break
            parts.append(below)
        if parts:
            return clean_spaces(" ".join(parts))
    return None


def _addressees(text: str) -> list[str]:
    """The "Kính gửi:" list of a letter."""
    match = _ADDRESSEES.search(text)
    if not match:
        return []
    items = re.split(r"\n\s*[-+•]\s*|^\s*[-+•]\s*", match[1].strip(), flags=re.M)
    return [clean_spaces(i).strip(" ;.,") for i in items if clean_spaces(i).strip(" ;.,")]


def find_proposer(text: str) -> str | None:
    """Who proposed a decision: "Theo đề nghị của Giám đốc Sở … tại Tờ trình số …"."""
    match = _PROPOSER.search(text)
    return clean_spaces(match[1]).rstrip(" ,.;") if match else None


def authority(lines: list[str]) -> str | None:
    """The capitals line naming who decides, just above the first "Căn cứ" of a decision."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if fold(line).startswith("can cu") and i:
            above = lines[i - 1].strip(" |")
            if above.isupper() and len(above.split()) >= 3 and not above.startswith("QUYẾT"):
                return clean_spaces(above)
            return None
    return None
