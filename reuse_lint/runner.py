"""One ``check`` run from start to finish, as the CLI asks for it."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from reuse_lint.config import Config, check_codes, find_pyproject, load_config
from reuse_lint.discovery import discover
from reuse_lint.engine import EngineOptions, analyse_files, jobs_for
from reuse_lint.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, UsageError
from reuse_lint.findings import collect_findings
from reuse_lint.model import FileAnalysis, Finding
from reuse_lint.progress import progress_bar
from reuse_lint.rules import select_rules


@dataclass
class CheckSettings:
    """Command-line settings of a check run."""

    paths: list[Path]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    output_format: str = "text"
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    exit_zero: bool = False
    statistics: bool = False
    prefilter: bool = True
    cache: bool = True
    jobs: int = 0
    color: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    modules: bool = False


@dataclass
class CheckRun:
    """Everything a run produced, for the outputs and the exit code."""

    config: Config
    analyses: list[FileAnalysis]
    findings: list[Finding]
    errors: list[tuple[str, str]]
    warnings: list[str]
    files: int
    seconds: float
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    baselined: int = 0


def load_settings_config(settings: CheckSettings) -> Config:
    """The configuration for the run, with command-line codes validated."""
    start = settings.paths[0] if settings.paths else Path.cwd()
    config = load_config(find_pyproject(start if start.exists() else Path.cwd()))
    check_codes(settings.select or [], "--select")
    check_codes(settings.ignore, "--ignore")
    return config


def execute(settings: CheckSettings) -> CheckRun:
    """Discover, analyse, collect findings and apply fixes."""
    began = time.perf_counter()
    config = load_settings_config(settings)
    known = _load_baseline(settings)
    excludes = [*config.exclude, *config.extend_exclude]
    found = discover(settings.paths, excludes, config.root)
    jobs = jobs_for(found.files, settings.paths)
    options = EngineOptions(
        roots=tuple(p for p in settings.paths if p.is_dir()),
        component=config.component,
        prefilter=settings.prefilter,
        jobs=settings.jobs,
        cache_dir=Path(".reuse-lint-cache") if settings.cache else None,
        modules=settings.modules,
    )
    with progress_bar(len(jobs)) as advance:
        result = analyse_files(jobs, options, advance)
    analyses = result.analyses
    rules = select_rules(
        settings.select or config.select, [*config.ignore, *settings.ignore]
    )
    findings, warnings = collect_findings(analyses, rules, config)
    errors = found.errors + [(a.path, a.error) for a in analyses if a.error]
    run = CheckRun(config, analyses, findings, errors, warnings, len(jobs), 0.0)

    if settings.fix or settings.diff:
        paths = {j.display: j.path for j in jobs}
        _apply_fixes(run, settings, paths, options, result.fingerprints)
    if known is not None and settings.baseline is not None:
        _filter_baseline(run, known, settings.baseline)
    run.seconds = time.perf_counter() - began
    return run


def _apply_fixes(
    run: CheckRun,
    settings: CheckSettings,
    paths: dict[str, Path],
    options: EngineOptions,
    fingerprints: dict[str, str],
) -> None:
    from reuse_lint.fixer import fix_files
    from reuse_lint.progress import FIX_THRESHOLD

    fixable = {
        f.path
        for f in run.findings
        if f.fix is not None
        and (settings.unsafe_fixes or f.fix.applicability == "safe")
    }
    bar = progress_bar(len(fixable), label="Fixing", threshold=FIX_THRESHOLD)
    with bar as advance:
        outcome = fix_files(
            run.analyses,
            run.findings,
            paths,
            run.config.component,
            unsafe=settings.unsafe_fixes,
            diff=settings.diff,
            roots=options.roots,
            fingerprints=fingerprints,
            progress=advance,
        )
    run.errors += outcome.errors
    run.diffs = outcome.diffs
    run.fixed = sum(outcome.fixed.values())
    if not settings.diff:
        run.findings = [
            f
            for f in run.findings
            if (f.path, f.span.line, f.span.column) not in outcome.fixed_spans
        ]


def _load_baseline(settings: CheckSettings) -> Counter[tuple[str, str]] | None:
    if settings.baseline is None:
        return None
    if settings.write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    from reuse_lint.baseline import load_baseline

    return load_baseline(settings.baseline)


def _filter_baseline(
    run: CheckRun, known: Counter[tuple[str, str]], path: Path
) -> None:
    from reuse_lint.baseline import new_findings

    fresh = new_findings(run.findings, run.analyses, known, path.parent)
    run.baselined = len(run.findings) - len(fresh)
    run.findings = fresh


def exit_code(run: CheckRun, settings: CheckSettings) -> int:
    """2 on any error, 1 with findings (or pending diffs), 0 when clean."""
    if run.errors:
        return EXIT_ERROR
    if settings.exit_zero:
        return EXIT_CLEAN
    if settings.diff:
        return EXIT_FINDINGS if run.diffs else EXIT_CLEAN
    return EXIT_FINDINGS if run.findings else EXIT_CLEAN


def write_errors(run: CheckRun, stream: TextIO | None = None) -> None:
    """One line per problem file, and one per noqa warning (stderr by default)."""
    stream = stream if stream is not None else sys.stderr
    for path, message in run.errors:
        stream.write(f"error: {path}: {message}\n")
    for warning in run.warnings:
        stream.write(f"warning: {warning}\n")
