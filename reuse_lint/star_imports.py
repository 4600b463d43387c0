"""What a star import brings in, looked up one name at a time.

``from .blocks import *`` binds whatever ``blocks`` defines or imports (only
the names in its ``__all__`` when it has one, and never a name starting with
``_`` otherwise), and whatever its own star imports bring in. A package's
``__init__`` may star-import hundreds of modules that star-import more:
``transformers/__init__.py`` reaches 2,250 of them. So names are resolved
one at a time, when a file uses one, and a module whose text never writes the
name and that has no star import of its own cannot bring it in: it is read
but not parsed. A star import of ``torch.nn`` brings in its layer names
without reading anything.

Only modules inside the checked tree are followed (``find_module_file``),
at most ``MAX_DEPTH`` star imports deep.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from reuse_lint.imports import collect_imports, find_module_file
from reuse_lint.prefilter import star_import

MAX_DEPTH = 8
TORCH_NN_MODULES = ("torch.nn", "torch.nn.modules")
_TORCH_NN_EXPORTS = frozenset(
    {
        "Sequential",
        "Linear",
        "LayerNorm",
        "Dropout",
        "Softmax",
        "PReLU",
        "Identity",
        "ModuleList",
        "Module",
        "MultiheadAttention",
        "BatchNorm1d",
        "Flatten",
    }
)


class _Facts(NamedTuple):
    """What one module binds itself, what it star-imports, its ``__all__``."""

    own: dict[str, str]
    stars: list[tuple[str, int]]
    exported: set[str] | None


_FACTS: dict[tuple[Path, int, str], _Facts | None] = {}


def star_export(
    name: str,
    star_modules: list[tuple[str, int]],
    importer: Path,
    roots: tuple[Path, ...],
    seen: frozenset[Path] = frozenset(),
) -> str | None:
    """The qualified name ``name`` gets from these star imports, if any.

    The first of ``star_modules`` that brings the name in decides:
    ``collect_imports`` lists them last written first, and in Python the
    last star import binds the name.
    """
    for module, level in star_modules:
        if level == 0 and module in TORCH_NN_MODULES:
            if name in _torch_nn_names():
                return f"torch.nn.{name}"
            continue
        path = find_module_file(module, level, importer, roots)
        if path is None or path in seen or len(seen) > MAX_DEPTH:
            continue
        target = _exported(name, path, module, roots, seen)
        if target is not None:
            return target
    return None


def lookup_for(
    star_modules: list[tuple[str, int]], importer: Path, roots: tuple[Path, ...]
) -> Callable[[str], str | None]:
    """``star_export`` for one file's star imports, as ``ImportTable`` wants
    it (it must not hold the table itself: a cycle only the collector frees)."""
    return lambda name: star_export(name, star_modules, importer, roots)


def star_exports(path: Path, module: str, roots: tuple[Path, ...]) -> dict[str, str]:
    """Every name ``from module import *`` brings in, with its qualified name."""
    return _all_exports(path, module, roots, frozenset({path}))


def _exported(
    name: str, path: Path, module: str, roots: tuple[Path, ...], seen: frozenset[Path]
) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if name.encode() not in data and not star_import(data):
        return None  # it neither binds the name nor lists it in __all__
    facts = _facts(path, module, data)
    if facts is None or not _public(name, facts):
        return None
    if name in facts.own:
        return facts.own[name]
    return star_export(name, facts.stars, path, roots, seen | {path})


def _all_exports(
    path: Path, module: str, roots: tuple[Path, ...], seen: frozenset[Path]
) -> dict[str, str]:
    try:
        facts = _facts(path, module, path.read_bytes())
    except OSError:
        return {}
    if facts is None:
        return {}
    names: dict[str, str] = {}
    for star, level in facts.stars:
        if level == 0 and star in TORCH_NN_MODULES:
            found = {n: f"torch.nn.{n}" for n in _torch_nn_names()}
        else:
            inner = find_module_file(star, level, path, roots)
            if inner is None or inner in seen or len(seen) > MAX_DEPTH:
                continue
            found = _all_exports(inner, star, roots, seen | {inner})
        for local, target in found.items():
            names.setdefault(local, target)
    names.update(facts.own)
    return {k: v for k, v in names.items() if _public(k, facts)}


def _public(name: str, facts: _Facts) -> bool:
    if facts.exported is not None:
        return name in facts.exported
    return not name.startswith("_")


def _facts(path: Path, module: str, data: bytes) -> _Facts | None:
    """The module's own bindings, parsed once per file version."""
    try:
        key = (path, path.stat().st_mtime_ns, module)
    except OSError:
        return None
    if key not in _FACTS:
        _FACTS[key] = _read_facts(data, module)
    return _FACTS[key]


def _read_facts(data: bytes, module: str) -> _Facts | None:
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    table = collect_imports(tree)
    own = {
        local: next(iter(targets))
        for local, targets in table.names.items()
        if len(targets) == 1 and local not in table.nested
    }
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own[node.name] = f"{module}.{node.name}"
    return _Facts(own, table.star_modules, _dunder_all(tree))


def _dunder_all(tree: ast.Module) -> set[str] | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, (ast.List, ast.Tuple))
        ):
            return {
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
    return None


def _torch_nn_names() -> frozenset[str]:
    from reuse_lint.catalogue import PARAMETERS

    return _TORCH_NN_EXPORTS | frozenset(PARAMETERS)
