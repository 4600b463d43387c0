"""Evaluate the user's size and option expressions with sample values.

``reuse-lint verify`` rebuilds each fixable chain and its replacement without
running the user's code: every argument is parsed with :mod:`ast` (parsing
only, never ``eval``, ``exec`` or a compiled code object) and walked here.

The accepted grammar is small:

- constants: ``int``, ``float``, ``bool``, ``None`` and strings;
- free names and attribute chains (``d_model``, ``self.d_model``,
  ``config.hidden_size``), which get sample values;
- ``+x``, ``-x``, ``not x`` and ``+ - * / // % **`` on numbers, in parentheses
  as written;
- calls of the pure builtins ``int``, ``float``, ``round``, ``abs``, ``min``
  and ``max`` with positional number arguments.

Anything else (any other call, a subscript, a comprehension, a conditional, a
lambda) raises ``EvaluationError`` with the reason, and so does a value that
grows out of bounds (a power with a large exponent, any number over
``MAX_MAGNITUDE``, a division by zero).

Sample values depend on the role a name plays where it is written
(``Role``). Sizes are distinct primes from 11 up, so two different size
expressions rarely meet by chance: a replacement that swapped the hidden and
the output size shows as a shape difference. Probabilities are distinct values
from 0.1 up, so swapped dropouts draw different masks. Flags alternate
``False``, ``True``, ... by first use, so a replacement that dropped a
``bias=use_bias`` (and fell back to the default ``True``) shows. Other numbers
(``alpha``, ``eps``) are distinct values from 0.5 up. A name used in two roles,
or one in a string position (``approximate=mode``), has no sample value.
"""

from __future__ import annotations

import ast
import enum
import math
import operator
from collections.abc import Callable, Mapping

from reuse_lint.expressions import parse_expression

Value = int | float | bool | str | None
"""What an expression may evaluate to."""

MAX_MAGNITUDE = 1_000_000
"""The largest number any step of an evaluation may produce."""

MAX_EXPONENT = 32
"""The largest exponent ``**`` accepts."""

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}

_BUILTINS: dict[str, Callable[..., float]] = {
    "int": int,
    "float": float,
    "round": round,
    "abs": abs,
    "min": min,
    "max": max,
}

_NODE_NAMES: dict[type[ast.AST], str] = {
    ast.Call: "a call",
    ast.Subscript: "a subscript",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.IfExp: "a conditional expression",
    ast.Lambda: "a lambda",
    ast.BoolOp: "a boolean operation",
    ast.Compare: "a comparison",
    ast.Starred: "a starred expression",
}


class EvaluationError(ValueError):
    """An expression outside the grammar, or a value out of bounds."""


class Role(enum.Enum):
    """What a name stands for, judged by the parameter it is passed to."""

    SIZE = "a size"
    PROBABILITY = "a probability"
    FLAG = "a flag"
    NUMBER = "a number"
    TEXT = "a string"


def parse(code: str) -> ast.expr:
    """Parse ``code`` as one expression (parsing only: nothing runs)."""
    try:
        return parse_expression(code)
    except (SyntaxError, ValueError) as error:
        raise EvaluationError(f"`{code}` does not parse: {error}") from error


def dotted(node: ast.expr) -> str | None:
    """``"self.d_model"`` for a name or attribute chain, else ``None``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def free_names(code: str) -> list[str]:
    """The names and attribute chains in ``code``, in order, without repeats.

    Names of the accepted builtins in call position are not free.
    """
    names: list[str] = []
    _collect_names(parse(code), names)
    return names


def _collect_names(node: ast.expr, names: list[str]) -> None:
    name = dotted(node)
    if name is not None:
        if name not in names:
            names.append(name)
        return
    children: list[ast.expr] = []
    if isinstance(node, ast.Call):
        children = list(node.args)
    elif isinstance(node, ast.UnaryOp):
        children = [node.operand]
    elif isinstance(node, ast.BinOp):
        children = [node.left, node.right]
    for child in children:
        _collect_names(child, names)


def evaluate(code: str, names: Mapping[str, Value]) -> Value:
    """Evaluate ``code`` with ``names`` giving the values of its free names."""
    return _Evaluator(code, names).visit(parse(code))


class _Evaluator:
    """Walks one parsed expression; every unsupported node is an error."""

    def __init__(self, code: str, names: Mapping[str, Value]) -> None:
        self.code = code
        self.names = names

    def visit(self, node: ast.expr) -> Value:
        name = dotted(node)
        if name is not None:
            return self._name(name)
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Call):
            return self._call(node)

        what = _NODE_NAMES.get(type(node), type(node).__name__)
        raise self.error(f"{what} (`{ast.unparse(node)}`)")

    def error(self, what: str) -> EvaluationError:
        return EvaluationError(f"`{self.code.strip()}` has {what}")

    def _name(self, name: str) -> Value:
        if name not in self.names:
            raise self.error(f"`{name}`, which has no sample value")
        return self.names[name]

    def _constant(self, node: ast.Constant) -> Value:
        value = node.value
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int | float):
            return self._bounded(value)
        raise self.error(f"a constant of type {type(value).__name__}")

    def _unary(self, node: ast.UnaryOp) -> Value:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        number = self._number(value)
        if isinstance(node.op, ast.USub):
            return -number
        if isinstance(node.op, ast.UAdd):
            return number
        raise self.error(f"the operator `{ast.unparse(node)}`")

    def _binary(self, node: ast.BinOp) -> Value:
        function = _BINARY.get(type(node.op))
        if function is None:
            raise self.error(f"an unsupported operator in `{ast.unparse(node)}`")
        left = self._number(self.visit(node.left))
        right = self._number(self.visit(node.right))
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise self.error(f"an exponent too large to try ({right})")

        try:
            result = function(left, right)
        except (ZeroDivisionError, OverflowError) as error:
            raise self.error(f"no value with the sample values: {error}") from error
        return self._bounded(result)

    def _call(self, node: ast.Call) -> Value:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        function = _BUILTINS.get(name or "")
        if function is None or node.keywords:
            raise self.error(f"a call (`{ast.unparse(node)}`)")
        args = [self._number(self.visit(arg)) for arg in node.args]

        try:
            return self._bounded(function(*args))
        except (TypeError, ValueError, OverflowError) as error:
            raise self.error(f"a call that fails: {error}") from error

    def _number(self, value: Value) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"arithmetic on {type(value).__name__} `{value!r}`")
        return value

    def _bounded(self, value: object) -> int | float:
        if isinstance(value, complex):
            raise self.error("a complex value")
        number = self._number(value)  # type: ignore[arg-type]  # checked here
        if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
            raise self.error(f"a value out of bounds ({number})")
        return number


class SampleNames:
    """Sample values for free names, by role, distinct within each role.

    ``first_size`` is the smallest size handed out; a retry with a larger
    start helps expressions such as ``dim // 16`` stay positive.
    """

    def __init__(self, first_size: int = 11) -> None:
        self.values: dict[str, Value] = {}
        self.roles: dict[str, Role] = {}
        self._next_size = first_size
        self._counts: dict[Role, int] = dict.fromkeys(Role, 0)

    def assign(self, code: str, role: Role) -> None:
        """Give every free name in ``code`` a value for ``role``."""
        for name in free_names(code):
            known = self.roles.get(name)
            if known is None:
                self.values[name] = self._sample(name, role)
                self.roles[name] = role
            elif known is not role:
                raise EvaluationError(
                    f"`{name}` is used both as {known.value} and as {role.value}"
                )

    def _sample(self, name: str, role: Role) -> Value:
        count = self._counts[role]
        self._counts[role] = count + 1
        if role is Role.SIZE:
            self._next_size = _next_prime(self._next_size)
            value, self._next_size = self._next_size, self._next_size + 1
            return value
        if role is Role.PROBABILITY:
            return round(0.1 + 0.05 * (count % 17), 2)
        if role is Role.FLAG:
            return count % 2 == 1
        if role is Role.NUMBER:
            return 0.5 + 0.25 * count
        raise EvaluationError(f"`{name}` is {role.value}; there is no sample value")


def _next_prime(start: int) -> int:
    """The smallest prime at or above ``start``."""
    candidate = max(start, 2)
    while any(candidate % d == 0 for d in range(2, math.isqrt(candidate) + 1)):
        candidate += 1
    return candidate
