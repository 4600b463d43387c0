"""The report as GitHub-flavoured markdown, to paste into a pull request.

Tables and lists only, no raw HTML. Text outside `code spans` is escaped so
that names like ``<module>`` or ``d_model * 4`` print as written; a ``|``
is escaped everywhere, as GitHub's tables require.
"""

from __future__ import annotations

import re

from reuse_lint.report import wording
from reuse_lint.report.model import Report

_SPECIAL = re.compile(r"([\\`*\[\]<>|~])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
"""An underscore that could start or end emphasis: not inside a word."""


def text(value: str) -> str:
    """Escape ``value`` for markdown, keeping balanced `code spans` as code."""
    pieces = value.split("`")
    if len(pieces) % 2 == 0:  # an unbalanced backtick: no code spans at all
        return _plain(value)
    out = [
        _plain(piece) if i % 2 == 0 else _code_span(piece)
        for i, piece in enumerate(pieces)
    ]
    return "".join(out).replace("\n", " ")


def _plain(piece: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", piece)
    return _UNDERSCORE.sub(r"\\_", escaped).replace("\n", " ")


def _code_span(piece: str) -> str:
    escaped = piece.replace("|", "\\|").replace("\n", " ")
    return f"`{escaped}`"


def code(value: str) -> str:
    """``value`` as one code span (a path, a location)."""
    return text(f"`{value.replace('`', '')}`")


def table(headers: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    """A GitHub table; cells are already escaped."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(report: Report) -> str:
    """The whole report: headline, summary, components, duplicates, chains."""
    lines = [
        "# Reuse report",
        "",
        f"**{text(wording.headline(report))}**",
        "",
        "## Summary",
        "",
    ]
    lines += [
        f"- **{text(label)}:** {text(value)}"
        for label, value in wording.summary_items(report)
    ]
    lines += ["", *_components(report), *_duplicates(report), *_chains(report)]
    lines += _errors(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _components(report: Report) -> list[str]:
    shown = [row for row in report.rows if not row.quiet]
    rows = [
        [
            text(row.component),
            code(wording.location(row.path, row.line)),
            "**yes**" if row.replaceable else "no",
            text(wording.reuses_cell(row, report.component)),
            text(wording.builtins_cell(row)),
            text(row.reason),
        ]
        for row in shown
    ]
    lines = ["## Components", ""]
    if not report.rows:
        return [*lines, "No `nn.Module` classes or `Sequential` factories found.", ""]
    if rows:
        lines += [*table(wording.COMPONENT_HEADERS, rows), ""]
    quiet = len(report.rows) - len(shown)
    if quiet:
        lines += [text(wording.quiet_note(quiet)), ""]
    return [*lines, text(wording.BUILTINS_NOTE), ""]


def _duplicates(report: Report) -> list[str]:
    if not report.duplicates:
        return []
    lines = ["## Duplicate groups", ""]
    for number, group in enumerate(report.duplicates, 1):
        where = ", ".join(code(wording.location(p, n)) for p, n in group.locations)
        title = text(wording.duplicate_title(group.layers, group.sizes))
        lines.append(f"{number}. {title}, {len(group.locations)} copies: {where}")
    return [*lines, ""]


def _chains(report: Report) -> list[str]:
    if not report.chains:
        return []
    rows = [
        [
            code(wording.owner_cell(chain)),
            code(wording.location(chain.path, chain.line)),
            text(wording.verdict_cell(chain)),
            text(chain.layers),
            text(chain.reason),
        ]
        for chain in report.chains
    ]
    intro = "Every feed-forward-like chain: replaceable, exempt, or a near miss."
    return ["## Chains", "", intro, "", *table(wording.CHAIN_HEADERS, rows), ""]


def _errors(report: Report) -> list[str]:
    if not report.errors:
        return []
    lines = ["## Files not analysed", ""]
    lines += [f"- {code(path)}: {text(message)}" for path, message in report.errors]
    return [*lines, ""]
