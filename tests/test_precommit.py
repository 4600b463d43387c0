"""The pre-commit hooks, driven by the real ``pre-commit`` tool.

``pre-commit try-repo`` installs a hook repository at a commit, so the test
copies this working tree (tracked and untracked, not ignored, files) into a
temporary repository and commits it there: the hooks under test are the ones
being edited, not the last commit's. pre-commit then builds the hook's
virtual environment and pip-installs the package, which takes a while.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DUPLICATED = """\
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.ffn = nn.Sequential(
            nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d)
        )


class Decoder(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.ffn = nn.Sequential(
            nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d)
        )
"""
CLEAN = """\
import torch.nn as nn

gate = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
"""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=reuse-lint tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def working_tree_files() -> list[str]:
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this working tree."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    try:
        files = working_tree_files()
    except subprocess.CalledProcessError:
        pytest.skip(f"{ROOT} is not a git checkout")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in files:
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "working tree")
    return repo


@dataclass
class Session:
    """What a user sees: the hooks on a dirty tree, then the check again."""

    project: Path
    both: subprocess.CompletedProcess[str]
    rewritten: str
    again: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def session(hook_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """Run both hooks on a clean and a duplicated file, then the check hook.

    Each ``try-repo`` builds a fresh hook environment (it ignores the
    pre-commit cache), so the scenario is two calls: without a hook id
    try-repo runs every hook in the file's order, check first, then fix.
    """
    project = tmp_path_factory.mktemp("project")
    (project / "clean.py").write_text(CLEAN)
    (project / "model.py").write_text(DUPLICATED)
    git(project, "init", "-q")
    git(project, "add", "clean.py", "model.py")
    home = tmp_path_factory.mktemp("pre-commit-home")

    both = try_repo(project, hook_repo, home)
    rewritten = (project / "model.py").read_text()
    again = try_repo(project, hook_repo, home, "reuse-lint")
    return Session(project, both, rewritten, again)


def try_repo(
    project: Path, hook_repo: Path, home: Path, *hook: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    environment.pop("CI", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo)]
    return subprocess.run(
        [*command, *hook, "--all-files", "--color=never"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def hook_output(done: subprocess.CompletedProcess[str], name: str) -> str:
    """The block pre-commit printed for one hook (status line and output)."""
    blocks = done.stdout.split("\n" + name + ".")
    assert len(blocks) == 2, done.stdout + done.stderr
    return blocks[1].split("\nreuse-lint")[0]


@pytest.mark.slow
def test_check_hook_fails_on_duplicated_feed_forward_blocks(session: Session) -> None:
    shown = hook_output(session.both, "reuse-lint")

    assert session.both.returncode == 1
    assert "Failed" in shown.splitlines()[0]
    assert "model.py:7:20: RL101" in shown
    assert "model.py:15:20: RL101" in shown
    assert "clean.py" not in shown


@pytest.mark.slow
def test_fix_hook_rewrites_the_duplicated_file(session: Session) -> None:
    shown = hook_output(session.both, "reuse-lint (fix)")

    assert "files were modified by this hook" in shown
    assert session.rewritten.count("MLPBlock(") == 2
    assert "nn.Sequential" not in session.rewritten
    assert "from reuse_lint.components import MLPBlock" in session.rewritten
    assert (session.project / "clean.py").read_text() == CLEAN


@pytest.mark.slow
def test_check_hook_passes_clean_files(session: Session) -> None:
    done = session.again

    assert done.returncode == 0, done.stdout + done.stderr
    assert "reuse-lint" in done.stdout
    assert "Passed" in done.stdout


def test_hooks_run_the_linter_without_extras() -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit")

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    assert {h["id"]: h["entry"] for h in hooks} == {
        "reuse-lint": "reuse-lint check",
        "reuse-lint-fix": "reuse-lint check --fix",
    }
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
        assert "additional_dependencies" not in hook
    assert not [d for d in project["dependencies"] if d.startswith("torch")]
