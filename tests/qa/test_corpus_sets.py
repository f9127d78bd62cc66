"""The corpus question sets (issue 17) keep their shape: size, typing, refusals, the split."""

from __future__ import annotations

from bot.services.plans.load import read_plan_file
from tests.qa.corpus_eval import (
    fact_found,
    load_corpus_questions,
    load_documents,
    load_split,
    questions_of,
)


def test_the_corpus_set_is_big_typed_like_chat_and_has_refusals():
    docs = load_documents()
    corpus = [q for q in load_corpus_questions() if not docs[q.doc].sample]

    assert len(corpus) >= 300
    assert sum(q.text.isascii() for q in corpus) * 3 >= len(corpus)
    assert sum(not q.answerable for q in corpus) * 5 >= len(corpus)


def test_every_expected_fact_is_in_its_document():
    docs = load_documents()
    for question in load_corpus_questions():
        text = read_plan_file(docs[question.doc].path)
        assert all(fact_found(e, text) for e in question.expect), question.text


def test_the_split_is_by_document_and_covers_every_question():
    split = load_split()
    tuning, locked, samples = (set(split[k]) for k in ("tuning", "locked", "samples"))

    assert not (tuning & locked) and not (tuning & samples) and not (locked & samples)
    assert len(locked) * 3 >= len(tuning | locked)
    names = ("tuning", "locked", "samples")
    assert sum(len(questions_of(n)) for n in names) == len(load_corpus_questions())


def test_dates_are_matched_in_every_usual_form():
    assert fact_found("date:7/2/2024", "ngày 07/02/2024")
    assert fact_found("date:7/2/2024", "Hưng Yên, ngày 07 tháng 02 năm 2024")
    assert not fact_found("date:7/2/2024", "ngày 17/02/2024")
