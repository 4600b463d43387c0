"""The report's sentences and cell texts, shared by markdown and HTML.

Texts may hold `code spans` in backticks: markdown keeps them, HTML turns
them into ``<code>`` elements. Nothing here escapes; the formats do.
"""

from __future__ import annotations

from reuse_lint.report.model import ChainRow, ComponentRow, Report

COMPONENT_HEADERS = (
    "Component",
    "Location",
    "Replaceable?",
    "Reuses",
    "Built-ins",
    "Reason",
)
CHAIN_HEADERS = ("Chain in", "Location", "Verdict", "Layers", "Reason")
NAMED_LIMIT = 10

BUILTINS_NOTE = (
    "Reuses says built-ins for a component made of torch.nn classes. "
    "The Built-ins column names the substantial ones (attention, "
    "normalisation, convolution, embedding...); Linear, dropout, activations, "
    "Identity, Flatten and the containers are primitives every network is "
    "made of, so they are counted but not named."
)


def quiet_note(count: int) -> str:
    """The line that stands for the rows the markdown leaves out."""
    verb = "has" if count == 1 else "have"
    return (
        f"{count} more component{_s(count)} {verb} no feed-forward chain; "
        "the HTML and JSON reports list every component."
    )


def headline(report: Report) -> str:
    """One sentence: how many components can reuse the library component."""
    summary = report.summary
    return (
        f"{summary.replaceable_components} of {summary.components} "
        f"component{_s(summary.components)} can reuse `{report.component}`"
    )


def summary_items(report: Report) -> list[tuple[str, str]]:
    """The summary as (label, text) pairs, in reading order."""
    return [
        ("Components analysed", _analysed(report)),
        ("Replaceable", _replaceable(report)),
        ("Exempt", _exempt(report)),
        ("Near misses", _near_misses(report)),
        ("Duplicate groups", _duplicates(report)),
        ("Duplicated feed-forward code", _lines(report)),
        (f"Already reuse `{report.component}`", _reusing(report)),
    ]


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _analysed(report: Report) -> str:
    summary = report.summary
    classes = sum(1 for row in report.rows if row.kind == "module")
    factories = summary.components - classes
    return (
        f"{summary.components} in {summary.files} file{_s(summary.files)} "
        f"({classes} `nn.Module` class{'' if classes == 1 else 'es'}, "
        f"{factories} factory function{_s(factories)})"
    )


def _replaceable(report: Report) -> str:
    summary = report.summary
    text = (
        f"{summary.replaceable_components} of {summary.components} "
        f"component{_s(summary.components)} ({summary.replaceable_chains} "
        f"chain{_s(summary.replaceable_chains)})"
    )
    if summary.suppressed_chains:
        text += f"; {summary.suppressed_chains} more suppressed"
    return text


def _exempt(report: Report) -> str:
    parts = [
        f"{n} {kind} chain{_s(n)} ({reason.removeprefix(f'{kind} chain: ')})"
        for kind, reason, n in report.summary.exempt
    ]
    return "; ".join(parts) or "none"


def _near_misses(report: Report) -> str:
    total = sum(n for _, n in report.summary.near_misses)
    if not total:
        return "none"
    parts = ", ".join(f"`{code}` ({n})" for code, n in report.summary.near_misses)
    return f"{total}: {parts}"


def _duplicates(report: Report) -> str:
    groups = report.duplicates
    if not groups:
        return "none"
    copies = sum(len(group.locations) for group in groups)
    return f"{len(groups)} group{_s(len(groups))} of identical chains, {copies} copies"


def _lines(report: Report) -> str:
    summary = report.summary
    today = f"{summary.duplicated_lines} line{_s(summary.duplicated_lines)} today"
    if not summary.replaceable_chains:
        return today
    after = summary.lines_after_fix
    saved = summary.lines_saved
    change = f"{saved} fewer" if saved >= 0 else f"{-saved} more"
    return (
        f"{today}; the fixes would replace them with {after} line{_s(after)} "
        f"of `{report.component}` calls ({change})"
    )


def _reusing(report: Report) -> str:
    names = report.summary.reusing_library
    if not names:
        return "none"
    shown = ", ".join(names[:NAMED_LIMIT])
    more = f" and {len(names) - NAMED_LIMIT} more" if len(names) > NAMED_LIMIT else ""
    return f"{len(names)}: {shown}{more}"


def location(path: str, line: int) -> str:
    """``path:line``, as editors and terminals link it."""
    return f"{path}:{line}"


def replaceable_cell(row: ComponentRow) -> str:
    """``yes`` or ``no``."""
    return "yes" if row.replaceable else "no"


def reuses_cell(row: ComponentRow, component: str) -> str:
    """What the component reuses today, or will once the fixes are applied."""
    if row.library:
        return ", ".join(row.library)
    if row.replaceable:
        return f"{component} (after fix)"
    return row.reuses or "—"


def builtins_cell(row: ComponentRow) -> str:
    """The notable torch.nn classes a component uses."""
    if row.builtins:
        return ", ".join(row.builtins)
    return "primitives only" if row.primitives else "—"


def verdict_cell(chain: ChainRow) -> str:
    """``replaceable (RL101)``, ``exempt: gating``, ``near miss``..."""
    if chain.verdict == "replaceable":
        return f"replaceable ({chain.code})"
    if chain.verdict in ("gating", "routing"):
        return f"exempt: {chain.verdict}"
    return chain.verdict.replace("-", " ")


def owner_cell(chain: ChainRow) -> str:
    """Where the chain is written: ``Class.method`` or ``module level``."""
    return "module level" if chain.owner == "<module>" else chain.owner


def duplicate_title(layers: str, sizes: str) -> str:
    """``Linear → ReLU → Linear`` (sizes), as a group's heading."""
    return f"`{layers}` ({sizes})" if sizes else f"`{layers}`"
