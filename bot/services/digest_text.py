"""The digest as one chat message (plain text, Vietnamese catalog)."""

from __future__ import annotations

from datetime import date

from bot.core.texts import CATALOG, t
from bot.services.checkin_views import day
from bot.services.digest import CHILDREN_SHOWN, Digest
from bot.services.report_tree import pct


def rate(part: int, whole: int) -> str:
    """'67%', or a dash when there is nothing to divide by."""
    value = pct(part, whole)
    return t("digest.no_rate") if value is None else f"{value}%"


def topic_label(topic: str) -> str:
    """The Vietnamese name of a quiz topic."""
    key = f"topic.{topic}"
    return t(key) if key in CATALOG else topic


def change(now: int | None, before: int | None) -> str:
    """', tăng 5 điểm phần trăm so với tuần trước' from two displayed percentages."""
    if now is None or before is None:
        return ""
    if now == before:
        return t("digest.change_none")
    return t("digest.change_up" if now > before else "digest.change_down", delta=abs(now - before))


def digest_text(digest: Digest, *, today: date | None = None) -> str:
    """The message; `today` marks a week still in progress."""
    c = digest.counts
    partial = t("digest.partial", today=day(today)) if today else ""
    lines = [
        t(
            "digest.header",
            start=day(digest.window.first),
            end=day(digest.window.last),
            partial=partial,
        ),
        t(
            "digest.scope",
            unit=digest.label or t("digest.whole_org"),
            people=c.people,
            campaign=digest.campaign,
        ),
        *_checkin_lines(digest),
        *_quiz_lines(digest),
    ]
    if digest.rank:
        lines.append(t("digest.rank", rank=digest.rank[0], rivals=digest.rank[1]))
    lines.append(
        t("digest.reads", read=c.read, delivered=c.delivered, rate=rate(c.read, c.delivered))
        if c.delivered
        else t("digest.reads_none")
    )
    lines.append(_missing_line(digest))
    lines.extend(_children_lines(digest))
    lines.append(t("digest.attachments"))
    return "\n".join(lines)


def _checkin_lines(digest: Digest) -> list[str]:
    """Participation and compliance, each with its change since last week."""
    c = digest.counts
    previous = digest.has_previous
    reported_change = change(pct(c.reported, c.people), pct(c.prev_reported, c.people))
    k = digest.min_group
    compliant_change = change(
        pct(c.compliant, c.reported),
        pct(c.prev_compliant, c.prev_reported) if digest.previous_shown else None,
    )
    compliant = (
        t(
            "digest.compliant",
            compliant=c.compliant,
            reported=c.reported,
            rate=rate(c.compliant, c.reported),
            change=compliant_change if previous else "",
        )
        if digest.compliance_shown
        else t("digest.compliant_hidden", k=k)
    )
    lines = [
        t(
            "digest.reported",
            reported=c.reported,
            people=c.people,
            rate=rate(c.reported, c.people),
            change=reported_change if previous else "",
        ),
        compliant,
    ]
    if c.late:
        lines.append(t("digest.late", late=c.late))
    return lines


def _quiz_lines(digest: Digest) -> list[str]:
    """Quiz participation and accuracy, and the weakest topics."""
    c = digest.counts
    if not c.answered:
        return [t("digest.quiz_none")]
    lines = [
        t(
            "digest.quiz",
            people=c.quiz_people,
            total=c.people,
            rate=rate(c.quiz_people, c.people),
            correct=c.correct,
            answered=c.answered,
            accuracy=rate(c.correct, c.answered),
        )
    ]
    if digest.weak_topics:
        labels = [
            t("digest.topic", label=topic_label(topic), correct=correct, answered=answered)
            for topic, answered, correct in digest.weak_topics
        ]
        lines.append(t("digest.topics", topics="; ".join(labels)))
    return lines


def _missing_line(digest: Digest) -> str:
    """Who has not reported: named up to the cap, then counted."""
    total = digest.counts.people - digest.counts.reported
    if total <= 0:
        return t("digest.all_reported")
    names = ", ".join(digest.missing)
    rest = total - len(digest.missing)
    if rest > 0:
        names = t("digest.missing_more", names=names, rest=rest)
    return t("digest.missing", count=total, names=names)


def _children_lines(digest: Digest) -> list[str]:
    """The units directly below, ranked."""
    if not digest.children:
        return []
    lines = [t("digest.children")]
    for child in digest.children[:CHILDREN_SHOWN]:
        c = child.counts
        lines.append(
            t(
                "digest.child",
                rank=child.rank,
                name=child.name,
                reported=rate(c.reported, c.people),
                quiz=rate(c.quiz_people, c.people),
                accuracy=rate(c.correct, c.answered),
            )
        )
    if len(digest.children) > CHILDREN_SHOWN:
        lines.append(t("digest.children_more", count=len(digest.children) - CHILDREN_SHOWN))
    return lines
