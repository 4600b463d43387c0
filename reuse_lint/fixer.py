"""Apply fixes to files: rewrite, re-parse, then write atomically or diff.

A file is left untouched, with an error naming it, when it changed since it
was analysed, is read-only, resolves outside the tree the run was given, or
when its rewritten text would not parse.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from reuse_lint.codemod import FixConflict, apply_fixes
from reuse_lint.engine import fingerprint
from reuse_lint.model import Chain, FileAnalysis, Finding
from reuse_lint.nesting import check_depth
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
    fingerprints: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> FixOutcome:
    """Fix every file with applicable findings, calling ``progress`` after each.

    With ``fingerprints`` (the engine's, of the bytes analysed) a file whose
    bytes have changed since is reported and left alone: the chains' positions
    would no longer point at the calls they describe.
    """
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
        if not chains:
            continue
        path = paths[analysis.path]
        expected = fingerprints.get(analysis.path) if fingerprints else None
        data = _read_for_fix(path, analysis.path, diff, roots, expected, outcome)
        if data is not None:
            _fix_file(path, analysis.path, data, chains, component, diff, outcome)
        if progress:
            progress(1)
    return outcome


def _read_for_fix(
    path: Path,
    display: str,
    diff: bool,
    roots: tuple[Path, ...],
    expected: str | None,
    outcome: FixOutcome,
) -> bytes | None:
    """The file's bytes, or ``None`` (and an error) when it must not be fixed."""
    try:
        problem = None if diff else _unwritable(path, roots)
        data = path.read_bytes()
    except OSError as error:
        problem = f"not fixed: cannot read: {error.strerror or error}"
    else:
        if not problem and expected is not None and fingerprint(data) != expected:
            problem = "not fixed: changed since it was analysed; run again"
    if problem:
        outcome.errors.append((display, problem))
        return None
    return data


def _fix_file(
    path: Path,
    display: str,
    data: bytes,
    chains: list[Chain],
    component: str,
    diff: bool,
    outcome: FixOutcome,
) -> None:
    try:
        source = decode(data)
        check_depth(ast.parse(source.text))  # LibCST parses the whole file
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
    except (RecursionError, MemoryError):
        outcome.errors.append((display, "not fixed: too deeply nested to rewrite"))
        return
    if not replaced or fixed == source.text:
        return

    if diff:
        outcome.diffs.append(unified_diff(display, source.text, fixed))
        return
    try:
        with _interrupt_after_write():
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
    if _escapes(path, real, roots):
        return "not fixed: symlink points outside the checked tree"
    if not os.access(real, os.W_OK) or not real.stat().st_mode & _WRITE_BITS:
        return "not fixed: file is read-only"
    return None


def _escapes(path: Path, real: Path, roots: tuple[Path, ...]) -> bool:
    """Whether a symlink (the file or a directory above it) leads out of the tree.

    A file found under a directory argument, or a symlink named on the command
    line beside directory arguments, must resolve inside one of them.
    """
    absolute = Path(os.path.abspath(path))
    under = any(absolute.is_relative_to(os.path.abspath(r)) for r in roots)
    if not under and not (path.is_symlink() and roots):
        return False
    return not any(real.is_relative_to(r.resolve()) for r in roots)


@contextlib.contextmanager
def _interrupt_after_write() -> Iterator[None]:
    """Hold a Ctrl-C that arrives mid-write until the write is done.

    The rename is atomic either way; this keeps the temporary file from being
    left behind when the interrupt lands inside ``tempfile.mkstemp``.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            raise KeyboardInterrupt


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
