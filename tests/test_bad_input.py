"""Issue 2's bad input: one clear line per problem file, the run goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = (
    "import torch.nn as nn\n"
    "ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))\n"
)


def run(tmp_path: Path, *paths: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", *paths],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"import torch.nn as nn\nx = nn.Sequential(\n", "syntax error"),
        (b"# Sequential\nx = '\xff\xfe'\n", "is not valid utf-8"),
        (b"x = nn.Sequential()\x00\n", "NUL byte"),
    ],
    ids=["syntax-error", "not-utf8", "nul-byte"],
)
def test_broken_file_is_one_line_and_the_run_goes_on(
    tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "bad.py").write_bytes(content)
    (tmp_path / "good.py").write_text(GOOD)

    code, out, err = run(tmp_path, ".")

    assert code == 2
    assert "good.py:2:7: RL101" in out
    (line,) = err.strip().splitlines()
    assert line.startswith("error: bad.py: ") and message in line
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"import torch\ndef f(:\n", "syntax error at 2:7"),
        (b'import torch\nprint "hello"\n', "syntax error at 2:1"),
        (b"x = '\xff\xfe'\n", "is not valid utf-8"),
        (b"x = 1\x00\n", "NUL byte"),
    ],
    ids=["syntax-error", "python-2", "not-utf8", "nul-byte"],
)
def test_a_named_file_is_checked_even_without_a_sequential(
    tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "bad.py").write_bytes(content)
    (tmp_path / "good.py").write_text(GOOD)
    walk = [sys.executable, "-m", "reuse_lint", "check", "."]
    subprocess.run(walk, capture_output=True, cwd=tmp_path, check=False)

    for cache in ("--no-cache", None):  # the walk above left bad.py in the cache
        args = [cache] if cache else []
        done = subprocess.run(
            [sys.executable, "-m", "reuse_lint", "check", *args, "bad.py", "good.py"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 2
        assert "good.py:2:7: RL101" in done.stdout
        (line,) = done.stderr.splitlines()
        assert line.startswith("error: bad.py: ") and message in line, cache


def test_empty_file_is_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    assert run(tmp_path, "empty.py") == (0, "", "")


def test_missing_path(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "missing.py")
    assert code == 2
    assert err.strip() == "error: missing.py: No such file or directory"


def test_symlink_loop_is_reported_not_walked(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text(GOOD)
    os.symlink("..", tmp_path / "pkg" / "loop")

    code, out, err = run(tmp_path, "pkg")

    assert code == 2
    assert out.count("RL101") == 1
    assert "symlink loop" in err and "Traceback" not in err


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from reuse_lint.cli import cli

    (tmp_path / "secret.py").write_text(GOOD)
    (tmp_path / "good.py").write_text(GOOD)
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "."])

    assert result.exit_code == 2
    assert "secret.py: cannot read: Permission denied" in result.output
    assert "good.py:2:7: RL101" in result.output
