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
import bisect
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path

from reuse_lint.catalogue import is_sequential
from reuse_lint.imports import ImportTable, find_module_file, star_exports
from reuse_lint.prefilter import star_import

_BREAK = re.compile(r"\r\n|\r|\n")
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
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
    hits = hit_lines(text, pattern)
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


def import_lines(text: str, table: ImportTable) -> list[int] | None:
    """The lines that mention a name the module imports, in order.

    ``None`` when a star import makes the imported names unknown.
    """
    if table.star_modules:
        return None
    if not table.names:
        return []
    words = "|".join(map(re.escape, sorted(table.names)))
    return hit_lines(text, re.compile(r"\b(?:" + words + r")\b"))


def hit_lines(text: str, pattern: re.Pattern[str]) -> list[int]:
    """The 1-based numbers of the lines on which ``pattern`` matches, in order."""
    offsets = [m.start() for m in pattern.finditer(text)]
    return sorted(set(line_numbers(text, offsets)))


def line_numbers(text: str, offsets: list[int]) -> list[int]:
    """The 1-based line of each offset into ``text``; offsets in order.

    Lines end where Python's tokenizer ends them: at CR LF, CR or LF.
    Without a CR, which is nearly always, counting LFs in C between one
    offset and the next is enough.
    """
    if "\r" in text:
        starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        return [bisect.bisect_right(starts, offset) for offset in offsets]
    lines, line, previous = [], 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


def covers(hits: list[int], node: ast.AST) -> bool:
    """Whether ``node``'s lines (with its decorators) hold one of ``hits``."""
    first = getattr(node, "lineno", None)
    if first is None:
        return True
    last = getattr(node, "end_lineno", None) or first
    if isinstance(node, _DEFS) and node.decorator_list:
        first = min(first, *(d.lineno for d in node.decorator_list))
    index = bisect.bisect_left(hits, first)
    return index < len(hits) and hits[index] <= last


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
