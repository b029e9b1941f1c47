"""Period arithmetic for day, week (Monday) and month grains."""

from __future__ import annotations

import datetime as dt


def period_start(day: dt.date, grain: str) -> dt.date:
    """The start of the period of `grain` that contains `day`."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def period_end(start: dt.date, grain: str) -> dt.date:
    """The last day of the period starting at `start`."""
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "month":
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start


def lag_days(grain: str) -> int:
    """How far back a driver may lead a metric of `grain`: hours for signals (a day or two),
    days for delivery (a week), weeks for revenue (two months: customers leave a while after
    the outage)."""
    return {"day": 2, "week": 7, "month": 62}.get(grain, 7)
