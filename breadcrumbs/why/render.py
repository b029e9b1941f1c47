"""Human output of `why`: a breadcrumb trail from the metric to its root cause."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from breadcrumbs.why.model import Explanation, Node, Step, z_text

COLOURS = {"red": "bold red", "amber": "bold yellow", "green": "bold green",
           "incomplete": "dim"}  # an incomplete period is never coloured


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _node_line(node: Node) -> Text:
    text = Text()
    text.append(f"{node.metric.label} ", style="bold")
    text.append(f"({node.metric.metric_id}) ", style="dim")
    text.append(f"{node.entity.entity_type} {node.entity.entity_id}, ")
    text.append(f"{node.grain} of {node.period_start.isoformat()}: ")
    text.append(_number(node.value), style="bold")
    text.append(f" vs baseline {_number(node.baseline)}")
    if node.z is not None:
        text.append(f" (z {z_text(node.z)}) ")
    text.append(node.status.upper(), style=COLOURS.get(node.status, ""))
    return text


def _details(console: Console, step: Step, indent: str) -> None:
    if step.dimension_scan:
        top = step.dimension_scan[:3]
        console.print(
            f"{indent}  dimension scan: "
            + ", ".join(
                f"{t.label} Δ {_number(t.change)} (explains {t.share:.0%}"
                + (f", surprise {t.surprise:.3f}" if t.surprise is not None else "") + ")"
                for t in top
            ),
            style="cyan",
        )
    if step.decomposition:
        console.print(
            f"{indent}  formula: "
            + ", ".join(f"{t.label} Δ {_number(t.change)} ({t.share:.0%})"
                        for t in step.decomposition),
            style="cyan",
        )
    for item in step.evidence[:6]:
        console.print(f"{indent}  · {item.kind} {item.id} at {item.at}: {item.detail}",
                      style="dim", highlight=False)


def render(explanation: Explanation, console: Console | None = None) -> None:
    """Print the trail."""
    console = console or Console(soft_wrap=True)
    start = explanation.start
    console.print(Text("why ", style="bold") + _node_line(start.node))
    _details(console, start, "")
    if explanation.note == "leading":
        console.print(Text("  within its noise but drifting the bad way, and a driver is red "
                           "(a leading signal):", style="yellow"))
    for depth, step in enumerate(explanation.steps, start=1):
        indent = "  " * depth
        arrow = Text(f"{indent}↳ {step.edge} ", style="magenta")
        share = f" share {step.share:.0%} · " if step.edge == "formula" else (
            f" co-movement {step.share:.2f} · ")
        console.print(arrow + Text(share, style="magenta") + _node_line(step.node))
        _details(console, step, indent)
    root = explanation.root
    if root is None and explanation.note == "counts":
        console.print(
            Text("Root cause: none — ", style="bold green")
            + Text("the change is made of customers leaving, expanding or contracting, each "
                   "count within its plan's usual rate: ordinary variation in who moved, and "
                   "nothing upstream is anomalous.")
        )
    elif root is None:
        crossed = (" (its threshold is crossed by ordinary variation)"
                   if start.node.status == "red" else "")
        console.print(
            Text("Root cause: none — ", style="bold green")
            + Text(f"the metric is within its baseline{crossed} and nothing upstream is "
                   "anomalous.")
        )
    else:
        console.print(
            Text("Root cause: ", style="bold red")
            + Text(f"{root.metric.metric_id} on {root.entity.entity_type} "
                   f"{root.entity.entity_id} ({root.grain} of {root.period_start.isoformat()})",
                   style="bold")
        )
