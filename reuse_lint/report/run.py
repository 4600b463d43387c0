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

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.cache import Cache
from reuse_lint.engine import EngineOptions, may_hold_candidate
from reuse_lint.errors import EXIT_CLEAN, EXIT_ERROR, UsageError
from reuse_lint.model import FileAnalysis
from reuse_lint.report import Report, build_report, render
from reuse_lint.runner import CheckRun, CheckSettings, execute, write_errors
from reuse_lint.sources import SourceError, decode

CACHE_DIR = ".reuse-lint-cache"
"""Where ``runner.execute`` keeps the cache (relative to the working directory)."""


def run_report(
    paths: list[Path], output_format: str, output: Path | None, cache: bool = True
) -> int:
    """Write the report; 0 when written, 2 when a file could not be analysed.

    Findings are the report's content, not a failure. Files that could not be
    analysed are listed in the report and on stderr, and make the exit code 2.
    """
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
    """Analyse ``paths`` as ``check`` does and build the report from the run."""
    run = execute(CheckSettings(paths=paths, cache=cache, modules=True))
    options = EngineOptions(
        roots=tuple(p for p in paths if p.is_dir()),
        component=run.config.component,
        cache_dir=Path(CACHE_DIR) if cache else None,
        modules=True,
    )
    store = Cache.open(options)
    analyses = [_with_modules(a, options, store) for a in run.analyses]
    report = build_report(analyses, run.findings, run.config.component, run.errors)
    return report, run


def _with_modules(
    analysis: FileAnalysis, options: EngineOptions, store: Cache
) -> FileAnalysis:
    """``analysis``, or the fast scan of its file when the prefilter skipped it."""
    if analysis.error or analysis.chains or analysis.modules:
        return analysis
    path = Path(analysis.path)
    try:
        data = path.read_bytes()
    except OSError:
        return analysis
    if b"torch" not in data or may_hold_candidate(data):
        return analysis
    key = store.key(data)
    cached = store.lookup(key, analysis.path)
    if cached is not None:
        return cached
    try:
        text = decode(data).text
    except SourceError:
        return analysis
    settings = AnalysisOptions(component=options.component, modules=True)
    scanned = analyse_source(path, analysis.path, text, settings)
    if scanned.error:
        return analysis
    store.store(key, data, scanned)
    return scanned


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from error
