"""The privacy threshold: in a group below it, no view reveals one person's self-declared conduct.

A unit of two people; one of them changes a compliant check-in into a non-compliant one and
reports a violation. Every view a manager gets (/donvi, /baocao text, chart and workbook,
the weekly digest, `atgt report` lines and workbook) must come out exactly the same.
"""

from __future__ import annotations

import random
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.cli.report import _outcome
from bot.core.texts import t
from bot.db.models import Campaign, CheckIn, Person, Registration, ViolationReport
from bot.services import campaigns, digest, digest_report, org, report_counts, review
from bot.services.digest_chart import trend_points
from bot.services.disclosure import hidden_units
from bot.services.report_window import days
from bot.services.roster import import_roster, read_roster
from tests.digest_org import W1, local
from tests.digest_org import W2 as WEEK2
from tests.digest_org import build as build_org
from tests.harness import linked_chat, make_router, shipped_content
from tests.test_report_cli import rows, run, setup

ROSTER = """Mã NV,Họ tên,Đơn vị,Vai trò,SĐT
AD1,Quản Trị,Ban Giám đốc,Quản trị,
QL1,Trưởng Tổ,Sở Y/Tổ nhỏ,Quản lý,
N1,Nhân Viên Một,Sở Y/Tổ nhỏ,Nhân viên,
"""
W2 = date(2026, 11, 9)


@pytest.fixture
async def small_unit(sessionmaker, clock, tmp_path):
    """Campaign over Sở Y (threshold 3); QL1 and N1 both reported this week, compliant."""
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    clock.now = local(2026, 11, 12, 20, 0)  # Thursday of the week of 09/11
    async with sessionmaker() as session, session.begin():
        await import_roster(session, rows=read_roster(path), now=local(2026, 11, 1, 8, 0))
        campaign = await campaigns.create_campaign(
            session,
            name="Thi đua 2026",
            starts_on=date(2026, 11, 2),
            ends_on=date(2026, 11, 29),
            units=[await org.find_unit(session, path="Sở Y")],
            timezone="Asia/Ho_Chi_Minh",
            now=local(2026, 11, 1, 8, 0),
        )
        campaign.privacy_min_group = 3
        for code in ("QL1", "N1"):
            person = await org.find_person(session, code=code)
            at = local(2026, 11, 10, 9, 0)
            session.add(
                Registration(campaign_id=campaign.id, person_id=person.id, registered_at=at)
            )
            session.add(
                CheckIn(
                    campaign_id=campaign.id,
                    person_id=person.id,
                    period_start=W2,
                    answers={"q": "yes"},
                    complete=True,
                    compliant=True,
                    late=False,
                    submitted_at=at,
                    updated_at=at,
                )
            )
    router = make_router(sessionmaker, clock)
    manager = await linked_chat(router, sessionmaker, clock, "QL1", channel="telegram")
    return sessionmaker, clock, manager


async def confess(sessionmaker) -> None:
    """N1 now answers 'not compliant' and reports one violation in the week."""
    async with sessionmaker() as session, session.begin():
        person = await org.find_person(session, code="N1")
        await session.execute(
            update(CheckIn).where(CheckIn.person_id == person.id).values(compliant=False)
        )
        campaign = (await session.execute(select(Campaign))).scalar_one()
        session.add(
            ViolationReport(
                person_id=person.id,
                campaign_id=campaign.id,
                kind="helmet",
                occurred_on=date(2026, 11, 10),
                created_at=local(2026, 11, 10, 12, 0),
            )
        )


def values(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(data))
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


async def views(sessionmaker, clock, manager) -> dict[str, object]:
    """Everything the manager of the unit of two can see, in every form."""
    found: dict[str, object] = {"/donvi": await manager.say("/donvi")}
    await manager.say("/baocao")
    text, chart, book = manager.last
    found |= {"/baocao": text.text, "chart": chart.image.data, "xlsx": values(book.document.data)}
    async with sessionmaker() as session:
        ((campaign, monday),) = await digest_report.candidates(
            session, now=clock(), last_week=False
        )
        viewer = (
            await session.execute(select(Person).where(Person.employee_code == "QL1"))
        ).scalar_one()
        pending = await digest_report.gather_many(
            session,
            campaign=campaign,
            monday=monday,
            topics=digest.topic_map(shipped_content()),
            viewers=[viewer],
        )
        unit = await org.find_unit(session, path="Sở Y/Tổ nhỏ")
        window = days(campaign, date(2026, 11, 9), date(2026, 11, 15), now=local(2026, 11, 20, 0))
        book = await review.build(session, campaign=campaign, window=window, unit=unit, now=clock())
        outcome = _outcome(book, ranked=False, with_lines=True, want_file=True)
    ((_, rendered),) = await digest_report.render_many(pending, clock())
    weekly_text, weekly_chart, weekly_book = rendered.replies
    found |= {
        "digest": weekly_text.text,
        "digest chart": weekly_chart.image.data,
        "digest xlsx": values(weekly_book.document.data),
        "atgt report": outcome.lines,
        "atgt report xlsx": values(outcome.data),
    }
    return found


async def test_one_persons_answer_changes_no_view_of_a_small_unit(small_unit):
    sessionmaker, clock, manager = small_unit
    before = await views(sessionmaker, clock, manager)

    await confess(sessionmaker)
    after = await views(sessionmaker, clock, manager)

    for name in before:
        assert after[name] == before[name], name
    assert t("unit.violations_hidden", k=3) in after["/donvi"]
    assert "2/2" in after["/donvi"] and "2/2" in after["/baocao"]  # participation stays named


async def test_large_enough_groups_still_show_compliance_and_violations(small_unit):
    sessionmaker, clock, manager = small_unit
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Campaign).values(privacy_min_group=2))
    await confess(sessionmaker)

    found = await views(sessionmaker, clock, manager)

    assert "chấp hành đầy đủ: 1/2" in found["/donvi"]
    assert t("unit.violations", count=1) in found["/donvi"]
    assert "• Chấp hành đầy đủ: 1/2 người đã báo cáo (50%)" in found["/baocao"]
    units = found["xlsx"]["Đơn vị"]
    header = units[0]
    row = units[1]
    assert row[header.index("Chấp hành đầy đủ (%)")] == 0.5
    assert row[header.index("Tự khai vi phạm")] == 1
    people = found["xlsx"]["Cá nhân"]
    hidden = t("privacy.hidden_cell")
    for person in people[1:]:  # one person is a group of one: never shown
        assert person[people[0].index("Tự khai vi phạm")] == hidden
        assert person[people[0].index("Tuần chấp hành đầy đủ")] == hidden


def test_subtracting_shown_sub_units_never_isolates_a_small_group():
    # Sở (own 0) = Phòng A (10) + Phòng B (2): showing Sở and A would give B away.
    children = {None: [1], 1: [2, 3]}
    found = hidden_units(children, {1: 12, 2: 10, 3: 2}, 3)
    assert found.units == {2, 3} and found.shown(1)
    # Everything large: nothing hidden.
    assert hidden_units(children, {1: 13, 2: 10, 3: 3}, 3).units == set()
    # Whole organisation over two tops: 4 + 1 people; the 4 alone would reveal the 1.
    tops = hidden_units({None: [1, 2]}, {1: 4, 2: 1}, 3)
    assert tops.units == {2} and not tops.shown_over(5, [1, 2])


def visible_below(u, children, group, found) -> int:
    """People inside u's sub-units that the shown units below u account for."""
    return sum(
        group[c] if found.shown(c) else visible_below(c, children, group, found)
        for c in children.get(u, [])
    )


def test_random_trees_keep_the_subtraction_invariant():
    rng = random.Random(15)
    for _ in range(300):
        size = rng.randint(1, 25)
        parent = {u: rng.choice([None, *range(u)]) for u in range(size)}
        children: dict[int | None, list[int]] = {}
        for u, p in parent.items():
            children.setdefault(p, []).append(u)
        own = {u: rng.choice([0, 0, 1, 2, 3, 5]) for u in range(size)}
        group: dict[int, int] = {}
        for u in sorted(range(size), reverse=True):  # children have larger ids
            group[u] = own[u] + sum(group[c] for c in children.get(u, []))
        k = rng.randint(2, 4)
        found = hidden_units(children, group, k)

        for u in range(size):
            if found.shown(u):
                rest = group[u] - visible_below(u, children, group, found)
                assert group[u] >= k and not 0 < rest < k, (u, group, children, k)


def test_report_units_sheet_hides_what_subtraction_would_reveal(database_url, tmp_path):
    campaign_id = setup(database_url, tmp_path)
    out = tmp_path / "review.xlsx"
    result = run(
        database_url, "report", "review", "--campaign", str(campaign_id), "--xlsx", str(out)
    )
    assert result.exit_code == 0, result.output
    units = rows(out, "Đơn vị")
    column = units[0].index("Tự khai vi phạm")
    found = {r[1]: r[column] for r in units[1:]}
    # Sở X 9 people = Phòng 1 (4) + Phòng 2 (4) + Văn phòng (1): one of the Phòng is hidden
    # too, else Sở X minus both would be Văn phòng's single person.
    assert found["Sở X"] == 1 and found["Sở X/Văn phòng"] == "ẩn"
    assert found["Sở X/Phòng 1/Tổ A"] == "ẩn"
    assert sorted(map(str, (found["Sở X/Phòng 1"], found["Sở X/Phòng 2"]))) == ["0", "ẩn"]


async def test_chart_weeks_follow_the_same_decisions_as_the_text(sessionmaker, tmp_path):
    campaign_id = await build_org(sessionmaker, tmp_path)
    async with sessionmaker() as session:
        campaign = await campaigns.load(session, campaign_id)
        weeks = {
            monday: await digest.board(session, campaign=campaign, monday=monday, topics={})
            for monday in (W1, WEEK2)
        }
        trend = await report_counts.trend(session, campaign_id=campaign_id, first=W1, last=WEEK2)
    rules = digest_report.week_rules(trend, weeks[WEEK2])
    phong1 = next(n.id for n in weeks[W1].tree.nodes.values() if n.path == "Sở X/Phòng 1")

    for monday, data in weeks.items():
        for unit_id in data.tree.nodes:
            assert rules[monday].shown(unit_id) == data.rule.compliance.shown(unit_id)
    # Week 1: Phòng 1 (3 reports) hidden, else Sở X (5) minus it gives Phòng 2's 2 away.
    assert not rules[W1].shown(phong1) and rules[WEEK2].shown(phong1)
    ql1 = digest.digest_for(weeks[WEEK2], scope=phong1)
    points = trend_points(
        trend,
        units=digest_report.scope_units(weeks[WEEK2], phong1),
        people=ql1.counts.people,
        mondays=[W1, WEEK2],
        visible=lambda monday, _reported: rules[monday].shown(phong1),
    )
    assert [p.compliant for p in points] == [None, 75]
    assert [p.reported for p in points] == [75, 100]


async def test_reports_over_several_weeks_count_people_not_check_ins(small_unit):
    sessionmaker, clock, _ = small_unit
    async with sessionmaker() as session, session.begin():
        campaign = (await session.execute(select(Campaign))).scalar_one()
        for code in ("QL1", "N1"):  # the same two people, one more week: 4 check-ins
            person = await org.find_person(session, code=code)
            at = local(2026, 11, 3, 9, 0)
            session.add(
                CheckIn(
                    campaign_id=campaign.id,
                    person_id=person.id,
                    period_start=date(2026, 11, 2),
                    answers={"q": "yes"},
                    complete=True,
                    compliant=code == "QL1",
                    late=False,
                    submitted_at=at,
                    updated_at=at,
                )
            )
    async with sessionmaker() as session:
        campaign = await campaigns.load(
            session, (await session.execute(select(Campaign.id))).scalar()
        )
        unit = await org.find_unit(session, path="Sở Y/Tổ nhỏ")
        window = days(campaign, date(2026, 11, 2), date(2026, 11, 15), now=local(2026, 11, 20, 0))
        book = await review.build(session, campaign=campaign, window=window, unit=unit, now=clock())
        outcome = _outcome(book, ranked=False, with_lines=True, want_file=True)

    units = values(outcome.data)["Đơn vị"]
    summary = dict(values(outcome.data)["Tổng hợp"][1:])
    assert units[1][1] == "Sở Y/Tổ nhỏ" and units[1][5] == 4  # four check-ins, two people
    assert units[1][units[0].index("Chấp hành đầy đủ (%)")] == t("privacy.hidden_cell")
    assert summary["Chấp hành đầy đủ trong số đã báo cáo (%)"] == t("privacy.hidden_cell")
    assert "chấp hành ẩn" in outcome.lines[0]


async def test_a_managers_report_chart_decides_as_the_whole_organisation(sessionmaker, tmp_path):
    # /baocao of Phòng 1's manager: week 1's compliance is hidden for the whole organisation
    # (Sở X minus Phòng 1 would show Phòng 2's two reporters), so the manager's chart hides
    # it too, whatever rows the manager's own scope holds.
    campaign_id = await build_org(sessionmaker, tmp_path)
    now = local(2026, 11, 13, 12, 0)  # Friday of week 2
    async with sessionmaker() as session:
        campaign = await campaigns.load(session, campaign_id)
        viewer = await org.find_person(session, code="QL1")
        shown = await digest_report.for_viewer(
            session, viewer=viewer, now=now, topics={}, last_week=False
        )
        data = await digest.board(session, campaign=campaign, monday=WEEK2, topics={})
        trend = await report_counts.trend(session, campaign_id=campaign_id, first=W1, last=WEEK2)
        units = digest_report.scope_units(data, shown.digest.unit_id)
        rows_ = await digest_report.people_rows(
            session, campaign=campaign, window=data.window, unit_ids=units
        )
    rules = digest_report.week_rules(trend, data)
    expected = digest_report.render(
        shown.digest, data, trend, rows_, now, now.date(), rules
    )  # fmt: skip
    assert not rules[W1].shown(shown.digest.unit_id)
    chart = next(r.image.data for r in shown.replies if r.image is not None)
    assert chart == next(r.image.data for r in expected if r.image is not None)
