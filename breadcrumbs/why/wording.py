"""How Breadcrumbs says a number, a step of a trail, a test and its evidence to people.

One home for the wording `why`, `review` and the report print (docs/why.md): numbers for reading
(thousands separators, units, currency, `2.43 M`, never scientific notation), one line per
step with its period, value, baseline and how unusual it is in words, the test behind the colour
when it is not the plain z, evidence once per (kind, id) and grouped, and the condition that
stopped the walk. Plain text with `**bold**`/`code` marks only where a caller asks for Markdown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from breadcrumbs.why.exposure import Exposure
from breadcrumbs.why.model import Evidence, Explanation, Node, Step, Term
from breadcrumbs.why.settings import walk_settings

CURRENCY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}
# money units: an amount, or a unit cost (its status floor is 5 % of the median, not one unit
# of money as for amounts: macros/metric_status.sql)
MONEY_UNITS = {"currency": "", "currency_per_1k": " per 1k requests"}
UNIT_SUFFIXES = {
    "ms": " ms", "minutes": " min", "hours": " h", "days": " days", "lines": " lines",
    "per_day": " per day",
}
EVIDENCE_TITLES = {
    "incident": "Incidents",
    "deployment": "Deployments",
    "ci_run": "Flaky CI runs",
    "pull_request": "Pull requests",
    "customer": "Customers",
    "revenue_at_risk": "Revenue at risk",
    "work_item": "Work items",
    "feature": "Features",
    "cloud_cost": "Cloud cost",
    "metric": "Metric values",
}
MOVEMENT_VERBS = {"churned": "left", "expansion": "expanded", "contraction": "contracted"}
# the walk's thresholds, as the stop messages name them (breadcrumbs.why.walk)
ANOMALY_Z = 3.0
DRIVER_Z = walk_settings().driver_z


# the condition no child, input or driver met (breadcrumbs.why.walk.next_step)
NOTHING_QUALIFIED = (
    f"no team, service or plan within it, no formula input and no causal driver moved "
    f"{DRIVER_Z:g}× its usual spread the way that explains the move (a causal driver must also "
    "account for 15 % of it)")


# -- numbers -----------------------------------------------------------------------------------


def plain(value: float | None, digits: int = 3) -> str:
    """A number for reading: `2.43 M`, `1.2 B`, `12,000`, `21.5`, `0.000106`; `–` for none."""
    if value is None:
        return "–"
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    size = abs(value)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= scale:
            return f"{_significant(value / scale, digits)} {suffix}"
    if size >= 100 or value == int(value):
        return f"{value:,.0f}"
    return _significant(value, digits)


def _significant(value: float, digits: int) -> str:
    """`digits` significant digits in fixed notation, trailing zeros dropped."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(ratio: float) -> str:
    """A 0–1 ratio as a percentage with the decimals that tell values apart (99.95 %)."""
    pct = ratio * 100
    size = abs(pct)
    if 99 <= size < 100 or 100 < size <= 101:
        text = f"{pct:.2f}"
    elif size >= 10:
        text = f"{pct:,.1f}"
    elif size >= 1:
        text = f"{pct:.2f}"
    else:
        text = _significant(pct, 3)
    return f"{text} %"


def money(value: float, currency: str = "") -> str:
    """An amount of money: `$12,000`, `$2.25 M`, `-$480 k`-free (`-$480,422`), `€49`."""
    symbol = CURRENCY_SYMBOLS.get(currency.lower(), "")
    sign = "-" if value < 0 else ""
    amount = plain(abs(value))
    if symbol:
        return f"{sign}{symbol}{amount}"
    code = f" {currency.upper()}" if currency else ""
    return f"{sign}{amount}{code}"


def number(value: float | None, unit: str = "", currency: str = "") -> str:
    """A metric value in its unit: ratio → percent, currency → money (currency_per_1k: money
    per 1,000 requests), durations with their unit, counts plain."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return plain(value)
    if unit == "ratio":
        return percent(value)
    if unit in MONEY_UNITS:
        return money(value, currency) + MONEY_UNITS[unit]
    return plain(value) + UNIT_SUFFIXES.get(unit, "")


def change(value: float, unit: str = "", currency: str = "") -> str:
    """A signed change in the unit: `+$12,000`, `-3.2 pp` (ratios in percentage points)."""
    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    if unit == "ratio":
        return f"{sign}{_pp(abs(value))} pp"
    return sign + number(abs(value), unit, currency)


def _pp(ratio: float) -> str:
    points = ratio * 100
    return f"{points:.1f}" if points >= 10 else _significant(points, 3)


def node_number(node: Node, value: float | None) -> str:
    """A value in the node's metric's unit."""
    return number(value, node.metric.unit, node.metric.currency)


# -- entities, periods, tests ------------------------------------------------------------------


def entity(entity_type: str, entity_id: str) -> str:
    """`plan enterprise`, `service checkout`; the org once (`org`, never `org org`)."""
    if entity_type == entity_id or not entity_type:
        return entity_id
    return f"{entity_type} {entity_id}"


def node_entity(node: Node) -> str:
    return entity(node.entity.entity_type, node.entity.entity_id)


def period(grain: str, start: dt.date) -> str:
    """`day 2026-08-20`, `week of 2026-08-17`, `month 2026-08`."""
    if grain == "month":
        return f"month {start:%Y-%m}"
    if grain == "week":
        return f"week of {start.isoformat()}"
    return f"{grain} {start.isoformat()}"


def signed_z(z: float) -> str:
    """A z-score for people: far tails are just "beyond ±99"."""
    return f"{z:+.1f}" if abs(z) < 100 else (">+99" if z > 0 else "<-99")


def spread(z: float | None) -> str:
    """How unusual a robust z is, in words: `4.1× its usual spread above its baseline`."""
    if z is None:
        return "no baseline yet (fewer than 3 earlier periods)"
    size = abs(z)
    side = "above" if z > 0 else "below"
    if size < 1:
        return "within its usual spread"
    if size >= 100:
        return f"more than 99× its usual spread {side} its baseline"
    return f"{size:.1f}× its usual spread {side} its baseline"


def spread_short(z: float | None) -> str:
    """`spread` for a table cell: `4.1× above`, `>99× below`, `within`, `no baseline`."""
    if z is None:
        return "no baseline"
    if abs(z) < 1:
        return "within"
    size = ">99" if abs(z) >= 100 else f"{abs(z):.1f}"
    return f"{size}× {'above' if z > 0 else 'below'}"


def count_words(node: Node) -> str:
    """The count test of a customer-movement node, in words (empty for other nodes)."""
    if not node.counted:
        return ""
    z = node.z if node.z is not None else 0.0
    rarity = (f"as rare as {min(abs(z), 99):.1f}× the usual spread" if abs(z) >= 1
              else "within the usual rate")
    if node.count is None:
        return f"count test: {rarity} (z {signed_z(z)})"
    test = node.count
    verb = MOVEMENT_VERBS.get(test.movement, test.movement)
    return (f"count test: {test.moved:,} of {test.at_risk:,} customers {verb} where "
            f"{_significant(test.expected, 2)} were expected at the usual rate — {rarity}")


def status_reason(node: Node) -> str:
    """What set the node's colour, in words: its fixed threshold or its baseline."""
    metric = node.metric
    if node.basis == "thresholds" and metric.threshold_red is not None:
        lower = metric.direction == "lower_is_better"
        red, amber = metric.threshold_red, metric.threshold_amber
        if node.status == "red":
            return f"{'above' if lower else 'below'} its red threshold {node_number(node, red)}"
        if node.status == "amber" and amber is not None:
            return (f"{'above' if lower else 'below'} its amber threshold "
                    f"{node_number(node, amber)}")
        return f"within its thresholds ({'≤' if lower else '≥'} {node_number(node, amber)})"
    if node.status in ("red", "amber"):
        return f"{node.status} by its baseline (at {metric.red_z:g}× the spread: red)"
    return ""


def status_z(node: Node) -> float | None:
    """The z the node's status is set by (metric_status.z_score), not the count test's."""
    if node.robust_z is not None or node.counted:
        return node.robust_z
    return node.z


def unusual(node: Node) -> str:
    """How unusual the node is: the spread of the status's z, then the count test by which the
    walk judges customer movements when there is one."""
    words = spread(status_z(node))
    counted = count_words(node)
    return f"{words}; {counted}" if counted else words


@dataclass(frozen=True)
class StepWords:
    """The pieces of one step's line, for callers that colour or mark them up."""

    label: str
    metric_id: str
    entity: str
    period: str
    value: str
    baseline: str
    unusual: str
    status: str
    reason: str


def step_words(node: Node) -> StepWords:
    return StepWords(
        label=node.metric.label,
        metric_id=node.metric.metric_id,
        entity=node_entity(node),
        period=period(node.grain, node.period_start),
        value=node_number(node, node.value),
        baseline=node_number(node, node.baseline),
        unusual=unusual(node),
        status=node.status,
        reason=status_reason(node),
    )


def step_line(node: Node, verbose: bool = False) -> str:
    """One line: `Churned MRR, plan enterprise, month 2026-08: $12,000 (baseline $0) — more
    than 99× its usual spread above its baseline; count test: … — RED (… threshold …)`."""
    words = step_words(node)
    line = (f"{words.label}, {words.entity}, {words.period}: {words.value} "
            f"(baseline {words.baseline}) — {words.unusual} — {words.status.upper()}")
    if node.basis == "thresholds" and node.status != "green" and words.reason:
        line += f" ({words.reason})"
    if verbose:
        line += f" [{stats(node)}]"
    return line


def node_brief(node: Node) -> str:
    """A node in a few words: `Errors on service checkout (day 2026-08-20, 4,416)`."""
    return (f"{node.metric.label} on {node_entity(node)} ({period(node.grain, node.period_start)}"
            f", {node_number(node, node.value)})")


def stats(node: Node) -> str:
    """The raw statistics (`--verbose`): metric id, robust z, count z, status basis."""
    parts = [node.metric.metric_id]
    z = status_z(node)
    if z is not None:
        parts.append(f"z {signed_z(z)}")
    if node.counted and node.z is not None:
        parts.append(f"count z {signed_z(node.z)}")
    parts.append(f"status by {node.basis}")
    return ", ".join(parts)


# -- how a step was reached --------------------------------------------------------------------


def edge_words(step: Step, verbose: bool = False) -> str:
    """How the walk got from the previous node to this one."""
    if step.edge == "formula":
        if step.share >= 1:
            text = "part of it (all of the change)"
        elif step.share > 0:
            text = f"part of it ({_share(step.share)} of the change)"
        else:
            text = "part of it"
    else:
        text = "driven by"
    if verbose and step.edge == "causal":
        text += f" (co-movement {step.share:.2f}, rank {step.score:.1f})"
    return text


def _share(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 else "<1%"


def formula_text(terms: list[Term], verbose: bool = False) -> str:
    """The formula decomposition: the inputs that pushed the way it moved with their part of
    that push (0–100 %), then those that pulled against it, never a share above 100 % or
    below 0."""
    along = [t for t in terms if t.share > 0]
    against = [t for t in terms if t.share < 0]
    push = sum(t.share for t in along)
    parts = [f"{t.label} {change(t.change, t.unit, t.currency)} ({_share(t.share / push)})"
             for t in along] if push else []
    text = ", ".join(parts)
    if against:
        text += ("; " if text else "") + "offset by " + ", ".join(
            f"{t.label} {change(t.change, t.unit, t.currency)}" for t in against)
    if verbose:
        text += " [raw shares " + ", ".join(f"{t.label} {t.share:+.2f}" for t in terms) + "]"
    return text


def scan_text(terms: list[Term], verbose: bool = False, top: int = 3) -> str:
    """The dimension scan: who carries the change, the largest first."""
    shown = [t for t in terms if t.change][:top]
    parts = []
    for t in shown:
        kind, _, key = t.label.partition(":")
        part = f"{entity(kind, key)} {change(t.change, t.unit, t.currency)}"
        if 0 < t.share <= 1:
            part += f" ({_share(t.share)})"
        if verbose and t.surprise is not None:
            part += f" [surprise {t.surprise:.3f}]"
        parts.append(part)
    return ", ".join(parts)


# -- evidence ----------------------------------------------------------------------------------


def unique_evidence(steps: Iterable[Step]) -> list[Evidence]:
    """Evidence of the steps, once per (kind, id), in the order given."""
    seen: set[tuple[str, str]] = set()
    out = []
    for step in steps:
        for item in step.evidence:
            if (item.kind, item.id) not in seen:
                seen.add((item.kind, item.id))
                out.append(item)
    return out


def evidence_groups(explanation: Explanation, with_metrics: bool = False
                    ) -> list[tuple[str, list[Evidence]]]:
    """Unique evidence grouped by kind (titles of EVIDENCE_TITLES), the root cause's first;
    the per-step metric values only `with_metrics` (each step's line already says them)."""
    order = [*reversed(explanation.steps), explanation.start]
    groups: dict[str, list[Evidence]] = {}
    for item in unique_evidence(order):
        if item.kind == "metric" and not with_metrics:
            continue
        groups.setdefault(item.kind, []).append(item)
    return [(EVIDENCE_TITLES.get(kind, kind), items) for kind, items in groups.items()]


def evidence_line(item: Evidence) -> str:
    return f"{item.id} at {item.at}: {item.detail}"


# -- where the walk stopped --------------------------------------------------------------------


def unfollowed_text(explanation: Explanation) -> str:
    """The red or out-of-line causal drivers at the stopping node that were not followed, with
    the condition each failed ("" when there are none)."""
    parts = []
    for skip in explanation.unfollowed:
        node = skip.node
        if node is None:
            continue
        when = period(node.grain, node.period_start)
        what = (f"{node.metric.label} on {node_entity(node)} ({when}, {node.status}, "
                f"{spread(status_z(node))})")
        if skip.reason == "quiet":
            why = "the metric itself did not move enough to be explained"
        elif skip.reason == "accounts":
            why = (f"it moves with this metric too loosely to account for more than "
                   f"{skip.accounts:.0%} of its move (a cause must account for 15 %)")
        elif skip.reason == "on_trail":
            why = "it is already on the trail"
        elif skip.reason == "own_noise" and skip.noise is not None:
            why = (f"it is within its own noise: its earlier periods went "
                   f"{skip.noise[0]:.1f}× its usual spread the same way (in "
                   f"{period(node.grain, skip.noise[1])}), and a leading signal must go 1.5 "
                   "times as far")
        elif skip.reason == "exposure" and skip.exposure is not None:
            why = exposure_text(skip.exposure)
        elif skip.reason == "exposure":
            why = skip.detail
        else:
            why = (f"in the window the walk looks at it is not {DRIVER_Z:g}× its usual spread "
                   "out the way that would explain the move")
        parts.append(f"{what}: not followed, {why}")
    return "; ".join(parts)


MOVED = {"churned": "left", "contraction": "contracted", "expansion": "expanded"}
MOVE = {"churned": "leave", "contraction": "contract", "expansion": "expand"}


def exposure_text(found: Exposure) -> str:
    """The customer-exposure test a causal step from customer movements failed (or passed), as
    the clause after "not followed," / in a step's details."""
    verb = MOVED.get(found.movement, "moved")
    first, last = found.window
    days = f"{first.isoformat()} to {last.isoformat()}"
    if not found.services:
        return (f"no service any plan depends on was in SLO breach from {days}, so none of "
                f"the {found.moved} customers who {verb} in {found.month:%Y-%m} was exposed to "
                "it: their moving is ordinary")
    checked = (f"of the {found.moved} customers who {verb} in {found.month:%Y-%m}, "
               f"{found.exposed_moved} (of {found.exposed} exposed) were on plans depending on "
               f"{', '.join(found.services)} while in SLO breach ({days}), where their plans' own "
               f"rates expect {found.expected_exposed:.1f} (one-sided p {found.p_value:.2g})")
    if found.passed:
        return checked
    return (f"{checked}: the exposed did not {MOVE.get(found.movement, 'move')} clearly more "
            f"than usual (a step needs {DRIVER_Z:g}× the usual spread and more than the "
            "unexposed), so their moving is ordinary")


def _adverse_drift(node: Node) -> float:
    """The walk's z of the node its bad way (breadcrumbs.why.walk: LEAD_Z)."""
    bad = -1.0 if node.metric.direction == "higher_is_better" else 1.0
    return (node.z or 0.0) * bad


def stop_text(explanation: Explanation) -> str:
    """The exact condition that stopped the walk, as a sentence."""
    start = explanation.start.node
    root = explanation.root
    code = explanation.stop
    if code == "quiet":
        if start.robust_z is None and start.z is None:
            text = (f"{start.metric.label} has no baseline yet and is {start.status}: nothing "
                    "to explain.")
        else:
            text = (f"{start.metric.label} is {start.status} and {spread(status_z(start))} "
                    f"(an explanation needs red or {ANOMALY_Z:g}× its usual spread)")
            if start.counted:
                text += f"; {count_words(start)}"
            if _adverse_drift(start) < 1:
                text += (", and it has not drifted its bad way by 1× its usual spread (a "
                         "leading signal), so no driver is looked for.")
            else:
                text += (", and no causal driver of it is red and "
                         f"{ANOMALY_Z:g}× its usual spread out the way that pushes it, its run 1.5 "
                         "times farther than its own earlier periods went (a leading signal).")
    elif code == "threshold" and start.counted:
        text = (f"{start.metric.label} is red by the money that moved ({spread(status_z(start))})"
                f", but by its {count_words(start)}, and {NOTHING_QUALIFIED}: ordinary "
                "variation in who moved.")
    elif code == "threshold":
        text = (f"{start.metric.label} is red only by its fixed threshold "
                f"({status_reason(start)}); at {spread(status_z(start))} it is within "
                f"{ANOMALY_Z:g}× its usual spread, and {NOTHING_QUALIFIED}: the threshold is "
                "crossed by ordinary variation.")
    elif code == "counts":
        last = explanation.steps[-1].node if explanation.steps else start
        counted = explanation.ordinary or [last]
        text = ("the move is made of customers who left, expanded or contracted, each count "
                "within its usual rate (" + "; ".join(
                    f"{n.metric.label} on {node_entity(n)}: {count_words(n) or spread(n.z)}"
                    for n in counted) + "): ordinary variation in who moved, so the walk "
                "stops there.")
    elif code == "depth":
        text = "the walk stopped after its maximum of 12 steps."
    elif code == "rollup" and root is not None:
        judged = explanation.steps[-1].score if explanation.steps else None
        if judged is not None and abs(judged - abs(root.z or 0.0)) > 1e-6:
            # judged as a count (scan.rate_count_z): the failures against the team's own rate
            text = (f"{root.metric.label} on {node_entity(root)} is {spread(root.z)}, but as a "
                    f"count against the team's own rate over the weeks before it is "
                    f"{judged:.1f}× (under {DRIVER_Z:g}×): the failure is within the team's "
                    "usual rate, so the team's own drivers are not searched.")
        else:
            text = (f"{root.metric.label} on {node_entity(root)} is {spread(root.z)} (under "
                    f"{DRIVER_Z:g}×): the failure is within the team's usual rate, so the "
                    "team's own drivers are not searched.")
    elif root is not None:
        text = (f"for {root.metric.label} on {node_entity(root)}, {NOTHING_QUALIFIED}, in its "
                "period or the lag before.")
    else:
        text = "no driver qualified."
    skipped = unfollowed_text(explanation)
    return f"{text} {skipped[0].upper()}{skipped[1:]}." if skipped else text


def root_text(explanation: Explanation) -> str:
    """`CPU utilisation on service checkout, day 2026-08-20` or `none — <stop condition>`."""
    root = explanation.root
    if root is None:
        return "none — " + stop_text(explanation)
    return f"{root.metric.label} on {node_entity(root)}, {period(root.grain, root.period_start)}"


def trail_sentence(explanation: Explanation) -> str:
    """The whole trail as one sentence, for a summary: `Churned MRR on plan enterprise (month
    2026-09) ← Revenue at risk … ← CPU utilisation on service checkout (day 2026-08-20): root
    cause.`"""
    nodes = [explanation.start.node, *(s.node for s in explanation.steps)]
    chain = " ← ".join(node_brief(n) for n in nodes)
    if explanation.root is None:
        return f"{chain}: no root cause — {stop_text(explanation)}"
    return f"{chain}: root cause {root_text(explanation)}."
