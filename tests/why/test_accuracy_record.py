"""The accuracy suite's counterfactual lead time (tests/why/accuracy_record.py): the weeks a
fault moved, told from the weeks it did not by the simulator run with and without it."""

from __future__ import annotations

import datetime as dt

from breadcrumbs.simulator.scenario import load_scenario
from tests.paths import ROOT
from tests.why.accuracy_record import lead_time_moved


def test_a_review_bottleneck_moves_lead_time_only_in_the_weeks_it_touched() -> None:
    """review_bottleneck-21 (platform, 2026-04-05 for 21 days): the red lead time of the week
    of 2026-04-06 (60.4 hours) is the same without the fault (the deployed changes of that
    week were reviewed before it); the week of 2026-04-13 is 38.5 hours, 30.1 without it."""
    moved = lead_time_moved(load_scenario(ROOT / "scenarios" / "accuracy" /
                                          "review_bottleneck-21.yaml"))
    weeks = {week: (round(a, 1), round(b, 1)) for (team, week), (a, b) in moved.items()
             if team == "platform"}
    assert dt.date(2026, 4, 6) not in weeks
    assert weeks[dt.date(2026, 4, 13)] == (38.5, 30.1)
