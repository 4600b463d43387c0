"""The exact front end: a full LibCST parse with qualified-name metadata.

This is the reference the fast front end must agree with. It is used for
files the fast path is unsure about, for files being fixed, and everywhere
when the speed-ups are switched off (``--no-prefilter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import (
    CodeRange,
    MetadataWrapper,
    PositionProvider,
    QualifiedNameProvider,
)

from reuse_lint.catalogue import is_sequential
from reuse_lint.decode import dotted_name
from reuse_lint.frontend_fast import Scan, Site
from reuse_lint.imports import ImportTable, collect_imports, expand_star_imports
from reuse_lint.model import ModuleInfo, Span


def find_sites_exact(
    module: cst.Module,
    text: str,
    path: Path,
    roots: tuple[Path, ...],
    component: str,
) -> Scan:
    """Scan a parsed module with LibCST's scope analysis."""
    import ast

    table = collect_imports(ast.parse(text))
    expand_star_imports(table, path, roots)

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    visitor = _ExactVisitor(
        table,
        component,
        wrapper.resolve(QualifiedNameProvider),
        wrapper.resolve(PositionProvider),
    )
    module.visit(visitor)
    return Scan(sites=visitor.sites, modules=visitor.modules, resolve=visitor.qualify)


class _ExactVisitor(cst.CSTVisitor):
    """Record Sequential calls and per-class usage from resolved metadata."""

    def __init__(
        self,
        table: ImportTable,
        component: str,
        names: Mapping[cst.CSTNode, Any],
        positions: Mapping[cst.CSTNode, CodeRange],
    ) -> None:
        super().__init__()
        self.names = names
        self.positions = positions
        self.table = table
        self.component = component
        self.sites: list[Site] = []
        self.modules: list[ModuleInfo] = []
        self._owners: list[str] = []
        self._uses: list[set[str]] = []
        self._flags: list[tuple[bool, int]] = []

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """Qualified name by scope analysis, then through star imports."""
        names = self.names.get(node, ())
        if callable(names):  # LibCST may hand out lazily computed values
            names = names()
        qualified: set[str] = {q.name for q in names}
        if len(qualified) == 1:
            return next(iter(qualified))
        if qualified:
            return None
        dotted = dotted_name(node)
        head = dotted.split(".")[0] if dotted else ""
        if head in self.table.star_names and head not in self.table.names:
            return self.table.qualify(dotted)
        return None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_module = any(
            (self.qualify(base.value) or "").startswith("torch.nn.")
            for base in node.bases
        )
        self._enter(node, is_module)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._leave(original_node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node, False)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave(original_node)

    def _enter(self, node: cst.ClassDef | cst.FunctionDef, is_module: bool) -> None:
        line = self.positions[node.name].start.line
        self._owners.append(node.name.value)
        self._uses.append(set())
        self._flags.append((is_module, line))

    def _leave(self, node: cst.ClassDef | cst.FunctionDef) -> None:
        uses = self._uses.pop()
        name = self._owners.pop()
        is_module, line = self._flags.pop()
        if self._uses:
            self._uses[-1].update(uses)
        top = not self._owners
        builds = any(is_sequential(u) for u in uses)
        is_class = isinstance(node, cst.ClassDef)
        if is_module or (top and is_class and builds):
            self.modules.append(ModuleInfo(name, line, True, tuple(sorted(uses))))
        elif top and builds:
            self.modules.append(ModuleInfo(name, line, False, tuple(sorted(uses))))

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualify(node.func)
        interesting = qualified is not None and (
            qualified.startswith("torch.nn.") or qualified == self.component
        )
        if interesting and self._uses and qualified is not None:
            self._uses[-1].add(qualified)
        if not is_sequential(qualified):
            return
        position = self.positions[node]
        span = Span(
            position.start.line,
            position.start.column + 1,
            position.end.line,
            position.end.column + 1,
        )
        owner = ".".join(self._owners) or "<module>"
        self.sites.append(Site(call=node, span=span, owner=owner))
