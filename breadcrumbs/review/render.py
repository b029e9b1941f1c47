"""The brief as a few blocks (headings, paragraphs, tables, nested lists), rendered as Markdown
for the terminal and as HTML for the report, so both say the same thing."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from breadcrumbs.review.brief import Brief, Moved
from breadcrumbs.why.model import Explanation, Node, z_text

MAX_MOVED = 15  # rows of the "what moved" table

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


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _node(node: Node) -> str:
    z = f", z {z_text(node.z)}" if node.z is not None else ""
    return (f"{node.metric.label} (`{node.metric.metric_id}`) on {node.entity.entity_type} "
            f"{node.entity.entity_id}, {node.grain} of {node.period_start}: "
            f"{_num(node.value)} vs baseline {_num(node.baseline)}{z}, {node.status}")


def _trail(trail: Explanation) -> list[tuple[int, str]]:
    items = [(0, _node(trail.start.node))]
    for depth, step in enumerate(trail.steps, start=1):
        items.append((depth, f"← {step.edge}: {_node(step.node)}"))
    depth = len(trail.steps) + 1
    if trail.root is None:
        items.append((1, "no root cause: nothing upstream is anomalous"))
        return items
    root = trail.root
    items.append((depth, f"**root cause: `{root.metric.metric_id}` on {root.entity.entity_type} "
                         f"{root.entity.entity_id}** ({root.grain} of {root.period_start})"))
    evidence, seen = [], set()
    for step in [*reversed(trail.steps), trail.start]:  # the root cause's evidence first
        for item in step.evidence:
            if item.kind != "metric" and (item.kind, item.id) not in seen:
                seen.add((item.kind, item.id))
                evidence.append(item)
    for item in evidence[:4]:
        items.append((depth + 1, f"evidence: {item.kind} {item.id} at {item.at}: {item.detail}"))
    if not trail.steps and trail.start.node.status == "red":
        items.append((1, "nothing upstream moved: the metric is its own root cause here"))
    return items


def _moved_row(m: Moved) -> list[str]:
    z = z_text(m.z) if m.z is not None else "–"
    return [m.status.upper(), f"{m.metric.label} (`{m.metric.metric_id}`)",
            f"{m.entity.entity_type} {m.entity.entity_id}", f"{m.grain} of {m.period_start}",
            _num(m.value), _num(m.baseline), z]


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
                                          "baseline", "z"],
                         rows=[_moved_row(m) for m in brief.moved[:MAX_MOVED]]))
        if len(brief.moved) > MAX_MOVED:
            rest = brief.moved[MAX_MOVED:]
            reds = sum(1 for m in rest if m.status == "red")
            out.append(Block("paragraph", f"… and {len(rest)} more ({reds} red, "
                                          f"{len(rest) - reds} amber): query `metric_status`."))
    else:
        out.append(Block("paragraph", "Nothing of the team's was red or amber this week."))
    if brief.trails:
        out.append(Block("heading", "Why (the breadcrumb trail)", level=3))
        for trail in brief.trails:
            out.append(Block("list", items=_trail(trail)))
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
                   "yes" if c["is_top_critical"] else "no", _num(float(c["dependent_mrr"])),
                   str(c["dependent_customers"]), str(c["incident_count"]),
                   _num(c["customer_impact_minutes"]), str(c["slo_breached_days"])]
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
