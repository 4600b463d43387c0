"""The fast front end: find Sequential calls with ``ast``, decode with LibCST.

``ast.parse`` runs in C and is an order of magnitude cheaper than a full
LibCST parse with scope analysis. Names are resolved from the module's own
imports, and only the text of each ``Sequential(...)`` call is parsed with
LibCST. When the imports could be read two ways (a name both imported and
bound otherwise, or imported inside a function), ``find_sites`` returns
``None`` and the caller uses the exact front end for the whole file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from reuse_lint.catalogue import is_sequential
from reuse_lint.decode import Resolver, dotted_name
from reuse_lint.imports import (
    ImportTable,
    bound_names,
    collect_imports,
    expand_star_imports,
)
from reuse_lint.model import ModuleInfo, Span


@dataclass(frozen=True)
class Site:
    """A Sequential call found by a front end, ready to decode."""

    call: cst.Call
    span: Span
    owner: str


@dataclass
class Scan:
    """What a front end found in one file."""

    sites: list[Site] = field(default_factory=list)
    modules: list[ModuleInfo] = field(default_factory=list)
    resolve: Resolver = lambda _node: None


def find_sites(
    text: str, path: Path, roots: tuple[Path, ...], component: str
) -> Scan | None:
    """Scan ``text``; ``None`` when only full scope analysis can be trusted."""
    tree = ast.parse(text)
    table = collect_imports(tree)
    expand_star_imports(table, path, roots)

    walker = _Walker(table, component)
    walker.visit(tree)
    if _is_ambiguous(walker.heads, table, tree):
        return None

    scan = Scan(modules=walker.modules, resolve=_resolver(table))
    lines = text.splitlines(keepends=True)
    for node, owner in walker.calls:
        segment = ast.get_source_segment(text, node)
        if segment is None:
            return None
        call = cst.parse_expression(segment)
        if not isinstance(call, cst.Call):
            return None
        scan.sites.append(Site(call=call, span=_span(node, lines), owner=owner))
    return scan


def _resolver(table: ImportTable) -> Resolver:
    def resolve(node: cst.BaseExpression) -> str | None:
        return table.qualify(dotted_name(node))

    return resolve


def _is_ambiguous(heads: set[str], table: ImportTable, tree: ast.Module) -> bool:
    if not heads:
        return False
    bound = bound_names(tree)
    return any(table.ambiguous(head, bound) for head in heads)


def _span(node: ast.expr, lines: list[str]) -> Span:
    """Convert ast's UTF-8 byte offsets into 1-based character columns."""
    end_line = node.end_lineno or node.lineno
    end_col = node.end_col_offset or 0
    return Span(
        line=node.lineno,
        column=_char_column(lines, node.lineno, node.col_offset) + 1,
        end_line=end_line,
        end_column=_char_column(lines, end_line, end_col) + 1,
    )


def _char_column(lines: list[str], line: int, byte_offset: int) -> int:
    if line - 1 >= len(lines):
        return byte_offset
    encoded = lines[line - 1].encode("utf-8")
    return len(encoded[:byte_offset].decode("utf-8", errors="replace"))


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


class _Walker(ast.NodeVisitor):
    """Collect Sequential calls with their owner, and per-class usage."""

    def __init__(self, table: ImportTable, component: str) -> None:
        self.table = table
        self.component = component
        self.owners: list[str] = []
        self.calls: list[tuple[ast.Call, str]] = []
        self.heads: set[str] = set()
        self.modules: list[ModuleInfo] = []
        self._uses: list[set[str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        is_module = any(
            (self.table.qualify(_dotted(base)) or "").startswith("torch.nn.")
            for base in node.bases
        )
        self._enter(node, is_module)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node, False)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node, False)

    def _enter(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef,
               is_module: bool) -> None:
        top = not self.owners
        self.owners.append(node.name)
        self._uses.append(set())
        self.generic_visit(node)
        uses = self._uses.pop()
        self.owners.pop()
        if self._uses:
            self._uses[-1].update(uses)
        builds = any(is_sequential(u) for u in uses)
        if is_module or (top and isinstance(node, ast.ClassDef) and builds):
            self.modules.append(ModuleInfo(node.name, node.lineno, True, _sorted(uses)))
        elif top and builds:
            self.modules.append(ModuleInfo(node.name, node.lineno, False, _sorted(uses)))

    def visit_Call(self, node: ast.Call) -> None:
        dotted = _dotted(node.func)
        qualified = self.table.qualify(dotted)
        if qualified and self._uses and self._is_interesting(qualified):
            self._uses[-1].add(qualified)
        if is_sequential(qualified) and dotted is not None:
            self.calls.append((node, ".".join(self.owners) or "<module>"))
            for inner in ast.walk(node):
                head = _dotted(inner.func) if isinstance(inner, ast.Call) else None
                if head:
                    self.heads.add(head.split(".")[0])
        self.generic_visit(node)

    def _is_interesting(self, qualified: str) -> bool:
        return qualified.startswith("torch.nn.") or qualified == self.component


def _sorted(uses: set[str]) -> tuple[str, ...]:
    return tuple(sorted(uses))
