"""The text of a component call, built from a chain's spec.

Plain string work with no LibCST, so that findings can carry their fix text
without the cost of importing the codemod machinery.
"""

from __future__ import annotations

from collections.abc import Iterable

from reuse_lint.expressions import expression_key
from reuse_lint.model import MLPSpec

LINE_LENGTH = 88


def component_parts(component: str) -> tuple[str, str]:
    """Split ``pkg.mod:Class`` into its module and its class name."""
    module, _, name = component.partition(":")
    if not name:
        module, _, name = component.rpartition(".")
    return module, name


def keyword_arguments(spec: MLPSpec) -> list[tuple[str, str]]:
    """The component's keyword arguments for a spec, in a fixed order."""
    kwargs = [("input_dim", spec.input_dim), ("hidden_dim", spec.hidden_dim)]
    if not spec.same_size:
        kwargs.append(("output_dim", spec.output_dim))
    kwargs += _dropout_arguments(spec.dropout, spec.output_dropout)
    kwargs.append(("activation", spec.activation))
    kwargs += _bias_arguments(spec.bias, spec.output_bias)
    if spec.norm:
        kwargs.append(("norm", "True"))
        if spec.norm_eps is not None:
            kwargs.append(("norm_eps", spec.norm_eps))
        if spec.norm_affine is not None:
            kwargs.append(("norm_affine", spec.norm_affine))
    return kwargs


def _same(a: str, b: str) -> bool:
    return expression_key(a) == expression_key(b)


def _dropout_arguments(hidden: str | None, output: str | None) -> list[tuple[str, str]]:
    if hidden is None:
        return [] if output is None else [("output_dropout", output)]
    if output is None:
        return [("dropout", hidden), ("output_dropout", "None")]
    if _same(hidden, output):
        return [("dropout", hidden)]
    return [("dropout", hidden), ("output_dropout", output)]


def _bias_arguments(first: str | None, second: str | None) -> list[tuple[str, str]]:
    if first is None and second is None:
        return []
    if first is not None and second is not None and _same(first, second):
        return [("bias", first)]
    result = [] if first is None else [("bias", first)]
    return [*result, ("output_bias", second if second is not None else "True")]


def render_call(
    spec: MLPSpec,
    name: str,
    indent: str,
    unit: str,
    comments: Iterable[str] = (),
    *,
    width: int | None = None,
    opening_comment: str | None = None,
) -> str:
    """Source text of the component call that replaces a chain.

    Single-line when there are no comments to keep and the call fits in
    ``width`` columns (by default, a margin short of the line length after
    ``indent``); otherwise one keyword per line, with kept comments first.
    ``opening_comment`` stays at the end of the line that opens the call.
    """
    pairs = keyword_arguments(spec)
    kept = list(comments)
    flat = f"{name}({', '.join(f'{key}={value}' for key, value in pairs)})"
    if width is None:
        width = LINE_LENGTH - 21 - len(indent)
    if not kept and not opening_comment and "\n" not in flat and len(flat) <= width:
        return flat

    inner = indent + unit
    kwargs = [f"{key}={_indented(value, inner)}" for key, value in pairs]
    lines = [f"{inner}{comment}" for comment in kept]
    lines += [f"{inner}{kwarg}," for kwarg in kwargs[:-1]]
    lines.append(f"{inner}{kwargs[-1]}")
    opening = f"{name}(  {opening_comment}" if opening_comment else f"{name}("
    return opening + "\n" + "\n".join(lines) + f"\n{indent})"


def _indented(value: str, indent: str) -> str:
    """A multi-line expression moved to a line indented by ``indent``.

    The analysis gives continuation lines relative to the expression's first
    line; text inside a triple-quoted string is left exactly as it was.
    """
    if "\n" not in value or '"""' in value or "'''" in value:
        return value
    return value.replace("\n", "\n" + indent)
