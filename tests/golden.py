"""The fixture modules, their golden fixed files and their ``EXAMPLES``.

Every ``fixtures/<group>/<name>.py`` with expected findings has the output of
``reuse-lint check --fix --unsafe-fixes`` stored beside it as
``<name>.fixed.py``. Those files are written only by
``python -m pytest tests/test_codemod.py --update-golden``.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import shutil
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from reuse_lint.runner import CheckRun, CheckSettings, execute

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
GOLDEN_SUFFIX = ".fixed.py"
UPDATE_HINT = "regenerate with: python -m pytest tests/test_codemod.py --update-golden"


def source_fixtures() -> list[Path]:
    """Every fixture module, without the golden fixed files."""
    return sorted(path for path in FIXTURES.rglob("*.py") if not is_golden(path))


def is_golden(path: Path) -> bool:
    return path.name.endswith(GOLDEN_SUFFIX)


def golden_path(path: Path) -> Path:
    """``fixtures/g/name.py`` -> ``fixtures/g/name.fixed.py``."""
    return path.with_name(path.stem + GOLDEN_SUFFIX)


def original_path(golden: Path) -> Path:
    """``fixtures/g/name.fixed.py`` -> ``fixtures/g/name.py``."""
    return golden.with_name(golden.name[: -len(GOLDEN_SUFFIX)] + ".py")


def fixture_id(path: Path) -> str:
    """A short test id: ``variants/bias_false``."""
    return path.relative_to(FIXTURES).with_suffix("").as_posix()


def expected_findings(path: Path) -> list[dict[str, Any]]:
    """The ``findings`` list of ``NAME.expected.json`` (empty when absent)."""
    expected = path.with_name(path.stem + ".expected.json")
    if not expected.exists():
        return []
    findings: list[dict[str, Any]] = json.loads(expected.read_text())["findings"]
    return findings


def fixable_fixtures() -> list[Path]:
    """The fixtures with findings: each has a golden fixed file."""
    return [path for path in source_fixtures() if expected_findings(path)]


def examples(path: Path) -> dict[str, dict[str, Any]]:
    """A module's ``EXAMPLES`` literal, read without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "EXAMPLES"
        ):
            found: dict[str, dict[str, Any]] = ast.literal_eval(node.value)
            return found
    return {}


def check(path: Path, *, fix: bool = False) -> CheckRun:
    """Run ``reuse-lint check [--fix --unsafe-fixes]`` on one file, no cache."""
    settings = CheckSettings(paths=[path], fix=fix, unsafe_fixes=fix, cache=False)
    return execute(settings)


def fix_copy(path: Path, workdir: Path) -> bytes:
    """The bytes ``check --fix --unsafe-fixes`` writes for a copy of ``path``.

    The fixture's sibling modules are copied too, so star imports resolve as
    they do in place.
    """
    for sibling in path.parent.glob("*.py"):
        if not is_golden(sibling):
            shutil.copy2(sibling, workdir / sibling.name)
    copy = workdir / path.name
    shutil.copy2(path, copy)

    run = check(copy, fix=True)
    assert run.errors == [], run.errors
    return copy.read_bytes()


@contextlib.contextmanager
def _on_sys_path(directory: Path) -> Iterator[None]:
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path.remove(str(directory))


@cache
def import_file(path: Path) -> ModuleType:
    """Import a fixture module by its path, with its directory on ``sys.path``.

    The directory is on the path only while the module runs, which is what
    ``fixtures/variants/star_import/model.py`` needs for ``from blocks import *``.
    """
    name = "fixture_" + fixture_id(path).replace("/", "_").replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with _on_sys_path(path.parent):
        spec.loader.exec_module(module)
    return module
