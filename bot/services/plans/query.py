"""A question read for search: repaired folded words, their roles, intents, weighted terms.

Every word gets a role from the phrases around it: part of a question phrase ("khi nào":
dropped), of an intent cue ("chịu trách nhiệm", "căn cứ": what kind of answer), of a
phrase that only names the document ("kế hoạch", "phong trào thi đua"), or the topic.
The same syllable can play different roles: "văn" in "văn bản nào" is a cue, in
"Văn phòng Sở" the topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from .index import QaIndex
from .intents import CUE_WORDS, GENERIC_WORDS, Intent, cue_spans, detect, question_spans
from .tokens import STOP_COMPOUNDS, STOPWORDS, question_words, repair

MAX_QUESTION_CHARS = 500
GENERIC = 0.1  # weight factor for words that only name the document
_GENERIC = re.compile(
    r"\b(?:ke hoach|phong trao|thi dua|van ban|chuong trinh|chung ta|thuc hien|trien khai"
    r"|cong van|quyet dinh|chi thi|cong dien)\b"
)

Weights = dict[str, float]


@dataclass(frozen=True, slots=True)
class Query:
    """What search needs to know about a question."""

    words: tuple[str, ...]
    intents: frozenset[Intent]
    weights: Weights
    roles: dict[str, str]  # term -> "topic", "cue" or "generic"

    def for_plan(self, titled: frozenset[str]) -> tuple[Weights, Weights, Weights]:
        """Per plan: the weights, with the plan's own name (title, issuer, number) counted
        as generic and cues at half; the subject (the topic beyond that name); and the
        focus for matching facts (subject and cues)."""
        weights: Weights = {}
        subject: Weights = {}
        focus: Weights = {}
        for term, weight in self.weights.items():
            role = self.roles[term]
            if term in titled and role != "generic":
                role, weight = "generic", weight * GENERIC
            weights[term] = weight * _ROLE_WEIGHT[role]
            if role == "topic":
                subject[term] = weights[term]
            if role != "generic":
                focus[term] = weights[term]
        return weights, subject, focus


def analyse(question: str, index: QaIndex) -> Query:
    """Fold, expand chat words, repair typos, find intents, weigh the content terms."""
    words = repair(question_words(question[:MAX_QUESTION_CHARS]), index.known)
    roles = word_roles(words)
    content = [(w, r) for w, r in zip(words, roles, strict=True) if r != "question"]
    weights: Weights = {}
    term_roles: dict[str, str] = {}
    for word, role in content:
        if word not in STOPWORDS:
            weights[word] = index.idf(word) * (GENERIC if role == "generic" else 1.0)
            term_roles[word] = role
    pairs = list(pairwise(content))
    known = {_pair(a, b): _known_weight(index, a, b) for a, b in pairs}
    bound = {w for pair, weight in known.items() if weight for w in pair.split()}
    for a, b in pairs:
        pair = _pair(a, b)
        weight = known[pair] or _compound_weight(index, a, b, bound)
        if weight:
            weights[pair] = weight
            term_roles[pair] = _pair_role(a[1], b[1])
    return Query(tuple(words), detect(" ".join(words)), weights, term_roles)


def word_roles(words: list[str]) -> list[str]:
    """The role of each word: question phrase, intent cue, document name, or topic."""
    text = " ".join(words)
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    roles = ["generic" if w in GENERIC_WORDS else "topic" for w in words]
    layers = (
        ("generic", [m.span() for m in _GENERIC.finditer(text)]),
        ("cue", cue_spans(text)),
        ("question", question_spans(text)),
    )
    for role, spans in layers:
        for start, end in spans:
            for i, at in enumerate(starts):
                if start <= at < end:
                    roles[i] = role
    return roles


def _pair(a: tuple[str, str], b: tuple[str, str]) -> str:
    return f"{a[0]} {b[0]}"


def _pair_role(first: str, second: str) -> str:
    """A bigram takes the weaker role of its words: one that straddles a cue or the
    document's name ("thực hiện | phong trào") is not part of the topic."""
    return min((first, second), key=_STRENGTH.__getitem__)


_STRENGTH = {"generic": 0, "cue": 1, "topic": 2}
# Cue words say what kind of answer is wanted; the text that answers need not repeat them.
_ROLE_WEIGHT = {"generic": 1.0, "cue": 0.5, "topic": 1.0}


def plain(term: str) -> bool:
    """A term without stopwords ("cơ quan" is plain, "có trang" is not)."""
    return term in STOP_COMPOUNDS or not any(w in STOPWORDS for w in term.split())


def _known_weight(index: QaIndex, a: tuple[str, str], b: tuple[str, str]) -> float:
    """A bigram's weight when the documents use it."""
    pair = _pair(a, b)
    if not (index.df.get(pair) and plain(pair)) or not (a[0].isalpha() and b[0].isalpha()):
        return 0.0
    role = _pair_role(a[1], b[1])
    # Capped by its syllables: a rare pair across two words ("hành | công") is noise.
    weight = min(index.idf(pair), index.idf(a[0]) + index.idf(b[0]))
    return weight * (GENERIC if role == "generic" else 1.0)


def _compound_weight(
    index: QaIndex, a: tuple[str, str], b: tuple[str, str], bound: set[str]
) -> float:
    """An unknown pair of known topic syllables that no known bigram of the question
    explains ("địa chỉ", "kinh phí") is a compound the documents lack: it weighs as much as
    its syllables, so finding them apart ("địa bàn", "chỉ tiêu") earns half the credit."""
    words = (a[0], b[0])
    if a[1] != "topic" or b[1] != "topic" or all(w in CUE_WORDS for w in words):
        return 0.0
    if any(w in bound or w in STOPWORDS or not w.isalpha() for w in words):
        return 0.0
    if not all(index.known(w) for w in words):
        return 0.0
    return sum(index.idf(w) for w in words)
