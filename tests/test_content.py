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
# NĐ 238/2026/NĐ-CP amends NĐ 168 from 2026-08-15 (acts before that day: the original).
ND168_LAST_DAY = date(2026, 8, 14)
ND238_FIRST_DAY = date(2026, 8, 15)
ND168 = "Nghị định 168/2024/NĐ-CP"
ND238 = "Nghị định 238/2026/NĐ-CP"
SHIPPED_DOCUMENTS = {"Luật 36/2024/QH15", "Luật 35/2024/QH15", ND168, ND238}
# Topics whose rules carry a fine or a point deduction (issue 18).
SANCTIONED_TOPICS = {
    "speed", "alcohol", "helmet", "phone", "seatbelt", "right_of_way", "signs",
    "expressway", "points", "children", "licence", "passengers",
}  # fmt: skip


@pytest.fixture(scope="module")
def shipped():
    return load_content([DEFAULT_CONTENT_DIR])


REVIEW = {
    "date": date(2026, 12, 6),
    "checked": "Đ7 k6 a NĐ 168 trên hai bản toàn văn",
    "confidence": "medium",
    "by": "Pháp chế Sở",
}


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


def test_nd168_sanctions_apply_as_amended_from_the_amendment_day(shipped):
    cited = [
        item
        for item in (*shipped.quizzes, *shipped.reminders)
        if any(ref.document == ND168 and ref.article != 53 for ref in item.basis)
    ]
    assert len(cited) >= 60
    for item in cited:
        # Before 15/8/2026 the original text applied; these items state the amended one.
        assert item.valid_from >= ND238_FIRST_DAY, item.id
        assert all(ref.amended_by == ND238 for ref in item.basis if ref.document == ND168)
        assert item.review is not None and item.review.confidence in {"medium", "medium-low"}


def test_every_amended_basis_carries_a_review(shipped):
    for item in (*shipped.quizzes, *shipped.reminders):
        if any(ref.amended_by for ref in item.basis):
            assert item.review is not None, item.id
            assert item.review.checked.strip() and item.review.by.strip(), item.id


def test_child_seat_items_apply_from_july_2026(shipped):
    child_seat = [
        item
        for item in (*shipped.quizzes, *shipped.reminders)
        if any(
            (ref.document, ref.article, ref.clause) == ("Luật 36/2024/QH15", 10, 3)
            for ref in item.basis
        )
    ]
    assert len(child_seat) == 4
    for item in child_seat:
        # Luật 118/2025 moved the start of khoản 3 Điều 10 to 01/7/2026 (audit §3.1).
        assert item.valid_from == date(2026, 7, 1), item.id
        assert item.valid_until is None, item.id
        assert not item.is_active(date(2026, 3, 1)), item.id


@pytest.mark.parametrize("day", [date(2026, 12, 6), date(2026, 12, 31), date(2027, 3, 1)])
def test_coverage_in_force(shipped, day):
    quizzes, reminders = shipped.active_quizzes(day), shipped.active_reminders(day)
    assert len(quizzes) + len(reminders) >= 200
    assert len(reminders) >= 50
    per_topic = Counter(q.topic for q in quizzes)
    assert min(per_topic[topic] for topic in TOPICS) >= 6, per_topic
    sanctioned = {
        item.topic
        for item in (*quizzes, *reminders)
        if any(ref.document in {ND168, ND238} and ref.article != 53 for ref in item.basis)
    }
    assert sanctioned >= SANCTIONED_TOPICS


# Values and provisions as listed in the audit (law-content-audit-2026-12.md, §2).
AUDIT_SPOT_CHECKS = [
    ("q-alcohol-004", "2–3 triệu đồng", {(7, 6, "a"), (7, 13, "b")}),
    ("q-alcohol-007", "18–20 triệu đồng, trừ 10 điểm", {(6, 9, "a"), (6, 16, "d")}),
    ("q-alcohol-009", "22 đến 24 tháng", {(7, 9, "d"), (7, 12, "c")}),
    ("q-alcohol-010", "30–40 triệu đồng", {(6, 11, "a"), (6, 15, "c")}),
    ("q-speed-002", "400.000–600.000 đồng", {(7, 2, "b")}),
    ("q-speed-005", "6–8 triệu đồng và trừ 4 điểm", {(7, 8, "a"), (7, 13, "b")}),
    ("q-speed-009", "12–14 triệu đồng, trừ 6 điểm", {(6, 7, "a"), (6, 16, "c")}),
    ("q-helmet-005", "400.000–600.000 đồng", {(7, 2, "h")}),
    ("q-phone-007", "4–6 triệu đồng", {(6, 5, "h"), (6, 16, "b")}),
    ("q-expressway-008", "4–6 triệu đồng", {(7, 7, "b"), (7, 13, "c")}),
    ("q-right_of_way-007", "4–6 triệu đồng và trừ 2 điểm", {(7, 7, "a"), (7, 13, "a")}),
    ("q-seatbelt-005", "800.000–1.000.000 đồng", {(6, 3, "k")}),
    ("q-signs-014", "18–20 triệu đồng", {(6, 9, "b"), (6, 16, "b")}),
]


@pytest.mark.parametrize(("item_id", "answer", "provisions"), AUDIT_SPOT_CHECKS)
def test_reopened_fine_matches_the_audit(shipped, item_id, answer, provisions):
    quiz = shipped.by_id(item_id)
    assert answer in quiz.options[quiz.correct]
    assert {(ref.article, ref.clause, ref.point) for ref in quiz.basis} == provisions
    assert "(đã sửa đổi bởi Nghị định 238/2026/NĐ-CP)" in quiz.citation
    assert quiz in shipped.active_quizzes(date(2026, 12, 6))
    assert quiz not in shipped.active_quizzes(ND168_LAST_DAY)


def test_points_claims_cite_the_points_clause(shipped):
    # Audit §3.2: four items asserted a deduction without citing Đ7 k13 / Đ6 k16.
    for item_id, clauses in [
        ("q-alcohol-004", {(7, 13)}),
        ("q-phone-005", {(7, 13)}),
        ("q-phone-007", {(6, 16)}),
        ("r-right_of_way-003", {(7, 13), (6, 16)}),
    ]:
        cited = {(ref.article, ref.clause) for ref in shipped.by_id(item_id).basis}
        assert clauses <= cited, item_id


def test_active_content_depends_on_the_day(shipped):
    fine_quiz = shipped.by_id("q-alcohol-004")
    law_quiz = shipped.by_id("q-alcohol-001")
    child_quiz = shipped.by_id("q-children-005")
    assert law_quiz in shipped.active_quizzes(date(2025, 6, 1))
    assert fine_quiz not in shipped.active_quizzes(ND168_LAST_DAY)
    assert child_quiz not in shipped.active_quizzes(date(2026, 6, 30))
    assert child_quiz in shipped.active_quizzes(date(2026, 7, 1))
    today = shipped.active_quizzes(TODAY)
    assert {law_quiz, fine_quiz, child_quiz} <= set(today)


def test_amendments_are_loaded(shipped):
    assert (ND168, ND238, ND238_FIRST_DAY) in {
        (a.document, a.amended_by, a.effective) for a in shipped.amendments
    }


def test_with_ends_stops_serving_an_item(shipped):
    ended = shipped.with_ends({"q-alcohol-001": date(2026, 12, 31), "nope": date(2026, 1, 1)})
    item = ended.by_id("q-alcohol-001")
    assert item.valid_until == date(2026, 12, 31)
    assert item in ended.active_quizzes(date(2026, 12, 31))
    assert item not in ended.active_quizzes(date(2027, 1, 1))
    assert len(ended.quizzes) == len(shipped.quizzes)
    # An end later than the item's own end changes nothing.
    later = ended.with_ends({"q-alcohol-001": date(2030, 1, 1)})
    assert later.by_id("q-alcohol-001").valid_until == date(2026, 12, 31)


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
    amended = "Nghị định 168/2024/NĐ-CP (đã sửa đổi bởi Nghị định 238/2026/NĐ-CP)"
    assert shipped.citation(quiz) == (
        f"điểm a khoản 6 Điều 7 {amended}; điểm b khoản 13 Điều 7 {amended}"
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
        (
            {"basis": [{"document": ND168, "article": 7, "amended_by": "NĐ 238"}]},
            "basis[0].amended_by",
            "sai dạng",
        ),
        (
            {"basis": [{"document": ND168, "article": 7, "amended_by": ND238}]},
            "review",
            "cần ghi rà soát",
        ),
        ({"review": {**REVIEW, "confidence": "chắc"}}, "review.confidence", "medium-low"),
        ({"review": {**REVIEW, "by": " "}}, "review.by", "để trống"),
        ({"review": {**REVIEW, "date": "hôm nay"}}, "review.date", "YYYY-MM-DD"),
        ({"review": {**REVIEW, "date": date(2024, 5, 1)}}, "review.date", "sớm hơn"),
        (
            {"review": {k: v for k, v in REVIEW.items() if k != "checked"}},
            "review.checked",
            "thiếu",
        ),
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


def test_review_and_amendments_load_from_an_admin_dir(content_dir):
    basis = [{"document": ND168, "article": 7, "clause": 6, "point": "a", "amended_by": ND238}]
    _write(content_dir, "quizzes/a.yaml", [_quiz(basis=basis, review=REVIEW)])
    amendment = {"document": ND168, "amended_by": ND238, "effective": ND238_FIRST_DAY}
    _write(content_dir, "amendments.yaml", [amendment])
    content = load_content([content_dir])
    (quiz,) = content.quizzes
    assert quiz.review is not None
    assert (quiz.review.day, quiz.review.confidence) == (date(2026, 12, 6), "medium")
    assert content.amendments[0].effective == ND238_FIRST_DAY


def test_broken_amendment_is_reported(content_dir):
    _write(content_dir, "amendments.yaml", [{"document": "NĐ 168", "amended_by": ND238}])
    issues = check_content([content_dir])
    assert {(i.file, i.field) for i in issues} == {
        ("content/amendments.yaml", "effective"),
    }


def test_admin_extras_extend_the_shipped_content(tmp_path, shipped):
    extra = tmp_path / "extra"
    _write(extra, "quizzes/local.yaml", [_quiz(id="q-local-001")])
    content = load_content([DEFAULT_CONTENT_DIR, extra])
    assert len(content.quizzes) == len(shipped.quizzes) + 1
    assert content.by_id("q-local-001").question == "Câu hỏi thử?"
