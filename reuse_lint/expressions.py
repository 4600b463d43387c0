"""Compare and judge the user's expressions without running them.

Two sizes are "the same expression" when they read the same after removing
whitespace and putting the operands of ``*`` and ``+`` in a fixed order, so
``4 * d``, ``d*4`` and ``(d * 4)`` all compare equal.
"""

from __future__ import annotations

import ast
import textwrap

_COMMUTATIVE = (ast.Mult, ast.Add)


def parse_expression(code: str) -> ast.expr:
    """Parse an argument's source text as one expression.

    The text may span lines, as it did inside the call's parentheses, so it
    is parsed inside parentheses of its own. Raises ``SyntaxError`` or
    ``ValueError`` when it is no expression.
    """
    return ast.parse(f"(\n{code}\n)", mode="eval").body


def one_line(code: str) -> str:
    """An expression's text on one line, for messages: whitespace collapsed."""
    return " ".join(code.split())


def expression_key(code: str) -> str:
    """Return a canonical form of ``code`` for equality comparisons."""
    try:
        tree = parse_expression(code)
    except (SyntaxError, ValueError):
        return "".join(code.split())
    return _canonical(tree)


def _canonical(node: ast.expr) -> str:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _COMMUTATIVE):
        operands = sorted(_canonical(n) for n in _flatten(node, type(node.op)))
        symbol = "*" if isinstance(node.op, ast.Mult) else "+"
        return "(" + symbol.join(operands) + ")"
    if isinstance(node, ast.BinOp):
        left, right = _canonical(node.left), _canonical(node.right)
        return f"({left}{type(node.op).__name__}{right})"
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def _flatten(node: ast.expr, op: type[ast.operator]) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, op):
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


_PURE_NODES = (
    ast.Name,
    ast.Attribute,
    ast.Constant,
    ast.UnaryOp,
    ast.BinOp,
    ast.Tuple,
    ast.Subscript,
    ast.Slice,
    ast.Load,
    ast.operator,
    ast.unaryop,
)


def is_pure(code: str) -> bool:
    """Whether evaluating ``code`` once or twice, early or late, is the same.

    Names, attributes, constants, arithmetic and subscripts count as pure;
    any call, comprehension or lambda does not, because the rewrite evaluates
    each size once and the activation before the first Linear is built.
    """
    try:
        tree = parse_expression(code)
    except (SyntaxError, ValueError):
        return False
    return all(isinstance(node, _PURE_NODES) for node in ast.walk(tree))


def as_written(text: str) -> str:
    """An expression's source text with its continuation lines dedented.

    The first line starts where the expression does; the others keep the
    indentation of the file around them, which says nothing about the
    expression, so they are dedented together.
    """
    if "\n" not in text:
        return text
    first, *rest = text.split("\n")
    return "\n".join([first, *textwrap.dedent("\n".join(rest)).split("\n")])
