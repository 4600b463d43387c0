"""Find Sequential calls without walking the whole syntax tree.

A file of 4,000 lines has some 30,000 ``ast`` nodes, and visiting each in
Python costs more than parsing the file. Instead, a regular expression finds
the lines that mention ``Sequential`` (or a name imported as it), and the
tree is descended only through nodes whose line range covers such a line.
Whether a torch name is also bound some other way is asked of ``symtable``,
which computes scopes in C.
"""

from __future__ import annotations

import ast
import itertools
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path

from reuse_lint.catalogue import is_sequential
from reuse_lint.imports import ImportTable, find_module_file
from reuse_lint.lines import class_lines, covers, line_numbers, word_lines
from reuse_lint.prefilter import star_import
from reuse_lint.star_imports import star_exports

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class Targets:
    """The Sequential calls of a file, their owners, and the names they use."""

    calls: list[tuple[ast.Call, str]] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)


def sequential_words(
    table: ImportTable, path: Path, roots: tuple[Path, ...]
) -> set[str]:
    """Every name under which ``torch.nn.Sequential`` can be called here."""
    words = {"Sequential"}
    for local, targets in table.names.items():
        if any(is_sequential(target) for target in targets):
            words.add(local)
    for module, level in table.star_modules:
        words |= _star_aliases(module, level, path, roots)
    return words


_ALIAS = re.compile(rb"Sequential\s+as\s")
_STAR = re.compile(rb"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]*\*", re.MULTILINE)
_ALIASES: dict[tuple[Path, int], frozenset[str]] = {}


def _star_aliases(
    module: str,
    level: int,
    path: Path,
    roots: tuple[Path, ...],
    seen: frozenset[Path] = frozenset(),
) -> set[str]:
    """Aliases of Sequential that a star import brings in.

    A module can only export Sequential under another name through an
    ``import ... Sequential as NAME`` or through a star import of its own,
    so only such modules are parsed, and star imports are followed by a
    regular expression rather than a parse.
    """
    found = find_module_file(module, level, path, roots)
    if found is None or found in seen or len(seen) > 8:
        return set()
    try:
        key = (found, found.stat().st_mtime_ns)
        if key not in _ALIASES:
            _ALIASES[key] = frozenset(_aliases_in(found, module, roots, seen | {found}))
    except OSError:
        return set()
    return set(_ALIASES[key])


def _aliases_in(
    found: Path, module: str, roots: tuple[Path, ...], seen: frozenset[Path]
) -> set[str]:
    data = found.read_bytes()
    aliases: set[str] = set()
    if _ALIAS.search(data):
        exports = star_exports(found, module, roots)
        aliases = {name for name, target in exports.items() if is_sequential(target)}
    if not star_import(data):  # the cheap answer for nearly every module
        return aliases
    for match in _STAR.finditer(data):
        dots, name = match.group(1).decode(), match.group(2).decode()
        aliases |= _star_aliases(dots + name, len(dots), found, roots, seen)
    return aliases


def find_calls(
    text: str, tree: ast.Module, table: ImportTable, words: set[str]
) -> Targets:
    """The Sequential calls on lines mentioning one of ``words``."""
    hits = word_lines(text, [re.escape(word) + r"\b" for word in sorted(words)])
    targets = Targets()
    if not hits:
        return targets

    stack: list[tuple[ast.AST, tuple[str, ...]]] = [(tree, ())]
    while stack:
        node, owners = stack.pop()
        if isinstance(node, ast.Call):
            _record(node, owners, table, targets)
        elif isinstance(node, _DEFS):
            owners = (*owners, node.name)
        children = [c for c in ast.iter_child_nodes(node) if covers(hits, c)]
        stack.extend((child, owners) for child in reversed(children))
    return targets


def report_lines(
    text: str, table: ImportTable, component: str, words: set[str]
) -> list[int] | None:
    """The lines the report's walk must visit, in order; ``None`` (all)
    under a star import.

    Every ``class`` statement, the lines naming ``Sequential`` (``words``),
    and those that can hold a call of a torch.nn name or of ``component``:
    through a name imported as one, or as a package above one followed by
    the next part of its path (``torch`` only as ``torch.nn``).
    """
    if table.star_modules:
        return None
    patterns = {re.escape(word) + r"\b" for word in words}
    for local, targets in table.names.items():
        for target, goal in itertools.product(targets, ("torch.nn", component)):
            if target == goal or target.startswith(goal + "."):
                patterns.add(re.escape(local) + r"\b")
            elif goal.startswith(target + "."):
                following = goal[len(target) + 1 :].split(".")[0]
                patterns.add(rf"{re.escape(local)}\s*\.\s*{re.escape(following)}\b")
    named = word_lines(text, sorted(patterns))
    return sorted({*named, *class_lines(text)})


def _record(
    node: ast.Call, owners: tuple[str, ...], table: ImportTable, targets: Targets
) -> None:
    dotted = dotted_ast(node.func)
    if dotted is None or not is_sequential(table.qualify(dotted)):
        return
    targets.calls.append((node, ".".join(owners) or "<module>"))
    for inner in ast.walk(node):
        head = dotted_ast(inner.func) if isinstance(inner, ast.Call) else None
        if head:
            targets.heads.add(head.split(".")[0])


def dotted_ast(node: ast.expr) -> str | None:
    """``"a.b.c"`` for a name or attribute chain in ``ast``, else ``None``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted_ast(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def maybe_rebound(
    text: str, names: set[str], imports: list[tuple[int, int]]
) -> set[str]:
    """The names that appear somewhere a binding could be.

    An occurrence followed by ``.`` or ``(`` (and not after ``def`` or
    ``class``), or inside an import statement, binds nothing; any other
    occurrence, even in a comment, sends the name to ``rebound``.
    """
    if not names:
        return set()
    alternatives = "|".join(map(re.escape, sorted(names)))
    pattern = re.compile(
        rf"\b(?:def|class)\s+(?P<defined>{alternatives})\b"
        rf"|\b(?P<name>{alternatives})\b(?!\s*[.(])"
    )
    matches = list(pattern.finditer(text))
    lines = line_numbers(text, [match.start() for match in matches])
    inside = {line for first, last in imports for line in range(first, last + 1)}
    return {
        match.group("defined") or match.group("name")
        for match, line in zip(matches, lines, strict=True)
        if line not in inside
    }


def rebound(text: str, names: set[str]) -> set[str]:
    """Which of ``names`` something other than an import binds, in any scope.

    Raises ``SyntaxError`` when the symbol table cannot be built.
    """
    found: set[str] = set()
    if not names:
        return found
    stack = [symtable.symtable(text, "<reuse-lint>", "exec")]
    while stack:
        table = stack.pop()
        for name in names & set(table.get_identifiers()):
            symbol = table.lookup(name)
            if (
                symbol.is_assigned()
                or symbol.is_parameter()
                or symbol.is_declared_global()
                or symbol.is_nonlocal()
            ):
                found.add(name)
        stack.extend(table.get_children())
    return found
