"""The manager dashboard's HTML page: server-rendered, no script, every text escaped.

Access is decided by `bot.services.dashboard`; this module only turns its figures into
markup (the chart is an inline SVG, styled from /static/dashboard.css under the page's CSP).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from bot.core.texts import t
from bot.services.checkin_views import day
from bot.services.dashboard import WEEK_CHOICES, Dashboard, Line
from bot.services.dashboard_svg import chart_svg
from bot.services.digest_text import change, rate, topic_label
from bot.services.report_tree import pct


def href(unit: int | None, weeks: int, *, export: bool = False) -> str:
    """A link to the dashboard (or its workbook) of a unit."""
    query = {"weeks": weeks} | ({"unit": unit} if unit is not None else {})
    return ("/dashboard/export?" if export else "/dashboard?") + urlencode(query)


def page(body: str, *, title: str) -> str:
    """The page shell around `body`."""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/static/dashboard.css"></head>'
        f'<body class="dashboard">{body}</body></html>'
    )


def message_page(text: str) -> str:
    """A refusal or an empty state, with the way back to the chat."""
    body = (
        f"<main><h1>{escape(t('dashboard.title'))}</h1>"
        f'<p class="notice" role="alert">{escape(text)}</p>'
        f'<p><a href="/">{escape(t("dashboard.to_chat"))}</a></p></main>'
    )
    return page(body, title=t("dashboard.title"))


def render(board: Dashboard) -> str:
    """The whole dashboard."""
    sections = [
        _header(board),
        _picker(board),
        _this_week(board),
        _trend(board),
        _units(board),
        _topics(board),
        _missing(board),
        '<p class="actions"><a class="button" id="export" '
        f'href="{escape(href(board.scope, board.weeks, export=True))}">'
        f"{escape(t('dashboard.export'))}</a> "
        f'<a href="/">{escape(t("dashboard.to_chat"))}</a></p>',
    ]
    return page("<main>" + "".join(sections) + "</main>", title=t("dashboard.title"))


def _header(board: Dashboard) -> str:
    window = board.digest.window
    subtitle = t(
        "dashboard.subtitle",
        campaign=board.campaign.name,
        start=day(window.first),
        end=day(window.last),
    )
    crumbs = []
    for index, (unit, name) in enumerate(board.crumbs):
        if index == len(board.crumbs) - 1:
            crumbs.append(f'<span aria-current="page">{escape(name)}</span>')
        else:
            crumbs.append(f'<a href="{escape(href(unit, board.weeks))}">{escape(name)}</a>')
    nav = (
        f'<nav class="crumbs" aria-label="{escape(t("dashboard.crumbs"))}">'
        + " › ".join(crumbs)
        + "</nav>"
    )
    return (
        f"<header><h1>{escape(t('dashboard.title'))}</h1>"
        f'<p class="sub">{escape(subtitle)}</p>{nav}'
        f'<h2 class="scope">{escape(board.label)}</h2></header>'
    )


def _picker(board: Dashboard) -> str:
    options = "".join(
        f'<option value="{weeks}"{" selected" if weeks == board.weeks else ""}>'
        f"{escape(t('dashboard.weeks_option', weeks=weeks))}</option>"
        for weeks in WEEK_CHOICES
    )
    unit = f'<input type="hidden" name="unit" value="{board.scope}">' if board.scope else ""
    return (
        '<form class="picker" method="get" action="/dashboard">'
        f'{unit}<label>{escape(t("dashboard.period"))} <select name="weeks">{options}</select>'
        f'</label> <button type="submit">{escape(t("dashboard.show"))}</button></form>'
    )


def _row(label: str, value: str) -> str:
    return f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"


def _this_week(board: Dashboard) -> str:
    d = board.digest
    c = d.counts
    k = d.min_group
    hidden = t("dashboard.hidden", k=k)
    previous = pct(c.prev_reported, c.people) if d.has_previous else None
    reported = t(
        "dashboard.count_rate", part=c.reported, whole=c.people, rate=rate(c.reported, c.people)
    )
    reported += change(pct(c.reported, c.people), previous) if previous is not None else ""
    rows = [
        _row(t("dashboard.people"), str(c.people)),
        _row(t("dashboard.reported"), reported),
        _row(
            t("dashboard.compliant"),
            t(
                "dashboard.count_rate",
                part=c.compliant,
                whole=c.reported,
                rate=rate(c.compliant, c.reported),
            )
            if d.compliance_shown
            else hidden,
        ),
        _row(t("dashboard.late"), str(c.late)),
        _row(
            t("dashboard.violations"),
            str(board.violations) if board.violations is not None else hidden,
        ),
        _row(
            t("dashboard.quiz"),
            t(
                "dashboard.count_rate",
                part=c.correct,
                whole=c.answered,
                rate=rate(c.correct, c.answered),
            ),
        ),
        _row(
            t("dashboard.reminders"),
            t(
                "dashboard.count_rate",
                part=board.reminders[0],
                whole=board.reminders[1],
                rate=rate(*board.reminders),
            ),
        ),
        _row(
            t("dashboard.reads"),
            t(
                "dashboard.count_rate",
                part=c.read,
                whole=c.delivered,
                rate=rate(c.read, c.delivered),
            ),
        ),
    ]
    if d.rank:
        rows.append(
            _row(t("dashboard.rank"), t("dashboard.rank_value", rank=d.rank[0], rivals=d.rank[1]))
        )
    return (
        f"<section><h2>{escape(t('dashboard.this_week'))}</h2>"
        f'<dl class="stats">{"".join(rows)}</dl></section>'
    )


def _trend(board: Dashboard) -> str:
    weeks = len(board.points)
    line = t("dashboard.average", weeks=weeks, rate=_percent(board.average))
    if board.previous is None:
        line += t("dashboard.no_previous", weeks=board.weeks)
    else:
        line += t(
            "dashboard.versus",
            weeks=board.weeks,
            rate=_percent(board.previous),
            change=_change(board.average, board.previous),
        )
    return (
        f"<section><h2>{escape(t('dashboard.trend', weeks=weeks))}</h2>"
        f"{chart_svg(board.points, unit=board.label)}"
        f'<p class="trend">{escape(line)}</p></section>'
    )


def _change(now: int | None, before: int | None) -> str:
    """The change between two periods (not 'since last week', as `digest_text.change`)."""
    if now is None or before is None:
        return ""
    if now == before:
        return t("dashboard.change_none")
    key = "dashboard.change_up" if now > before else "dashboard.change_down"
    return t(key, delta=abs(now - before))


def _percent(value: int | None) -> str:
    return t("digest.no_rate") if value is None else f"{value}%"


def _units(board: Dashboard) -> str:
    if not board.lines:
        items = f"<p>{escape(t('dashboard.no_units'))}</p>"
    else:
        items = '<ul class="units">' + "".join(_unit(board, line) for line in board.lines) + "</ul>"
    return f"<section><h2>{escape(t('dashboard.units'))}</h2>{items}</section>"


def _unit(board: Dashboard, line: Line) -> str:
    hidden = t("privacy.hidden_cell")
    figures = t(
        "dashboard.unit_line",
        reported=line.reported,
        people=line.people,
        rate=rate(line.reported, line.people),
        accuracy=_percent(line.accuracy),
    )
    private = t(
        "dashboard.unit_private",
        compliance=_percent(line.compliance) if line.compliance_shown else hidden,
        violations=hidden if line.violations is None else str(line.violations),
    )
    rank = (
        f' <span class="rank">{escape(t("dashboard.unit_rank", rank=line.rank))}</span>'
        if line.rank
        else ""
    )
    return (
        f'<li><a class="unit" href="{escape(href(line.id, board.weeks))}">{escape(line.name)}</a>'
        f"{rank}<br>{escape(figures)}<br><small>{escape(private)}</small></li>"
    )


def _topics(board: Dashboard) -> str:
    title = t("dashboard.topics", weeks=len(board.points))
    if not board.topics:
        return (
            f"<section><h2>{escape(title)}</h2><p>{escape(t('dashboard.no_topics'))}</p></section>"
        )
    rows = "".join(
        _row(topic_label(topic), t("dashboard.topic_line", correct=c, answered=a, rate=rate(c, a)))
        for topic, a, c in board.topics
    )
    weak = ""
    if board.weak:
        names = ", ".join(topic_label(topic) for topic, _, _ in board.weak)
        weak = f'<p class="weak">{escape(t("dashboard.weak", topics=names))}</p>'
    return f'<section><h2>{escape(title)}</h2>{weak}<dl class="stats">{rows}</dl></section>'


def _missing(board: Dashboard) -> str:
    title = t("dashboard.missing", count=board.missing_count)
    if not board.missing:
        done = escape(t("dashboard.all_reported"))
        return f"<section><h2>{escape(title)}</h2><p>{done}</p></section>"
    items = "".join(
        f"<li>{escape(name)} <small>{escape(path)}</small></li>" for path, name in board.missing
    )
    rest = board.missing_count - len(board.missing)
    more = f"<p>{escape(t('dashboard.missing_more', rest=rest))}</p>" if rest > 0 else ""
    return f'<section><h2>{escape(title)}</h2><ul class="missing">{items}</ul>{more}</section>'


def filename(board: Dashboard) -> str:
    """'bang-theo-doi-20261109.xlsx'."""
    return f"bang-theo-doi-{board.digest.window.first:%Y%m%d}.xlsx"
