"""Reading code is all reuse-lint does with it.

check, fix, report and verify never import or execute the files they read
(nor the component they write in), fix never writes through a symlink that
leads out of the tree it was given, the cache is JSON and never unpickled,
and a check leaves torch unimported.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reuse_lint.fixer import _unwritable

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
GOOD = (
    "import torch.nn as nn\n\n"
    "ff = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))\n"
)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def booby_trapped(marker: Path) -> str:
    """A model module that leaves ``marker`` behind if anything runs it."""
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    return (
        f"{touch}\n"
        "import torch.nn as nn\n"
        "from helpers import *\n\n\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, d: int) -> None:\n"
        "        super().__init__()\n"
        f"        {touch}\n"
        "        self.ffn = nn.Sequential(\n"
        "            nn.Linear(d, 4 * d),\n"
        "            nn.ReLU(),\n"
        "            nn.Linear(4 * d, d),\n"
        "        )\n"
        "        self.head = nn.Sequential(\n"
        f"            nn.Linear(d, {touch} or 16),\n"
        "            nn.GELU(),\n"
        f"            nn.Linear({touch} or 16, 3),\n"
        "        )\n\n\n"
        "raise SystemExit('imported')\n"
    )


@pytest.fixture
def trapped(tmp_path: Path) -> tuple[Path, Path]:
    """A package whose every module, and the configured component, trips a marker."""
    marker = tmp_path / "MARKER"
    tree = tmp_path / "tree"
    (tree / "pkg").mkdir(parents=True)
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()\n"
    (tree / "pkg" / "__init__.py").write_text(touch)
    (tree / "pkg" / "model.py").write_text(booby_trapped(marker))
    (tree / "pkg" / "helpers.py").write_text(touch + "import torch.nn as nn\n")
    (tree / "evil.py").write_text(touch + "MLPBlock = None\n")
    (tree / "sitecustomize.py").write_text(touch)
    (tree / "conftest.py").write_text(touch)
    (tree / "pyproject.toml").write_text(
        "[tool.reuse-lint]\ncomponent = 'evil:MLPBlock'\n"
    )
    return tree, marker


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--no-cache", "."),
        ("check", "--no-prefilter", "."),
        ("check", "--diff", "--no-cache", "."),
        ("report", "--no-cache", "--format", "json", "."),
        ("check", "--fix", "--unsafe-fixes", "."),
    ],
    ids=["check", "check-exact-with-cache", "diff", "report", "fix"],
)
def test_reading_code_never_runs_it(
    trapped: tuple[Path, Path], args: tuple[str, ...]
) -> None:
    tree, marker = trapped

    done = run(tree, *args)

    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert not marker.exists()


def test_fix_really_rewrote_the_trapped_module(trapped: tuple[Path, Path]) -> None:
    tree, marker = trapped

    done = run(tree, "check", "--fix", "--no-cache", ".")

    assert done.returncode == 1, done.stderr
    text = (tree / "pkg" / "model.py").read_text()
    assert "from evil import MLPBlock" in text
    assert "self.ffn = MLPBlock(" in text
    assert not marker.exists()


def test_verify_evaluates_numbers_not_calls(trapped: tuple[Path, Path]) -> None:
    pytest.importorskip("torch")
    tree, marker = trapped

    done = run(tree, "verify", "--no-cache", ".")

    assert "Traceback" not in done.stderr
    assert not marker.exists()


# Symlinks out of the tree


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "model.py").write_text(GOOD)
    return folder


def test_fix_does_not_write_through_a_symlinked_directory(
    tmp_path: Path, outside: Path
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.py").write_text(GOOD)
    (tree / "vendored").symlink_to(outside, target_is_directory=True)

    done = run(tree, "check", "--fix", "--no-cache", ".")

    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert errors == [
        "error: vendored/model.py: not fixed: symlink points outside the checked tree"
    ]
    assert (outside / "model.py").read_text() == GOOD
    assert "MLPBlock(" in (tree / "good.py").read_text()


@pytest.mark.parametrize("linked", [".reuse-lint-cache", ".reuse-lint-cache/*"])
def test_the_cache_is_not_written_through_a_symlink(
    tmp_path: Path, outside: Path, linked: str
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.py").write_text(GOOD)
    cache = tree / ".reuse-lint-cache"
    if linked == ".reuse-lint-cache":
        cache.symlink_to(outside, target_is_directory=True)
    else:
        run(tree, "check", ".")
        (folder,) = (p for p in cache.iterdir() if p.is_dir())
        shutil.rmtree(folder)
        folder.symlink_to(outside, target_is_directory=True)
    before = sorted(p.name for p in outside.iterdir())

    for _ in range(2):
        done = run(tree, "check", ".")
        assert done.returncode == 1, done.stderr
        assert "good.py:" in done.stdout

    assert sorted(p.name for p in outside.iterdir()) == before


@pytest.mark.parametrize(
    ("link", "roots", "escapes"),
    [
        ("tree/link.py", ("tree",), True),
        ("tree/linked_dir/model.py", ("tree",), True),
        ("tree/inner_link.py", ("tree",), False),
        ("tree/linked_dir/model.py", ("tree", "outside"), False),
        ("tree/plain.py", ("tree",), False),
        ("outside/model.py", ("tree",), False),
        ("link_beside.py", ("tree",), True),
        ("link_beside.py", (), False),
    ],
)
def test_unwritable_says_which_paths_leave_the_tree(
    tmp_path: Path,
    outside: Path,
    monkeypatch: pytest.MonkeyPatch,
    link: str,
    roots: tuple[str, ...],
    escapes: bool,
) -> None:
    monkeypatch.chdir(tmp_path)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "plain.py").write_text(GOOD)
    (tree / "link.py").symlink_to(outside / "model.py")
    (tree / "inner_link.py").symlink_to(tree / "plain.py")
    (tree / "linked_dir").symlink_to(outside, target_is_directory=True)
    Path("link_beside.py").symlink_to(outside / "model.py")

    problem = _unwritable(Path(link), tuple(Path(r) for r in roots))

    expected = "not fixed: symlink points outside the checked tree" if escapes else None
    assert problem == expected


# The cache


def test_cache_entries_are_json_and_a_planted_pickle_is_never_loaded(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "MARKER"
    (tmp_path / "good.py").write_text(GOOD)
    first = run(tmp_path, "check", ".")
    entries = [p for p in (tmp_path / ".reuse-lint-cache").rglob("*") if p.is_file()]
    assert entries and first.returncode == 1

    class Trap:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    for entry in entries:
        entry.write_bytes(pickle.dumps(Trap()))
    second = run(tmp_path, "check", ".")

    assert not marker.exists()
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)


# torch


@pytest.mark.parametrize("command", ["check", "fix", "report"])
def test_torch_is_never_imported(tmp_path: Path, command: str) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    script = (
        "import sys\n"
        "from reuse_lint.cli import cli\n"
        "try:\n"
        f"    cli.main([{command!r}, '--no-cache', {str(tmp_path)!r}, {str(FIXTURES)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('torch' in sys.modules, 'reuse_lint.components' in sys.modules)\n"
    )
    if command == "fix":
        script = script.replace(f", {str(FIXTURES)!r}", "")
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )

    assert done.stdout.strip().splitlines()[-1] == "False False"
