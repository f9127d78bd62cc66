"""What a report covers: the check-in periods counted and the time span of other activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db.models import Campaign
from bot.services.campaigns import period_of


@dataclass(frozen=True, slots=True)
class Window:
    """Local days [first, last], their check-in periods, and the same days as a UTC span."""

    first: date
    last: date
    periods: tuple[date, ...]  # Mondays of the periods whose check-ins count
    start: datetime  # first day 00:00 local, as UTC
    end: datetime  # the day after `last`, 00:00 local, as UTC (exclusive)

    @property
    def weeks(self) -> int:
        """How many check-ins one person is expected to have sent."""
        return len(self.periods)


def _span(campaign: Campaign, first: date, last: date) -> tuple[datetime, datetime]:
    """Local midnights bounding the days, in UTC."""
    tz = ZoneInfo(campaign.timezone)
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def week(campaign: Campaign, monday: date) -> Window:
    """One Monday–Sunday period, counted even before its deadline (the current week)."""
    last = monday + timedelta(days=6)
    return Window(monday, last, (monday,), *_span(campaign, monday, last))


def last_complete_week(campaign: Campaign, now: datetime) -> date:
    """Monday of the week before the one containing `now`."""
    return period_of(campaign, now).start - timedelta(days=7)


def days(campaign: Campaign, first: date, last: date, *, now: datetime) -> Window:
    """Any range of days: the campaign's periods overlapping it whose deadline has passed."""
    monday = max(first, campaign.starts_on)
    monday -= timedelta(days=monday.weekday())
    periods = []
    while monday <= min(last, campaign.ends_on):
        if period_of(campaign, datetime.combine(monday, time(12), tzinfo=UTC)).due <= now:
            periods.append(monday)
        monday += timedelta(days=7)
    return Window(first, last, tuple(periods), *_span(campaign, first, last))
