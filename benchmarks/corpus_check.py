"""Fix real code bases with reuse-lint and check that nothing broke.

This is a script, not a test: it answers "on the code people really write,
does ``check --fix`` leave every file intact?". For each pinned corpus (see
``corpora.py``) it copies the sources twice into a scratch folder of the
benchmark cache (the cached corpus is never written) and runs the
``reuse-lint`` next to this interpreter, in subprocesses:

1. ``check --output-format json`` on the pristine copy: findings per code;
2. ``check --fix --unsafe-fixes`` on the working copy: fixes applied;
3. ``compile()`` on every file the fix changed: files that no longer parse;
4. the same fix again: files the second run changed (hashes of every file);
5. ``verify`` on the pristine copy, which rebuilds the original code's
   fixable chains and their replacements: OK, mismatched, skipped;
6. an import of every changed module, from the fixed copy and, where that
   fails, from the pristine copy, first as a normal import and then with
   failing package ``__init__`` files cut short instead of failing the
   import. A module that fails alike from both copies is "blocked" (a
   dependency that is not installed, a compiled extension the wheel's
   ``.py`` files lack); one that imports only from the pristine copy, or
   fails differently, was broken by the fix. ``--import-python`` names an
   interpreter with more of the corpora's dependencies installed.

Every run uses ``--no-cache``. Lines on stderr that mention an internal error
or a traceback count as internal errors; ``verify`` sites that crashed
(``ERROR``) are counted beside its mismatches.

The script prints one table, corpora as columns, and after it every problem
it found. It exits 1 when a number marked "must be 0" is not 0, and 2 when a
corpus cannot be fetched or a command cannot run.

Full run (tens of minutes on a small machine)::

    .venv/bin/python benchmarks/corpus_check.py

Smoke run (torchvision only)::

    .venv/bin/python benchmarks/corpus_check.py --smoke
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALL_CORPORA = ("transformers", "timm", "torchvision", "diffusers")
SMOKE_CORPORA = ("torchvision",)

COMMAND_TIMEOUT = 4 * 3600
"""Seconds one reuse-lint command may take before the corpus is given up."""

IMPORT_TIMEOUT = 900
"""Seconds one batch of imports (every changed module of a tree) may take."""

FIXED = re.compile(r"^Fixed (\d+) chains?\.$")
FIX_ARGS = (
    "check",
    "--fix",
    "--unsafe-fixes",
    "--output-format",
    "json",
    "--no-cache",
)
VERIFIED = re.compile(r" (OK|MISMATCH|SKIPPED|ERROR) (RL\d+)\b")


class CheckFailed(Exception):
    """A command could not run at all; the corpus has no result."""


@dataclass
class CorpusResult:
    """Everything measured on one corpus."""

    name: str
    files: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    fixable: Counter[str] = field(default_factory=Counter)
    fixed: int = 0
    changed: list[str] = field(default_factory=list)
    left_after_fix: int = 0
    unparsable: list[str] = field(default_factory=list)
    second_run_changed: list[str] = field(default_factory=list)
    verify: Counter[str] = field(default_factory=Counter)
    verify_problems: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    imports: Counter[str] = field(default_factory=Counter)
    import_problems: list[str] = field(default_factory=list)
    blocked_by: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def must_be_zero(self) -> dict[str, int]:
        """The numbers that must be 0, by name."""
        return {
            "files that no longer parse": len(self.unparsable),
            "files changed by the second run": len(self.second_run_changed),
            "verify mismatches": self.verify["MISMATCH"],
            "verify errors": self.verify["ERROR"],
            "internal errors": len(self.internal_errors),
            "modules broken by the fix": self.imports["broken"],
        }


@dataclass(frozen=True)
class Options:
    """How to run: extra ``check`` arguments, the import interpreter, clean-up."""

    jobs: tuple[str, ...] = ()
    python: str = sys.executable
    keep: bool = False


@dataclass(frozen=True)
class Completed:
    """One finished reuse-lint command."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


# ---------------------------------------------------------------- commands


def reuse_lint_executable() -> Path:
    """The ``reuse-lint`` installed beside this interpreter."""
    path = Path(sys.executable).parent / "reuse-lint"
    if not path.exists():
        raise CheckFailed(f"no reuse-lint beside {sys.executable}")
    return path


def run_reuse_lint(args: Sequence[str], tree: Path, result: CorpusResult) -> Completed:
    """Run ``reuse-lint ARGS .`` in ``tree``; record its internal errors."""
    command = [str(reuse_lint_executable()), *args, "."]
    say(f"{result.name}: reuse-lint {' '.join(args)} (in {tree.name}/)")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
            env=_child_environment(),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CheckFailed(f"{' '.join(args)}: {error}") from error

    _record_stderr(done.stderr, " ".join(args), result)
    if done.returncode not in (0, 1, 2):
        raise CheckFailed(f"{' '.join(args)} exited {done.returncode}")
    seconds = time.perf_counter() - started
    return Completed(done.returncode, done.stdout, done.stderr, seconds)


def _child_environment() -> dict[str, str]:
    """The current environment, with no progress bar and no colour."""
    env = dict(os.environ)
    env["CI"] = "1"
    env["NO_COLOR"] = "1"
    return env


def _record_stderr(stderr: str, command: str, result: CorpusResult) -> None:
    for line in stderr.splitlines():
        if "internal error" in line or line.startswith("Traceback"):
            result.internal_errors.append(f"{command}: {line}")


# ---------------------------------------------------------------- trees


def hash_tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by POSIX path relative to it."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            hashes[path.relative_to(root).as_posix()] = digest
    return hashes


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Files added, removed or rewritten between two ``hash_tree`` results."""
    names = set(before) | set(after)
    return sorted(name for name in names if before.get(name) != after.get(name))


def unparsable(root: Path, names: Sequence[str]) -> list[str]:
    """The Python files among ``names`` that no longer compile, or are gone."""
    broken = []
    for name in names:
        path = root / name
        if path.suffix != ".py":
            continue
        if not path.exists():
            broken.append(f"{name}: deleted")
            continue
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            broken.append(f"{name}: {type(error).__name__}: {error}")
    return broken


def module_name(relative: str) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod``; a package's ``__init__`` -> it."""
    parts = relative.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# ---------------------------------------------------------------- imports


class LenientPackages(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Load the packages of a tree, carrying on when an ``__init__`` fails.

    A package's ``__init__`` often imports every optional dependency, or a
    compiled extension the unpacked wheel lacks. Here a failing ``__init__``
    leaves its package with what it defined so far, so a module that needs
    little more than torch can still be imported. The modules under test
    (``keep``) are always loaded the normal way.
    """

    def __init__(self, root: Path, keep: frozenset[str]) -> None:
        self.root = root
        self.keep = keep

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """This loader's spec, for a package folder under the root."""
        folder = self.root.joinpath(*fullname.split("."))
        init = folder / "__init__.py"
        if fullname in self.keep or not init.is_file():
            return None
        return importlib.util.spec_from_file_location(
            fullname, init, loader=self, submodule_search_locations=[str(folder)]
        )

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        """The default module object."""
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the ``__init__``; an exception only ends it early."""
        path = Path(str(module.__file__))
        code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        try:
            exec(code, module.__dict__)
        except Exception:  # the package keeps what it defined before failing
            return


def probe_imports(mode: str, root: Path, modules: Sequence[str]) -> dict[str, str]:
    """Import each module from ``root``: "" when it imports, else the error."""
    sys.path.insert(0, str(root))
    if mode == "lenient":
        sys.meta_path.insert(0, LenientPackages(root, frozenset(modules)))

    outcomes = {}
    for name in modules:
        outcomes[name] = _import_one(name).replace(str(root), "<root>")
    return outcomes


def _import_one(name: str) -> str:
    try:
        importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # module code may raise anything, even exit
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return ""


def run_probe(
    python: str, mode: str, root: Path, modules: Sequence[str], scratch: Path
) -> dict[str, str]:
    """``probe_imports`` in a fresh, isolated interpreter (``python -I``)."""
    if not modules:
        return {}
    out = scratch / f"probe-{mode}-{root.name}.json"
    command = [
        python,
        "-I",
        "-B",
        __file__,
        "--probe",
        mode,
        str(root),
        str(out),
    ]
    try:
        done = subprocess.run(
            [*command, *modules],
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=IMPORT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return dict.fromkeys(modules, "probe timed out")
    if done.returncode != 0 or not out.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return dict.fromkeys(modules, f"probe crashed: {last}")
    outcomes: dict[str, str] = json.loads(out.read_text(encoding="utf-8"))
    return outcomes


def check_imports(
    changed: Sequence[str],
    fixed: Path,
    pristine: Path,
    python: str,
    result: CorpusResult,
) -> None:
    """Import the changed modules; a module only the fix broke is a problem."""
    modules = sorted({module_name(n) for n in changed if n.endswith(".py")})
    scratch = fixed.parent
    errors = {}
    for mode in ("normal", "lenient"):
        fixed_errors = run_probe(python, mode, fixed, modules, scratch)
        failing = [m for m in modules if fixed_errors[m]]
        pristine_errors = run_probe(python, mode, pristine, failing, scratch)
        for module in modules:
            if not fixed_errors[module]:
                result.imports["imports" if mode == "normal" else "lenient"] += 1
            elif not pristine_errors[module]:
                _broken(result, module, f"{mode} import", fixed_errors[module])
        errors = {m: (fixed_errors[m], pristine_errors[m]) for m in failing}
        modules = [m for m in failing if pristine_errors[m]]

    for module in modules:
        _blocked_or_broken(result, module, *errors[module])


def _broken(result: CorpusResult, module: str, how: str, error: str) -> None:
    result.imports["broken"] += 1
    result.import_problems.append(f"{module} ({how}): {error}")


def _blocked_or_broken(
    result: CorpusResult, module: str, fixed_error: str, pristine_error: str
) -> None:
    """Both copies fail: blocked if they fail alike, else the fix changed it."""
    if fixed_error != pristine_error:
        difference = f"{fixed_error} / pristine: {pristine_error}"
        _broken(result, module, "both copies fail, differently", difference)
        return
    result.imports["blocked"] += 1
    result.blocked_by[pristine_error] += 1


# ---------------------------------------------------------------- one corpus


def check_corpus(
    name: str, source: Path, scratch: Path, options: Options
) -> CorpusResult:
    """Every step on one corpus, on two fresh copies under ``scratch``."""
    result = CorpusResult(name)
    started = time.perf_counter()
    pristine, fixed = scratch / "pristine", scratch / "fixed"
    shutil.copytree(source, pristine, symlinks=True)
    shutil.copytree(source, fixed, symlinks=True)
    result.files = sum(1 for _ in pristine.rglob("*.py"))

    check_pristine(pristine, options.jobs, result)
    before = hash_tree(fixed)
    fix_once(fixed, options.jobs, result)
    after = hash_tree(fixed)
    result.changed = changed_files(before, after)
    result.unparsable = unparsable(fixed, result.changed)
    fix_again(fixed, after, options.jobs, result)
    verify_pristine(pristine, result)
    check_imports(result.changed, fixed, pristine, options.python, result)

    result.seconds["total"] = time.perf_counter() - started
    return result


def check_pristine(pristine: Path, jobs: Sequence[str], result: CorpusResult) -> None:
    """``check --output-format json``: findings and fixable ones per code."""
    args = ["check", "--output-format", "json", "--no-cache", *jobs]
    done = run_reuse_lint(args, pristine, result)
    result.seconds["check"] = done.seconds

    for finding in _parse_json(done, "check"):
        result.findings[finding["code"]] += 1
        if finding["fix"] is not None:
            result.fixable[finding["fix"]["applicability"]] += 1
    result.file_errors = [
        line for line in done.stderr.splitlines() if line.startswith("error: ")
    ]


def fix_once(fixed: Path, jobs: Sequence[str], result: CorpusResult) -> None:
    """``check --fix --unsafe-fixes``: chains fixed, findings left after."""
    done = run_reuse_lint([*FIX_ARGS, *jobs], fixed, result)
    result.seconds["fix"] = done.seconds
    result.fixed = _fixed_count(done.stderr)
    result.left_after_fix = len(_parse_json(done, "check --fix"))


def fix_again(
    fixed: Path, before: dict[str, str], jobs: Sequence[str], result: CorpusResult
) -> None:
    """The same fix on the fixed copy: it must change no file."""
    run_reuse_lint([*FIX_ARGS, *jobs], fixed, result)
    result.second_run_changed = changed_files(before, hash_tree(fixed))


def verify_pristine(pristine: Path, result: CorpusResult) -> None:
    """``verify`` rebuilds the original code's fixable chains: count verdicts."""
    done = run_reuse_lint(["verify", "--no-cache"], pristine, result)
    result.seconds["verify"] = done.seconds

    for line in done.stdout.splitlines():
        match = VERIFIED.search(line)
        if match is None:
            continue
        result.verify[match.group(1)] += 1
        if match.group(1) in ("MISMATCH", "ERROR"):
            result.verify_problems.append(line)


def _parse_json(done: Completed, command: str) -> list[dict[str, Any]]:
    try:
        findings: list[dict[str, Any]] = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise CheckFailed(f"{command} printed no JSON: {error}") from error
    return findings


def _fixed_count(stderr: str) -> int:
    for line in stderr.splitlines():
        match = FIXED.match(line)
        if match:
            return int(match.group(1))
    return 0


# ---------------------------------------------------------------- report


def table(results: Sequence[CorpusResult]) -> str:
    """A Markdown table: one row per measure, one column per corpus."""
    codes = sorted(set().union(*(r.findings for r in results)))
    columns = [measures(result, codes) for result in results]

    header = ["", *(r.name for r in results)]
    lines = [_markdown_row(header), _markdown_row(["---"] * len(header))]
    for label in columns[0]:
        lines.append(_markdown_row([label, *(column[label] for column in columns)]))
    return "\n".join(lines) + "\n"


def measures(r: CorpusResult, codes: Sequence[str]) -> dict[str, str]:
    """One corpus's column, by row label; "must be 0" rows are in bold."""
    imports = (r.imports[k] for k in ("imports", "lenient", "blocked"))
    return {
        "Python files": str(r.files),
        **{f"findings {code}": str(r.findings[code]) for code in codes},
        "fixable: safe / unsafe": f"{r.fixable['safe']} / {r.fixable['unsafe']}",
        "fixes applied": str(r.fixed),
        "files changed by the fix": str(len(r.changed)),
        "findings left after the fix": str(r.left_after_fix),
        "**no longer parse** (must be 0)": str(len(r.unparsable)),
        "**changed by a second fix** (must be 0)": str(len(r.second_run_changed)),
        "verify: OK / skipped": f"{r.verify['OK']} / {r.verify['SKIPPED']}",
        "**verify: mismatch / error** (must be 0)": (
            f"{r.verify['MISMATCH']} / {r.verify['ERROR']}"
        ),
        "**internal errors** (must be 0)": str(len(r.internal_errors)),
        "file errors reported": str(len(r.file_errors)),
        "changed modules: import / import past failing `__init__` / blocked": (
            " / ".join(map(str, imports))
        ),
        "**modules broken by the fix** (must be 0)": str(r.imports["broken"]),
        "wall s: check / fix / verify / all steps": _seconds(r),
    }


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _seconds(result: CorpusResult) -> str:
    steps = ("check", "fix", "verify", "total")
    return " / ".join(f"{result.seconds.get(step, 0):.0f}" for step in steps)


def problems(result: CorpusResult) -> list[str]:
    """One line per problem behind a non-zero "must be 0" number."""
    groups = (
        ("no longer parses", result.unparsable),
        ("changed by the second fix", result.second_run_changed),
        ("verify", result.verify_problems),
        ("internal error", result.internal_errors),
        ("import", result.import_problems),
    )
    return [
        f"{result.name}: {kind}: {line}" for kind, lines in groups for line in lines
    ]


def notes(result: CorpusResult) -> list[str]:
    """What is worth knowing but breaks nothing: file errors, import blockers."""
    lines = [f"{result.name}: {line}" for line in result.file_errors]
    for error, count in result.blocked_by.most_common(5):
        lines.append(f"{result.name}: {count} blocked module(s): {error}")
    return lines


def machine_note() -> str:
    """CPU count and load average, since timings depend on them."""
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}"


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: which corpora, how many jobs, what to keep."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpora",
        default=",".join(ALL_CORPORA),
        help="comma-separated corpora (default: %(default)s)",
    )
    parser.add_argument("--smoke", action="store_true", help="torchvision only")
    parser.add_argument("--jobs", type=int, help="passed to reuse-lint check")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch copies and say where"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--import-python",
        default=sys.executable,
        help="interpreter for the import check, with torch, reuse-lint and as"
        " many of the corpora's dependencies as can be had (default: this one)",
    )
    return parser.parse_args(argv)


def run_all(
    names: Sequence[str], options: Options
) -> tuple[list[CorpusResult], list[str]]:
    """Check each corpus in turn: the results, and the corpora that failed."""
    # Imported here: the --probe child runs with -I, without this folder on
    # sys.path, and needs nothing from corpora.py.
    from corpora import CorpusError, cache_dir, corpus_path

    results, failures = [], []
    for name in names:
        say(f"{name}: checking ({machine_note()})")
        scratch_root = cache_dir() / "scratch"
        scratch_root.mkdir(exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f"check-{name}-", dir=scratch_root))
        try:
            results.append(check_corpus(name, corpus_path(name), scratch, options))
            say(f"{name}: done in {results[-1].seconds['total']:.0f} s")
        except (CorpusError, CheckFailed) as error:
            failures.append(f"{name}: {error}")
            say(f"error: {failures[-1]}")
        finally:
            _clean(scratch, options.keep)
    return results, failures


def _clean(scratch: Path, keep: bool) -> None:
    if keep:
        say(f"copies kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


def say(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def report(results: Sequence[CorpusResult]) -> int:
    """Print the table, the problems and the notes; return the exit code."""
    print(f"Machine: {machine_note()}\n")
    print(table(results))
    found = [line for result in results for line in problems(result)]
    for line in found:
        print(f"PROBLEM {line}")
    for line in (line for result in results for line in notes(result)):
        print(f"note {line}")
    return 1 if found or any(any(r.must_be_zero().values()) for r in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Check the chosen corpora; 1 when a "must be 0" number is not 0."""
    args = parse_args(argv)
    names = SMOKE_CORPORA if args.smoke else args.corpora.split(",")
    jobs = () if args.jobs is None else ("--jobs", str(args.jobs))
    options = Options(jobs, args.import_python, args.keep)

    results, failures = run_all(names, options)
    if args.json:
        args.json.write_text(json.dumps([vars(r) for r in results], indent=2))
    code = report(results) if results else 0
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 2 if failures else code


def probe_main(argv: Sequence[str]) -> int:
    """``--probe MODE ROOT OUT MODULE...``: the child side of ``run_probe``."""
    mode, root, out, *modules = argv
    outcomes = probe_imports(mode, Path(root), modules)
    Path(out).write_text(json.dumps(outcomes), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        sys.exit(probe_main(sys.argv[2:]))
    sys.exit(main())
