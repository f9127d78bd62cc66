"""A readable Vietnamese summary of a parsed plan."""

from __future__ import annotations

from datetime import date

from .model import PlanDocument, Section

NONE = "(không có)"
_WIDTH = 160
_OUTLINE_KINDS = {"roman", "caps", "arabic", "decimal", "letter"}


def format_plan(doc: PlanDocument) -> str:
    """Summary: number, date, issuer, title, theme, periods, deadlines, targets, duties, outline."""
    lines = [
        f"Số: {doc.number or NONE}",
        f"Ngày: {_date(doc.date)}",
        f"Nơi ban hành: {doc.place or NONE}",
        f"Cơ quan: {doc.issuer or NONE}",
        f"Tên văn bản: {_clip(doc.title) if doc.title else NONE}",
        f"Chủ đề: {f'“{doc.theme}”' if doc.theme else NONE}",
        *_items("Thời gian thực hiện", [_period(p.start, p.end) for p in doc.periods]),
        *_items("Hạn chót", [_deadline(d.date, d.text, d.section_id) for d in doc.deadlines]),
        *_items("Chỉ tiêu", [_at(t.text, t.section_id) for t in doc.targets]),
        *_items("Báo cáo", [_report(r.frequency, r.when, r.text) for r in doc.reporting]),
        *_items(
            "Đơn vị chịu trách nhiệm",
            [_duty(r.unit, r.task, r.section_id) for r in doc.responsible],
        ),
        *_items("Căn cứ", [_reference(r) for r in doc.references if r.basis]),
        *_items("Nơi nhận", doc.recipients),
        f"Người ký: {_signer(doc)}",
        *_warnings(doc),
        *_items("Bố cục", [line for s in doc.sections for line in _outline(s, 0)]),
    ]
    return "\n".join(lines)


def _items(label: str, values: list[str]) -> list[str]:
    """A label line followed by bullet lines, or the label with (không có)."""
    if not values:
        return [f"{label}: {NONE}"]
    return [f"{label}:", *(v if v.startswith("  ") else f"  - {v}" for v in values)]


def _date(value: date | None) -> str:
    """dd/mm/yyyy or (không có)."""
    return value.strftime("%d/%m/%Y") if value else NONE


def _clip(text: str, width: int = _WIDTH) -> str:
    """Shorten long text to one line."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _at(text: str, section_id: str | None) -> str:
    """Text with its section id in brackets."""
    return f"{_clip(text)} [mục {section_id}]" if section_id else _clip(text)


def _period(start: date | None, end: date | None) -> str:
    """ "từ 15/03/2022 đến 31/12/2022", with missing ends left out."""
    if start and end:
        return f"từ {_date(start)} đến {_date(end)}"
    return f"đến hết {_date(end)}" if end else f"từ {_date(start)}"


def _deadline(when: date | None, text: str, section_id: str | None) -> str:
    """The due date (or "định kỳ") followed by the sentence that sets it."""
    return f"{_date(when) if when else 'định kỳ'} — {_at(text, section_id)}"


def _report(frequency: str | None, when: str | None, text: str) -> str:
    """How often and when to report, then the sentence."""
    start = text.lower().find("báo cáo")
    text = text[start:] if start > 40 else text  # drop a long lead-in such as "Trên đây là ..."
    head = ", ".join(x for x in (frequency, when) if x)
    return f"{head} — {_clip(text)}" if head else _clip(text)


def _duty(unit: str, task: str, section_id: str | None) -> str:
    """ "Văn phòng Sở: task [mục III.2.a]"."""
    return _at(f"{unit}: {task}" if task else unit, section_id)


def _reference(ref) -> str:
    """ "Kế hoạch số 19/KH-BATGT ngày 13/03/2023 của ... về ..."."""
    text = f"{ref.kind} số {ref.number}"
    text += f" ngày {_date(ref.date)}" if ref.date else ""
    text += f" của {ref.issuer}" if ref.issuer else ""
    text += f" về {ref.title}" if ref.title else ""
    return _clip(text)


def _signer(doc: PlanDocument) -> str:
    """Name and title of the signer."""
    if doc.signer_name and doc.signer_title:
        return f"{doc.signer_name} ({doc.signer_title})"
    return doc.signer_name or doc.signer_title or NONE


def _warnings(doc: PlanDocument) -> list[str]:
    """Notes about missing parts of the document."""
    notes = []
    if doc.fragment:
        notes.append("Lưu ý: văn bản thiếu phần đầu (chỉ là một đoạn trích).")
    if doc.truncated:
        notes.append("Lưu ý: văn bản bị cắt ngang, phần cuối bị thiếu.")
    return notes


def _outline(section: Section, depth: int) -> list[str]:
    """Outline lines for headings down to the letter level; bullets are counted."""
    if section.kind not in _OUTLINE_KINDS:
        return []
    bullets = sum(1 for c in section.children if c.kind not in _OUTLINE_KINDS)
    note = f" ({bullets} ý)" if bullets else ""
    own = f"  {'  ' * depth}{section.id}. {_clip(section.heading, 100)}{note}"
    return [own, *(line for c in section.children for line in _outline(c, depth + 1))]
