"""Questions about fines ("mức phạt …"): answered only from law items in force that day.

The bot never guesses an amount: it quotes the verified items that match the act asked
about (with their basis and the day they apply from), or says plainly that it has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.content import Content, ContentItem, QuizItem
from bot.core.texts import t
from bot.services.plans.text import fold

MAX_SHOWN = 3
SANCTION_DOCUMENTS = ("Nghị định 168/2024/NĐ-CP", "Nghị định 238/2026/NĐ-CP")
# Articles of NĐ 168 that set sanctions (its closing articles, e.g. Điều 53, do not).
_SANCTION_ARTICLES = range(1, 50)

_ASKS_FINE = re.compile(
    r"\b(muc phat|tien phat|phat tien|phat bao nhieu|phat the nao|phat nhu the nao|bi phat|"
    r"xu phat|phat gi|tru (may|bao nhieu) diem|bi tru diem|tru diem|tuoc bang|tuoc giay phep|"
    r"phat may)\b"
)
# Acts the content covers, as folded keyword patterns; one question may name several.
_ACTS: dict[str, str] = {
    "alcohol": r"nong do con|(?<!xe )\bcon\b(?! (nho|cai|trai|gai|toi|em))|ruou|\bbia\b",
    "helmet": r"mu bao hiem|\bmu\b|non bao hiem|cai quai",
    "phone": r"dien thoai|nghe dien|nhan tin",
    "speed": r"toc do|chay qua|chay nhanh|km/h",
    "red_light": r"den do|vuot den|den tin hieu|den giao thong",
    "seatbelt": r"day an toan|day dai|that day",
    "expressway": r"cao toc",
    "wrong_way": r"nguoc chieu|mot chieu",
    "lane": r"lan duong|phan duong|sai lan|lan lan",
    "licence": r"(khong|chua) co (giay phep lai|gplx|bang)|bang lai|khong bang|chua co bang",
    "children": r"tre em|tre nho|\bbe\b|\btre\b|ghe tre|hang ghe",
    "passengers": r"cho (theo )?(tu )?(\d+|hai|ba|bon) nguoi|cho qua so nguoi|\bke ba\b",
    "points": r"tru (\d+ |may |bao nhieu )?diem",
}
_MOTORBIKE = re.compile(r"xe may|xe gan may|mo to|xe so|xe tay ga|xe dien|\bxm\b")
_CAR = re.compile(r"o to|oto|xe hoi|xe con|xe khach|xe tai|\bxe 4 banh|\bxe bon banh")


@dataclass(frozen=True, slots=True)
class _Candidate:
    item: ContentItem
    text: str  # folded statement used for matching


def asks_about_fine(question: str) -> bool:
    """Does the question ask what a violation costs (money, points, licence)?"""
    return bool(_ASKS_FINE.search(_normal(question)))


def answer(content: Content | None, question: str, *, on: date) -> str | None:
    """The reply to a fine question, or None when the question is not about fines."""
    if not asks_about_fine(question):
        return None
    folded = _normal(question)
    acts = [act for act, pattern in _ACTS.items() if re.search(pattern, folded)]
    if content is None or not acts:
        return t("fine.none")
    found = _matches(content, folded, acts, on)
    if not found:
        return t("fine.none")
    blocks = [_render(item) for item in found[:MAX_SHOWN]]
    return "\n\n".join([t("fine.header"), *blocks, t("fine.footer")])


def _normal(text: str) -> str:
    """Folded, lowercase, single-spaced."""
    return " ".join(fold(text).split())


def _statement(item: ContentItem) -> str:
    """What the item says, self-contained: a quiz's question, answer and explanation."""
    if isinstance(item, QuizItem):
        return f"{item.question} {item.options[item.correct]} {item.explanation}"
    return item.text


def _is_sanction(item: ContentItem) -> bool:
    """Rests on a sanction article of NĐ 168 (as amended) or on NĐ 238."""
    return any(
        ref.document in SANCTION_DOCUMENTS and ref.article in _SANCTION_ARTICLES
        for ref in item.basis
    )


def _vehicle_fits(item: ContentItem, folded_question: str) -> bool:
    """A question naming a motorbike (or a car) skips items only about the other."""
    bike_asked, car_asked = (
        bool(_MOTORBIKE.search(folded_question)),
        bool(_CAR.search(folded_question)),
    )
    if bike_asked == car_asked:
        return True
    articles = {ref.article for ref in item.basis if ref.document in SANCTION_DOCUMENTS}
    statement = _normal(_statement(item))
    about_bike = bool(_MOTORBIKE.search(statement)) or (bool(articles) and articles <= {7})
    about_car = bool(_CAR.search(statement)) or (bool(articles) and articles <= {6})
    asked, other = (about_bike, about_car) if bike_asked else (about_car, about_bike)
    return asked or not other


def _matches(content: Content, folded: str, acts: list[str], on: date) -> list[ContentItem]:
    """Items in force stating a sanction for every act named, best match first."""
    words = set(re.findall(r"\w+", folded))
    scored = []
    for item in (*content.active_reminders(on), *content.active_quizzes(on)):
        if not _is_sanction(item):
            continue
        statement = _normal(_statement(item))
        if not all(re.search(_ACTS[act], statement) for act in acts):
            continue
        if not _vehicle_fits(item, folded):
            continue
        overlap = len(words & set(re.findall(r"\w+", statement)))
        # Reminders state the rule plainly; prefer them on a tie.
        scored.append((-overlap, isinstance(item, QuizItem), item.id, item))
    return [item for *_, item in sorted(scored, key=lambda s: s[:3])]


def _render(item: ContentItem) -> str:
    """One verified statement with its basis and the day it applies from."""
    if isinstance(item, QuizItem):
        text = t(
            "fine.quiz",
            question=item.question,
            answer=item.options[item.correct],
            explanation=item.explanation,
        )
    else:
        text = item.text
    since = f"{item.valid_from:%d/%m/%Y}"
    return t("fine.item", text=text, basis=item.citation, since=since)
