"""Turn a ``Sequential(...)`` call into a list of layers.

The caller supplies ``resolve``, which names what an expression refers to
(``torch.nn.Linear``) or returns ``None``; the fast and the exact front ends
differ only in how they answer it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from reuse_lint.catalogue import torch_nn_name
from reuse_lint.expressions import as_written, expression_key, is_pure
from reuse_lint.model import Arg, Layer

Resolver = Callable[[cst.BaseExpression], "str | None"]

_EMPTY_MODULE = cst.Module(body=[])


def code_of(node: cst.CSTNode) -> str:
    """Return the source text of a node as written, continuation lines dedented.

    LibCST stores indentation inside brackets relative to the enclosing block
    in a full module but absolutely in a lone expression; dedenting makes the
    text the same either way.
    """
    return as_written(_EMPTY_MODULE.code_for_node(node))


def dotted_name(node: cst.BaseExpression) -> str | None:
    """Return ``"a.b.c"`` for a plain name or attribute chain, else ``None``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def decode_chain(
    call: cst.Call, resolve: Resolver
) -> tuple[tuple[Layer, ...], str | None]:
    """Return the layers of a Sequential call and a structural problem, if any.

    The problem is ``"starred"`` for ``Sequential(*layers)``,
    ``"ordereddict"`` for ``Sequential(OrderedDict(...))`` and
    ``"unsupported-argument"`` for keyword arguments.
    """
    if any(arg.star for arg in call.args):
        plain = [a.value for a in call.args if not a.star]
        return _decode_all(plain, resolve), "starred"

    if any(arg.keyword is not None for arg in call.args):
        return (), "unsupported-argument"

    values = [arg.value for arg in call.args]
    first = values[0] if len(values) == 1 else None
    if isinstance(first, cst.Call) and _is_ordered_dict(first, resolve):
        return _decode_all(_ordered_dict_values(first), resolve), "ordereddict"

    return _decode_all(values, resolve), None


def _decode_all(
    values: Sequence[cst.BaseExpression], resolve: Resolver
) -> tuple[Layer, ...]:
    return tuple(decode_layer(value, resolve) for value in values)


def decode_layer(value: cst.BaseExpression, resolve: Resolver) -> Layer:
    """Decode one element: a torch.nn layer call, or ``"?"`` for anything else."""
    code = code_of(value)
    if not isinstance(value, cst.Call):
        return Layer(kind="?", args=(), code=code)

    kind = torch_nn_name(resolve(value.func))
    if kind is None:
        return Layer(kind="?", args=(), code=code)

    return Layer(kind=kind, args=tuple(_decode_arg(a) for a in value.args), code=code)


def _decode_arg(arg: cst.Arg) -> Arg:
    code = code_of(arg.value)
    keyword = arg.keyword.value if arg.keyword is not None else None
    if arg.star:
        keyword = arg.star
    return Arg(keyword=keyword, code=code, key=expression_key(code), pure=is_pure(code))


def _is_ordered_dict(value: cst.Call, resolve: Resolver) -> bool:
    return resolve(value.func) in ("collections.OrderedDict", "typing.OrderedDict")


def _ordered_dict_values(call: cst.Call) -> list[cst.BaseExpression]:
    """The layer expressions of ``OrderedDict([("fc1", layer), ...])``."""
    if len(call.args) != 1:
        return []
    items = call.args[0].value
    if not isinstance(items, (cst.List, cst.Tuple)):
        return []
    values = []
    for element in items.elements:
        pair = element.value
        if isinstance(pair, cst.Tuple) and len(pair.elements) == 2:
            values.append(pair.elements[1].value)
    return values
