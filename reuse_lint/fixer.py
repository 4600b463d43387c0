"""Apply fixes to files: rewrite, re-parse, then write atomically or diff.

A file is left untouched, with an error naming it, when it changed since it
was analysed, is read-only, resolves outside the tree the run was given, or
when its rewritten text would not parse.
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from reuse_lint.codemod import FixConflict, apply_fixes
from reuse_lint.model import Chain, FileAnalysis, Finding
from reuse_lint.sources import (
    SourceError,
    decode,
    encode,
    lines_with_ends,
    write_atomic,
)


@dataclass
class FixOutcome:
    """What a fix run did: per-file counts, diffs and errors."""

    fixed: dict[str, int] = field(default_factory=dict)
    fixed_spans: set[tuple[str, int, int]] = field(default_factory=set)
    diffs: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def fix_files(
    analyses: list[FileAnalysis],
    findings: list[Finding],
    paths: dict[str, Path],
    component: str,
    *,
    unsafe: bool,
    diff: bool,
    roots: tuple[Path, ...],
) -> FixOutcome:
    """Fix every file with applicable findings."""
    outcome = FixOutcome()
    wanted = {
        (f.path, f.span.line, f.span.column)
        for f in findings
        if f.fix is not None and (unsafe or f.fix.applicability == "safe")
    }
    for analysis in analyses:
        chains = [
            c
            for c in analysis.chains
            if (analysis.path, c.span.line, c.span.column) in wanted
        ]
        if chains:
            _fix_file(
                paths[analysis.path],
                analysis.path,
                chains,
                component,
                diff,
                roots,
                outcome,
            )
    return outcome


def _fix_file(
    path: Path,
    display: str,
    chains: list[Chain],
    component: str,
    diff: bool,
    roots: tuple[Path, ...],
    outcome: FixOutcome,
) -> None:
    problem = _unwritable(path, roots) if not diff else None
    if problem:
        outcome.errors.append((display, problem))
        return
    try:
        source = decode(path.read_bytes())
        fixed, replaced = apply_fixes(source.text, chains, component)
        _check_parses(fixed)
    except (OSError, SourceError, FixConflict) as error:
        outcome.errors.append((display, f"not fixed: {error}"))
        return
    except (cst.ParserSyntaxError, SyntaxError) as error:
        outcome.errors.append(
            (display, f"not fixed: the result would not parse ({error})")
        )
        return
    if not replaced or fixed == source.text:
        return

    if diff:
        outcome.diffs.append(unified_diff(display, source.text, fixed))
        return
    try:
        write_atomic(path.resolve(), encode(source, fixed))
    except OSError as error:
        reason = error.strerror or str(error)
        outcome.errors.append((display, f"not fixed: cannot write: {reason}"))
        return
    outcome.fixed[display] = len(replaced)
    outcome.fixed_spans.update((display, c.span.line, c.span.column) for c in replaced)


_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
"""A file with none of these is read-only, even to root (who may write anyway)."""


def _unwritable(path: Path, roots: tuple[Path, ...]) -> str | None:
    real = path.resolve()
    if (
        path.is_symlink()
        and roots
        and not any(real.is_relative_to(r.resolve()) for r in roots)
    ):
        return "not fixed: symlink points outside the checked tree"
    if not os.access(real, os.W_OK) or not real.stat().st_mode & _WRITE_BITS:
        return "not fixed: file is read-only"
    return None


def _check_parses(text: str) -> None:
    cst.parse_module(text)
    ast.parse(text)


def unified_diff(display: str, before: str, after: str) -> str:
    """A unified diff of one file, ``a/`` and ``b/`` prefixed like git's."""
    lines = difflib.unified_diff(
        lines_with_ends(before),
        lines_with_ends(after),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
