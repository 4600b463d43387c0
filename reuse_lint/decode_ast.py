"""Decode a ``Sequential(...)`` call from ``ast``, without importing LibCST.

Importing LibCST costs more than everything else a small ``check`` run does,
so the fast front end decodes calls straight from the ``ast`` it already has
and produces the very ``Layer`` records ``reuse_lint.decode`` builds from
LibCST nodes.

The two can only differ in the source text kept for each expression: LibCST
counts an expression's own parentheses as part of it, and writes ``\r\n``
in its whitespace as ``\n``; ``ast`` does neither. So the text around every
argument is checked to hold nothing but whitespace, comments, commas, ``*``,
``**``, ``name =`` and the call's own parentheses. A call where anything
else stands there (a parenthesised argument, say), or with a carriage return
in it, gets ``None`` here and is decoded with LibCST as before.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from reuse_lint.catalogue import torch_nn_name
from reuse_lint.expressions import as_written, expression_key, is_pure
from reuse_lint.model import Arg, Layer

AstResolver = Callable[[ast.expr], "str | None"]

_SPACE = r"(?:[ \t\f\r\n]|\\\r?\n|#[^\r\n]*)*"
"""What may stand between two tokens inside brackets: blanks, line breaks,
backslash continuations and comments."""


@dataclass(frozen=True)
class _Brackets:
    """The text a bracketed list may hold around and between its elements."""

    opening: re.Pattern[str]
    closing: re.Pattern[str]
    empty: re.Pattern[str]


def _brackets(opening: str, closing: str) -> _Brackets:
    return _Brackets(
        opening=re.compile(_SPACE + opening + _SPACE),
        closing=re.compile(_SPACE + "(?:," + _SPACE + ")?" + closing),
        empty=re.compile(_SPACE + opening + _SPACE + closing),
    )


_CALL = _brackets(r"\(", r"\)")
_DISPLAYS = {ast.List: _brackets(r"\[", r"\]"), ast.Tuple: _CALL}
_BETWEEN = re.compile(_SPACE + "," + _SPACE)
_KEYWORD = re.compile(r"(?:\*\*|[^\W\d]\w*" + _SPACE + "=)" + _SPACE)
_STAR = re.compile(r"\*" + _SPACE)


class _Unclear(Exception):
    """The text around an argument is not plain: let LibCST decode the call."""


@dataclass(frozen=True)
class _Item:
    """One argument of a call: its value, how it is passed, where it starts."""

    value: ast.expr
    keyword: str | None
    start: tuple[int, int]


class SourceText:
    """Slices of a file's text by ``ast`` positions (UTF-8 byte columns)."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._encoded: dict[int, bytes] = {}

    def _line(self, number: int) -> bytes:
        encoded = self._encoded.get(number)
        if encoded is None:
            encoded = self._encoded[number] = self._lines[number - 1].encode("utf-8")
        return encoded

    def between(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        """The text from ``start`` to ``end``, each ``(line, byte column)``."""
        (first, head), (last, tail) = start, end
        if first == last:
            return self._line(first)[head:tail].decode("utf-8")
        middle = "".join(self._lines[first : last - 1])
        text = self._line(first)[head:].decode("utf-8") + middle
        return text + self._line(last)[:tail].decode("utf-8")

    def of(self, node: ast.AST) -> str:
        """The text of a node as ``ast`` bounds it."""
        return self.between(_start(node), _end(node))


def decode_chain_ast(
    call: ast.Call, source: SourceText, resolve: AstResolver
) -> tuple[tuple[Layer, ...], str | None] | None:
    """The layers and structural problem of a call, as ``decode_chain`` gives.

    ``None`` when only LibCST can say what text each argument covers, and
    for a call with a carriage return in it: LibCST writes the line breaks
    in an expression's whitespace as ``\n`` but keeps those inside strings.
    """
    if "\r" in source.of(call):
        return None
    try:
        items = _items(call, source)
        if any(item.keyword in ("*", "**") for item in items):
            plain = [i.value for i in items if i.keyword not in ("*", "**")]
            return _layers(plain, source, resolve), "starred"
        if any(item.keyword is not None for item in items):
            return (), "unsupported-argument"
        values = [item.value for item in items]
        first = values[0] if len(values) == 1 else None
        if isinstance(first, ast.Call) and _is_ordered_dict(first, resolve):
            named = _ordered_dict_values(first, source)
            return _layers(named, source, resolve), "ordereddict"
        return _layers(values, source, resolve), None
    except _Unclear:
        return None


def _layers(
    values: list[ast.expr], source: SourceText, resolve: AstResolver
) -> tuple[Layer, ...]:
    return tuple(_layer(value, source, resolve) for value in values)


def _layer(value: ast.expr, source: SourceText, resolve: AstResolver) -> Layer:
    code = as_written(source.of(value))
    if not isinstance(value, ast.Call):
        return Layer(kind="?", args=(), code=code)

    kind = torch_nn_name(resolve(value.func))
    if kind is None:
        return Layer(kind="?", args=(), code=code)

    args = tuple(_arg(item, source) for item in _items(value, source))
    return Layer(kind=kind, args=args, code=code)


def _arg(item: _Item, source: SourceText) -> Arg:
    code = as_written(source.of(item.value))
    return Arg(
        keyword=item.keyword, code=code, key=expression_key(code), pure=is_pure(code)
    )


def _is_ordered_dict(value: ast.Call, resolve: AstResolver) -> bool:
    return resolve(value.func) in ("collections.OrderedDict", "typing.OrderedDict")


def _ordered_dict_values(call: ast.Call, source: SourceText) -> list[ast.expr]:
    """The layer expressions of ``OrderedDict([("fc1", layer), ...])``."""
    items = _items(call, source)
    if len(items) != 1:
        return []
    pairs = items[0].value
    if not isinstance(pairs, (ast.List, ast.Tuple)):
        return []
    return [
        _elements(pair, source)[1]
        for pair in _elements(pairs, source)
        if isinstance(pair, ast.Tuple) and len(pair.elts) == 2
    ]


def _elements(node: ast.List | ast.Tuple, source: SourceText) -> list[ast.expr]:
    """The elements of a bracketed list or tuple, with the text around checked."""
    elements = node.elts
    if any(isinstance(element, ast.Starred) for element in elements):
        raise _Unclear
    starts = [_start(element) for element in elements]
    ends = [_end(element) for element in elements]
    brackets = _DISPLAYS[type(node)]
    _check_around(brackets, source, _start(node), _end(node), starts, ends)
    return elements


def _items(call: ast.Call, source: SourceText) -> list[_Item]:
    """The call's arguments in source order, with the text between them checked.

    Raises ``_Unclear`` when that text holds anything but the call's syntax.
    """
    items = [_positional(arg, source) for arg in call.args]
    items += [_keyword(keyword, source) for keyword in call.keywords]
    items.sort(key=lambda item: item.start)

    starts = [item.start for item in items]
    ends = [_end(item.value) for item in items]
    _check_around(_CALL, source, _end(call.func), _end(call), starts, ends)
    return items


def _positional(arg: ast.expr, source: SourceText) -> _Item:
    if not isinstance(arg, ast.Starred):
        return _Item(arg, None, _start(arg))
    if _end(arg) != _end(arg.value):
        raise _Unclear
    _expect(_STAR, source.between(_start(arg), _start(arg.value)))
    return _Item(arg.value, "*", _start(arg))


def _keyword(keyword: ast.keyword, source: SourceText) -> _Item:
    if _end(keyword) != _end(keyword.value):
        raise _Unclear
    _expect(_KEYWORD, source.between(_start(keyword), _start(keyword.value)))
    return _Item(keyword.value, keyword.arg or "**", _start(keyword))


def _check_around(
    brackets: _Brackets,
    source: SourceText,
    start: tuple[int, int],
    end: tuple[int, int],
    starts: list[tuple[int, int]],
    ends: list[tuple[int, int]],
) -> None:
    """Check the text from ``start`` to ``end`` outside the given elements."""
    if not starts:
        _expect(brackets.empty, source.between(start, end))
        return
    _expect(brackets.opening, source.between(start, starts[0]))
    for after, following in zip(ends, starts[1:], strict=False):
        _expect(_BETWEEN, source.between(after, following))
    _expect(brackets.closing, source.between(ends[-1], end))


def _expect(pattern: re.Pattern[str], text: str) -> None:
    if pattern.fullmatch(text) is None:
        raise _Unclear


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def _end(node: ast.AST) -> tuple[int, int]:
    end_line = node.end_lineno or node.lineno  # type: ignore[attr-defined]
    return end_line, node.end_col_offset or 0  # type: ignore[attr-defined]
