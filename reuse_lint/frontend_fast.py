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
from reuse_lint.imports import ImportTable, collect_imports
from reuse_lint.lines import covers, word_lines
from reuse_lint.model import Layer, ModuleInfo, Span
from reuse_lint.nesting import check_depth
from reuse_lint.sources import lines_with_ends
from reuse_lint.star_imports import lookup_for
from reuse_lint.targeted import (
    dotted_ast,
    find_calls,
    maybe_rebound,
    rebound,
    report_lines,
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

    With ``modules`` (for the report) every class and what every definition
    uses is learnt too; either way, only the lines that can matter are
    walked.
    """
    tree = ast.parse(text)
    table = collect_imports(tree, lines=word_lines(text, [r"import\b"]))
    table.star_lookup = lookup_for(table.star_modules, path, roots)

    if modules:
        words = sequential_words(table, path, roots)
        hits = report_lines(text, table, component, words)
        walk = _walk(tree, table, (component, words), hits)
        calls, infos = walk.calls, walk.modules
        if _ambiguous(text, walk.heads, table):
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
    modules: list[ModuleInfo] = field(default_factory=list)


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LEAVE = object()
_LEAVES = (
    ast.Name,
    ast.Constant,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
)


def _walk(
    tree: ast.Module,
    table: ImportTable,
    wanted: tuple[str, set[str]],
    hits: list[int] | None,
) -> _Walk:
    """One iterative pass: Sequential calls, classes, per-definition usage.

    Iterative rather than recursive so that a 10,000-term expression cannot
    exhaust Python's recursion limit. Only nodes whose lines hold one of
    ``hits`` are visited (``None`` visits all, see ``report_lines``).
    ``wanted`` is the component's qualified name and the names
    ``Sequential`` goes by here (``sequential_words``).
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
            _call(node, owners, uses, table, wanted, walk)
        elif kind in _DEFS:
            owners.append(node)
            uses.append(set())
            stack.append(_LEAVE)
        stack.extend(reversed(_children(node, hits)))
    return walk


def _children(node: ast.AST, hits: list[int] | None) -> list[ast.AST]:
    """The children worth visiting: on a hit line, and able to hold a call."""
    children = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _LEAVES):
            continue
        if hits is None or covers(hits, child):
            children.append(child)
    return children


def _call(
    node: ast.Call,
    owners: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef],
    uses: list[set[str]],
    table: ImportTable,
    wanted: tuple[str, set[str]],
    walk: _Walk,
) -> None:
    dotted = dotted_ast(node.func)
    if dotted is None:
        return
    component, words = wanted
    parts = dotted.split(".")
    if not uses and parts[0] not in table.names and words.isdisjoint(parts):
        return  # not Sequential, and outside any definition: no use to record
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
    if isinstance(node, ast.ClassDef):
        bases = [b for b in map(dotted_ast, node.bases) if b]
        resolved = tuple(table.qualify_base(base) for base in bases)
        info = ModuleInfo(
            node.name, node.lineno, True, tuple(sorted(used)), resolved, top
        )
        walk.modules.append(info)
    elif top and any(is_sequential(u) for u in used):
        walk.modules.append(
            ModuleInfo(node.name, node.lineno, False, tuple(sorted(used)))
        )
