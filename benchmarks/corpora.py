"""Pinned real-world corpora for benchmarking reuse-lint.

The benchmark needs large, realistic PyTorch code bases that stay the same from
one run to the next, so that timings can be compared across commits. Released
wheels are the cheapest stable source: they are immutable, need no git, and
hold exactly the library's Python sources. This module downloads the wheels
pinned in ``PINS`` with ``pip download`` and unpacks only their ``.py`` files.

Everything lives in a cache outside the repository, ``$REUSE_LINT_BENCH_CACHE``
or ``~/.cache/reuse-lint-bench/``, laid out as::

    wheels/                      downloaded wheels
    src/<name>-<version>/        the .py files of one wheel
    copies/<name>-<version>-x<N>/copy_<i>/   N copies, for the growth case

Every step is idempotent: a corpus that is already unpacked is not touched.

Run ``python benchmarks/corpora.py [names...]`` to fetch corpora and print
their paths; add ``--stats`` to print file, line and ``Sequential`` counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Exact versions of the corpora. Change a pin only on purpose: timings taken
#: with different pins cannot be compared.
PINS: dict[str, str] = {
    "transformers": "5.25.0",
    "timm": "1.0.31",
    "torchvision": "0.29.1",
    "diffusers": "0.42.1",
}

#: Extra ``pip download`` flags per corpus. torchvision ships only
#: platform-specific wheels; any of them holds the same .py files, so one
#: platform is named to make the choice independent of the machine.
PLATFORM_FLAGS: dict[str, list[str]] = {
    "torchvision": [
        "--platform",
        "manylinux_2_28_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
    ],
}


class CorpusError(Exception):
    """A corpus cannot be downloaded or unpacked."""


@dataclass(frozen=True)
class CorpusStats:
    """Size of a corpus: what the per-file timings are relative to."""

    files: int
    lines: int
    sequential_files: int


def cache_dir() -> Path:
    """Return the benchmark cache root, creating it if needed."""
    root = os.environ.get("REUSE_LINT_BENCH_CACHE")
    path = Path(root) if root else Path.home() / ".cache" / "reuse-lint-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def corpus_path(name: str) -> Path:
    """Return the unpacked sources of corpus *name*, fetching them if needed."""
    version = _pinned_version(name)
    target = cache_dir() / "src" / f"{name}-{version}"
    if target.is_dir():
        return target

    wheel = _download_wheel(name, version)
    _unpack_python_files(wheel, target)
    return target


def corpus_copies(name: str, copies: int) -> Path:
    """Return a directory holding *copies* full copies of corpus *name*.

    The copies are real files, not links, so that no tool can recognise them
    as one file and so that a tool that writes by mistake cannot damage the
    pristine corpus. Each copy sits in its own ``copy_<i>`` folder, the 1x
    case included, so that the layouts differ only in the number of copies.
    """
    if copies < 1:
        raise CorpusError(f"copies must be at least 1, got {copies}")
    source = corpus_path(name)
    target = cache_dir() / "copies" / f"{source.name}-x{copies}"
    if target.is_dir():
        return target

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    for index in range(copies):
        shutil.copytree(source, staging / f"copy_{index}")
    staging.rename(target)
    return target


def corpus_stats(path: Path) -> CorpusStats:
    """Count .py files, lines, and files that mention ``Sequential``."""
    files = lines = sequential = 0
    for source in path.rglob("*.py"):
        text = source.read_text(encoding="utf-8", errors="replace")
        files += 1
        lines += text.count("\n")
        if "Sequential" in text:
            sequential += 1
    return CorpusStats(files=files, lines=lines, sequential_files=sequential)


def refresh_corpus(name: str) -> Path:
    """Unpack corpus *name* afresh from its wheel, discarding local changes."""
    version = _pinned_version(name)
    target = cache_dir() / "src" / f"{name}-{version}"
    shutil.rmtree(target, ignore_errors=True)
    for stale in (cache_dir() / "copies").glob(f"{target.name}-x*"):
        shutil.rmtree(stale, ignore_errors=True)
    return corpus_path(name)


def _pinned_version(name: str) -> str:
    if name not in PINS:
        known = ", ".join(sorted(PINS))
        raise CorpusError(f"unknown corpus {name!r}; known corpora: {known}")
    return PINS[name]


def _download_wheel(name: str, version: str) -> Path:
    wheels = cache_dir() / "wheels"
    wheels.mkdir(exist_ok=True)
    found = _find_wheel(wheels, name, version)
    if found is not None:
        return found

    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--dest",
        str(wheels),
        *PLATFORM_FLAGS.get(name, []),
        f"{name}=={version}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CorpusError(f"pip download {name}=={version} failed:\n{result.stderr}")

    found = _find_wheel(wheels, name, version)
    if found is None:
        raise CorpusError(f"pip download left no wheel for {name}=={version}")
    return found


def _find_wheel(wheels: Path, name: str, version: str) -> Path | None:
    prefix = f"{name.replace('-', '_')}-{version}-"
    matches = sorted(wheels.glob(f"{prefix}*.whl"))
    return matches[0] if matches else None


def _unpack_python_files(wheel: Path, target: Path) -> None:
    # Unpack into a sibling temporary folder and rename it at the end, so an
    # interrupted run never leaves a half-filled corpus that looks complete.
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.endswith(".py"):
                archive.extract(member, staging)
    staging.rename(target)


def main(argv: list[str] | None = None) -> int:
    """Fetch the named corpora (all pinned ones by default), print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"corpora from {sorted(PINS)}")
    parser.add_argument(
        "--stats", action="store_true", help="also print file and line counts"
    )
    args = parser.parse_args(argv)

    names = args.names or list(PINS)
    try:
        for name in names:
            path = corpus_path(name)
            if not args.stats:
                print(path)
                continue
            stats = corpus_stats(path)
            print(
                f"{path}\tfiles={stats.files}\tlines={stats.lines}"
                f"\tsequential_files={stats.sequential_files}"
            )
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
