"""The manager dashboard over HTTP: scope by role, forged URLs, privacy, the workbook.

Real HTTP (httpx) against the web channel's ASGI app on the hand-computed organisation of
tests/digest_org.py (week 2 of the campaign, Thursday evening), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from bot.core.texts import t
from bot.db.models import Campaign
from bot.services import campaigns, org
from bot.services.unit_status import decisions, unit_status
from tests.channels.test_web import Browser, Site, make_site
from tests.digest_org import build, local
from tests.harness import issue_invite, linked_chat


@pytest.fixture
async def site(sessionmaker, clock, tmp_path):
    await build(sessionmaker, tmp_path)
    clock.now = local(2026, 11, 12, 20, 0)  # Thursday of week 2
    return make_site(sessionmaker, clock)


async def signed_in(site: Site, code: str) -> Browser:
    browser = site.browser()
    secret = await issue_invite(site.sessionmaker, site.clock, code)
    assert (await browser.join(secret)).status_code == 303
    return browser


async def unit_id(site: Site, path: str) -> int:
    async with site.sessionmaker() as session:
        return (await org.find_unit(session, path=path)).id


def text_of(html: str) -> str:
    """The page's visible text, one space between elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


async def test_a_manager_sees_own_units_and_drills_down(site):
    browser = await signed_in(site, "QL1")
    assert (await browser.client.get("/api/me")).json()["dashboard"] is True
    page = await browser.client.get("/dashboard")
    assert page.status_code == 200, page.text
    shown = text_of(page.text)
    assert "Sở X/Phòng 1" in shown and "«Thi đua 2026» · tuần 09/11/2026 – 15/11/2026" in shown
    # This week so far, the digest's own figures (tests/test_digest.py, QL1_WEEK2).
    assert "Đã báo cáo 4/4 (100%), tăng 25 điểm phần trăm so với tuần trước" in shown
    assert "Chấp hành đầy đủ (trong số đã báo cáo) 3/4 (75%)" in shown
    assert "Câu đố: câu đúng 3/4 (75%)" in shown
    assert "Thông báo đã đọc 2/3 (67%)" in shown
    assert "Nhắc nhở đã xác nhận 1/2 (50%)" in shown
    assert "Xếp hạng thi đua 1/3 đơn vị cùng cấp" in shown
    assert t("dashboard.all_reported") in shown
    # Two campaign weeks in the chart, the year on its axis; nothing to compare before them.
    assert "<svg" in page.text and ">02/11<" in page.text and ">09/11<" in page.text
    assert ">2026<" in page.text
    assert "Trung bình 2 tuần: 88% người báo cáo mỗi tuần; chưa có 8 tuần trước đó" in shown
    assert "Chủ đề cần củng cố: Nồng độ cồn." in shown
    # No sibling, no parent: Phòng 2's people are nowhere on the page.
    assert "Phòng 2" not in shown and "Em Hai" not in shown
    # Drill down into Tổ A.
    team = await unit_id(site, "Sở X/Phòng 1/Tổ A")
    assert f"/dashboard?weeks=8&amp;unit={team}" in page.text
    inner = await browser.client.get("/dashboard", params={"unit": team, "weeks": 8})
    assert inner.status_code == 200
    inside = text_of(inner.text)
    assert "Sở X/Phòng 1/Tổ A" in inside and "Đã báo cáo 2/2 (100%)" in inside
    assert "Phòng 1 › Tổ A" in inside  # the way back up stops at the manager's own unit
    assert "Sở X ›" not in inside


async def test_forged_urls_and_employees_are_refused(site):
    manager = await signed_in(site, "QL1")
    sibling = await unit_id(site, "Sở X/Phòng 2")
    parent = await unit_id(site, "Sở X")
    for unit in (sibling, parent, 999_999):
        for path in ("/dashboard", "/dashboard/export"):
            answer = await manager.client.get(path, params={"unit": unit})
            assert answer.status_code == 403, (path, unit)
            assert t("dashboard.not_yours") in answer.text and "Em Hai" not in answer.text
    assert (await manager.client.get("/dashboard?unit=abc")).status_code == 404
    employee = await signed_in(site, "B1")
    assert (await employee.client.get("/api/me")).json()["dashboard"] is False
    for path in ("/dashboard", "/dashboard/export", f"/dashboard?unit={sibling}"):
        answer = await employee.client.get(path)
        assert answer.status_code == 403 and t("dashboard.forbidden") in answer.text
    stranger = site.browser()
    answer = await stranger.client.get("/dashboard")
    assert answer.status_code == 401 and "Phòng" not in answer.text
    assert (await stranger.client.get("/dashboard/export")).status_code == 401
    # Same page headers as the chat: no inline script allowed, no framing.
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "<script" not in (await manager.client.get("/dashboard")).text


async def test_names_are_escaped_in_the_page_and_the_chart(site):
    async with site.sessionmaker() as session, session.begin():
        unit = await org.find_unit(session, path="Sở X/Phòng 1/Tổ A")
        unit.name, unit.path = "Tổ <b>A</b>", "Sở X/Phòng 1/Tổ <b>A</b>"
        person = await org.find_person(session, code="B2")  # has not reported: named
        person.full_name = '<img src=x onerror="alert(1)">'
        await session.execute(update(Campaign).values(name="</title><script>alert(1)</script>"))
    manager = await signed_in(site, "QL1")
    outer = (await manager.client.get("/dashboard")).text
    inner = (await manager.client.get(f"/dashboard?unit={unit.id}")).text
    admin = (await (await signed_in(site, "AD1")).client.get("/dashboard")).text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in admin
    for page in (outer, inner, admin):
        assert "<b>" not in page and "<script" not in page and "<img" not in page
    assert "Tổ &lt;b&gt;A&lt;/b&gt;" in outer
    assert "<title>Sở X/Phòng 1/Tổ &lt;b&gt;A&lt;/b&gt; — tỉ lệ theo tuần</title>" in inner


async def test_an_admin_sees_everything(site):
    admin = await signed_in(site, "AD1")
    page = await admin.client.get("/dashboard")
    shown = text_of(page.text)
    assert page.status_code == 200 and "Đã báo cáo 7/9 (78%)" in shown
    assert "Phòng 1" in shown and "Phòng 2" in shown and "Văn phòng" in shown
    assert "Em Hai" in shown and "Giang Ba" in shown  # this week's non-reporters, named
    sibling = await unit_id(site, "Sở X/Phòng 2")
    other = await admin.client.get("/dashboard", params={"unit": sibling, "weeks": 4})
    assert other.status_code == 200 and "Đã báo cáo 2/4 (50%)" in text_of(other.text)
    assert '<option value="4" selected>' in other.text


async def test_the_period_is_compared_with_the_same_number_of_weeks_before(site):
    async with site.sessionmaker() as session, session.begin():
        await session.execute(update(Campaign).values(starts_on=date(2026, 10, 5)))
    manager = await signed_in(site, "QL1")
    page = text_of((await manager.client.get("/dashboard?weeks=4")).text)
    # 19/10–09/11: 0 + 0 + 3 + 4 of 4 people a week; before: 05/10 and 12/10, nobody.
    assert "Trung bình 4 tuần: 44% người báo cáo mỗi tuần" in page
    assert "; 4 tuần trước đó: 0% (nay tăng 44 điểm phần trăm)." in page
    whole = await manager.client.get("/dashboard?weeks=12")
    assert ">05/10<" in whole.text and ">28/09<" not in whole.text  # from the campaign's start
    assert "chưa có 12 tuần trước đó" in text_of(whole.text)


async def test_each_scope_gets_the_newest_campaign_it_takes_part_in(site):
    async with site.sessionmaker() as session, session.begin():
        await campaigns.create_campaign(
            session,
            name="Đợt riêng Phòng 2",
            starts_on=date(2026, 11, 9),
            ends_on=date(2026, 12, 20),
            units=[await org.find_unit(session, path="Sở X/Phòng 2")],
            timezone="Asia/Ho_Chi_Minh",
            now=site.clock(),
        )
    first = text_of((await (await signed_in(site, "QL1")).client.get("/dashboard")).text)
    second = text_of((await (await signed_in(site, "QL2")).client.get("/dashboard")).text)
    assert "«Thi đua 2026»" in first
    assert "«Đợt riêng Phòng 2»" in second and "Đã báo cáo 0/4 (0%)" in second
    site.clock.now = local(2026, 10, 20, 9, 0)  # before any campaign
    early = await (await signed_in(site, "QL1")).client.get("/dashboard")
    assert early.status_code == 404 and t("dashboard.no_campaign") in early.text


# (threshold, Phòng 1 shown, Tổ A shown). Sở X = Phòng 1 (4) + Phòng 2 (4) + Văn phòng (1):
# below 2, showing both Phòng would give Văn phòng's one person away, so Phòng 1 is hidden.
@pytest.mark.parametrize(
    ("threshold", "department", "team"), [(3, False, False), (2, False, True), (1, True, True)]
)
async def test_small_units_violations_follow_the_donvi_rule(site, threshold, department, team):
    async with site.sessionmaker() as session, session.begin():
        await session.execute(update(Campaign).values(privacy_min_group=threshold))
    manager = await signed_in(site, "QL1")
    chat = await linked_chat(site.router, site.sessionmaker, site.clock, "QL1")
    donvi = await chat.say("/donvi")
    team_id = await unit_id(site, "Sở X/Phòng 1/Tổ A")
    async with site.sessionmaker() as session:
        campaign = await campaigns.campaign_for(
            session, person=await org.find_person(session, code="QL1"), now=site.clock()
        )
        period = campaigns.period_of(campaign, site.clock())
        rule = await decisions(session, campaign=campaign, period=period)
        unit = await org.find_unit(session, path="Sở X/Phòng 1/Tổ A")
        small = await unit_status(session, campaign=campaign, unit=unit, period=period, rule=rule)

    own = text_of((await manager.client.get("/dashboard")).text)
    inner = text_of((await manager.client.get(f"/dashboard?unit={team_id}")).text)

    hidden = t("dashboard.hidden", k=threshold)
    # Phòng 1 (A3's violation is in Tổ A, inside it): /donvi and the dashboard agree.
    assert (t("unit.violations", count=1) in donvi) is department
    assert (t("unit.violations_hidden", k=threshold) in donvi) is not department
    assert f"Tự khai vi phạm {'1' if department else hidden}" in own
    # Tổ A (2 people): the service /donvi uses and the dashboard agree.
    assert (small.violations == 1) is team and (small.violations is None) is not team
    assert f"Tự khai vi phạm {'1' if team else hidden}" in inner
    assert f"tự khai vi phạm: {'1' if team else 'ẩn'}" in own


async def test_weeks_hidden_by_the_whole_organisation_stay_hidden_in_a_scope(site):
    # Week 1: Sở X had 5 reports and Phòng 2 only 2; Phòng 1's 3 would give Phòng 2's
    # compliance away by subtraction, so the digest hides it (tests/test_digest.py).
    manager = await signed_in(site, "QL1")
    answer = await manager.client.get("/dashboard/export")
    weeks = list(load_workbook(BytesIO(answer.content))["Theo tuần"].iter_rows(values_only=True))
    assert [row[2:] for row in weeks[1:]] == [(0.75, "ẩn"), (1.0, 0.75)]
    page = (await manager.client.get("/dashboard")).text
    assert page.count('<circle cx="') == 3  # two participation points, one compliance point


async def test_the_export_is_the_view_as_a_safe_workbook(site):
    async with site.sessionmaker() as session, session.begin():
        await session.execute(update(Campaign).values(name='=HYPERLINK("http://x","bấm")'))
    manager = await signed_in(site, "QL1")
    team = await unit_id(site, "Sở X/Phòng 1/Tổ A")
    answer = await manager.client.get("/dashboard/export", params={"unit": team})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "bang-theo-doi-20261109.xlsx" in answer.headers["content-disposition"]
    book = load_workbook(BytesIO(answer.content))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Cá nhân", "Theo tuần", "Chủ đề câu đố"]
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Đợt thi đua"].startswith("=HYPERLINK")  # stays text
    assert summary["Phạm vi"] == "Sở X/Phòng 1/Tổ A"
    people = [row[3] for row in book["Cá nhân"].iter_rows(values_only=True)][1:]
    assert people == ["Bình Hai", "Cúc Ba"]  # only the unit asked for
    weeks = list(book["Theo tuần"].iter_rows(values_only=True))
    assert [row[0].date().isoformat() for row in weeks[1:]] == ["2026-11-02", "2026-11-09"]
    assert weeks[2][2] == 1.0 and weeks[2][3] == "ẩn"  # 2 reporters < 3: compliance hidden
