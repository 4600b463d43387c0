"""The fast front end: find and decode Sequential calls with ``ast``.

``ast.parse`` runs in C and is an order of magnitude cheaper than a full
LibCST parse with scope analysis. Names are resolved from the module's own
imports, and each ``Sequential(...)`` call is decoded from ``ast``; only a
call whose argument text ``reuse_lint.decode_ast`` cannot vouch for is parsed
with LibCST, from its own text. When the imports could be read two ways (a
name both imported and bound otherwise, or imported inside a function),
``find_sites`` returns ``None`` and the caller uses the exact front end for
the whole file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse_lint.catalogue import is_sequential
from reuse_lint.decode_ast import AstResolver, SourceText, decode_chain_ast
from reuse_lint.imports import (
    ImportTable,
    collect_imports,
    expand_star_imports,
    record_binding,
)
from reuse_lint.model import Layer, ModuleInfo, Span
from reuse_lint.nesting import check_depth
from reuse_lint.sources import lines_with_ends
from reuse_lint.targeted import (
    covers,
    dotted_ast,
    find_calls,
    import_lines,
    maybe_rebound,
    rebound,
    sequential_words,
)

if TYPE_CHECKING:
    import libcst as cst

    from reuse_lint.decode import Resolver


Decoded = tuple[tuple[Layer, ...], str | None]
"""A call's layers and structural problem, as ``decode_chain`` returns them."""


@dataclass(frozen=True)
class Site:
    """A Sequential call found by a front end.

    ``call`` is the LibCST node to decode, or the layers already decoded
    from ``ast`` when the fast front end could (``reuse_lint.decode_ast``).
    """

    call: cst.Call | Decoded
    span: Span
    owner: str


@dataclass
class Scan:
    """What a front end found in one file."""

    sites: list[Site] = field(default_factory=list)
    modules: list[ModuleInfo] = field(default_factory=list)
    resolve: Resolver = lambda _node: None


def find_sites(
    text: str,
    path: Path,
    roots: tuple[Path, ...],
    component: str,
    modules: bool = False,
) -> Scan | None:
    """Scan ``text``; ``None`` when only full scope analysis can be trusted.

    With ``modules`` (for the report) the whole tree is walked to learn what
    every class uses; otherwise only the lines that can hold a call are.
    """
    tree = ast.parse(text)
    table = collect_imports(tree)
    table.star_loader = lambda: expand_star_imports(table, path, roots)

    if modules:
        walk = _walk(tree, table, component, import_lines(text, table))
        calls, infos = walk.calls, walk.modules
        if any(table.ambiguous(head, walk.bound) for head in walk.heads):
            return None
    else:
        words = sequential_words(table, path, roots)
        found = find_calls(text, tree, table, words)
        calls, infos = found.calls, []
        if _ambiguous(text, found.heads, table):
            return None

    scan = Scan(modules=infos)
    lines = lines_with_ends(text)
    source = SourceText(lines)
    resolve = _ast_resolver(table)
    for node, owner in calls:
        check_depth(node)
        call = decode_chain_ast(node, source, resolve) or _parse_call(node, source)
        if call is None:
            return None
        if not isinstance(call, tuple):
            scan.resolve = _resolver(table)
        scan.sites.append(Site(call=call, span=_span(node, lines), owner=owner))
    return scan


def _parse_call(node: ast.Call, source: SourceText) -> cst.Call | None:
    """The call parsed by LibCST from its own text; only such calls pay for it."""
    import libcst as cst

    call = cst.parse_expression(source.of(node))
    return call if isinstance(call, cst.Call) else None


def _ambiguous(text: str, heads: set[str], table: ImportTable) -> bool:
    """Whether an imported name the calls use is also bound another way."""
    imported = {h for h in heads if h in table.names or table.qualify(h) is not None}
    if any(table.ambiguous(head, set()) for head in imported):
        return True
    try:
        return bool(rebound(text, maybe_rebound(text, imported, table.lines)))
    except SyntaxError:
        return True


def _ast_resolver(table: ImportTable) -> AstResolver:
    def resolve(node: ast.expr) -> str | None:
        return table.qualify(dotted_ast(node))

    return resolve


def _resolver(table: ImportTable) -> Resolver:
    from reuse_lint.decode import dotted_name

    def resolve(node: cst.BaseExpression) -> str | None:
        return table.qualify(dotted_name(node))

    return resolve


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


@dataclass
class _Walk:
    """What one pass over the tree collected."""

    calls: list[tuple[ast.Call, str]] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)
    bound: set[str] = field(default_factory=set)
    modules: list[ModuleInfo] = field(default_factory=list)


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LEAVE = object()


def _walk(
    tree: ast.Module, table: ImportTable, component: str, hits: list[int] | None
) -> _Walk:
    """One iterative pass: Sequential calls, bindings, per-definition usage.

    Iterative rather than recursive so that a 10,000-term expression cannot
    exhaust Python's recursion limit. Every statement is visited, but an
    expression only when its lines hold one of ``hits`` (the lines naming an
    import): a call resolves to torch only through an imported name, and a
    rebinding of that name writes it on its line. ``None`` visits all.
    """
    walk = _Walk()
    owners: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
    uses: list[set[str]] = []
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if node is _LEAVE:
            _leave(owners.pop(), uses, not owners, table, walk)
            continue
        kind = type(node)
        if kind is ast.Call:
            _call(node, owners, uses, table, component, walk)
        elif kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                walk.bound.add(node.id)
        elif kind in _DEFS:
            walk.bound.add(node.name)
            owners.append(node)
            uses.append(set())
            stack.append(_LEAVE)
        else:
            record_binding(node, walk.bound)
        children = list(ast.iter_child_nodes(node))
        if hits is not None:
            children = [
                c for c in children if not isinstance(c, ast.expr) or covers(hits, c)
            ]
        stack.extend(reversed(children))
    return walk


def _call(
    node: ast.Call,
    owners: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef],
    uses: list[set[str]],
    table: ImportTable,
    component: str,
    walk: _Walk,
) -> None:
    dotted = dotted_ast(node.func)
    if dotted is None:
        return
    qualified = table.qualify(dotted)
    if (
        qualified
        and uses
        and (qualified.startswith("torch.nn.") or qualified == component)
    ):
        uses[-1].add(qualified)
    if not is_sequential(qualified):
        return
    walk.calls.append((node, ".".join(o.name for o in owners) or "<module>"))
    for inner in ast.walk(node):
        head = dotted_ast(inner.func) if isinstance(inner, ast.Call) else None
        if head:
            walk.heads.add(head.split(".")[0])


def _leave(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    uses: list[set[str]],
    top: bool,
    table: ImportTable,
    walk: _Walk,
) -> None:
    used = uses.pop()
    if uses:
        uses[-1].update(used)
    is_class = isinstance(node, ast.ClassDef)
    is_module = is_class and any(
        (table.qualify(dotted_ast(base)) or "").startswith("torch.nn.")
        for base in node.bases  # type: ignore[union-attr]
    )
    builds = any(is_sequential(u) for u in used)
    if is_module or (top and builds):
        info = ModuleInfo(
            node.name, node.lineno, is_module or is_class, tuple(sorted(used))
        )
        walk.modules.append(info)
