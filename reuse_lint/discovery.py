"""Find the Python files a run covers.

Directories are walked with ``.gitignore`` files and the configured
excludes respected; a path named on the command line is always checked.
Symlinked directories are followed once: a loop is reported, not walked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse_lint.config import project_relative

if TYPE_CHECKING:
    import pathspec

DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "site-packages",
    "build",
    "dist",
    ".reuse-lint-cache",
)


_DEFAULT_NAMES = frozenset(DEFAULT_EXCLUDE)
"""Matched by name alone: cheaper than a pattern match for every entry."""


def gitignore_spec(lines: list[str]) -> pathspec.PathSpec[Any]:
    """Compile gitignore-style patterns; pathspec is imported only when needed."""
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", lines)


@dataclass
class Discovery:
    """The files found and the problems met on the way."""

    files: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def discover(
    paths: list[Path], exclude: list[str], project: Path | None = None
) -> Discovery:
    """Expand ``paths`` into Python files, in a stable order.

    ``exclude`` patterns are anchored at ``project``, the directory of the
    configuration that holds them (see ``config.project_relative``).
    """
    found = Discovery()
    excluded = (gitignore_spec(exclude), project) if exclude else None
    seen: set[Path] = set()
    for path in paths:
        if not os.path.lexists(path):
            found.errors.append((str(path), "No such file or directory"))
        elif path.is_dir():
            for file in _walk(path, excluded, found):
                _add(file, seen, found)
        elif path.is_file() or _dangling(path):
            _add(path, seen, found)
        else:
            found.errors.append((str(path), "not a regular file or directory"))
    return found


def _add(path: Path, seen: set[Path], found: Discovery) -> None:
    key = Path(os.path.normpath(path))
    if key not in seen:
        seen.add(key)
        found.files.append(path)


_Ignore = tuple[Path, str, "pathspec.PathSpec[Any]"]
"""A ``.gitignore``: the directory its patterns are matched under, the path
of that directory relative to the file's own, and its patterns."""

_Excluded = tuple["pathspec.PathSpec[Any]", "Path | None"]
"""The configured excludes and the project directory they are anchored at."""

_Pending = tuple[Path, list[_Ignore], frozenset[tuple[int, int]]]
"""A directory to walk, the ignore files above it, and its ancestors' ids."""


def _walk(root: Path, excluded: _Excluded | None, found: Discovery) -> Iterator[Path]:
    visited: set[tuple[int, int]] = set()
    stack: list[_Pending] = [(root, _enclosing_ignores(root), frozenset())]
    while stack:
        directory, ignores, ancestors = stack.pop()
        try:
            info = directory.stat()
        except OSError as error:
            found.errors.append((str(directory), error.strerror or str(error)))
            continue
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            found.errors.append((str(directory), "symlink loop; not walked again"))
            continue
        if key in visited:  # the same directory again, through another symlink
            continue
        visited.add(key)
        ignores = [*ignores, *_gitignore(directory)]
        files, subdirs = _list(directory, root, excluded, ignores, found)
        yield from files
        inside = ancestors | {key}
        stack.extend((sub, ignores, inside) for sub in reversed(subdirs))


def _gitignore(directory: Path) -> list[_Ignore]:
    try:
        lines = (directory / ".gitignore").read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [(directory, "", gitignore_spec(lines))]


def _enclosing_ignores(root: Path) -> list[_Ignore]:
    """The ``.gitignore`` files above ``root`` inside its git work tree.

    git applies them to ``root``'s contents too, so ``check src`` skips what
    ``check .`` skips. Outside a work tree (no ``.git`` above) there are none.
    """
    absolute = Path(os.path.abspath(root))
    if os.path.exists(absolute / ".git"):
        return []
    above: list[Path] = []
    for directory in absolute.parents:
        above.append(directory)
        if os.path.exists(directory / ".git"):
            break
    else:
        return []
    ignores: list[_Ignore] = []
    for directory in reversed(above):
        prefix = absolute.relative_to(directory).as_posix() + "/"
        ignores.extend((root, prefix, spec) for _, _, spec in _gitignore(directory))
    return ignores


def _list(
    directory: Path,
    root: Path,
    excluded: _Excluded | None,
    ignores: list[_Ignore],
    found: Discovery,
) -> tuple[list[Path], list[Path]]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        found.errors.append((str(directory), error.strerror or str(error)))
        return [], []
    files, subdirs = [], []
    for entry in entries:
        path = Path(entry.path)
        is_dir = _is_dir(entry)
        if _ignored(path, root, is_dir, excluded, ignores):
            continue
        if is_dir:
            subdirs.append(path)
        elif entry.name.endswith(".py") and _is_source(entry):
            files.append(path)
    return files, subdirs


def _is_source(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a dangling symlink (reported when it cannot be read).

    A FIFO or a device named ``*.py`` would block or never end when read.
    """
    with contextlib.suppress(OSError):  # a symlink to itself cannot be followed
        if entry.is_file():
            return True
    return _dangling(Path(entry.path))


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _ignored(
    path: Path,
    root: Path,
    is_dir: bool,
    excluded: _Excluded | None,
    ignores: list[_Ignore],
) -> bool:
    if path.name in _DEFAULT_NAMES:
        return True
    suffix = "/" if is_dir else ""
    if excluded is not None and _excluded(path, root, suffix, *excluded):
        return True
    for base, prefix, spec in ignores:
        if spec.match_file(prefix + path.relative_to(base).as_posix() + suffix):
            return True
    return False


def _excluded(
    path: Path,
    root: Path,
    suffix: str,
    spec: pathspec.PathSpec[Any],
    project: Path | None,
) -> bool:
    if project is None:
        relative = path.relative_to(root).as_posix()
    else:
        relative = project_relative(path, project)
    return spec.match_file(relative + suffix)
