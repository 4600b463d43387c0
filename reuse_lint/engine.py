"""Run the analysis over many files: read, prefilter, analyse, collect.

A file is only parsed when its bytes could hold what the run looks for
(``reuse_lint.prefilter``): for ``check``, a ``Sequential`` call that names
``Linear`` twice, or a star import. Everything else costs one read.
Candidate files go to a process pool when there are enough of them to pay
for it; a crash inside one file becomes an error result for that file and
the run goes on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reuse_lint.catalogue import DEFAULT_COMPONENT
from reuse_lint.collector import collector_paused
from reuse_lint.digest import digest
from reuse_lint.model import FileAnalysis
from reuse_lint.prefilter import may_hold_candidate, may_hold_finding

POOL_THRESHOLD = 16
"""Fewer candidate files than this are analysed in the main process."""


def _worth_analysing(data: bytes, options: EngineOptions) -> bool:
    """Files that could hold a finding; for the report, every torch file.

    The report lists every ``nn.Module`` subclass and every chain, exempt
    ones and near misses included, so it asks the wider question.
    """
    if not options.modules:
        return may_hold_finding(data)
    return may_hold_candidate(data) or b"torch" in data


@dataclass(frozen=True)
class EngineOptions:
    """How to analyse: what changes results, and what only changes speed."""

    roots: tuple[Path, ...] = ()
    component: str = DEFAULT_COMPONENT
    prefilter: bool = True
    jobs: int = 0
    cache_dir: Path | None = None
    modules: bool = False


@dataclass
class FileJob:
    """A file to analyse, the name it is reported under, and whether the
    user named it (rather than a directory walk finding it)."""

    path: Path
    display: str
    named: bool = False


@dataclass
class EngineResult:
    """Analyses of every file, in the order the files were given."""

    analyses: list[FileAnalysis] = field(default_factory=list)
    candidates: int = 0
    fingerprints: dict[str, str] = field(default_factory=dict)
    """``fingerprint`` of the bytes analysed, per candidate file's display name."""


def fingerprint(data: bytes) -> str:
    """A digest of file bytes: a fix only rewrites the bytes it analysed."""
    return digest(data, 16)


def display_name(path: Path, cwd: str | None = None) -> str:
    """The path as reported: relative to the working directory when inside it."""
    text = str(path)
    if not path.is_absolute():
        return text
    prefix = (cwd or os.getcwd()).rstrip(os.sep) + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else text


def analyse_files(
    jobs: list[FileJob],
    options: EngineOptions,
    progress: Callable[[int], None] | None = None,
) -> EngineResult:
    """Analyse every file; never raises for a problem inside one file.

    The garbage collector is paused throughout (``reuse_lint.collector``).
    """
    with collector_paused():
        return _analyse_files(jobs, options, progress)


def _analyse_files(
    jobs: list[FileJob],
    options: EngineOptions,
    progress: Callable[[int], None] | None,
) -> EngineResult:
    from reuse_lint.cache import Cache

    cache = Cache.open(options)
    result = EngineResult()
    pending: list[tuple[int, FileJob, bytes, str]] = []
    slots: list[FileAnalysis | None] = []
    for index, job in enumerate(jobs):
        slots.append(None)
        outcome = _read(job, options, cache, result.fingerprints)
        if isinstance(outcome, FileAnalysis):
            slots[index] = outcome
            if progress:
                progress(1)
        else:
            data, key = outcome
            pending.append((index, job, data, key))

    result.candidates = len(pending)
    for (index, _job, data, key), (analysis, depends) in zip(
        pending, _analyse_all(pending, options, progress), strict=True
    ):
        slots[index] = analysis
        cache.store(key, data, analysis, depends)
    cache.flush()
    result.analyses = [a for a in slots if a is not None]
    return result


def _read(
    job: FileJob, options: EngineOptions, cache: Cache, fingerprints: dict[str, str]
) -> FileAnalysis | tuple[bytes, str]:
    try:
        info = job.path.stat()
        known = cache.known(job.path, info)
        # A file the index knows only as skipped was never compiled: when it
        # is named, it is read again so that a syntax error is reported.
        if known is not None and (known[0] or not job.named):
            cached = _from_index(job, known, cache, fingerprints)
            if cached is not None:
                return cached
        data = job.path.read_bytes()
    except OSError as error:
        return FileAnalysis(
            job.display, error=f"cannot read: {error.strerror or error}"
        )
    if options.prefilter and not _worth_analysing(data, options):
        skipped = _checked(job, data) if job.named else _skipped(job, data)
        if skipped.error is None:
            cache.remember(job.path, info, "", "")
        return skipped
    fingerprints[job.display] = fingerprint(data)
    key = cache.key(data)
    cache.remember(job.path, info, key, fingerprints[job.display])
    cached = cache.lookup(key, job.display)
    return cached if cached is not None else (data, key)


def _skipped(job: FileJob, data: bytes) -> FileAnalysis:
    """The result for a file the prefilter leaves out.

    A file that mentions ``Sequential`` but cannot hold a finding is not
    parsed; it is still decoded, so that an encoding problem or a NUL byte is
    reported as it was when every such file was parsed.
    """
    from reuse_lint.sources import SourceError, decode

    if may_hold_candidate(data):
        try:
            decode(data)
        except SourceError as error:
            return FileAnalysis(job.display, error=str(error))
    return FileAnalysis(job.display)


def _checked(job: FileJob, data: bytes) -> FileAnalysis:
    """The result for a named file the prefilter leaves out: it must parse.

    A user (or a pre-commit hook) that names a file expects to hear that it
    is broken, so it is decoded and compiled to a syntax tree, in C; nothing
    else of the analysis runs.
    """
    with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
        compile(data, job.display, "exec", _ONLY_AST)  # decodes as Python would
        return FileAnalysis(job.display)

    from reuse_lint.sources import SourceError, decode, syntax_message

    try:  # again, to explain the problem in the words every other path uses
        compile(decode(data).text, job.display, "exec", _ONLY_AST)
    except SourceError as error:
        return FileAnalysis(job.display, error=str(error))
    except SyntaxError as error:
        return FileAnalysis(job.display, error=syntax_message(error))
    except (RecursionError, MemoryError):
        return FileAnalysis(job.display, error="too deeply nested to analyse")
    return FileAnalysis(job.display)


_ONLY_AST = 0x400
"""``ast.PyCF_ONLY_AST``, without importing ``ast`` for it."""


def _from_index(
    job: FileJob, known: tuple[str, str], cache: Cache, fingerprints: dict[str, str]
) -> FileAnalysis | None:
    """The result for an unchanged file, from the index, without reading it."""
    key, recorded = known
    if not key:
        return FileAnalysis(job.display)
    cached = cache.lookup(key, job.display)
    if cached is not None:
        fingerprints[job.display] = recorded
    return cached


def _analyse_all(
    pending: list[tuple[int, FileJob, bytes, str]],
    options: EngineOptions,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[FileAnalysis, tuple[str, ...]]]:
    work = [(job.path, job.display, data) for _, job, data, _ in pending]
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(work) >= POOL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        context = get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            chunk = max(1, len(work) // (jobs * 4))
            for outcome in pool.map(
                _worker, work, [options] * len(work), chunksize=chunk
            ):
                if progress:
                    progress(1)
                yield outcome
        return
    for item in work:
        yield _worker(item, options)
        if progress:
            progress(1)


def _worker(
    item: tuple[Path, str, bytes], options: EngineOptions
) -> tuple[FileAnalysis, tuple[str, ...]]:
    """Analyse one file, with the other files its result depends on.

    Those are the modules it star-imports (followed transitively); the
    cache checks them before trusting an entry.
    """
    from reuse_lint.imports import track_dependencies

    with track_dependencies() as depends:
        analysis = _analyse_one(item, options)
    return analysis, tuple(sorted(str(p) for p in depends))


def _analyse_one(item: tuple[Path, str, bytes], options: EngineOptions) -> FileAnalysis:
    """Analyse one file; any failure becomes an error result for that file."""
    from reuse_lint.analysis import AnalysisOptions, analyse_source
    from reuse_lint.sources import SourceError, decode

    path, display, data = item
    settings = AnalysisOptions(
        roots=options.roots,
        component=options.component,
        exact=not options.prefilter,
        modules=options.modules,
    )
    try:
        return analyse_source(path, display, decode(data).text, settings)
    except SourceError as error:
        return FileAnalysis(display, error=str(error))
    except Exception as error:  # one file's crash must not end the run
        import logging

        log = logging.getLogger(__name__)
        log.debug("internal error on %s", display, exc_info=True)
        return FileAnalysis(
            display, error=f"internal error: {type(error).__name__}: {error}"
        )


def jobs_for(paths: Iterable[Path], named: Iterable[Path] = ()) -> list[FileJob]:
    """Wrap discovered paths with their display names; mark the ``named`` ones."""
    cwd = os.getcwd()
    given = {os.path.normpath(path) for path in named}
    return [
        FileJob(path, display_name(path, cwd), os.path.normpath(path) in given)
        for path in paths
    ]


from reuse_lint.cache import Cache  # noqa: E402
