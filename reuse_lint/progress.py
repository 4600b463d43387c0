"""What a person at a terminal sees on stderr: a progress bar and a summary.

Both appear only when stderr is a terminal and the ``CI`` environment
variable is unset; pipes and CI logs get nothing extra. rich is imported only
when the bar is drawn. The bar refreshes from the calling thread (no refresh
thread), so the engine can still fork its worker pool safely.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from reuse_lint.runner import CheckRun

PROGRESS_THRESHOLD = 200
"""Runs over more files than this show a progress bar."""

REFRESH_SECONDS = 0.1


def interactive(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (stderr by default) is a terminal outside CI."""
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


FIX_THRESHOLD = 1
"""Fixing more files than this shows a bar: each fix takes a full LibCST parse."""


@contextmanager
def progress_bar(
    total: int,
    stream: TextIO | None = None,
    *,
    label: str = "Checking",
    threshold: int | None = None,
) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback that advances a bar by n files, or None for no bar.

    The bar shows for more than ``threshold`` files (``PROGRESS_THRESHOLD``
    unless given).
    """
    stream = stream if stream is not None else sys.stderr
    if threshold is None:
        threshold = PROGRESS_THRESHOLD
    if total <= threshold or not interactive(stream):
        yield None
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=stream)
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, auto_refresh=False, transient=True) as bar:
        yield _advancer(bar, bar.add_task(label, total=total))


def _advancer(bar: Progress, task: TaskID) -> Callable[[int], None]:
    shown = time.monotonic()

    def advance(count: int) -> None:
        nonlocal shown
        bar.advance(task, count)
        now = time.monotonic()
        if now - shown >= REFRESH_SECONDS:
            shown = now
            bar.refresh()

    return advance


def summary_line(run: CheckRun) -> str:
    """``Checked N files in T: F findings, X fixable with --fix.``"""
    files = f"{run.files:,} file{'s' if run.files != 1 else ''}"
    found = len(run.findings)
    fixable = sum(
        1 for f in run.findings if f.fix is not None and f.fix.applicability == "safe"
    )
    parts = [
        f"{found:,} finding{'s' if found != 1 else ''}" if found else "no findings"
    ]
    if fixable:
        parts.append(f"{fixable:,} fixable with --fix")
    if run.baselined:
        parts.append(f"{run.baselined:,} more in the baseline")
    return f"Checked {files} in {run.seconds:.2f}s: {', '.join(parts)}."


def write_summary(run: CheckRun, stream: TextIO | None = None) -> None:
    """The summary line, on a terminal only."""
    stream = stream if stream is not None else sys.stderr
    if interactive(stream):
        stream.write(summary_line(run) + "\n")
