"""Human output of `why`: a breadcrumb trail from the metric to its root cause, one line per
step, then the evidence once per item, grouped by kind (the words: breadcrumbs.why.wording)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from breadcrumbs.why import wording
from breadcrumbs.why.model import Explanation, Node, Step

COLOURS = {"red": "bold red", "amber": "bold yellow", "green": "bold green",
           "incomplete": "dim"}  # an incomplete period is never coloured
EVIDENCE_PER_KIND = 5  # without --verbose


def _say(console: Console, text: str | Text, style: str = "") -> None:
    """Print our own text as it is: no markup (`[…]` is ours), no highlighting."""
    console.print(text, style=style, highlight=False, markup=False)


def node_text(node: Node, verbose: bool = False) -> Text:
    """One step's line, the metric's label bold and its status coloured."""
    words = wording.step_words(node)
    text = Text()
    text.append(words.label, style="bold")
    text.append(f", {words.entity}, {words.period}: ")
    text.append(words.value, style="bold")
    text.append(f" (baseline {words.baseline}) — {words.unusual} — ")
    text.append(words.status.upper(), style=COLOURS.get(words.status, ""))
    if node.basis == "thresholds" and node.status != "green" and words.reason:
        text.append(f" ({words.reason})")
    if verbose:
        text.append(f" [{wording.stats(node)}]", style="dim")
    return text


def _details(console: Console, step: Step, indent: str, verbose: bool) -> None:
    if step.dimension_scan:
        scan = wording.scan_text(step.dimension_scan, verbose)
        if scan:
            _say(console, f"{indent}  carried by: {scan}", style="cyan")
    if step.decomposition:
        formula = wording.formula_text(step.decomposition, verbose)
        if formula:
            _say(console, f"{indent}  formula: {formula}", style="cyan")
    if verbose and step.candidates:
        _say(console, f"{indent}  causal candidates: " + ", ".join(
            f"{m} on {e} (rank {rank:.1f}, co-movement {corr:.2f})"
            for m, e, rank, corr in step.candidates), style="dim")


def render(explanation: Explanation, console: Console | None = None,
           verbose: bool = False) -> None:
    """Print the trail; `verbose` adds the internal statistics (z, count z, co-movement,
    surprise, raw shares) and every evidence item."""
    console = console or Console(soft_wrap=True)
    start = explanation.start
    _say(console, Text("why ", style="bold") + node_text(start.node, verbose))
    _details(console, start, "", verbose)
    if explanation.note == "leading":
        _say(console, Text("  within its noise but drifting the bad way, and a driver is red "
                           "(a leading signal):", style="yellow"))
    for depth, step in enumerate(explanation.steps, start=1):
        indent = "  " * depth
        arrow = Text(f"{indent}↳ {wording.edge_words(step, verbose)}: ", style="magenta")
        _say(console, arrow + node_text(step.node, verbose))
        _details(console, step, indent, verbose)
    root = explanation.root
    if root is None:
        _say(console, Text("Root cause: none — ", style="bold green")
                      + Text(wording.stop_text(explanation)))
    else:
        _say(console, Text("Root cause: ", style="bold red")
                      + Text(wording.root_text(explanation), style="bold"))
        _say(console, Text("  the walk stops here: " + wording.stop_text(explanation),
                           style="dim"))
    groups = wording.evidence_groups(explanation, with_metrics=verbose)
    if groups:
        total = sum(len(items) for _, items in groups)
        _say(console, Text(f"Evidence ({total}):", style="bold"))
        for title, items in groups:
            _say(console, f"  {title}", style="bold")
            shown = items if verbose else items[:EVIDENCE_PER_KIND]
            for item in shown:
                _say(console, f"    · {wording.evidence_line(item)}")
            if len(items) > len(shown):
                _say(console, f"    … and {len(items) - len(shown)} more (--verbose or --json "
                              "lists them all)", style="dim")
