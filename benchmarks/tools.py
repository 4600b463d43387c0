"""Locate the command-line tools that the benchmark compares.

reuse-lint and ruff come from the environment that runs the benchmark: the
interpreter's own ``bin`` folder first (so an un-activated virtualenv works),
then ``PATH``. TorchFix gets a virtualenv of its own inside the benchmark
cache, because it pins an older LibCST than reuse-lint needs and so must not
be installed next to it.

Run ``python benchmarks/tools.py`` to set up TorchFix and print what was found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from corpora import cache_dir

#: TorchFix release to compare against; pinned for the same reason as corpora.
TORCHFIX_VERSION = "0.7.0"


class ToolError(Exception):
    """A tool cannot be found or installed."""


def find_tool(name: str) -> Path | None:
    """Return the executable *name* next to this interpreter or on ``PATH``."""
    # sys.executable is not resolved on purpose: in a virtualenv it is a link
    # whose folder holds the scripts, while its target's folder does not.
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return local
    found = shutil.which(name)
    return Path(found) if found else None


def torchfix_path() -> Path:
    """Return the ``torchfix`` executable, installing it on first use."""
    env_dir = cache_dir() / "tools" / f"torchfix-{TORCHFIX_VERSION}"
    executable = env_dir / "bin" / "torchfix"
    if executable.is_file():
        return executable

    shutil.rmtree(env_dir, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    command = [
        str(env_dir / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        f"torchfix=={TORCHFIX_VERSION}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not executable.is_file():
        shutil.rmtree(env_dir, ignore_errors=True)
        raise ToolError(f"installing TorchFix failed:\n{result.stderr}")
    return executable


def tool_version(executable: Path | str) -> str:
    """Return the first line of ``EXECUTABLE --version``, or why there is none."""
    try:
        result = subprocess.run(
            [str(executable), "--version"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error.__class__.__name__})"
    lines = (result.stdout or result.stderr).strip().splitlines()
    if result.returncode != 0 or not lines:
        return f"unknown (exit {result.returncode})"
    return lines[0]


def main() -> int:
    """Install TorchFix if needed and print where each tool is."""
    for name in ("reuse-lint", "ruff"):
        path = find_tool(name)
        print(f"{name}: {path or 'not found'}")
    try:
        print(f"torchfix: {torchfix_path()}")
    except ToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
