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
