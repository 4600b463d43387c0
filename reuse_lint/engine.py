"""Run the analysis over many files: read, prefilter, analyse, collect.

A file is only parsed when its bytes could hold a candidate: it mentions
``Sequential`` or star-imports a module (which may bring ``Sequential`` in
under another name). Everything else costs one read. Candidate files go to a
process pool when there are enough of them to pay for it; a crash inside one
file becomes an error result for that file and the run goes on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from reuse_lint.model import FileAnalysis

log = logging.getLogger(__name__)

POOL_THRESHOLD = 16
"""Fewer candidate files than this are analysed in the main process."""


def may_hold_candidate(data: bytes) -> bool:
    """The prefilter: cheap, and never wrong in the "no" direction."""
    return b"Sequential" in data or b"import *" in data or b"import*" in data


@dataclass(frozen=True)
class EngineOptions:
    """How to analyse: what changes results, and what only changes speed."""

    roots: tuple[Path, ...] = ()
    component: str = "reuse_lint.components:MLPBlock"
    prefilter: bool = True
    jobs: int = 0
    cache_dir: Path | None = None


@dataclass
class FileJob:
    """A file to analyse and the name it is reported under."""

    path: Path
    display: str


@dataclass
class EngineResult:
    """Analyses of every file, in the order the files were given."""

    analyses: list[FileAnalysis] = field(default_factory=list)
    candidates: int = 0


def display_name(path: Path) -> str:
    """The path as reported: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def analyse_files(
    jobs: list[FileJob],
    options: EngineOptions,
    progress: Callable[[int], None] | None = None,
) -> EngineResult:
    """Analyse every file; never raises for a problem inside one file."""
    from reuse_lint.cache import Cache

    cache = Cache.open(options)
    result = EngineResult()
    pending: list[tuple[int, FileJob, bytes, str]] = []
    slots: list[FileAnalysis | None] = []
    for index, job in enumerate(jobs):
        slots.append(None)
        outcome = _read(job, options, cache)
        if isinstance(outcome, FileAnalysis):
            slots[index] = outcome
            if progress:
                progress(1)
        else:
            data, key = outcome
            pending.append((index, job, data, key))

    result.candidates = len(pending)
    for (index, _job, data, key), analysis in zip(
        pending, _analyse_all(pending, options, progress), strict=True
    ):
        slots[index] = analysis
        cache.store(key, data, analysis)
    cache.flush()
    result.analyses = [a for a in slots if a is not None]
    return result


def _read(
    job: FileJob, options: EngineOptions, cache: Cache
) -> FileAnalysis | tuple[bytes, str]:
    try:
        data = job.path.read_bytes()
    except OSError as error:
        return FileAnalysis(
            job.display, error=f"cannot read: {error.strerror or error}"
        )
    if options.prefilter and not may_hold_candidate(data):
        return FileAnalysis(job.display)
    key = cache.key(data)
    cached = cache.lookup(key, job.display)
    return cached if cached is not None else (data, key)


def _analyse_all(
    pending: list[tuple[int, FileJob, bytes, str]],
    options: EngineOptions,
    progress: Callable[[int], None] | None,
) -> Iterator[FileAnalysis]:
    work = [(job.path, job.display, data) for _, job, data, _ in pending]
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(work) >= POOL_THRESHOLD:
        context = get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            chunk = max(1, len(work) // (jobs * 4))
            for analysis in pool.map(
                _worker, work, [options] * len(work), chunksize=chunk
            ):
                if progress:
                    progress(1)
                yield analysis
        return
    for item in work:
        yield _worker(item, options)
        if progress:
            progress(1)


def _worker(item: tuple[Path, str, bytes], options: EngineOptions) -> FileAnalysis:
    """Analyse one file; any failure becomes an error result for that file."""
    from reuse_lint.analysis import AnalysisOptions, analyse_source
    from reuse_lint.sources import SourceError, decode

    path, display, data = item
    try:
        text = decode(data).text
    except SourceError as error:
        return FileAnalysis(display, error=str(error))
    settings = AnalysisOptions(
        roots=options.roots, component=options.component, exact=not options.prefilter
    )
    try:
        return analyse_source(path, display, text, settings)
    except Exception as error:  # one file's crash must not end the run
        log.debug("internal error on %s", display, exc_info=True)
        return FileAnalysis(
            display, error=f"internal error: {type(error).__name__}: {error}"
        )


def jobs_for(paths: Iterable[Path]) -> list[FileJob]:
    """Wrap discovered paths with their display names."""
    return [FileJob(path, display_name(path)) for path in paths]


from reuse_lint.cache import Cache  # noqa: E402
