"""Quiz and reminder content: YAML files validated on load, served by validity date.

`check_content` returns every `ContentIssue` (broken YAML, schema, duplicate ids, length
limits, dates); `load_content` raises one `ContentError` carrying all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

# fmt: off
TOPICS: tuple[str, ...] = (
    "alcohol", "helmet", "phone", "seatbelt", "children", "speed", "signs", "right_of_way",
    "priority_vehicles", "licence", "points", "expressway", "passengers", "general",
)
# fmt: on
MIN_OPTIONS, MAX_OPTIONS = 2, 4
DIFFICULTIES = (1, 2, 3)
# Telegram allows at most two line feeds in a poll explanation.
MAX_EXPLANATION_LINE_FEEDS = 2
# How sure the reviewer is that the item states the law in force (from the audit's scale).
CONFIDENCE = ("high", "medium", "medium-low", "low")
FIRST_LAW_DAY = date(2025, 1, 1)
AMENDMENTS_FILE = "amendments.yaml"

_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_DOCUMENT_RE = re.compile(
    r"(Luật|Nghị định|Thông tư|Nghị quyết|Quyết định) \d+/\d{4}/[\w.-]+|QCVN [\w:./-]+"
)
_POINT_RE = re.compile(r"[a-zđ]\d?")


class LIMITS:
    """Platform length limits (characters) that content must fit."""

    TELEGRAM_POLL_QUESTION: Final = 300
    TELEGRAM_POLL_OPTION: Final = 100
    TELEGRAM_POLL_EXPLANATION: Final = 200
    ZALO_TEXT: Final = 2000


@dataclass(frozen=True)
class ContentIssue:
    """One problem in a content file, located by file, item id and field."""

    file: str
    item_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = (self.file, self.item_id, self.field, self.message)
        return ": ".join(p for p in parts if p)


class ContentError(Exception):
    """Content failed validation; `.issues` lists every problem found."""

    def __init__(self, issues: Sequence[ContentIssue]) -> None:
        self.issues = list(issues)
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"Nội dung có {len(self.issues)} lỗi:\n{lines}")


class _Frozen(BaseModel):
    """Immutable model that rejects unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Basis(_Frozen):
    """One legal provision an item rests on."""

    document: str
    article: StrictInt
    clause: StrictInt | None = None
    point: str | None = None
    # The text in force is the document as amended by this one (e.g. NĐ 168 by NĐ 238).
    amended_by: str | None = None

    @property
    def provision(self) -> str:
        """The provision without the document: 'điểm a khoản 2 Điều 9'."""
        parts = (
            f"điểm {self.point}" if self.point else "",
            f"khoản {self.clause}" if self.clause is not None else "",
            f"Điều {self.article}",
        )
        return " ".join(p for p in parts if p)

    @property
    def document_label(self) -> str:
        """The document as in force: 'Nghị định 168/… (đã sửa đổi bởi Nghị định 238/…)'."""
        suffix = f" (đã sửa đổi bởi {self.amended_by})" if self.amended_by else ""
        return self.document + suffix

    @property
    def citation(self) -> str:
        """Vietnamese citation, smallest unit first: 'điểm a khoản 2 Điều 9 Luật …'."""
        return f"{self.provision} {self.document_label}"


class Review(_Frozen):
    """Who checked the item against which text, when, and how sure they are."""

    day: date = Field(alias="date")
    checked: str
    confidence: str
    by: str


class Amendment(_Frozen):
    """A known amending text: items resting on `document` need review after `effective`."""

    document: str
    amended_by: str
    effective: date


class _Item(_Frozen):
    """Fields shared by quizzes and reminders."""

    id: str
    topic: str
    basis: tuple[Basis, ...]
    valid_from: date
    valid_until: date | None
    source: str
    review: Review | None = None

    def is_active(self, on: date) -> bool:
        """True when the rule the item states is in force on that day (bounds inclusive)."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    @property
    def citation(self) -> str:
        """All provisions of the item's basis, joined for display."""
        return "; ".join(ref.citation for ref in self.basis)


class QuizItem(_Item):
    """A multiple-choice question with exactly one correct option."""

    difficulty: StrictInt
    question: str
    options: tuple[str, ...]
    correct: StrictInt
    explanation: str

    def as_text(self) -> str:
        """The question as plain text with numbered options (Zalo, console)."""
        numbered = (f"{n}. {option}" for n, option in enumerate(self.options, start=1))
        return "\n".join((self.question, *numbered))


class ReminderItem(_Item):
    """A short safety reminder, optionally acknowledged with a button."""

    text: str
    ack: StrictBool = True


ContentItem = QuizItem | ReminderItem


@dataclass(frozen=True)
class Content:
    """All loaded items; filter by date before sending anything."""

    quizzes: tuple[QuizItem, ...]
    reminders: tuple[ReminderItem, ...]
    amendments: tuple[Amendment, ...] = ()

    @property
    def items(self) -> tuple[ContentItem, ...]:
        """Quizzes then reminders."""
        return (*self.quizzes, *self.reminders)

    def with_ends(self, ends: Mapping[str, date]) -> Content:
        """The same content where each item in `ends` stops being served after that day."""

        def cut(item: Any) -> Any:
            end = ends.get(item.id)
            if end is None or (item.valid_until is not None and item.valid_until <= end):
                return item
            return item.model_copy(update={"valid_until": end})

        return replace(
            self,
            quizzes=tuple(map(cut, self.quizzes)),
            reminders=tuple(map(cut, self.reminders)),
        )

    def active_quizzes(self, on: date) -> tuple[QuizItem, ...]:
        """Quizzes whose rule is in force on that day."""
        return tuple(q for q in self.quizzes if q.is_active(on))

    def active_reminders(self, on: date) -> tuple[ReminderItem, ...]:
        """Reminders whose rule is in force on that day."""
        return tuple(r for r in self.reminders if r.is_active(on))

    def by_id(self, item_id: str) -> ContentItem:
        """The item with that id; KeyError when there is none."""
        for item in (*self.quizzes, *self.reminders):
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def citation(self, item: ContentItem) -> str:
        """Human citation of the item's legal basis, e.g. 'khoản 2 Điều 9 Luật 36/2024/QH15'."""
        return item.citation


Problem = tuple[str | None, str]

_SCHEMA_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ",
    "string_type": "phải là chuỗi văn bản",
    "int_type": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "tuple_type": "phải là danh sách",
    "model_type": "phải là ánh xạ dạng khóa: giá trị",
}


def _text_problems(field: str, value: str, limit: int | None = None) -> Iterator[Problem]:
    """Blank, too long, or not NFC (decomposed diacritics break search and length)."""
    if not value.strip():
        yield field, "không được để trống"
        return
    if limit is not None and len(value) > limit:
        yield field, f"dài {len(value)} ký tự, tối đa {limit}"
    if unicodedata.normalize("NFC", value) != value:
        yield field, "chưa chuẩn hóa Unicode NFC (dấu tiếng Việt dạng tổ hợp)"


def _basis_problems(field: str, ref: Basis) -> Iterator[Problem]:
    """Document name form and positive article/clause numbers."""
    if not _DOCUMENT_RE.fullmatch(ref.document):
        example = "'Luật 36/2024/QH15', 'Nghị định 168/2024/NĐ-CP'"
        yield f"{field}.document", f"tên văn bản '{ref.document}' sai dạng, ví dụ {example}"
    if ref.article < 1:
        yield f"{field}.article", "số Điều phải từ 1 trở lên"
    if ref.clause is not None and ref.clause < 1:
        yield f"{field}.clause", "số khoản phải từ 1 trở lên"
    if ref.point is not None and not _POINT_RE.fullmatch(ref.point):
        yield f"{field}.point", f"điểm '{ref.point}' phải là chữ cái thường, ví dụ 'a', 'đ'"
    if ref.amended_by is not None and not _DOCUMENT_RE.fullmatch(ref.amended_by):
        example = "'Nghị định 238/2026/NĐ-CP'"
        yield f"{field}.amended_by", f"tên văn bản '{ref.amended_by}' sai dạng, ví dụ {example}"


def _review_problems(item: _Item) -> Iterator[Problem]:
    """An item citing an amended text needs a review; a review needs every part filled."""
    review = item.review
    if review is None:
        if any(ref.amended_by for ref in item.basis):
            yield "review", "căn cứ đã sửa đổi: cần ghi rà soát (date, checked, confidence, by)"
        return
    if review.day < FIRST_LAW_DAY:
        yield "review.date", f"ngày rà soát {review.day} sớm hơn {FIRST_LAW_DAY}"
    if review.confidence not in CONFIDENCE:
        yield "review.confidence", f"chọn một trong: {', '.join(CONFIDENCE)}"
    yield from _text_problems("review.checked", review.checked)
    yield from _text_problems("review.by", review.by)


def _common_problems(item: _Item) -> Iterator[Problem]:
    """Rules shared by quizzes and reminders."""
    if not _ID_RE.fullmatch(item.id):
        yield "id", "chỉ dùng chữ thường không dấu, chữ số, '-' và '_'"
    if item.topic not in TOPICS:
        yield "topic", f"chủ đề '{item.topic}' không có; chọn một trong: {', '.join(TOPICS)}"
    if not item.basis:
        yield "basis", "cần ít nhất một căn cứ pháp lý"
    for n, ref in enumerate(item.basis):
        yield from _basis_problems(f"basis[{n}]", ref)
    if item.valid_until is not None and item.valid_until < item.valid_from:
        yield "valid_until", f"{item.valid_until} sớm hơn valid_from {item.valid_from}"
    yield from _text_problems("source", item.source)
    yield from _review_problems(item)


def _option_problems(quiz: QuizItem) -> Iterator[Problem]:
    """Option count, per-option limits and duplicates."""
    count = len(quiz.options)
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        yield "options", f"cần từ {MIN_OPTIONS} đến {MAX_OPTIONS} phương án, hiện có {count}"
    seen: dict[str, int] = {}
    for n, option in enumerate(quiz.options):
        yield from _text_problems(f"options[{n}]", option, LIMITS.TELEGRAM_POLL_OPTION)
        key = " ".join(option.casefold().split())
        if key in seen:
            yield f"options[{n}]", f"trùng với phương án options[{seen[key]}]"
        seen.setdefault(key, n)


def _quiz_problems(quiz: QuizItem) -> Iterator[Problem]:
    """Telegram poll limits, answer index, difficulty and the Zalo text limit."""
    yield from _text_problems("question", quiz.question, LIMITS.TELEGRAM_POLL_QUESTION)
    yield from _option_problems(quiz)
    if quiz.options and not 0 <= quiz.correct < len(quiz.options):
        yield "correct", f"chỉ số {quiz.correct} nằm ngoài 0–{len(quiz.options) - 1}"
    yield from _text_problems("explanation", quiz.explanation, LIMITS.TELEGRAM_POLL_EXPLANATION)
    if quiz.explanation.count("\n") > MAX_EXPLANATION_LINE_FEEDS:
        yield "explanation", f"tối đa {MAX_EXPLANATION_LINE_FEEDS} lần xuống dòng"
    if quiz.difficulty not in DIFFICULTIES:
        yield "difficulty", "phải là 1, 2 hoặc 3"
    if len(quiz.as_text()) > LIMITS.ZALO_TEXT:
        length, limit = len(quiz.as_text()), LIMITS.ZALO_TEXT
        yield "question", f"dạng văn bản (Zalo) dài {length} ký tự, tối đa {limit}"


def _reminder_problems(reminder: ReminderItem) -> Iterator[Problem]:
    """Reminder text must fit one Zalo message."""
    yield from _text_problems("text", reminder.text, LIMITS.ZALO_TEXT)


def _field_path(loc: tuple[Any, ...]) -> str | None:
    """Pydantic location as 'basis[0].article'."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _schema_message(error: Any) -> str:
    """Vietnamese wording of one pydantic error."""
    if error["loc"] == ("correct",) and isinstance(error.get("input"), list):
        return "phải có đúng một đáp án đúng: ghi một chỉ số, không ghi danh sách"
    if error["type"].startswith("date"):
        return "phải là ngày dạng YYYY-MM-DD"
    return _SCHEMA_MESSAGES.get(error["type"], f"giá trị không hợp lệ ({error['msg']})")


@dataclass
class _Scan:
    """Accumulates valid items and all issues over every file."""

    items: list[_Item]
    issues: list[ContentIssue]
    first_seen: dict[str, str]
    amendments: list[Amendment]

    def add(self, model: type[_Item], raw: Any, index: int, shown: str) -> None:
        """Validate one raw item: duplicate id, schema, then content rules."""
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        item_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else f"#{index + 1}"
        if item_id == raw_id:
            self._check_duplicate(item_id, shown)
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                issue = ContentIssue(shown, item_id, _field_path(err["loc"]), _schema_message(err))
                self.issues.append(issue)
            return
        rules = _quiz_problems(item) if isinstance(item, QuizItem) else _reminder_problems(item)
        problems = [*_common_problems(item), *rules]
        self.issues += [ContentIssue(shown, item.id, f, m) for f, m in problems]
        if not problems:
            self.items.append(item)

    def _check_duplicate(self, item_id: str, shown: str) -> None:
        """Ids must be unique across all files and directories."""
        if item_id in self.first_seen:
            message = f"trùng id đã có trong {self.first_seen[item_id]}"
            self.issues.append(ContentIssue(shown, item_id, "id", message))
        self.first_seen.setdefault(item_id, shown)


def _read_items(path: Path, shown: str) -> tuple[list[Any], list[ContentIssue]]:
    """Parse one file into its raw `items` list, or explain why not."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        return [], [ContentIssue(shown, None, None, f"YAML lỗi{where}: {exc.problem}")]
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        return [], [ContentIssue(shown, None, None, f"không đọc được tệp: {exc}")]
    if not isinstance(data, dict) or "items" not in data:
        return [], [ContentIssue(shown, None, None, "tệp phải có dạng 'items: [...]'")]
    issues = [
        ContentIssue(shown, None, str(k), "khóa không được hỗ trợ") for k in data if k != "items"
    ]
    if not isinstance(data["items"], list):
        return [], [*issues, ContentIssue(shown, None, "items", "phải là danh sách")]
    return data["items"], issues


_KINDS: dict[str, type[_Item]] = {"quizzes": QuizItem, "reminders": ReminderItem}


def _scan_amendments(scan: _Scan, base: Path) -> None:
    """Read the dir's optional list of amending texts."""
    path = base / AMENDMENTS_FILE
    if not path.is_file():
        return
    shown = path.relative_to(base.parent).as_posix()
    raw_items, issues = _read_items(path, shown)
    scan.issues += issues
    for index, raw in enumerate(raw_items):
        try:
            amendment = Amendment.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                where = f"#{index + 1}"
                issue = ContentIssue(shown, where, _field_path(err["loc"]), _schema_message(err))
                scan.issues.append(issue)
            continue
        for field in ("document", "amended_by"):
            name = getattr(amendment, field)
            if not _DOCUMENT_RE.fullmatch(name):
                message = f"tên văn bản '{name}' sai dạng"
                scan.issues.append(ContentIssue(shown, f"#{index + 1}", field, message))
        scan.amendments.append(amendment)


def _scan_dir(scan: _Scan, base: Path) -> None:
    """Read every quiz and reminder file (.yaml, or .yml) under one content dir."""
    _scan_amendments(scan, base)
    for kind, model in _KINDS.items():
        folder = base / kind
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            shown = path.relative_to(base.parent).as_posix()
            raw_items, issues = _read_items(path, shown)
            scan.issues += issues
            for index, raw in enumerate(raw_items):
                scan.add(model, raw, index, shown)


def _scan(dirs: Sequence[Path]) -> _Scan:
    """Validate all content dirs in order; later dirs are admin-supplied extras."""
    scan = _Scan(items=[], issues=[], first_seen={}, amendments=[])
    for base in map(Path, dirs):
        if base.is_dir():
            _scan_dir(scan, base)
        else:
            scan.issues.append(ContentIssue(str(base), None, None, "thư mục không tồn tại"))
    return scan


def check_content(dirs: Sequence[Path] = (DEFAULT_CONTENT_DIR,)) -> list[ContentIssue]:
    """Every problem in the content dirs; an empty list means the content is valid."""
    return _scan(dirs).issues


def load_content(dirs: Sequence[Path] = (DEFAULT_CONTENT_DIR,)) -> Content:
    """Load and validate all content; raise ContentError listing every issue."""
    scan = _scan(dirs)
    if scan.issues:
        raise ContentError(scan.issues)
    quizzes = tuple(i for i in scan.items if isinstance(i, QuizItem))
    reminders = tuple(i for i in scan.items if isinstance(i, ReminderItem))
    return Content(quizzes=quizzes, reminders=reminders, amendments=tuple(scan.amendments))
