"""``path:line:col CODE message`` lines, coloured only on a terminal."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from reuse_lint.model import Finding


def write_text(findings: list[Finding], stream: TextIO, color: bool) -> None:
    """One line per finding; rich markup only when ``color`` is on."""
    if not color:
        stream.write("".join(f"{_plain(f)}\n" for f in findings))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
    for f in findings:
        console.print(
            f"[bold]{escape(f.path)}[/]:{f.span.line}:{f.span.column}: "
            f"[bold red]{f.code}[/] {escape(f.message)}"
            + (" [cyan][*][/]" if f.fix and f.fix.applicability == "safe" else "")
        )


def _plain(finding: Finding) -> str:
    span = finding.span
    return f"{finding.path}:{span.line}:{span.column}: {finding.code} {finding.message}"


def write_statistics(findings: list[Finding], stream: TextIO) -> None:
    """Counts per rule code, most frequent first, as ruff's --statistics."""
    counts = Counter(f.code for f in findings)
    fixable = Counter(
        f.code for f in findings if f.fix and f.fix.applicability == "safe"
    )
    for code, count in counts.most_common():
        mark = "[*]" if fixable[code] else "   "
        stream.write(f"{count:>5}\t{code}\t{mark} {_names().get(code, '')}\n")


def _names() -> dict[str, str]:
    from reuse_lint.rules import RULES_BY_CODE

    return {code: rule.name for code, rule in RULES_BY_CODE.items()}
