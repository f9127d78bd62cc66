"""Tests for bot.content: the shipped content is valid, broken content is reported precisely."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import (
    DEFAULT_CONTENT_DIR,
    LIMITS,
    TOPICS,
    Basis,
    ContentError,
    ContentIssue,
    check_content,
    load_content,
)

TODAY = date(2026, 11, 22)
# NĐ 238/2026/NĐ-CP amends NĐ 168 from 2026-08-15; its text is not verified yet.
ND168_LAST_DAY = date(2026, 8, 14)
ND168 = "Nghị định 168/2024/NĐ-CP"
SHIPPED_DOCUMENTS = {"Luật 36/2024/QH15", "Luật 35/2024/QH15", ND168}


@pytest.fixture(scope="module")
def shipped():
    return load_content([DEFAULT_CONTENT_DIR])


def _quiz(**changes: Any) -> dict[str, Any]:
    item = {
        "id": "q-test-001",
        "topic": "alcohol",
        "difficulty": 1,
        "question": "Câu hỏi thử?",
        "options": ["Phương án A", "Phương án B", "Phương án C"],
        "correct": 1,
        "explanation": "Giải thích ngắn.",
        "basis": [{"document": "Luật 36/2024/QH15", "article": 9, "clause": 2}],
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
        "source": "G36",
    }
    return _apply(item, changes)


def _reminder(**changes: Any) -> dict[str, Any]:
    item = {
        "id": "r-test-001",
        "topic": "helmet",
        "text": "Nhắc nhở thử.",
        "ack": True,
        "basis": [{"document": "Luật 36/2024/QH15", "article": 33, "clause": 2}],
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
        "source": "G36",
    }
    return _apply(item, changes)


def _apply(item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Override fields; `...` removes one."""
    merged = {**item, **changes}
    return {k: v for k, v in merged.items() if v is not ...}


def _write(base: Path, relative: str, items: list[dict[str, Any]]) -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"items": items}, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return tmp_path / "content"


# Shipped content


def test_shipped_content_has_no_issues():
    issues = check_content([DEFAULT_CONTENT_DIR])
    assert issues == [], "\n".join(map(str, issues))


def test_shipped_counts(shipped):
    assert len(shipped.quizzes) >= 120
    assert len(shipped.reminders) >= 40


def test_enough_content_is_in_force_today():
    content = load_content()
    assert len(content.active_quizzes(date(2026, 11, 22))) >= 120
    assert len(content.active_reminders(date(2026, 11, 22))) >= 40


def test_every_topic_has_quizzes_and_reminders(shipped):
    assert {q.topic for q in shipped.quizzes} == set(TOPICS)
    assert {r.topic for r in shipped.reminders} == set(TOPICS)


def test_every_item_has_basis_validity_and_source(shipped):
    for item in (*shipped.quizzes, *shipped.reminders):
        assert item.basis, item.id
        assert item.valid_from >= date(2025, 1, 1), item.id
        assert item.valid_until is None or item.valid_until >= item.valid_from, item.id
        assert item.source.strip(), item.id
        assert {ref.document for ref in item.basis} <= SHIPPED_DOCUMENTS, item.id


def test_shipped_ids_follow_kind_and_topic(shipped):
    for quiz in shipped.quizzes:
        assert re.fullmatch(rf"q-{quiz.topic}-\d{{3}}", quiz.id), quiz.id
    for reminder in shipped.reminders:
        assert re.fullmatch(rf"r-{reminder.topic}-\d{{3}}", reminder.id), reminder.id


def test_shipped_files_are_named_after_their_topic():
    for path in DEFAULT_CONTENT_DIR.glob("*/*.yaml"):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
        assert {item["topic"] for item in items} == {path.stem}, path


def test_shipped_reminders_stay_short(shipped):
    for reminder in shipped.reminders:
        assert len(reminder.text) <= 400, reminder.id


def test_explanations_cite_an_article(shipped):
    for quiz in shipped.quizzes:
        assert re.search(r"Điều \d+", quiz.explanation), quiz.id


def test_correct_answers_are_spread_over_positions(shipped):
    positions = Counter(q.correct for q in shipped.quizzes)
    assert len(positions) >= 3
    assert max(positions.values()) <= len(shipped.quizzes) / 2


def test_nd168_items_end_before_its_amendment(shipped):
    cited = [
        item
        for item in (*shipped.quizzes, *shipped.reminders)
        if any(ref.document == ND168 and ref.article != 53 for ref in item.basis)
    ]
    assert cited
    for item in cited:
        assert item.valid_until is not None, item.id
        assert item.valid_until <= ND168_LAST_DAY, item.id


def test_child_seat_items_only_cover_the_original_window(shipped):
    child_seat = [
        item
        for item in (*shipped.quizzes, *shipped.reminders)
        if any(
            (ref.document, ref.article, ref.clause) == ("Luật 36/2024/QH15", 10, 3)
            for ref in item.basis
        )
    ]
    assert child_seat
    for item in child_seat:
        assert item.valid_from == date(2026, 1, 1), item.id
        assert item.valid_until == date(2026, 6, 30), item.id


def test_active_content_depends_on_the_day(shipped):
    fine_quiz = shipped.by_id("q-alcohol-004")
    law_quiz = shipped.by_id("q-alcohol-001")
    child_quiz = shipped.by_id("q-children-005")
    assert {fine_quiz, law_quiz} <= set(shipped.active_quizzes(date(2025, 6, 1)))
    assert child_quiz not in shipped.active_quizzes(date(2025, 6, 1))
    assert child_quiz in shipped.active_quizzes(date(2026, 3, 1))
    today = shipped.active_quizzes(TODAY)
    assert law_quiz in today
    assert fine_quiz not in today
    assert child_quiz not in today
    assert len(shipped.active_reminders(TODAY)) < len(shipped.reminders)


# Citations


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        (Basis(document="Luật 36/2024/QH15", article=9), "Điều 9 Luật 36/2024/QH15"),
        (
            Basis(document="Luật 36/2024/QH15", article=9, clause=2),
            "khoản 2 Điều 9 Luật 36/2024/QH15",
        ),
        (
            Basis(document=ND168, article=7, clause=6, point="a"),
            "điểm a khoản 6 Điều 7 Nghị định 168/2024/NĐ-CP",
        ),
    ],
)
def test_basis_citation(basis, expected):
    assert basis.citation == expected


def test_content_citation_joins_all_provisions(shipped):
    quiz = shipped.by_id("q-alcohol-005")
    assert shipped.citation(quiz) == (
        "điểm a khoản 6 Điều 7 Nghị định 168/2024/NĐ-CP; "
        "điểm b khoản 13 Điều 7 Nghị định 168/2024/NĐ-CP"
    )


def test_by_id_raises_for_unknown_id(shipped):
    with pytest.raises(KeyError):
        shipped.by_id("q-does-not-exist")


# Fixtures written to tmp_path


def test_valid_fixture_loads(content_dir):
    _write(content_dir, "quizzes/a.yaml", [_quiz()])
    _write(content_dir, "reminders/a.yaml", [_reminder()])
    content = load_content([content_dir])
    assert [q.id for q in content.quizzes] == ["q-test-001"]
    assert [r.id for r in content.reminders] == ["r-test-001"]
    assert content.reminders[0].ack is True


def test_validity_bounds_are_inclusive(content_dir):
    window = {"valid_from": date(2026, 1, 1), "valid_until": date(2026, 6, 30)}
    _write(content_dir, "quizzes/a.yaml", [_quiz(**window)])
    content = load_content([content_dir])
    assert content.active_quizzes(date(2025, 12, 31)) == ()
    assert len(content.active_quizzes(date(2026, 1, 1))) == 1
    assert len(content.active_quizzes(date(2026, 6, 30))) == 1
    assert content.active_quizzes(date(2026, 7, 1)) == ()


def test_broken_yaml_names_file_and_line(content_dir):
    path = content_dir / "quizzes" / "broken.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("items:\n  - id: q-x-001\n    question: [không đóng\n", encoding="utf-8")
    _write(content_dir, "reminders/ok.yaml", [_reminder(topic="nope")])
    issues = check_content([content_dir])
    broken = [i for i in issues if i.file == "content/quizzes/broken.yaml"]
    assert len(broken) == 1
    assert re.search(r"dòng \d+", broken[0].message)
    assert broken[0].message.startswith("YAML lỗi")
    # The other file is still checked.
    assert any(i.file == "content/reminders/ok.yaml" and i.field == "topic" for i in issues)


def test_duplicate_id_across_files_and_dirs(tmp_path, content_dir):
    extra = tmp_path / "extra"
    _write(content_dir, "quizzes/a.yaml", [_quiz()])
    _write(content_dir, "quizzes/b.yaml", [_quiz()])
    _write(extra, "reminders/c.yaml", [_reminder(id="q-test-001")])
    issues = check_content([content_dir, extra])
    assert [(i.file, i.item_id, i.field) for i in issues] == [
        ("content/quizzes/b.yaml", "q-test-001", "id"),
        ("extra/reminders/c.yaml", "q-test-001", "id"),
    ]
    assert all("content/quizzes/a.yaml" in i.message for i in issues)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"options": ["A", "B", "C", "D", "E"]}, "options", "hiện có 5"),
        ({"options": ["Chỉ một"], "correct": 0}, "options", "hiện có 1"),
        ({"correct": 3}, "correct", "ngoài 0–2"),
        ({"correct": [0, 1]}, "correct", "đúng một đáp án"),
        ({"options": ["Có", "có ", "Không"]}, "options[1]", "trùng"),
        ({"explanation": "x" * 230}, "explanation", "dài 230 ký tự, tối đa 200"),
        ({"question": "x" * 301}, "question", "tối đa 300"),
        ({"options": ["x" * 101, "B"]}, "options[0]", "tối đa 100"),
        ({"valid_until": date(2024, 12, 31)}, "valid_until", "sớm hơn valid_from"),
        ({"valid_from": "hôm qua"}, "valid_from", "YYYY-MM-DD"),
        ({"topic": "weather"}, "topic", "không có"),
        ({"basis": ...}, "basis", "thiếu trường bắt buộc"),
        ({"basis": []}, "basis", "ít nhất một căn cứ"),
        ({"valid_until": ...}, "valid_until", "thiếu trường bắt buộc"),
        ({"difficulty": 4}, "difficulty", "1, 2 hoặc 3"),
        ({"question": "   "}, "question", "để trống"),
        ({"colour": "red"}, "colour", "không được hỗ trợ"),
        ({"basis": [{"document": "NĐ 168", "article": 7}]}, "basis[0].document", "sai dạng"),
        ({"basis": [{"document": ND168, "article": "bảy"}]}, "basis[0].article", "số nguyên"),
        ({"question": "Cu\u0300ng?"}, "question", "NFC"),
    ],
)
def test_broken_quiz_is_reported_with_file_id_and_field(content_dir, changes, field, fragment):
    _write(content_dir, "quizzes/x.yaml", [_quiz(**changes)])
    issues = check_content([content_dir])
    matching = [i for i in issues if i.field == field]
    assert matching, [str(i) for i in issues]
    assert matching[0].file == "content/quizzes/x.yaml"
    assert matching[0].item_id == "q-test-001"
    assert fragment in matching[0].message


def test_issue_text_format(content_dir):
    _write(content_dir, "quizzes/alcohol.yaml", [_quiz(explanation="x" * 230)])
    (issue,) = check_content([content_dir])
    assert str(issue) == (
        "content/quizzes/alcohol.yaml: q-test-001: explanation: dài 230 ký tự, tối đa 200"
    )


def test_reminder_over_zalo_limit(content_dir):
    _write(content_dir, "reminders/x.yaml", [_reminder(text="a" * (LIMITS.ZALO_TEXT + 1))])
    (issue,) = check_content([content_dir])
    assert (issue.item_id, issue.field) == ("r-test-001", "text")
    assert "tối đa 2000" in issue.message


def test_all_issues_are_collected_in_one_pass(content_dir):
    items = [
        _quiz(id="q-a", options=["1", "2", "3", "4", "5"]),
        _quiz(id="q-b", correct=9),
        _quiz(id="q-c", topic="weather"),
        _quiz(id="q-d", valid_until=date(2020, 1, 1)),
    ]
    _write(content_dir, "quizzes/x.yaml", items)
    _write(content_dir, "reminders/y.yaml", [_reminder(basis=...)])
    issues = check_content([content_dir])
    found = {(i.item_id, i.field) for i in issues}
    assert found == {
        ("q-a", "options"),
        ("q-b", "correct"),
        ("q-c", "topic"),
        ("q-d", "valid_until"),
        ("r-test-001", "basis"),
    }


def test_item_without_id_is_named_by_position(content_dir):
    _write(content_dir, "quizzes/x.yaml", [_quiz(), _quiz(id=...)])
    (issue,) = check_content([content_dir])
    assert (issue.item_id, issue.field, issue.message) == ("#2", "id", "thiếu trường bắt buộc")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "items: [...]"), ("items: 3\n", "danh sách"), ("items: []\nextra: 1\n", "khóa")],
)
def test_bad_file_shape(content_dir, text, fragment):
    path = content_dir / "reminders" / "x.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    (issue,) = check_content([content_dir])
    assert issue.file == "content/reminders/x.yaml"
    assert fragment in issue.message


def test_yml_extension_is_read_and_missing_dir_reported(tmp_path, content_dir):
    _write(content_dir, "quizzes/x.yml", [_quiz(correct=7)])
    issues = check_content([content_dir, tmp_path / "missing"])
    assert [(i.file, i.field) for i in issues] == [
        ("content/quizzes/x.yml", "correct"),
        (str(tmp_path / "missing"), None),
    ]


def test_load_content_raises_with_every_issue(content_dir):
    _write(content_dir, "quizzes/x.yaml", [_quiz(correct=5), _quiz(id="q-2", topic="x")])
    with pytest.raises(ContentError) as caught:
        load_content([content_dir])
    assert caught.value.issues == check_content([content_dir])
    assert len(caught.value.issues) == 2
    assert all(isinstance(i, ContentIssue) for i in caught.value.issues)
    assert "q-2: topic" in str(caught.value)


def test_admin_extras_extend_the_shipped_content(tmp_path, shipped):
    extra = tmp_path / "extra"
    _write(extra, "quizzes/local.yaml", [_quiz(id="q-local-001")])
    content = load_content([DEFAULT_CONTENT_DIR, extra])
    assert len(content.quizzes) == len(shipped.quizzes) + 1
    assert content.by_id("q-local-001").question == "Câu hỏi thử?"
