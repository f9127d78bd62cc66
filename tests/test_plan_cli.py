"""`atgt plan import|show` and `atgt ask`, as an administrator runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

PLANS = Path(__file__).resolve().parents[1] / "content" / "plans"
GLUED = str(PLANS / "xa-lien-minh-2022-two-fragments.txt")


def run(database_url: str, *args: str):
    env = {"ATGT_DATABASE_URL": database_url, "ATGT_LLM_URL": ""}
    return CliRunner().invoke(app, list(args), env=env)


def test_import_is_idempotent_and_a_glued_file_gives_two_plans(database_url):
    first = run(database_url, "plan", "import", GLUED, "--unit", "Xã Liên Minh", "--create-unit")
    again = run(database_url, "plan", "import", GLUED, "--unit", "Xã Liên Minh")
    listing = run(database_url, "plan", "show")

    assert first.exit_code == 0, first.output
    assert "thêm 2 kế hoạch, đã có sẵn 0" in first.output
    assert "thêm 0 kế hoạch, đã có sẵn 2" in again.output
    assert "Xã Liên Minh:" in listing.output and "53/KH-UBLM" in listing.output


def test_a_bad_file_or_unit_is_named_and_nothing_is_written(database_url, tmp_path):
    bad = tmp_path / "ke-hoach-hong.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")

    bad_file = run(database_url, "plan", "import", GLUED, str(bad), "--unit", "Xã", "--create-unit")
    bad_unit = run(database_url, "plan", "import", GLUED, "--unit", "Không Có")
    listing = run(database_url, "plan", "show")

    assert bad_file.exit_code == 1 and "ke-hoach-hong.pdf" in bad_file.output
    assert bad_unit.exit_code == 1 and "Không có đơn vị Không Có" in bad_unit.output
    assert "Chưa có kế hoạch nào" in listing.output


def test_show_prints_the_summary_by_id_by_unit_and_for_a_file(database_url):
    run(database_url, "plan", "import", GLUED, "--unit", "Xã Liên Minh", "--create-unit")

    by_id = run(database_url, "plan", "show", "2")
    by_unit = run(database_url, "plan", "show", "--unit", "Xã Liên Minh/Thôn 1")
    by_file = run(database_url, "plan", "show", str(PLANS / "so-tttt-2023.txt"))
    missing = run(database_url, "plan", "show", "99")

    assert "Số: 53/KH-UBLM" in by_id.output and "=== #2 · Xã Liên Minh" in by_id.output
    assert by_unit.output.count("=== #") == 2
    assert "Người ký: Nguyễn Thanh Luân" in by_file.output
    assert missing.exit_code == 1 and "#99" in missing.output


def test_ask_json_has_exactly_the_documented_shape(database_url):
    run(database_url, "plan", "import", GLUED, "--unit", "Xã Liên Minh", "--create-unit")

    found = run(database_url, "ask", "ke hoach het han luc nao", "--unit", "Xã Liên Minh", "--json")
    refused = run(database_url, "ask", "gia xang hom nay", "--unit", "Xã Liên Minh", "--json")
    plain = run(database_url, "ask", "chủ đề năm 2022 là gì", "--unit", "Xã Liên Minh")
    unknown = run(database_url, "ask", "ai ky", "--unit", "Không Có", "--json")

    data = json.loads(found.output)
    assert set(data) == {"found", "answer", "citation", "score", "suggestions"}
    assert data["suggestions"] == []
    assert set(data["citation"]) == {"document", "section"}
    assert data["found"] is True and "31/12/2022" in data["answer"]
    assert data["citation"]["section"] == "Mục III.1" and isinstance(data["score"], float)
    assert json.loads(refused.output)["found"] is False
    assert json.loads(refused.output)["citation"] == {"document": "", "section": ""}
    assert "COVID-19" in plain.output and "Nguồn: Kế hoạch số 53/KH-UBLM" in plain.output
    assert unknown.exit_code == 1


TRA_CU = PLANS / "batgt-tra-cu-2023-truncated.txt"


def test_a_new_version_with_the_same_number_replaces_the_old_only_when_asked(
    database_url, tmp_path
):
    newer = tmp_path / "tra-cu-sua-doi.txt"
    newer.write_text(
        TRA_CU.read_text(encoding="utf-8").replace("5%- 10%", "10%- 15%"), encoding="utf-8"
    )
    run(database_url, "plan", "import", str(TRA_CU), "--unit", "Huyện Trà Cú", "--create-unit")

    refused = run(database_url, "plan", "import", str(newer), "--unit", "Huyện Trà Cú")
    kept = run(database_url, "plan", "list")
    replaced = run(
        database_url, "plan", "import", str(newer), "--unit", "Huyện Trà Cú", "--replace"
    )
    listing = run(database_url, "plan", "list")
    answer = run(database_url, "ask", "chi tieu giam tngt bao nhieu", "--unit", "Huyện Trà Cú")

    assert refused.exit_code == 1
    assert "02/KH-BATGT" in refused.output and "--replace" in refused.output
    assert kept.output.count("02/KH-BATGT") == 1 and "batgt-tra-cu" in kept.output
    assert replaced.exit_code == 0, replaced.output
    assert "Đã thay kế hoạch cũ #1" in replaced.output
    assert listing.output.count("02/KH-BATGT") == 1 and "tra-cu-sua-doi.txt" in listing.output
    assert "10%- 15%" in answer.output


def test_list_shows_inherited_plans_and_remove_deletes_one(database_url):
    run(database_url, "plan", "import", str(TRA_CU), "--unit", "Tỉnh A", "--create-unit")
    run(database_url, "plan", "import", GLUED, "--unit", "Tỉnh A/Xã B", "--create-unit")

    inherited = run(database_url, "plan", "list", "--unit", "Tỉnh A/Xã B")
    removed = run(database_url, "plan", "remove", "1")
    after = run(database_url, "plan", "list", "--unit", "Tỉnh A/Xã B")
    missing = run(database_url, "plan", "remove", "99")
    no_unit = run(database_url, "plan", "list", "--unit", "Không Có")

    lines = inherited.output.splitlines()
    assert lines[0].startswith("Kế hoạch áp dụng cho Tỉnh A/Xã B")
    assert "Tỉnh A/Xã B" in lines[1] and "53/KH-UBLM" in inherited.output
    assert "02/KH-BATGT" in lines[-1] and lines[-1].endswith("Tỉnh A")
    assert removed.exit_code == 0 and "Đã xoá kế hoạch #1 (02/KH-BATGT)" in removed.output
    assert "02/KH-BATGT" not in after.output and "53/KH-UBLM" in after.output
    assert missing.exit_code == 1 and "#99" in missing.output
    assert no_unit.exit_code == 1
