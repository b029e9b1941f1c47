"""Human output of `why`: a breadcrumb trail from the metric to its root cause, one line per
step, then the evidence once per item, grouped by kind (the words: breadcrumbs.why.wording)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from breadcrumbs.why import wording
from breadcrumbs.why.model import Explanation, Node, Step

COLOURS = {"red": "bold red", "amber": "bold yellow", "green": "bold green"}
EVIDENCE_PER_KIND = 5  # without --verbose


def node_text(node: Node, verbose: bool = False) -> Text:
    """One step's line, the metric's label bold and its status coloured."""
    words = wording.step_words(node)
    text = Text()
    text.append(words.label, style="bold")
    text.append(f", {words.entity}, {words.period}: ")
    text.append(words.value, style="bold")
    text.append(f" (baseline {words.baseline}) — {words.unusual} — ")
    text.append(words.status.upper(), style=COLOURS.get(words.status, ""))
    if node.basis == "thresholds" and words.reason:
        text.append(f" ({words.reason})")
    if verbose:
        text.append(f" [{wording.stats(node)}]", style="dim")
    return text


def _details(console: Console, step: Step, indent: str, verbose: bool) -> None:
    if step.dimension_scan:
        scan = wording.scan_text(step.dimension_scan, verbose)
        if scan:
            console.print(f"{indent}  carried by: {scan}", style="cyan", highlight=False)
    if step.decomposition:
        formula = wording.formula_text(step.decomposition, verbose)
        if formula:
            console.print(f"{indent}  formula: {formula}", style="cyan", highlight=False)
    if verbose and step.candidates:
        console.print(f"{indent}  causal candidates: " + ", ".join(
            f"{m} on {e} (rank {rank:.1f}, co-movement {corr:.2f})"
            for m, e, rank, corr in step.candidates), style="dim", highlight=False)


def render(explanation: Explanation, console: Console | None = None,
           verbose: bool = False) -> None:
    """Print the trail; `verbose` adds the internal statistics (z, count z, co-movement,
    surprise, raw shares) and every evidence item."""
    console = console or Console(soft_wrap=True)
    start = explanation.start
    console.print(Text("why ", style="bold") + node_text(start.node, verbose), highlight=False)
    _details(console, start, "", verbose)
    if explanation.note == "leading":
        console.print(Text("  within its noise but drifting the bad way, and a driver is red "
                           "(a leading signal):", style="yellow"))
    for depth, step in enumerate(explanation.steps, start=1):
        indent = "  " * depth
        arrow = Text(f"{indent}↳ {wording.edge_words(step, verbose)}: ", style="magenta")
        console.print(arrow + node_text(step.node, verbose), highlight=False)
        _details(console, step, indent, verbose)
    root = explanation.root
    if root is None:
        console.print(Text("Root cause: none — ", style="bold green")
                      + Text(wording.stop_text(explanation)), highlight=False)
    else:
        console.print(Text("Root cause: ", style="bold red")
                      + Text(wording.root_text(explanation), style="bold"), highlight=False)
        console.print(Text("  the walk stops here: " + wording.stop_text(explanation),
                           style="dim"), highlight=False)
    groups = wording.evidence_groups(explanation, with_metrics=verbose)
    if groups:
        total = sum(len(items) for _, items in groups)
        console.print(Text(f"Evidence ({total}):", style="bold"))
        for title, items in groups:
            console.print(f"  {title}", style="bold", highlight=False)
            shown = items if verbose else items[:EVIDENCE_PER_KIND]
            for item in shown:
                console.print(f"    · {wording.evidence_line(item)}", highlight=False)
            if len(items) > len(shown):
                console.print(f"    … and {len(items) - len(shown)} more (--verbose or --json "
                              "lists them all)", style="dim", highlight=False)
