"""Input built to break a run: each problem file gets one line, the rest goes on.

Every case runs beside ``good.py``, which must still get its finding (under
``check``) or its fix (under ``--fix``). A problem file is never modified,
stderr never holds a traceback, and the exit code is 2 whenever a file
errored. Cases that could crash the interpreter itself (deep nesting) run in
a subprocess.
"""

from __future__ import annotations

import codecs
import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reuse_lint import fixer, runner, sources
from reuse_lint.cli import main

FFN = "ff = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))\n"
GOOD = "import torch.nn as nn\n\n" + FFN
GOOD_FINDING = "good.py:3:6: RL101"
FIXED_CALL = 'MLPBlock(input_dim=8, hidden_dim=32, activation="relu")'


@dataclass
class Run:
    """Exit code and output of one run."""

    code: int
    out: str
    err: str

    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error:")]


Lint = Callable[..., Run]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding ``good.py``."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


@pytest.fixture
def lint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Lint:
    """Run ``reuse-lint ARGS`` in-process through ``main``'s one handler."""

    def run(*args: str) -> Run:
        monkeypatch.setattr(
            sys, "argv", ["reuse-lint", args[0], "--no-cache", *args[1:]]
        )
        with pytest.raises(SystemExit) as done:
            main()
        out, err = capsys.readouterr()
        return Run(int(done.value.code or 0), out, err)

    return run


def lint_subprocess(cwd: Path, *args: str, timeout: float = 300) -> Run:
    """Run ``python -m reuse_lint ARGS``: a crash there cannot take pytest along."""
    done = subprocess.run(
        [sys.executable, "-m", "reuse_lint", args[0], "--no-cache", *args[1:]],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_one_error(run: Run, name: str, message: str) -> None:
    """Exactly one error line, for ``name``, containing ``message``; no traceback."""
    assert "Traceback" not in run.err
    assert "internal error" not in run.err
    (line,) = run.errors()
    assert line.startswith(f"error: {name}: "), line
    assert message in line, line


def assert_good_was_fixed(root: Path) -> None:
    assert FIXED_CALL in (root / "good.py").read_text()


def no_temporary_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.endswith(".reuse-lint")]


# Files that cannot be analysed

NUL = b"import torch.nn as nn\nx = 1\x00\n" + FFN.encode()
BROKEN = {
    "syntax-error": (
        b"import torch.nn as nn\nff = nn.Sequential(nn.Linear(8, 32)\n",
        "syntax error at 2:",
    ),
    "python-2": (
        b'import torch.nn as nn\nprint "x"\n' + FFN.encode(),
        "syntax error at 2:1: Missing parentheses in call to 'print'",
    ),
    "nul-byte": (NUL, "contains a NUL byte; not a Python source file"),
    "not-utf-8": (
        b"import torch.nn as nn\n\n# caf\xe9\n" + FFN.encode(),
        "is not valid utf-8: cannot decode byte 0xe9",
    ),
    "not-utf-8-first-line": (b"# caf\xe9 Sequential\n", "is not valid utf-8"),
    "unknown-codec": (b"# coding: klingon\n" + FFN.encode(), "unknown encoding"),
    "non-text-codec": (
        b"# coding: rot13\nimport torch.nn as nn\n" + FFN.encode(),
        "bad encoding declaration: 'rot13' is not a text encoding",
    ),
    "lookalike-codec": (
        b"# coding: punycode\nimport torch.nn as nn\n" + FFN.encode(),
        "bad encoding declaration",
    ),
}


@pytest.mark.parametrize("content", BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_one_line_and_the_run_goes_on(
    tree: Path, lint: Lint, content: tuple[bytes, str]
) -> None:
    data, message = content
    (tree / "bad.py").write_bytes(data)

    run = lint("check", ".")

    assert run.code == 2
    assert_one_error(run, "bad.py", message)
    assert GOOD_FINDING in run.out


@pytest.mark.parametrize("content", BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_left_alone_by_fix(
    tree: Path, lint: Lint, content: tuple[bytes, str]
) -> None:
    data, message = content
    (tree / "bad.py").write_bytes(data)

    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "bad.py", message)
    assert (tree / "bad.py").read_bytes() == data
    assert_good_was_fixed(tree)


# Files that are odd but fine: analysed, positions right, fixes parse

BOM = codecs.BOM_UTF8
ODD = {
    "latin-1-cookie": (
        b"# -*- coding: latin-1 -*-\nimport torch.nn as nn\n# caf\xe9\n"
        b"ff = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))  # \xe9\n",
        "4:6",
    ),
    "utf-8-bom": (BOM + GOOD.encode(), "3:6"),
    "bom-and-non-ascii-before-the-call": (
        BOM + "import torch.nn as nn\nx = 'éé'; ".encode() + FFN.encode(),
        "2:16",
    ),
    "crlf": (GOOD.replace("\n", "\r\n").encode(), "3:6"),
    "cr-only": (GOOD.replace("\n", "\r").encode(), "3:6"),
    "mixed-newlines": (
        b"import torch.nn as nn\r\n\n\rff = nn.Sequential(\r\n    nn.Linear(8, 32),\n"
        b"    nn.ReLU(),\r    nn.Linear(32, 8),\r\n)\n",
        "4:6",
    ),
    "tabs": (
        b"import torch.nn as nn\n\n\nclass A(nn.Module):\n\tdef __init__(self):\n"
        b"\t\tsuper().__init__()\n\t\tself.ff = nn.Sequential(\n\t\t\tnn.Linear(8, 32),"
        b"\n\t\t\tnn.ReLU(),\n\t\t\tnn.Linear(32, 8),\n\t\t)\n",
        "7:13",
    ),
    "form-feed-and-line-separator": (
        "import torch.nn as nn\n\x0c\n# a\u2028b\nx = 'é'; ".encode() + FFN.encode(),
        "4:15",
    ),
}


@pytest.mark.parametrize("content", ODD.values(), ids=ODD.keys())
def test_odd_but_valid_file_is_analysed_with_the_right_position(
    tree: Path, lint: Lint, content: tuple[bytes, str]
) -> None:
    data, position = content
    (tree / "odd.py").write_bytes(data)

    run = lint("check", ".")

    assert run.code == 1, run.err
    assert run.err == ""
    assert f"odd.py:{position}: RL101" in run.out
    assert GOOD_FINDING in run.out


@pytest.mark.parametrize("content", ODD.values(), ids=ODD.keys())
def test_odd_but_valid_file_is_fixed_once_and_still_compiles(
    tree: Path, lint: Lint, content: tuple[bytes, str]
) -> None:
    data, _ = content
    path = tree / "odd.py"
    path.write_bytes(data)

    first = lint("check", "--fix", ".")
    fixed = path.read_bytes()
    second = lint("check", "--fix", ".")

    assert (first.code, second.code) == (0, 0), first.err
    assert fixed != data
    assert fixed.startswith(BOM) == data.startswith(BOM)
    compile(fixed, "odd.py", "exec")
    assert path.read_bytes() == fixed


def test_noqa_after_a_form_feed_is_on_the_right_line(tree: Path, lint: Lint) -> None:
    (tree / "good.py").write_text(
        "import torch.nn as nn\n\x0c\n" + FFN[:-1] + "  # noqa\n"
    )
    run = lint("check", ".")
    assert (run.code, run.out, run.err) == (0, "", "")


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "   \n\t\n", "# Sequential, only mentioned\n", "\x0c"],
    ids=["empty", "newlines", "whitespace", "comment", "form-feed"],
)
def test_empty_and_blank_files_are_clean(tree: Path, lint: Lint, text: str) -> None:
    (tree / "good.py").write_text(text)
    assert lint("check", "--fix", ".") == Run(0, "", "")
    assert (tree / "good.py").read_text() == text


@pytest.mark.parametrize(
    ("name", "dots"),
    [("good.py", "."), ("pkg/good.py", ".."), ("pkg/good.py", ".......")],
)
def test_relative_star_import_above_the_checked_path(
    tree: Path, lint: Lint, name: str, dots: str
) -> None:
    (tree / "pkg").mkdir()
    (tree / name).write_text(f"from {dots} import *\n" + GOOD)

    run = lint("check", name)

    assert (run.code, run.err) == (1, ""), run.err
    assert f"{name}:4:6: RL101" in run.out


# Unknown codes in noqa are a warning only


def test_unknown_code_in_noqa_is_a_warning_and_suppresses_nothing(
    tree: Path, lint: Lint
) -> None:
    (tree / "good.py").write_text(GOOD.replace(")\n", ")  # noqa: RL999\n"))

    run = lint("check", ".")

    assert run.code == 1
    assert GOOD_FINDING in run.out
    assert run.err == "warning: good.py:3: unknown rule code `RL999` in noqa comment\n"


# Configuration


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (b"[tool.reuse-lint\n", "invalid TOML"),
        (b"[tool.reuse-lint]\nselect = ['RL101'\n", "invalid TOML"),
        (b"[tool]\nreuse-lint = 3\n", "[tool.reuse-lint] must be a table"),
        (
            b"[tool.reuse-lint]\nignore = 'RL101'\n",
            "`ignore` must be a list of strings",
        ),
        (
            b"[tool.reuse-lint]\nexclude = [1, 2]\n",
            "`exclude` must be a list of strings",
        ),
        (b"[tool.reuse-lint]\nper-file-ignores = ['x']\n", "must be a table"),
        (
            b"[tool.reuse-lint.per-file-ignores]\n'a.py' = 'RL101'\n",
            "must be a list of rule codes",
        ),
        (b"[tool.reuse-lint]\ncomponent = 3\n", "`component` must be an absolute"),
        (b"[tool.reuse-lint]\nselect = ['RL1O1']\n", "unknown rule code `RL1O1`"),
        (
            b"[tool.reuse-lint.per-file-ignores]\n'a.py' = ['XY1']\n",
            "unknown rule code `XY1`",
        ),
        (b"[tool.reuse-lint]\n# caf\xe9\n", "cannot read"),
    ],
    ids=[
        "invalid-toml",
        "unclosed-list",
        "section-not-a-table",
        "string-for-list",
        "numbers-for-strings",
        "list-for-table",
        "string-for-codes",
        "component-number",
        "unknown-select-code",
        "unknown-per-file-code",
        "not-utf-8",
    ],
)
def test_bad_pyproject_is_one_line_exit_two_and_nothing_fixed(
    tree: Path, lint: Lint, toml: bytes, message: str
) -> None:
    (tree / "pyproject.toml").write_bytes(toml)

    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert run.out == ""
    (line,) = run.err.splitlines()
    assert line.startswith("error: ") and "pyproject.toml" in line, line
    assert message in line, line
    assert (tree / "good.py").read_text() == GOOD


# Paths


def test_missing_path_is_reported_and_the_rest_is_fixed(tree: Path, lint: Lint) -> None:
    run = lint("check", "--fix", "missing.py", "missing_dir/", "good.py")

    assert run.code == 2
    assert run.errors() == [
        "error: missing.py: No such file or directory",
        "error: missing_dir: No such file or directory",
    ]
    assert_good_was_fixed(tree)


def test_spaces_and_non_ascii_in_paths(tree: Path, lint: Lint) -> None:
    folder = tree / "my models" / "ünï cödé"
    folder.mkdir(parents=True)
    path = folder / "módel ß.py"
    path.write_text(GOOD)

    checked = lint("check", ".")
    fixed = lint("check", "--fix", str(path))

    assert checked.code == 1
    assert "my models/ünï cödé/módel ß.py:3:6: RL101" in checked.out
    assert fixed.code == 0, fixed.err
    assert FIXED_CALL in path.read_text()


def test_symlink_loop_is_one_line_and_the_rest_is_fixed(tree: Path, lint: Lint) -> None:
    (tree / "pkg").mkdir()
    os.symlink("..", tree / "pkg" / "loop")

    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "pkg/loop", "symlink loop")
    assert_good_was_fixed(tree)


def test_fifo_named_py_does_not_hang_the_run(tree: Path) -> None:
    os.mkfifo(tree / "pipe.py")
    run = lint_subprocess(tree, "check", ".", timeout=60)
    assert run.code == 1
    assert GOOD_FINDING in run.out


# Files that vanish, cannot be read, or cannot be written


@pytest.fixture
def refuse_to_read(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[str, OSError], None]:
    """Make ``Path.read_bytes`` fail for one file name, as if it had gone."""

    def install(name: str, error: OSError) -> None:
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == name:
                raise error
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)

    return install


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "No such file"),
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "Is a directory"),
    ],
    ids=["vanished", "unreadable", "became-a-directory"],
)
def test_file_that_cannot_be_read_mid_run(
    tree: Path,
    lint: Lint,
    refuse_to_read: Callable[[str, OSError], None],
    error: OSError,
    message: str,
) -> None:
    (tree / "bad.py").write_text(GOOD)
    refuse_to_read("bad.py", error)

    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "bad.py", f"cannot read: {message}")
    assert (tree / "bad.py").read_text() == GOOD
    assert_good_was_fixed(tree)


def test_file_deleted_between_analysis_and_fix(
    tree: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "bad.py").write_text(GOOD)
    real = runner.analyse_files

    def analyse_then_delete(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        (tree / "bad.py").unlink()
        return result

    monkeypatch.setattr(runner, "analyse_files", analyse_then_delete)
    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "bad.py", "not fixed: cannot read: No such file")
    assert_good_was_fixed(tree)


def test_file_changed_between_analysis_and_fix_is_not_rewritten(
    tree: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stale positions must not land on other calls (a second fix run, an editor)."""
    original = (
        "import torch.nn as nn\n\n"
        "a = nn.Sequential(\n    nn.Linear(8, 32),\n    nn.ReLU(),\n"
        "    nn.Linear(32, 8),\n)\n"
        "b = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 4))\n"
        "c = print(1)\n"
    )
    edited = original.replace("a = nn.Sequential(\n", "a = nn.Sequential(  # hi\n")
    (tree / "bad.py").write_text(original)
    real = runner.analyse_files

    def analyse_then_edit(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        (tree / "bad.py").write_text(edited)
        return result

    monkeypatch.setattr(runner, "analyse_files", analyse_then_edit)
    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "bad.py", "not fixed: changed since it was analysed")
    assert (tree / "bad.py").read_text() == edited
    assert_good_was_fixed(tree)


def test_read_only_file_is_reported_and_the_rest_is_fixed(
    tree: Path, lint: Lint
) -> None:
    locked = tree / "locked.py"
    locked.write_text(GOOD)
    locked.chmod(0o444)

    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "locked.py", "not fixed: file is read-only")
    assert locked.read_text() == GOOD
    assert_good_was_fixed(tree)


def test_disk_full_on_one_file_keeps_it_and_fixes_the_rest(
    tree: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "full.py").write_text(GOOD)
    real = sources.write_atomic

    def write_atomic(path: Path, data: bytes) -> None:
        if path.name == "full.py":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(fixer, "write_atomic", write_atomic)
    run = lint("check", "--fix", ".")

    assert run.code == 2
    assert_one_error(run, "full.py", "not fixed: cannot write: No space left")
    assert (tree / "full.py").read_text() == GOOD
    assert_good_was_fixed(tree)
    assert no_temporary_files(tree)


# Ctrl-C


def test_interrupt_inside_a_write_keeps_the_file_and_exits_130(
    tree: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.py", "b.py"):
        (tree / name).write_text(GOOD)
    real = sources.write_atomic

    def write_atomic(path: Path, data: bytes) -> None:
        if path.name == "b.py":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(fixer, "write_atomic", write_atomic)
    run = lint("check", "--fix", ".")

    assert (run.code, run.out, run.err.strip()) == (130, "", "Interrupted.")
    assert FIXED_CALL in (tree / "a.py").read_text()
    assert (tree / "b.py").read_text() == GOOD
    assert (tree / "good.py").read_text() == GOOD
    assert no_temporary_files(tree)


def test_ctrl_c_during_a_write_finishes_that_file_then_stops(
    tree: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.py", "b.py"):
        (tree / name).write_text(GOOD)
    real_fsync = os.fsync

    def fsync_then_ctrl_c(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real_fsync(fd)

    monkeypatch.setattr(sources.os, "fsync", fsync_then_ctrl_c)
    run = lint("check", "--fix", ".")

    assert (run.code, run.out, run.err.strip()) == (130, "", "Interrupted.")
    assert FIXED_CALL in (tree / "a.py").read_text()
    assert (tree / "b.py").read_text() == GOOD
    assert no_temporary_files(tree)


def fixable_tree(root: Path, files: int, chains: int) -> dict[str, str]:
    """``files`` modules with ``chains`` safe fixes each; returns name -> text."""
    texts = {}
    for index in range(files):
        blocks = "".join(
            f"block_{k} = nn.Sequential(\n"
            f"    nn.Linear({index + k + 1}, {4 * (index + k + 1)}),\n"
            "    nn.GELU(),\n    nn.Dropout(0.1),\n"
            f"    nn.Linear({4 * (index + k + 1)}, {index + k + 1}),\n)\n"
            for k in range(chains)
        )
        texts[f"m{index:04d}.py"] = "import torch.nn as nn\n\n" + blocks
    root.mkdir()
    for name, text in texts.items():
        (root / name).write_text(text)
    return texts


def fixed_once(tmp_path: Path, texts: dict[str, str]) -> dict[str, str]:
    """What a single, undisturbed fix run makes of ``texts``."""
    reference = tmp_path / "reference"
    reference.mkdir()
    for name, text in texts.items():
        (reference / name).write_text(text)
    run = lint_subprocess(reference, "fix", ".")
    assert run.code == 0, run.err
    return {p.name: p.read_text() for p in reference.iterdir()}


def start_fix(cwd: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reuse_lint", "fix", "--no-cache", *options, "."],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_changed(path: Path, text: str, process: subprocess.Popen[str]) -> None:
    """Return once ``process`` has rewritten ``path`` (or has ended)."""
    deadline = time.monotonic() + 120
    while path.read_text() == text and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)


def test_ctrl_c_during_fix_leaves_every_file_whole_and_exits_130(
    tmp_path: Path,
) -> None:
    texts = fixable_tree(tmp_path / "tree", 30, 1)
    expected = fixed_once(tmp_path, texts)
    process = start_fix(tmp_path / "tree", "-j", "1")
    wait_until_changed(tmp_path / "tree" / "m0000.py", texts["m0000.py"], process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)

    assert process.returncode == 130, err
    assert err.endswith("Interrupted.\n") and "Traceback" not in err
    after = {p.name: p.read_text() for p in (tmp_path / "tree").iterdir()}
    assert set(after) == set(texts)
    assert all(after[n] in (texts[n], expected[n]) for n in texts)
    assert any(after[n] == texts[n] for n in texts), "the run was not interrupted"


@pytest.mark.parametrize("staggered", [False, True], ids=["together", "staggered"])
def test_two_fix_runs_at_once_tear_nothing(tmp_path: Path, staggered: bool) -> None:
    """The second run starts with the first, or once the first is writing."""
    texts = fixable_tree(tmp_path / "tree", 24, 2)
    expected = fixed_once(tmp_path, texts)
    first = start_fix(tmp_path / "tree", "-j", "2")
    if staggered:
        wait_until_changed(tmp_path / "tree" / "m0000.py", texts["m0000.py"], first)
    second = start_fix(tmp_path / "tree", "-j", "2")
    results = [(p.communicate(timeout=300)[1], p.returncode) for p in (first, second)]

    for err, code in results:
        assert code in (0, 2), err
        assert "Traceback" not in err
        for line in err.splitlines():
            assert line.startswith("Fixed ") or line.endswith(
                "not fixed: changed since it was analysed; run again"
            ), line
    after = {p.name: p.read_text() for p in (tmp_path / "tree").iterdir()}
    assert after == expected
    for name, text in after.items():
        compile(text, name, "exec")


# Size and depth


def test_directory_of_20000_files(tree: Path, lint: Lint) -> None:
    for package in range(100):
        folder = tree / f"pkg{package:03d}"
        folder.mkdir()
        for module in range(200):
            (folder / f"m{module:03d}.py").write_text(f"x = {module}\n")
    (tree / "pkg050" / "m100.py").write_text(GOOD)

    run = lint("check", ".")

    assert run.code == 1, run.err
    assert sorted(line.split(": ")[0] for line in run.out.splitlines()) == [
        "good.py:3:6",
        "pkg050/m100.py:3:6",
    ]


@pytest.mark.slow
def test_50_megabyte_file(tree: Path, lint: Lint) -> None:
    filler = "".join(
        f"# {'filler comment ' * 5} {i:05d}\nvalue_{i} = {i} * 2  # and a statement\n"
        for i in range(2000)
    )
    copies = 50_000_000 // len(filler) + 1
    path = tree / "big.py"
    with path.open("w") as stream:
        stream.write(GOOD)
        for _ in range(copies):
            stream.write(filler)
    assert path.stat().st_size > 50_000_000

    run = lint("check", "big.py", "good.py")

    assert run.code == 1, run.err
    assert "big.py:3:6: RL101" in run.out
    assert GOOD_FINDING in run.out


@pytest.mark.slow
def test_sequential_with_100000_arguments(tree: Path, lint: Lint) -> None:
    layers = ", ".join(["nn.ReLU()"] * 100_000)
    (tree / "wide.py").write_text(
        f"import torch.nn as nn\nm = nn.Sequential({layers})\n"
    )

    run = lint("check", ".")

    assert run.code == 1, run.err
    assert [line.split(" ")[0] for line in run.out.splitlines()] == ["good.py:3:6:"]


def test_sequential_with_10000_arguments(tree: Path, lint: Lint) -> None:
    layers = ",\n    ".join(["nn.Linear(8, 8)", "nn.ReLU()"] * 5_000)
    (tree / "wide.py").write_text(
        f"import torch.nn as nn\nm = nn.Sequential(\n    {layers},\n)\n"
    )
    run = lint("check", "--fix", ".")

    assert run.code == 0, run.err
    assert_good_was_fixed(tree)


DEEP = 10_000


def _in_ffn(argument: str) -> str:
    """A feed-forward call holding ``argument``: check must parse it."""
    return f"m = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear({argument}))\n"


NESTED = {
    "parentheses": (
        "x = " + "(" * DEEP + "1" + ")" * DEEP + "\n" + FFN,
        "syntax error at 2:",
    ),
    "lists-in-sequential": (
        "m = nn.Sequential(nn.Linear(8, 8), "
        + "[" * DEEP
        + "1"
        + "]" * DEEP
        + ", nn.Linear(8, 8))\n",
        "syntax error at 2:",
    ),
    "sum-in-linear": (
        _in_ffn("+".join(["a"] * DEEP) + ", 8"),
        "too deeply nested to analyse",
    ),
    "and-in-linear": (
        _in_ffn(" and ".join(["a"] * DEEP) + ", 8"),
        "too deeply nested to analyse",
    ),
    "subscripts-in-linear": (
        _in_ffn("x" + "[0]" * 2900 + ", 8"),
        "too deeply nested to analyse",
    ),
}


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
@pytest.mark.parametrize("content", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_is_refused_without_crashing(
    tree: Path, content: tuple[str, str], exact: bool
) -> None:
    text, message = content
    (tree / "deep.py").write_text("import torch.nn as nn\n" + text)
    options = ["--no-prefilter"] if exact else []

    run = lint_subprocess(tree, "check", *options, "deep.py", "good.py", timeout=120)

    assert run.code == 2, run.err
    assert_one_error(run, "deep.py", message)
    assert GOOD_FINDING in run.out


LONG_STRING = _in_ffn(" ".join(['"a"'] * DEEP) + ", 8")
"""Flat in ``ast``, but LibCST's parser nests each string of the
concatenation and gives up."""


def test_a_long_string_concatenation_is_refused_by_the_exact_front_end_only(
    tree: Path,
) -> None:
    (tree / "deep.py").write_text("import torch.nn as nn\n" + LONG_STRING)

    fast = lint_subprocess(tree, "check", "deep.py", "good.py", timeout=120)
    exact = lint_subprocess(
        tree, "check", "--no-prefilter", "deep.py", "good.py", timeout=120
    )

    assert (fast.code, fast.err) == (1, "")
    assert [line.split(" ")[0] for line in fast.out.splitlines()] == ["good.py:3:6:"]
    assert exact.code == 2
    assert_one_error(exact, "deep.py", "LibCST cannot parse this valid Python")
    assert GOOD_FINDING in exact.out


@pytest.mark.parametrize(
    "expression",
    [" and ".join(["a"] * DEEP), " + ".join(["a"] * 450)],
    ids=["and-chain", "sum-of-450"],
)
def test_deep_nesting_elsewhere_in_a_file_being_fixed(
    tree: Path, expression: str
) -> None:
    text = f"import torch.nn as nn\nx = {expression}\n{FFN}"
    (tree / "deep.py").write_text(text)

    checked = lint_subprocess(tree, "check", "deep.py", timeout=120)
    fixed = lint_subprocess(tree, "check", "--fix", ".", timeout=120)

    assert checked.code == 1 and "deep.py:3:6: RL101" in checked.out
    assert fixed.code == 2
    assert_one_error(fixed, "deep.py", "not fixed: too deeply nested to rewrite")
    assert (tree / "deep.py").read_text() == text
    assert_good_was_fixed(tree)
