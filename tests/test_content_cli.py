"""`atgt content check` and the refusal to start on invalid content."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app

BROKEN = """items:
  - id: q-own-001
    topic: alcohol
    difficulty: 1
    question: "Câu hỏi của đơn vị?"
    options: ["Một", "Hai", "Ba", "Bốn", "Năm"]
    correct: 7
    explanation: "Giải thích."
    basis:
      - {document: "Luật 36/2024/QH15", article: 9, clause: 2}
    valid_from: 2025-01-01
    valid_until: null
    source: "Kế hoạch đơn vị"
"""


def test_shipped_content_passes():
    result = CliRunner().invoke(app, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "Nội dung hợp lệ: 179 câu đố, 60 nhắc nhở." in result.output


def test_broken_admin_file_is_reported_with_file_id_and_field(tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "own.yaml").write_text(BROKEN, encoding="utf-8")

    result = CliRunner().invoke(app, ["content", "check", str(tmp_path)])

    assert result.exit_code == 1
    assert "own.yaml: q-own-001: options:" in result.output
    assert "own.yaml: q-own-001: correct:" in result.output


def test_run_refuses_to_start_on_invalid_content(tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "own.yaml").write_text("items: [ {id: oops", encoding="utf-8")
    env = {
        "ATGT_CONTENT_DIRS": f'["{tmp_path}"]',
        "ATGT_TELEGRAM_TOKEN": "1:x",
        "ATGT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }

    result = CliRunner().invoke(app, ["run"], env=env)

    assert result.exit_code == 2
    assert "Bot không khởi động vì nội dung không hợp lệ" in result.output
    assert "own.yaml" in result.output
