"""``[tool.reuse-lint]`` in the nearest pyproject.toml, checked strictly.

An unknown key, a wrong type or an unknown rule code is a ``UsageError``
naming the file and the key: silent typos in a lint configuration turn
rules off without anyone noticing.
"""

from __future__ import annotations

import contextlib
import keyword
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reuse_lint.catalogue import DEFAULT_COMPONENT
from reuse_lint.errors import UsageError
from reuse_lint.rules import is_known_code


@dataclass(frozen=True)
class Config:
    """The settings of one run, from pyproject.toml and the command line."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    component: str = DEFAULT_COMPONENT
    root: Path | None = None


_LISTS = ("select", "ignore", "exclude", "extend-exclude")
_KEYS = frozenset({*_LISTS, "per-file-ignores", "component"})


def project_relative(path: Path, root: Path | None) -> str:
    """``path`` relative to the project root, as patterns in the config read it.

    Like ruff, ``exclude`` and ``per-file-ignores`` patterns are anchored at
    the directory of the pyproject.toml that holds them, wherever the run is
    started from; a path outside that directory is matched as given.
    """
    if root is not None:
        with contextlib.suppress(ValueError):
            return Path(os.path.abspath(path)).relative_to(root).as_posix()
    return path.as_posix()


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate ``[tool.reuse-lint]``; defaults when absent."""
    if path is None:
        return Config()
    if sys.version_info >= (3, 11):  # imported here: most runs find no file
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: invalid TOML: {error}") from error

    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise UsageError(f"{path}: `tool` must be a table")
    section = tool.get("reuse-lint", {})
    if not isinstance(section, dict):
        raise UsageError(f"{path}: [tool.reuse-lint] must be a table")
    return _parse(section, path)


def _parse(section: dict[str, Any], path: Path) -> Config:
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise UsageError(f"{path}: unknown key `{unknown[0]}` in [tool.reuse-lint]")

    lists = {key: _string_list(section, key, path) for key in _LISTS}
    for key in ("select", "ignore"):
        check_codes(lists[key] or [], f"{path}: `{key}`")
    component = section.get("component", DEFAULT_COMPONENT)
    if not _is_component(component):
        raise UsageError(
            f"{path}: `component` must be an absolute import path and a class"
            f" name, like 'pkg.mod:Class', got {component!r}"
        )

    return Config(
        select=lists["select"],
        ignore=lists["ignore"] or [],
        exclude=lists["exclude"] or [],
        extend_exclude=lists["extend-exclude"] or [],
        per_file_ignores=_per_file_ignores(section, path),
        component=component,
        root=path.parent,
    )


def _is_component(value: object) -> bool:
    """``pkg.mod:Class``: dotted identifiers, no relative import, no keyword."""
    if not isinstance(value, str) or value.count(":") != 1:
        return False
    module, name = value.split(":")
    return all(
        part.isidentifier() and not keyword.iskeyword(part)
        for part in [*module.split("."), name]
    )


def _string_list(section: dict[str, Any], key: str, path: Path) -> list[str] | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{path}: `{key}` must be a list of strings")
    return list(value)


def _per_file_ignores(section: dict[str, Any], path: Path) -> dict[str, list[str]]:
    value = section.get("per-file-ignores", {})
    if not isinstance(value, dict):
        raise UsageError(f"{path}: `per-file-ignores` must be a table")
    result: dict[str, list[str]] = {}
    for pattern, codes in value.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise UsageError(
                f"{path}: `per-file-ignores.{pattern}` must be a list of rule codes"
            )
        check_codes(codes, f"{path}: `per-file-ignores.{pattern}`")
        result[pattern] = list(codes)
    return result


def check_codes(codes: list[str], where: str) -> None:
    """Raise ``UsageError`` for the first code no rule has."""
    for code in codes:
        if not is_known_code(code):
            raise UsageError(f"{where}: unknown rule code `{code}`")
