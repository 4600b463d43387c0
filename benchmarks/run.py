"""Time reuse-lint against ruff and TorchFix on pinned real-world corpora.

This is a script, not a test: it answers "how fast is reuse-lint, compared
with the tools people already run on the same code?" and "does its cache,
prefilter and parallelism change what it finds?". It measures, side by side
in one run and on the same files:

* reuse-lint cold (``--no-cache``), warm (cache filled by an untimed run),
  ``--fix --diff`` (cache cleared before each round) and the reuse report
  (``report --no-cache --format json``);
* ``ruff check --select E,F`` as the lower bound of a linter's cost;
* TorchFix, the closest LibCST-based linter for PyTorch code;
* start-up on one small file against ``python -c "import libcst"``;
* growth on 1x, 2x and 4x copies of one corpus (time per copy should stay flat);
* equality of the JSON findings between the default settings and
  ``--no-cache --jobs 1 --no-prefilter``.

Rounds are interleaved (each round runs every case once) so that a change in
machine load hits all tools alike. Every child runs with its output sent to
``/dev/null`` and its working directory in a scratch folder of the benchmark
cache, one per case, so caches never leak between cases.

Each row gives wall time (median, min, max over the rounds), median CPU time,
files per second and peak RSS, all read from ``os.wait4``. CPU time is user
plus system time including worker processes; on a shared machine it varies
less than wall time, so compare it when the load average (printed) was high.
Peak RSS on Linux is the largest single process of the child's tree (a
parent's figure takes the maximum with the children it waited for, it does
not add them up), so tools that fork workers show their biggest process.

A command that cannot start, times out, or exits with a code other than
0 (clean) or 1 (findings) is reported as an error in its row; the run goes on.

Full run (TorchFix on timm and torchvision; it is left out on transformers,
where one round takes half an hour or more, unless ``--torchfix-on all``)::

    .venv/bin/python benchmarks/run.py --corpora transformers,timm,torchvision \
        --rounds 3 --markdown bench.md --json bench.json

Smoke run for CI (torchvision's detection models only, one round, no
TorchFix, no growth case)::

    .venv/bin/python benchmarks/run.py --smoke
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpora import (
    PINS,
    CorpusError,
    CorpusStats,
    cache_dir,
    corpus_copies,
    corpus_path,
    corpus_stats,
    refresh_corpus,
)
from tools import ToolError, find_tool, tool_version, torchfix_path

#: Exit codes that mean "the tool ran": 0 clean, 1 findings reported.
OK_CODES = frozenset({0, 1})

#: The part of torchvision that the smoke run checks: the detection models hold
#: a quarter of torchvision's ``Sequential`` files in an eighth of its lines,
#: small enough for the serial, unfiltered reference run of the equality check.
SMOKE_CORPUS = "torchvision:torchvision/models/detection"

#: Start-up cases are cheap and noisy, so outside smoke runs they always get
#: at least this many rounds.
MIN_STARTUP_ROUNDS = 5

#: Copy counts of the growth case.
GROWTH_COPIES = (1, 2, 4)

#: JSON keys that may legitimately differ between two runs of the same
#: findings (timings, cache bookkeeping); dropped before comparing.
VOLATILE_KEYS = frozenset({"elapsed", "elapsed_s", "duration", "duration_s", "timing"})

PLAIN_FILE = '''\
"""A small module without any feed-forward chain."""

import torch
from torch import nn


class Scale(nn.Module):
    def __init__(self, factor: float) -> None:
        super().__init__()
        self.factor = factor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.factor
'''

FFN_FILE = '''\
"""A small module with one hand-written feed-forward block."""

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, d: int) -> None:
        super().__init__()
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.ffn(x)
'''


# ---------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One timed execution of one command."""

    wall_s: float
    cpu_s: float
    peak_rss_kib: int
    exit_code: int | None
    error: str | None = None


@dataclass
class Case:
    """A command to time, and what to do before each timed round."""

    label: str
    argv: list[str]
    cwd: Path
    files: int = 0
    prepare: Callable[[], None] | None = None
    prime: bool = False
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def walls(self) -> list[float]:
        return [sample.wall_s for sample in self.samples]

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.walls) if self.samples else None


def measure(
    argv: Sequence[str], cwd: Path, timeout_s: float, stdout: Path | None = None
) -> Sample:
    """Run *argv* once in *cwd*; return its wall and CPU time, peak RSS, exit code.

    CPU time is user plus system time of the child and of the children it
    waited for (worker processes). It is less disturbed than wall time when
    other work shares the machine. Standard output goes to *stdout* when
    given, else to ``/dev/null``.
    """
    cwd.mkdir(parents=True, exist_ok=True)
    with open(stdout or os.devnull, "wb") as sink:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            return Sample(0.0, 0.0, 0, None, f"cannot start: {error.strerror or error}")

    timed_out = threading.Event()
    timer = threading.Timer(timeout_s, _kill_group, (process.pid, timed_out))
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)

    sample = Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code)
    if timed_out.is_set():
        sample.error = f"timed out after {timeout_s:g}s"
    elif code not in OK_CODES:
        sample.error = f"exit {code}"
    return sample


def _kill_group(pid: int, timed_out: threading.Event) -> None:
    timed_out.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_rounds(cases: list[Case], rounds: int, timeout_s: float, title: str) -> None:
    """Time every case *rounds* times, interleaved; a failing case drops out."""
    for case in cases:
        if case.prime and case.error is None:
            _progress(f"{title}: {case.label}: filling the cache (untimed)")
            _run_once(case, timeout_s, record=False)

    for round_index in range(1, rounds + 1):
        for case in cases:
            if case.error is not None:
                continue
            sample = _run_once(case, timeout_s, record=True)
            outcome = sample.error or f"{sample.wall_s:.2f}s"
            _progress(f"{title}: {case.label}: round {round_index}/{rounds}: {outcome}")


def _run_once(case: Case, timeout_s: float, *, record: bool) -> Sample:
    if case.prepare is not None:
        case.prepare()
    sample = measure(case.argv, case.cwd, timeout_s)
    if sample.error is not None:
        stage = f"round {len(case.samples) + 1}" if record else "untimed run"
        case.error = f"{stage}: {sample.error}"
    elif record:
        case.samples.append(sample)
    return sample


def clear_cache_in(cwd: Path) -> Callable[[], None]:
    """Return a callable that deletes reuse-lint's cache folder under *cwd*."""

    def clear() -> None:
        shutil.rmtree(cwd / ".reuse-lint-cache", ignore_errors=True)

    return clear


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    """A corpus to benchmark: a pinned package, or a folder inside one."""

    name: str
    version: str
    subdir: str
    path: Path
    stats: CorpusStats

    @property
    def label(self) -> str:
        """Short unique name: the package, plus the folder if there is one."""
        return f"{self.name}:{self.subdir}" if self.subdir else self.name

    @property
    def title(self) -> str:
        """Heading for reports: package, version, folder."""
        suffix = f", {self.subdir}/ only" if self.subdir else ""
        return f"{self.name} {self.version}{suffix}"


def load_corpus(spec: str) -> Corpus:
    """Resolve ``NAME`` or ``NAME:SUBDIR`` to a fetched corpus and its size."""
    name, _, subdir = spec.partition(":")
    root = corpus_path(name)
    path = root / subdir if subdir else root
    if not path.is_dir():
        raise CorpusError(f"{subdir!r} is not a folder of corpus {name!r}")
    return Corpus(name, PINS[name], subdir, path, corpus_stats(path))


def fingerprint(path: Path) -> int:
    """Hash the names, sizes and modification times of the .py files."""
    entries = []
    for source in sorted(path.rglob("*.py")):
        info = source.stat()
        entries.append((str(source), info.st_size, info.st_mtime_ns))
    return hash(tuple(entries))


# ------------------------------------------------------------------ scenarios


@dataclass
class Tools:
    """Executables under test; ``None`` where a tool is unavailable."""

    reuse_lint: list[str]
    ruff: str | None
    torchfix: str | None
    python: str
    versions: dict[str, str]


def corpus_cases(corpus: Corpus, tools: Tools, with_torchfix: bool) -> list[Case]:
    """Build the timed cases of one corpus, in the order they are reported."""
    scratch = _scratch_for(corpus)
    target = str(corpus.path)
    reuse = tools.reuse_lint

    def cold_case(label: str, argv: list[str], folder: str) -> Case:
        cwd = scratch / folder
        return Case(label, argv, cwd, corpus.stats.files, clear_cache_in(cwd))

    cases = [
        cold_case("reuse-lint cold", [*reuse, "check", "--no-cache", target], "cold"),
        Case(
            "reuse-lint warm",
            [*reuse, "check", target],
            scratch / "warm",
            corpus.stats.files,
            prime=True,
        ),
        cold_case(
            "reuse-lint --fix --diff",
            [*reuse, "check", "--fix", "--diff", target],
            "fix",
        ),
        cold_case(
            "reuse-lint report cold",
            [*reuse, "report", "--no-cache", "--format", "json", target],
            "report",
        ),
    ]
    ruff_argv = [tools.ruff or "ruff", "check", "--select", "E,F"]
    ruff_argv += ["--no-cache", "--isolated", target]
    cases.append(Case("ruff E,F", ruff_argv, scratch / "ruff", corpus.stats.files))
    if with_torchfix:
        torchfix_argv = [tools.torchfix or "torchfix", target]
        cases.append(
            Case("torchfix", torchfix_argv, scratch / "torchfix", corpus.stats.files)
        )
    _mark_missing(cases, tools)
    return cases


def _scratch_for(corpus: Corpus) -> Path:
    safe = corpus.label.replace("/", "_").replace(":", "-")
    return cache_dir() / "scratch" / safe


def _mark_missing(cases: list[Case], tools: Tools) -> None:
    for case in cases:
        if case.label.startswith("reuse-lint") and not tools.reuse_lint:
            case.error = "reuse-lint not found"
        elif case.label.startswith("ruff") and tools.ruff is None:
            case.error = "ruff not found"
        elif case.label == "torchfix" and tools.torchfix is None:
            case.error = "torchfix not installed"


def startup_cases(tools: Tools) -> list[Case]:
    """Build the one-file cases: reuse-lint on tiny files vs importing LibCST."""
    scratch = cache_dir() / "scratch" / "startup"
    scratch.mkdir(parents=True, exist_ok=True)
    plain = scratch / "plain.py"
    ffn = scratch / "ffn.py"
    plain.write_text(PLAIN_FILE, encoding="utf-8")
    ffn.write_text(FFN_FILE, encoding="utf-8")

    reuse = tools.reuse_lint
    cases = [
        Case("python -c pass", [tools.python, "-c", "pass"], scratch, 0),
        Case(
            'python -c "import libcst"', [tools.python, "-c", "import libcst"], scratch
        ),
        Case(
            "reuse-lint, no Sequential",
            [*reuse, "check", str(plain)],
            scratch,
            1,
            clear_cache_in(scratch),
        ),
        Case(
            "reuse-lint, one FFN",
            [*reuse, "check", str(ffn)],
            scratch,
            1,
            clear_cache_in(scratch),
        ),
    ]
    _mark_missing(cases, tools)
    return cases


def growth_cases(name: str, tools: Tools) -> tuple[list[Case], list[int]]:
    """Build reuse-lint cold runs on 1x, 2x and 4x copies of corpus *name*."""
    cases = []
    files = []
    for copies in GROWTH_COPIES:
        path = corpus_copies(name, copies)
        count = corpus_stats(path).files
        cwd = cache_dir() / "scratch" / f"growth-x{copies}"
        argv = [*tools.reuse_lint, "check", "--no-cache", str(path)]
        cases.append(Case(f"{copies}x", argv, cwd, count, clear_cache_in(cwd)))
        files.append(count)
    _mark_missing_reuse(cases, tools)
    return cases, files


def _mark_missing_reuse(cases: list[Case], tools: Tools) -> None:
    if not tools.reuse_lint:
        for case in cases:
            case.error = "reuse-lint not found"


# ------------------------------------------------------------------- equality


@dataclass
class Equality:
    """How the default run's findings compare with the reference run's."""

    corpus: str
    counts: dict[str, int] = field(default_factory=dict)
    identical: dict[str, bool] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    error: str | None = None


EQUALITY_RUNS = {
    "default, cold cache": [],
    "default, warm cache": [],
    "reference": ["--no-cache", "--jobs", "1", "--no-prefilter"],
}


def check_equality(corpus: Corpus, tools: Tools, timeout_s: float) -> Equality:
    """Compare JSON findings of default runs with a serial unfiltered run."""
    result = Equality(corpus.label)
    if not tools.reuse_lint:
        result.error = "reuse-lint not found"
        return result
    cwd = _scratch_for(corpus) / "equality"
    clear_cache_in(cwd)()

    findings: dict[str, collections.Counter[str]] = {}
    for label, extra in EQUALITY_RUNS.items():
        _progress(f"{corpus.title}: equality: {label}")
        output = cwd / "findings.json"
        argv = [*tools.reuse_lint, "check", "--output-format", "json", *extra]
        sample = measure([*argv, str(corpus.path)], cwd, timeout_s, stdout=output)
        if sample.error is not None:
            result.error = f"{label}: {sample.error}"
            return result
        try:
            findings[label] = _canonical_findings(output.read_text(encoding="utf-8"))
        except ValueError as error:
            result.error = f"{label}: {error}"
            return result
        result.counts[label] = sum(findings[label].values())

    reference = findings["reference"]
    for label in ("default, cold cache", "default, warm cache"):
        result.identical[label] = findings[label] == reference
        if findings[label] != reference:
            result.examples += _differences(label, findings[label], reference)
    return result


def _canonical_findings(text: str) -> collections.Counter[str]:
    try:
        documents = [json.loads(text)] if text.strip() else []
    except json.JSONDecodeError:
        try:
            documents = [json.loads(line) for line in text.splitlines() if line]
        except json.JSONDecodeError as error:
            raise ValueError(f"output is not JSON ({error})") from error
    items = []
    for document in documents:
        items += _finding_list(document)
    return collections.Counter(
        json.dumps(_without_volatile(item), sort_keys=True) for item in items
    )


def _finding_list(document: object) -> list[object]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("findings", "results", "diagnostics", "violations"):
            if isinstance(document.get(key), list):
                return list(document[key])
    return [document]


def _without_volatile(item: object) -> object:
    if isinstance(item, dict):
        return {
            key: _without_volatile(value)
            for key, value in item.items()
            if key not in VOLATILE_KEYS
        }
    if isinstance(item, list):
        return [_without_volatile(value) for value in item]
    return item


def _differences(
    label: str, found: collections.Counter[str], reference: collections.Counter[str]
) -> list[str]:
    only_found = list((found - reference).elements())[:3]
    only_reference = list((reference - found).elements())[:3]
    lines = [f"only in {label}: {item}" for item in only_found]
    return lines + [f"only in reference: {item}" for item in only_reference]


# -------------------------------------------------------------------- reports


def format_seconds(value: float | None) -> str:
    """Render a duration for a table cell."""
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def ratio(numerator: Case, denominator: Case) -> str:
    """Render the ratio of two cases' medians, or why there is none."""
    if numerator.error or denominator.error:
        return "n/a (error)"
    top, bottom = numerator.median_s, denominator.median_s
    if top is None or bottom is None or bottom == 0:
        return "n/a"
    return f"{top / bottom:.2f}x"


def case_table(cases: Iterable[Case], target: Path | None) -> list[str]:
    """Render cases as a markdown table: time, throughput, memory, command."""
    lines = [
        "| case | median s | min s | max s | CPU s | files/s | peak RSS MiB "
        "| status | command |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for case in cases:
        walls = case.walls
        low = min(walls) if walls else None
        high = max(walls) if walls else None
        median = case.median_s
        cpu = statistics.median(s.cpu_s for s in case.samples) if walls else None
        speed = _rate(case.files, median)
        peak = max((sample.peak_rss_kib for sample in case.samples), default=0)
        memory = f"{peak / 1024:.0f}" if peak else "-"
        status = f"error: {case.error}" if case.error else "ok"
        command = _short_command(case.argv, target)
        lines.append(
            f"| {case.label} | {format_seconds(median)} | {format_seconds(low)} "
            f"| {format_seconds(high)} | {format_seconds(cpu)} | {speed} | {memory} "
            f"| {status} "
            f"| `{command}` |"
        )
    return lines


def _rate(files: int, seconds: float | None) -> str:
    if not files or not seconds:
        return "-"
    rate = files / seconds
    return f"{rate:.0f}" if rate >= 10 else f"{rate:.2f}"


def _short_command(argv: Sequence[str], target: Path | None) -> str:
    words = []
    for index, word in enumerate(argv):
        is_program = index == 0 or (index == 1 and argv[0].endswith("python"))
        is_file = word.endswith(".py") and Path(word).is_absolute()
        if target is not None and word == str(target):
            words.append("CORPUS")
        elif is_program or is_file:
            words.append(Path(word).name)
        else:
            words.append(word)
    return shlex.join(words).replace("|", "\\|")


def corpus_section(corpus: Corpus, cases: list[Case], notes: list[str]) -> list[str]:
    """Render one corpus: its size, its table and the headline ratios."""
    by_label = {case.label: case for case in cases}
    stats = corpus.stats
    lines = [
        f"## {corpus.title}",
        "",
        f"{stats.files:,} .py files, {stats.lines:,} lines, "
        f"{stats.sequential_files:,} of them mention `Sequential`.",
        "",
        *case_table(cases, corpus.path),
        "",
    ]
    cold = by_label["reuse-lint cold"]
    lines.append(f"- reuse-lint cold / ruff: {ratio(cold, by_label['ruff E,F'])}")
    lines.append(
        f"- reuse-lint warm / cold: {ratio(by_label['reuse-lint warm'], cold)}"
    )
    if "torchfix" in by_label:
        lines.append(
            f"- TorchFix / reuse-lint cold: {ratio(by_label['torchfix'], cold)}"
        )
    lines += [f"- {note}" for note in notes]
    return [*lines, ""]


def startup_section(cases: list[Case]) -> list[str]:
    """Render the one-file start-up table and its ratios to importing LibCST."""
    libcst = cases[1]
    lines = ["## Start-up on one small file", "", *case_table(cases, None), ""]
    for case in cases[2:]:
        lines.append(f"- {case.label} / import libcst: {ratio(case, libcst)}")
    return [*lines, ""]


def growth_section(name: str, cases: list[Case], files: list[int]) -> list[str]:
    """Render the growth table: time per copy should stay flat as copies grow."""
    lines = [
        f"## Growth: reuse-lint cold on copies of {name}",
        "",
        "| copies | files | median s | min s | max s | s per copy | per copy vs 1x "
        "| status |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = _per_copy(cases[0], GROWTH_COPIES[0])
    for case, copies, count in zip(cases, GROWTH_COPIES, files, strict=True):
        per_copy = _per_copy(case, copies)
        relative = f"{per_copy / base:.2f}x" if per_copy and base else "n/a"
        walls = case.walls
        status = f"error: {case.error}" if case.error else "ok"
        lines.append(
            f"| {copies} | {count:,} | {format_seconds(case.median_s)} "
            f"| {format_seconds(min(walls) if walls else None)} "
            f"| {format_seconds(max(walls) if walls else None)} "
            f"| {format_seconds(per_copy)} | {relative} | {status} |"
        )
    return [*lines, ""]


def _per_copy(case: Case, copies: int) -> float | None:
    median = case.median_s
    return median / copies if median is not None else None


def equality_section(results: list[Equality]) -> list[str]:
    """Render whether default and reference runs found the same things."""
    labels = list(EQUALITY_RUNS)
    lines = [
        "## Findings: default settings vs `--no-cache --jobs 1 --no-prefilter`",
        "",
        "| corpus | "
        + " | ".join(f"findings, {label}" for label in labels)
        + " | cold identical | warm identical | status |",
        "|---|" + "---:|" * len(labels) + "---|---|---|",
    ]
    for result in results:
        counts = [str(result.counts.get(label, "-")) for label in labels]
        same = [
            _yes_no(result.identical.get(label))
            for label in ("default, cold cache", "default, warm cache")
        ]
        status = f"error: {result.error}" if result.error else "ok"
        lines.append(
            f"| {result.corpus} | {' | '.join(counts)} | {' | '.join(same)} "
            f"| {status} |"
        )
    lines.append("")
    for result in results:
        lines += [f"- {result.corpus}: `{example}`" for example in result.examples]
    return [*lines, ""]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "-"
    return "yes" if value else "**NO**"


def header_section(tools: Tools, args: argparse.Namespace) -> list[str]:
    """Render what was measured, where, and with which versions."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [
        "# reuse-lint benchmark",
        "",
        f"- date: {now}; rounds: {args.rounds}; machine: {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average at start {load}",
        f"- python: {platform.python_version()} ({tools.python})",
    ]
    lines += [f"- {name}: {version}" for name, version in tools.versions.items()]
    pins = ", ".join(f"{name} {version}" for name, version in PINS.items())
    lines += [
        f"- corpora (wheel pins): {pins}",
        "- peak RSS: largest single process of the child's tree (os.wait4)",
        "",
    ]
    return lines


# ----------------------------------------------------------------------- main


def find_tools(args: argparse.Namespace, with_torchfix: bool) -> Tools:
    """Locate every executable and read its version."""
    if args.reuse_lint:
        # Commands run in scratch folders, so a relative program path given
        # on the command line must be made absolute here.
        reuse = shlex.split(args.reuse_lint)
        if "/" in reuse[0]:
            reuse[0] = str(Path(reuse[0]).absolute())
    else:
        found = find_tool("reuse-lint")
        reuse = [str(found)] if found else []
    ruff = find_tool("ruff")
    torchfix = None
    if with_torchfix:
        try:
            torchfix = str(torchfix_path())
        except ToolError as error:
            _progress(f"warning: {error}")

    python = _interpreter_of(reuse)
    versions = {
        "reuse-lint": tool_version(reuse[0]) if reuse else "not found",
        "reuse-lint bytecode": compile_bytecode(python),
        "libcst": _libcst_version(python),
        "ruff": tool_version(ruff) if ruff else "not found",
    }
    if with_torchfix:
        versions["torchfix"] = tool_version(torchfix) if torchfix else "not installed"
    return Tools(reuse, str(ruff) if ruff else None, torchfix, python, versions)


def _interpreter_of(argv: list[str]) -> str:
    """Return the Python that runs *argv*: its script's shebang, else ours."""
    if argv and Path(argv[0]).name.startswith("python"):
        return argv[0]
    if argv:
        try:
            with open(argv[0], "rb") as script:
                first = script.readline(512)
        except OSError:
            first = b""
        if first.startswith(b"#!"):
            words = first[2:].decode(errors="replace").split()
            if words and Path(words[0]).is_file() and "python" in words[0]:
                return words[0]
    return sys.executable


def compile_bytecode(python: str) -> str:
    """Compile the reuse-lint package's bytecode, as ``pip install`` does.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on some
    CI machines) recompiles every module of the package on every start,
    10 to 15 ms that no installed copy pays; ruff is native and libcst's
    bytecode was compiled when it was installed. Returns a note for the
    header.
    """
    code = (
        "import compileall, pathlib, reuse_lint; "
        "folder = pathlib.Path(reuse_lint.__file__).parent; "
        "print(folder if compileall.compile_dir(folder, quiet=1) else '')"
    )
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False
    )
    folder = result.stdout.strip()
    return f"compiled before timing ({folder})" if folder else "could not compile"


def _libcst_version(python: str) -> str:
    code = "import importlib.metadata as m; print(m.version('libcst'))"
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "not installed"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line; ``--smoke`` overrides the scope options."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--corpora",
        default="transformers,timm,torchvision",
        help="comma-separated NAME or NAME:SUBDIR, from " + ", ".join(PINS),
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per case")
    parser.add_argument("--skip-torchfix", action="store_true", help="no TorchFix")
    parser.add_argument(
        "--torchfix-on",
        default="timm,torchvision,diffusers",
        help="corpora TorchFix runs on ('all' for every one); transformers is "
        "left out by default: one round there takes half an hour or more",
    )
    parser.add_argument("--growth-corpus", default="timm", help="for the growth case")
    parser.add_argument("--skip-growth", action="store_true", help="no growth case")
    parser.add_argument("--skip-startup", action="store_true", help="no start-up case")
    parser.add_argument(
        "--skip-equality", action="store_true", help="no findings-equality check"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"tiny run for CI: {SMOKE_CORPUS}, one round, no TorchFix, no growth",
    )
    parser.add_argument("--reuse-lint", help="command to run instead of reuse-lint")
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds before a run is killed"
    )
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    parser.add_argument("--json", type=Path, help="also write raw samples here")
    args = parser.parse_args(argv)

    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.smoke:
        args.corpora = SMOKE_CORPUS
        args.rounds = 1
        args.skip_torchfix = True
        args.skip_growth = True
    return args


def _torchfix_wanted(spec: str, args: argparse.Namespace) -> bool:
    if args.skip_torchfix:
        return False
    name = spec.partition(":")[0]
    chosen = [word.strip() for word in args.torchfix_on.split(",")]
    return "all" in chosen or name in chosen


def benchmark_corpus(
    spec: str, tools: Tools, args: argparse.Namespace
) -> tuple[list[str], list[Case], Equality | None]:
    """Run every case on one corpus; return its report section and raw data."""
    corpus = load_corpus(spec)
    cases = corpus_cases(corpus, tools, _torchfix_wanted(spec, args))
    before = fingerprint(corpus.path)
    run_rounds(cases, args.rounds, args.timeout, corpus.title)

    notes = [f"load average after the timed rounds: {os.getloadavg()[0]:.2f}"]
    if fingerprint(corpus.path) != before:
        notes.append("**a command modified the corpus**; it was unpacked again")
        refresh_corpus(corpus.name)
    equality = None
    if not args.skip_equality:
        equality = check_equality(corpus, tools, args.timeout)
    return corpus_section(corpus, cases, notes), cases, equality


def main(argv: list[str] | None = None) -> int:
    """Run the selected scenarios and print one markdown report to stdout."""
    args = parse_args(argv)
    specs = [spec.strip() for spec in args.corpora.split(",") if spec.strip()]
    wants_torchfix = any(_torchfix_wanted(spec, args) for spec in specs)
    try:
        tools = find_tools(args, wants_torchfix)
        report, raw = _run_all(specs, tools, args)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    text = "\n".join(header_section(tools, args) + report)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
    return 0


def _run_all(
    specs: list[str], tools: Tools, args: argparse.Namespace
) -> tuple[list[str], dict[str, object]]:
    report: list[str] = []
    per_corpus: dict[str, object] = {}
    raw: dict[str, object] = {"versions": tools.versions, "corpora": per_corpus}
    equalities = []
    for spec in specs:
        section, cases, equality = benchmark_corpus(spec, tools, args)
        report += section
        per_corpus[spec] = [_raw_case(case) for case in cases]
        if equality is not None:
            equalities.append(equality)

    if not args.skip_startup:
        cases = startup_cases(tools)
        rounds = args.rounds if args.smoke else max(args.rounds, MIN_STARTUP_ROUNDS)
        run_rounds(cases, rounds, args.timeout, "start-up")
        report += startup_section(cases)
        raw["startup"] = [_raw_case(case) for case in cases]
    if not args.skip_growth:
        cases, files = growth_cases(args.growth_corpus, tools)
        run_rounds(cases, args.rounds, args.timeout, "growth")
        report += growth_section(args.growth_corpus, cases, files)
        raw["growth"] = [_raw_case(case) for case in cases]
    if equalities:
        report += equality_section(equalities)
        raw["equality"] = [asdict(result) for result in equalities]
    return report, raw


def _raw_case(case: Case) -> dict[str, object]:
    return {
        "label": case.label,
        "argv": case.argv,
        "files": case.files,
        "error": case.error,
        "samples": [asdict(sample) for sample in case.samples],
    }


if __name__ == "__main__":
    sys.exit(main())
