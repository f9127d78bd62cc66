"""The catalog speaks the public-sector register, and plan answers read as sentences."""

from __future__ import annotations

import re

import pytest

from bot.content import load_content
from bot.core.texts import CATALOG
from bot.services.plans.text import as_sentence

# Informal words a public agency's bot does not use to address staff (issue 15, item 12).
INFORMAL = re.compile(r"\b(bạn|mình|nhé|nha)\b", re.IGNORECASE)


def test_no_catalog_text_addresses_staff_informally():
    informal = {key: text for key, text in CATALOG.items() if INFORMAL.search(text)}
    assert informal == {}


def test_no_law_item_addresses_staff_informally():
    content = load_content()
    texts = [(q.id, q.question) for q in content.quizzes]
    texts += [(r.id, r.text) for r in content.reminders]
    assert [item for item, text in texts if INFORMAL.search(text)] == []


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("các sở, ngành thực hiện từ tháng 3", "Các sở, ngành thực hiện từ tháng 3."),
        ("Báo cáo trước ngày 15/12;", "Báo cáo trước ngày 15/12."),
        ("Hạn chót là ngày 15/12.", "Hạn chót là ngày 15/12."),
        ("Nơi nhận:", "Nơi nhận:"),
        ("…đến hết năm 2026", "…đến hết năm 2026."),
        ("Ai ký?", "Ai ký?"),
        ("", ""),
    ],
)
def test_plan_quotes_start_with_a_capital_and_end_with_a_stop(quote, expected):
    assert as_sentence(quote) == expected
