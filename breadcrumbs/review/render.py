"""The brief as a few blocks (headings, paragraphs, tables, nested lists), rendered as Markdown
for the terminal and as HTML for the report, so both say the same thing."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from breadcrumbs.review.brief import Brief, Event, Moved
from breadcrumbs.why import wording

MAX_MOVED = 15  # rows of the "what moved" table
EVIDENCE_PER_KIND = 3  # evidence items per kind under a trail

REASONS = {
    "acknowledged_then_auto_resolved": "acknowledged, then auto-resolved",
    "resolved_without_action": "resolved without action",
}


@dataclass
class Block:
    """A heading (level 1–3), a paragraph, a table or a nested list ((depth, text) items)."""

    kind: str
    text: str = ""
    level: int = 2
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[tuple[int, str]] = field(default_factory=list)


def _trail(event: Event) -> list[tuple[int, str]]:
    """One event: its trail, a line per step (breadcrumbs.why.wording), the other red
    symptoms it explains, the root cause or the condition that stopped the walk, and the
    evidence once per item, grouped by kind."""
    trail = event.trail
    items = [(0, wording.step_line(trail.start.node))]
    for depth, step in enumerate(trail.steps, start=1):
        items.append((depth, f"← {wording.edge_words(step)}: {wording.step_line(step.node)}"))
    depth = len(trail.steps) + 1
    also = ([(1, "same event, also red: "
              + "; ".join(wording.node_brief(n) for n in event.symptoms))]
            if event.symptoms else [])
    if trail.root is None:
        items.append((1, "no root cause: " + wording.stop_text(trail)))
        return items + also
    root = trail.root
    items.append((depth, f"**root cause: {root.metric.label} (`{root.metric.metric_id}`) on "
                         f"{wording.node_entity(root)}**, "
                         f"{wording.period(root.grain, root.period_start)}"))
    items.append((depth + 1, "the walk stops here: " + wording.stop_text(trail)))
    for title, evidence in wording.evidence_groups(trail):
        items.append((depth + 1, f"evidence: {title.lower()}"))
        items += [(depth + 2, wording.evidence_line(e)) for e in evidence[:EVIDENCE_PER_KIND]]
        if len(evidence) > EVIDENCE_PER_KIND:
            items.append((depth + 2, f"… and {len(evidence) - EVIDENCE_PER_KIND} more "
                                     f"(`breadcrumbs why {trail.start.node.metric.metric_id} "
                                     f"--json`)"))
    return items + also


def _moved_row(m: Moved) -> list[str]:
    return [m.status.upper(), f"{m.metric.label} (`{m.metric.metric_id}`)",
            wording.entity(m.entity.entity_type, m.entity.entity_id),
            wording.period(m.grain, m.period_start),
            wording.number(m.value, m.metric.unit, m.metric.currency),
            wording.number(m.baseline, m.metric.unit, m.metric.currency),
            wording.spread_short(m.z)]


def _health_item(row: dict, what: str) -> str:
    return (f"`{row['metric_id']}` on {row['entity_type']} {row['entity_id']}: {what} "
            f"(decided by {row['decided_by'] or 'nobody'})")


def blocks(brief: Brief) -> list[Block]:
    """The brief's content, in reading order."""
    out = [
        Block("heading", f"Weekly review: team {brief.team}, week of {brief.week_start} "
                         f"to {brief.week_end}", level=1),
        Block("paragraph",
              f"Services: {', '.join(brief.services) or 'none'}; plans that use them: "
              f"{', '.join(brief.plans) or 'none'}. Data through {brief.data_end}"
              + ("" if brief.is_complete_week else " (this week is not complete yet)") + "."),
        Block("heading", "What moved this week"),
    ]
    if brief.moved:
        out.append(Block("table", header=["status", "metric", "entity", "period", "value",
                                          "baseline", "how unusual"],
                         rows=[_moved_row(m) for m in brief.moved[:MAX_MOVED]]))
        if len(brief.moved) > MAX_MOVED:
            rest = brief.moved[MAX_MOVED:]
            reds = sum(1 for m in rest if m.status == "red")
            out.append(Block("paragraph", f"… and {len(rest)} more ({reds} red, "
                                          f"{len(rest) - reds} amber): query `metric_status`."))
    else:
        out.append(Block("paragraph", "Nothing of the team's was red or amber this week."))
    if brief.events:
        out.append(Block("heading", "Why (the breadcrumb trail)", level=3))
        for event in brief.events:
            out.append(Block("list", items=_trail(event)))
    out.append(Block("heading", "Metrics failing the two tests in practice"))
    out.append(Block("paragraph",
                     f"From `metric_health` over {brief.health_start} to {brief.health_end} "
                     "(the lookback ending on the last complete data), for the team, its "
                     "services and the plans and org outcomes they feed."))
    items: list[tuple[int, str]] = []
    for label, rows, what in (
        ("**Code red** (business outcome red and unexplained)", brief.code_red,
         "red in {n} period(s) with no driver that explains it"),
        ("Red but unexplained", brief.red_unexplained,
         "red in {n} period(s) with no driver that explains it"),
        ("No decision owner", brief.no_owner, "nobody to take its decision"),
    ):
        items.append((0, f"{label}: {len(rows)}" + ("" if rows else " (none)")))
        for row in rows[:8]:
            items.append((1, _health_item(row, what.format(n=row["red_unexplained_periods"]))))
        if len(rows) > 8:
            items.append((1, f"… and {len(rows) - 8} more (query `metric_health`)"))
    items.append((0, f"Candidates to retire (never moved for any entity): {len(brief.retire)}"
                     + ("" if brief.retire else " (none)")))
    for row in brief.retire:
        items.append((1, f"`{row['metric_id']}`: always green and within 2 z of its baseline "
                         f"(decided by {row['decided_by'] or 'nobody'}): retire it or fix its "
                         "thresholds"))
    out.append(Block("list", items=items))
    out.append(Block("heading", "Inactionable alerts"))
    totals = brief.alerts_window
    out.append(Block(
        "paragraph",
        f"{len(brief.alerts_week)} of the team's {totals.get('week_alerts', 0)} pages this week "
        f"needed no action; {totals.get('inactionable', 0)} of {totals.get('alerts', 0)} over "
        f"{brief.health_start} to {brief.health_end}. Tune or remove alerts that keep paging "
        "for nothing.",
    ))
    if brief.alerts_week:
        out.append(Block("list", items=[
            (0, f"incident #{a['incident_number']} ({a['incident_id']}) on {a['service_id']} at "
                f"{a['created_at']:%Y-%m-%d %H:%M}: {REASONS.get(a['inactionable_reason'], '')}")
            for a in brief.alerts_week
        ]))
    out.append(Block("heading", "Where to map drivers first"))
    if brief.critical:
        out.append(Block(
            "table",
            header=["rank", "service", "top critical", "dependent MRR", "customers",
                    "incidents", "customer-impact min", "SLO breach days"],
            rows=[[str(c["criticality_rank"]), c["service_id"],
                   "yes" if c["is_top_critical"] else "no",
                   wording.money(float(c["dependent_mrr"]), brief.currency),
                   str(c["dependent_customers"]), str(c["incident_count"]),
                   wording.number(c["customer_impact_minutes"], "minutes"),
                   str(c["slo_breached_days"])]
                  for c in brief.critical],
        ))
        top = [c["service_id"] for c in brief.critical if c["is_top_critical"]]
        out.append(Block("paragraph",
                         (f"{', '.join(top)} among the organisation's most critical services "
                          "(`service_criticality`): keep their driver maps and alerts current."
                          if top else "None of the team's services is among the "
                          "organisation's most critical (`service_criticality`).")))
    else:
        out.append(Block("paragraph", "The team owns no service."))
    return out


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown."""
    lines: list[str] = []
    for block in blocks(brief):
        if block.kind == "heading":
            lines += ["#" * block.level + " " + block.text, ""]
        elif block.kind == "paragraph":
            lines += [block.text, ""]
        elif block.kind == "table":
            lines.append("| " + " | ".join(block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(row) + " |" for row in block.rows]
            lines.append("")
        elif block.kind == "list":
            lines += ["  " * depth + "- " + text for depth, text in block.items]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _inline(text: str) -> str:
    """Markdown `code` and **bold** of our own text as HTML (everything else escaped)."""
    out = html.escape(text)
    parts = out.split("**")
    out = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    parts = out.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def to_html(brief: Brief) -> str:
    """The brief as an HTML fragment (a section of the report)."""
    parts: list[str] = []
    for block in blocks(brief):
        if block.kind == "heading":
            level = block.level + 1  # the report's own h1 is the page title
            parts.append(f"<h{level}>{_inline(block.text)}</h{level}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{_inline(block.text)}</p>")
        elif block.kind == "table":
            head = "".join(f"<th>{_inline(h)}</th>" for h in block.header)
            body = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>"
                           for row in block.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif block.kind == "list":
            parts.append("<ul>" + "".join(
                f'<li style="margin-left:{depth * 1.2}rem">{_inline(text)}</li>'
                for depth, text in block.items) + "</ul>")
    return '<section id="review">' + "".join(parts) + "</section>"
