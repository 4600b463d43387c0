"""Name resolution from a module's own import statements.

This is the fast path's answer to "what does ``nn.Linear`` refer to here": the
module's imports map local names to qualified ones. It is only trusted when it
must agree with LibCST's full scope analysis; ``ImportTable.ambiguous`` says
when it might not, and the caller then falls back to the exact front end.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reuse_lint.lines import covers


@dataclass
class ImportTable:
    """Local name → qualified name, plus what would make the table unsure."""

    names: dict[str, set[str]] = field(default_factory=dict)
    nested: set[str] = field(default_factory=set)
    top: set[str] = field(default_factory=set)
    star_modules: list[tuple[str, int]] = field(default_factory=list)
    star_names: dict[str, str | None] = field(default_factory=dict)
    star_lookup: Callable[[str], str | None] | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)

    def star_target(self, name: str) -> str | None:
        """What the star imports bind ``name`` to, looked up on first need:
        most files never need it (``reuse_lint.star_imports``)."""
        if name not in self.star_names:
            lookup = self.star_lookup
            self.star_names[name] = lookup(name) if lookup is not None else None
        return self.star_names[name]

    def add(self, local: str, qualified: str, *, top_level: bool) -> None:
        self.names.setdefault(local, set()).add(qualified)
        (self.top if top_level else self.nested).add(local)

    def qualify(self, dotted: str | None) -> str | None:
        """Qualify ``nn.Linear`` through the imports (and star imports)."""
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        targets = self._targets(head)
        if len(targets) != 1:
            return None
        base = next(iter(targets))
        return f"{base}.{rest}" if rest else base

    def qualify_base(self, dotted: str) -> str:
        """A base class's name for the report's class hierarchy.

        Of the names the imports give it, a torch.nn one (``ModuleList``
        imported from torch.nn, or set to ``str`` when torch is missing, is
        a module class); otherwise the only one; otherwise as written. Both
        front ends name bases this way, from the imports alone.
        """
        head, _, rest = dotted.partition(".")
        full = sorted(f"{t}.{rest}" if rest else t for t in self._targets(head))
        torch = [name for name in full if name.startswith("torch.nn.")]
        if torch:
            return torch[0]
        return full[0] if len(full) == 1 else dotted

    def _targets(self, head: str) -> set[str]:
        """What the imports, then the star imports, bind ``head`` to."""
        targets = self.names.get(head)
        if targets is not None:
            return targets
        target = self.star_target(head) if self.star_modules else None
        return {target} if target else set()

    def ambiguous(self, head: str, bound: set[str]) -> bool:
        """Whether scope analysis could resolve ``head`` differently.

        A name no import binds resolves to nothing torch-related either way;
        an imported name is only trusted when nothing else binds it.
        """
        imported = head in self.names
        if not imported and (not self.star_modules or self.star_target(head) is None):
            return False
        if head in bound or (head in self.nested and head not in self.top):
            return True
        return len(self.names.get(head, ())) > 1


def collect_imports(
    tree: ast.Module, module_name: str = "", lines: list[int] | None = None
) -> ImportTable:
    """Build the import table of a parsed module (any depth, flagged if nested).

    ``lines``, when given, are the lines naming ``import``: only statements
    spanning one of them are looked into.
    """
    table = ImportTable()
    for node, top_level in _import_nodes(tree, lines):
        table.lines.append((node.lineno, node.end_lineno or node.lineno))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    table.add(alias.asname, alias.name, top_level=top_level)
                else:
                    head = alias.name.split(".")[0]
                    table.add(head, head, top_level=top_level)
            continue
        base = _from_base(node, module_name)
        for alias in node.names:
            if alias.name == "*":
                if top_level:
                    table.star_modules.append((base, node.level))
                continue
            local = alias.asname or alias.name
            joined = (
                f"{base}{alias.name}" if base.endswith(".") else f"{base}.{alias.name}"
            )
            table.add(local, joined, top_level=top_level)
    return table


def _from_base(node: ast.ImportFrom, module_name: str) -> str:
    if node.level == 0:
        return node.module or ""
    parent = module_name.rsplit(".", node.level)[0] if module_name else ""
    relative = "." * node.level + (node.module or "")
    return f"{parent}{relative}" if parent else relative


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _import_nodes(
    tree: ast.Module, lines: list[int] | None
) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import with whether it binds at module level (not in a def/class)."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append((node, top))
            continue
        inner_top = top and not isinstance(node, _SCOPES)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                continue
            if lines is None or covers(lines, child):
                stack.append((child, inner_top))
    return found


def bound_names(tree: ast.Module) -> set[str]:
    """Every name bound by something other than an import, anywhere."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        else:
            record_binding(node, bound)
    return bound


def record_binding(node: ast.AST, bound: set[str]) -> None:
    """Record names bound by parameters, handlers, globals and match patterns."""
    if isinstance(node, ast.arg):
        bound.add(node.arg)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        bound.update(node.names)
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        if node.name:
            bound.add(node.name)
    elif isinstance(node, ast.MatchMapping) and node.rest:
        bound.add(node.rest)


def find_module_file(
    module: str, level: int, importer: Path, roots: tuple[Path, ...]
) -> Path | None:
    """Locate the file of a star-imported module inside the checked tree.

    ``from . import *`` names the package's ``__init__.py``; a relative import
    reaching above the first directory of the path finds nothing. An absolute
    one is looked up beside the importer, under each checked directory and
    above the importer's outermost package.
    """
    parts = [p for p in module.lstrip(".").split(".") if p]
    if level:
        folder = importer.absolute().parent
        if level - 1 >= len(folder.parts):
            return None
        bases = [folder.parents[level - 2] if level > 1 else folder]
    else:
        bases = [importer.parent, *roots, _package_root(importer.absolute().parent)]
    for base in bases:
        candidate = base.joinpath(*parts)
        options = [candidate / "__init__.py"]
        if parts:
            options.insert(0, candidate.with_suffix(".py"))
        for path in options:
            if path.is_file():
                if _DEPENDENCIES is not None:
                    _DEPENDENCIES.add(path)
                return path
    return None


def _package_root(folder: Path) -> Path:
    """The folder that a package holding ``folder`` is imported from.

    ``from pkg.blocks import *`` in ``pkg/model.py`` names ``pkg/blocks.py``
    however much of the tree was given: ``pkg``, ``pkg/model.py`` or ``src``.
    """
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


_DEPENDENCIES: set[Path] | None = None


@contextmanager
def track_dependencies() -> Iterator[set[Path]]:
    """Collect every module file that star-import resolution looks at."""
    global _DEPENDENCIES
    outer, _DEPENDENCIES = _DEPENDENCIES, set()
    try:
        yield _DEPENDENCIES
    finally:
        _DEPENDENCIES = outer
