"""The ``report`` command: analyse, build the report, write it.

The check run skips files that cannot hold a ``Sequential`` chain, but the
report also lists components without chains (a module built on
``nn.MultiheadAttention`` alone), so those files get the fast scan here: one
``ast`` parse each, only for files that mention torch at all, and kept in the
check's cache (the entry is what the engine would store for those bytes).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reuse_lint.collector import collector_paused
from reuse_lint.errors import EXIT_CLEAN, EXIT_ERROR, UsageError
from reuse_lint.report import Report, build_report, render
from reuse_lint.runner import CheckRun, CheckSettings, execute, write_errors


def run_report(
    paths: list[Path], output_format: str, output: Path | None, cache: bool = True
) -> int:
    """Write the report; 0 when written, 2 when a file could not be analysed.

    Findings are the report's content, not a failure. Files that could not be
    analysed are listed in the report and on stderr, and make the exit code 2.
    """
    with collector_paused():  # thousands of rows, and not one cycle among them
        report, run = collect_report(paths, cache)
        write_errors(run)
        content = render(report, output_format)

    if output is None:
        sys.stdout.write(content)
    else:
        _write(output, content)
        summary = report.summary
        sys.stderr.write(
            f"Wrote {output}: {summary.replaceable_components} of "
            f"{summary.components} components replaceable.\n"
        )
    return EXIT_ERROR if run.errors else EXIT_CLEAN


def collect_report(paths: list[Path], cache: bool = True) -> tuple[Report, CheckRun]:
    """Analyse ``paths`` as ``check`` does and build the report from the run.

    With ``modules`` on, the engine also analyses files that mention torch but
    hold no chain, so every ``nn.Module`` subclass gets its row.
    """
    run = execute(CheckSettings(paths=paths, cache=cache, modules=True))
    report = build_report(run.analyses, run.findings, run.config.component, run.errors)
    return report, run


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from error
