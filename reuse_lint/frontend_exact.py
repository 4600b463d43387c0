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
from reuse_lint.imports import ImportTable, collect_imports
from reuse_lint.model import ModuleInfo, Span
from reuse_lint.sources import lines_with_ends
from reuse_lint.star_imports import lookup_for


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
    table.star_lookup = lookup_for(table.star_modules, path, roots)

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    visitor = _ExactVisitor(
        table,
        component,
        wrapper.resolve(QualifiedNameProvider),
        wrapper.resolve(PositionProvider),
        lines_with_ends(text),
    )
    module.visit(visitor)
    resolve = visitor.qualify_call
    return Scan(sites=visitor.sites, modules=visitor.modules, resolve=resolve)


class _ExactVisitor(cst.CSTVisitor):
    """Record Sequential calls and per-class usage from resolved metadata."""

    def __init__(
        self,
        table: ImportTable,
        component: str,
        names: Mapping[cst.CSTNode, Any],
        positions: Mapping[cst.CSTNode, CodeRange],
        lines: list[str],
    ) -> None:
        super().__init__()
        self.names = names
        self.positions = positions
        self.lines = lines
        self.originals: dict[cst.CSTNode, cst.BaseExpression] = {}
        self.table = table
        self.component = component
        self.sites: list[Site] = []
        self.modules: list[ModuleInfo] = []
        self._owners: list[str] = []
        self._uses: list[set[str]] = []
        self._flags: list[tuple[tuple[str, ...], int]] = []

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
        if head not in self.table.names and self.table.star_target(head):
            return self.table.qualify(dotted)
        return None

    def qualify_call(self, node: cst.BaseExpression) -> str | None:
        """``qualify``, also for the nodes of calls re-parsed from their text."""
        return self.qualify(self.originals.get(node, node))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [dotted_name(base.value) for base in node.bases]
        self._enter(node, tuple(self.table.qualify_base(b) for b in bases if b))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._leave(original_node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node, ())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave(original_node)

    def _enter(
        self, node: cst.ClassDef | cst.FunctionDef, bases: tuple[str, ...]
    ) -> None:
        line = self.positions[node.name].start.line
        self._owners.append(node.name.value)
        self._uses.append(set())
        self._flags.append((bases, line))

    def _leave(self, node: cst.ClassDef | cst.FunctionDef) -> None:
        uses = self._uses.pop()
        name = self._owners.pop()
        bases, line = self._flags.pop()
        if self._uses:
            self._uses[-1].update(uses)
        top = not self._owners
        used = tuple(sorted(uses))
        if isinstance(node, cst.ClassDef):
            self.modules.append(ModuleInfo(name, line, True, used, bases, top))
        elif top and any(is_sequential(u) for u in uses):
            self.modules.append(ModuleInfo(name, line, False, used))

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
        call = self._as_written(node, position)
        self.sites.append(Site(call=call, span=span, owner=owner))

    def _as_written(self, node: cst.Call, where: CodeRange) -> cst.Call:
        """The call parsed from its own text, as the fast front end parses it.

        A node of the whole module prints its continuation lines without the
        indentation of the block around it, so the layers' code would differ
        between the front ends. The copy's called names keep the qualified
        names that scope analysis gave the original's.
        """
        call = cst.parse_expression(_text_at(self.lines, where))
        originals, copies = _calls(node), _calls(call)
        if not isinstance(call, cst.Call) or len(originals) != len(copies):
            return node
        for original, copy in zip(originals, copies, strict=True):
            self.originals[copy.func] = original.func
        return call


def _text_at(lines: list[str], where: CodeRange) -> str:
    """The source text a position range covers."""
    start, end = where.start, where.end
    if start.line == end.line:
        return lines[start.line - 1][start.column : end.column]
    head = lines[start.line - 1][start.column :]
    tail = lines[end.line - 1][: end.column]
    return head + "".join(lines[start.line : end.line - 1]) + tail


def _calls(node: cst.CSTNode) -> list[cst.Call]:
    """Every call in ``node``, itself included, in visiting order."""
    found: list[cst.Call] = []

    class _Collect(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            found.append(call)

    node.visit(_Collect())
    return found
