"""Search terms: folded syllables and syllable bigrams, chat abbreviations, typo repair.

Everything is matched without diacritics (đ→d included), so "kế hoạch", "ke hoach" and
"kế hoach" are the same terms. Syllable bigrams stand in for Vietnamese compound words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise

from .text import fold

_WORD = re.compile(r"[a-z0-9]+")
# A document code such as "19/KH-BATGT", "23-CT/TW" or "48/NQ-CP" (after folding).
_CODE = re.compile(r"(\b\d+\s*[-/]\s*[a-z]+(?:\s*[-/]\s*[a-z0-9]+)*\b)")

# Expanded in documents and questions alike, so both sides meet.
SHARED_EXPANSIONS = {
    "atgt": "an toan giao thong",
    "ttatgt": "trat tu an toan giao thong",
    "tngt": "tai nan giao thong",
    "ubnd": "uy ban nhan dan",
    "gplx": "giay phep lai xe",
    "csgt": "canh sat giao thong",
    "angt": "an ninh giao thong",
}
# Chat shorthand, expanded in questions only.
CHAT_EXPANSIONS = {
    **SHARED_EXPANSIONS,
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "dc": "duoc",
    "j": "gi",
    "z": "vay",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "bnhieu": "bao nhieu",
    "bh": "bao gio",
    "bgio": "bao gio",
    "tg": "thoi gian",
    "tgian": "thoi gian",
    "vb": "van ban",
    "kh": "ke hoach",
    "khoach": "ke hoach",
    "cbcc": "can bo cong chuc",
    "vp": "van phong",
    "bc": "bao cao",
    "mbh": "mu bao hiem",
    "xm": "xe may",
    "oto": "o to",
    "dt": "dien thoai",
    # Office abbreviations of the ATGT domain (issue 17).
    "attgt": "trat tu an toan giao thong",
    "batgt": "ban an toan giao thong",
    "ubatgt": "uy ban an toan giao thong",
    "ubatgtqg": "uy ban an toan giao thong quoc gia",
    "qd": "quyet dinh",
    "cv": "cong van",
    "nq": "nghi quyet",
    "tttt": "thong tin truyen thong",
    "gd": "giao duc",
    "gddt": "giao duc dao tao",
    "sgddt": "so giao duc dao tao",
    "gtvt": "giao thong van tai",
    "sgtvt": "so giao thong van tai",
    "tld": "tong lien doan",
    "ldld": "lien doan lao dong",
    "hdnd": "hoi dong nhan dan",
    "tphcm": "thanh pho ho chi minh",
    "hcm": "ho chi minh",
    "tp": "thanh pho",
    "brvt": "ba ria vung tau",
    "cbcnv": "can bo cong nhan vien",
    "cbccvc": "can bo cong chuc vien chuc",
    "gtnt": "giao thong nong thon",
    "ptgt": "phuong tien giao thong",
    "nld": "nguoi lao dong",
}
_CHAT_PHRASES = [
    (re.compile(r"\bbao h\b"), "bao gio"),
    (re.compile(r"\bbang lai\b"), "giay phep lai xe"),
    (re.compile(r"\b(?:nhau xin|di nhau|nhau nhet|say xin)\b"), "uong ruou bia"),
    (re.compile(r"\bdeadline\b"), "han chot"),
    (re.compile(r"\btt\s*atgt\b"), "ttatgt"),
    (re.compile(r"\bcb\s*,?\s*cc\s*,?\s*vc\b"), "can bo cong chuc vien chuc"),
    (re.compile(r"\bcb\s*,?\s*cc\b"), "can bo cong chuc"),
    (re.compile(r"\bgd\s*&?\s*dt\b"), "giao duc dao tao"),
    (re.compile(r"\btt\s*&\s*tt\b"), "thong tin truyen thong"),
    (re.compile(r"\bct\s+(?=\d)"), "chi thi "),
    (re.compile(r"\bcd\s+(?=\d)"), "cong dien "),
    # Relative dates the documents cannot resolve: one unknown word each, never matched.
    (
        re.compile(
            r"\b(nam|hom|ngay|tuan|thang) (ngoai|kia|toi|qua|mai|truoc|sau)\b(?! (?:khi|do))"
        ),
        r"\1\2",
    ),
]
# Colloquial words the documents do not use, read as the words they do use.
SYNONYMS = {
    "kenh": "hinh thuc",
    "lo": "phu trach",
    "nhau": "ruou bia",
    "gui": "bao cao",
    "nop": "bao cao",
}
# Words that carry no topic in a question (they are already read as intents).
STOPWORDS = frozenset(
    "a ah oi nhe nha vay nhi nao gi ai dau sao minh toi em la co khong duoc cua va cac "
    "nhung nay khi mot nhu roi se bi cung muon biet xin voi the phai can hay lam ha do "
    "gom".split()
)
# Compounds with a stopword syllable that still name a thing ("cơ quan", "ô tô").
STOP_COMPOUNDS = frozenset(
    {"co quan", "co so", "co che", "o to", "den do", "do xe", "nhu cau", "can cu", "can bo"}
)
# Folded Vietnamese syllable: onset, vowel cluster, final consonant (telex leftovers fail).
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|uoi|uou|uay|oai|oay|oeo|ieu|yeu|uo|ua|ue|ui|uu|uy|ia|ie|iu|oa|oe|oi|oo"
    r"|ai|ao|au|ay|eo|eu|ya|ye|yu|a|e|i|o|u|y)"
    r"(?:ch|ng|nh|c|m|n|p|t)?"
)


def syllables(text: str, expansions: dict[str, str] = SHARED_EXPANSIONS) -> list[str]:
    """Folded syllables of a text, abbreviations expanded, document codes kept whole."""
    out: list[str] = []
    for piece in _CODE.split(fold(text)):
        if _CODE.fullmatch(piece):
            out.extend(_code_terms(piece))
            continue
        for word in _WORD.findall(piece):
            out.extend(expansions[word].split() if word in expansions else (word,))
    return out


def _code_terms(code: str) -> list[str]:
    """ "162/KH-UBND" -> ["162", "162khubnd"]: the number alone and the whole code."""
    parts = _WORD.findall(code)
    return [parts[0], "".join(parts)]


def bigrams(words: list[str]) -> list[str]:
    """Adjacent syllable pairs, e.g. ["ke hoach", "hoach nay"]."""
    return [f"{a} {b}" for a, b in pairwise(words)]


def terms(text: str) -> list[str]:
    """Index terms of a document text: syllables and their bigrams."""
    words = syllables(text)
    return words + bigrams(words)


def question_words(text: str) -> list[str]:
    """Folded syllables of a question with chat shorthand expanded."""
    folded = fold(text)
    for pattern, replacement in _CHAT_PHRASES:
        folded = pattern.sub(replacement, folded)
    return syllables(folded, CHAT_EXPANSIONS)


def repair(words: list[str], known: Callable[[str], int]) -> list[str]:
    """Fix unknown syllables: one-edit typos ("hein"→"hien") and glued words ("kehoach")."""
    out = list(words)
    for i, word in enumerate(words):
        if known(word) or not word.isalpha():
            continue
        if word in SYNONYMS:
            out[i] = SYNONYMS[word]
            continue
        if not 3 <= len(word) <= _MAX_REPAIR or (_SYLLABLE.fullmatch(word) and len(word) < 5):
            continue  # a real syllable the documents lack ("phí") is not a typo
        prev = out[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        out[i] = _best_fix(word, prev, after, known) or word
    return [w for word in out for w in word.split()]


def _best_fix(word: str, prev: str, after: str, known: Callable[[str], int]) -> str | None:
    """The known replacement with the most support from its neighbours, if any."""
    options = [(a + " " + b) for a, b in _splits(word) if known(f"{a} {b}")]
    options += [c for c in _edits(word) if known(c)]
    best, best_score = None, 0
    for option in options:
        first, last = option.split()[0], option.split()[-1]
        context = known(f"{prev} {first}") if prev else 0
        context += known(f"{last} {after}") if after else 0
        score = context * 1000 + known(option)
        long_enough = len(word) >= 4 and known(option) >= 2
        if (context or long_enough or " " in option) and score > best_score:
            best, best_score = option, score
    return best


def _splits(word: str) -> Iterable[tuple[str, str]]:
    """Two-syllable readings of a glued word."""
    return ((word[:i], word[i:]) for i in range(1, len(word)))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_MAX_REPAIR = 12  # longer unknown words are names, codes or noise, not typos


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + swaps + replaces + inserts) - {word}
