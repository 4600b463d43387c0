"""Rewrite replaceable chains into component calls, keeping everything else.

Visitors only record; this module's transformer swaps the recorded calls,
and LibCST's import helpers add the component import and drop imports that
the rewrite left unused. The user's expressions are carried over verbatim.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from reuse_lint.expressions import expression_key
from reuse_lint.model import Chain, MLPSpec

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


def _dropout_arguments(
    hidden: str | None, output: str | None
) -> list[tuple[str, str]]:
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
    spec: MLPSpec, name: str, indent: str, unit: str, comments: Iterable[str] = ()
) -> str:
    """Source text of the component call that replaces a chain.

    Single-line when there are no comments to keep and it fits; otherwise one
    keyword per line, with kept comments first.
    """
    kwargs = [f"{key}={value}" for key, value in keyword_arguments(spec)]
    kept = list(comments)
    flat = f"{name}({', '.join(kwargs)})"
    if not kept and "\n" not in flat and len(indent) + len(flat) < LINE_LENGTH - 20:
        return flat
    inner = indent + unit
    lines = [f"{inner}{comment}" for comment in kept]
    lines += [f"{inner}{kwarg}," for kwarg in kwargs[:-1]]
    lines.append(f"{inner}{kwargs[-1]}")
    return f"{name}(\n" + "\n".join(lines) + f"\n{indent})"


class _Replacer(cst.CSTTransformer):
    """Swap the calls that start at the recorded positions."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: dict[tuple[int, int], Chain], name: str, lines: list[str]) -> None:
        super().__init__()
        self.targets = targets
        self.name = name
        self.lines = lines
        self.replaced: list[Chain] = []
        self.names: set[str] = set()

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        start = self.get_metadata(PositionProvider, original_node).start
        chain = self.targets.get((start.line, start.column + 1))
        if chain is None or chain.spec is None:
            return updated_node

        indent = _indent_of(self.lines[start.line - 1])
        unit = "\t" if "\t" in indent else "    "
        comments, names = _comments_and_names(original_node)
        self.names |= names
        text = render_call(chain.spec, self.name, indent, unit, comments)
        self.replaced.append(chain)
        return cst.parse_expression(text).visit(_AbsoluteIndent())


class _AbsoluteIndent(cst.CSTTransformer):
    """Keep the rendered indentation as written, not added to the block's."""

    def leave_ParenthesizedWhitespace(
        self,
        original_node: cst.ParenthesizedWhitespace,
        updated_node: cst.ParenthesizedWhitespace,
    ) -> cst.ParenthesizedWhitespace:
        return updated_node.with_changes(indent=False)

    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine:
        return updated_node.with_changes(indent=False)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _comments_and_names(node: cst.CSTNode) -> tuple[list[str], set[str]]:
    """The comments inside a call, and the plain names it mentions."""
    comments: list[str] = []
    names: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            comments.append(comment.value)

        def visit_Name(self, name: cst.Name) -> None:
            names.add(name.value)

    node.visit(_Collect())
    return comments, names


def apply_fixes(text: str, chains: list[Chain], component: str) -> tuple[str, list[Chain]]:
    """Return the fixed text and the chains actually replaced.

    Raises ``libcst.ParserSyntaxError`` if the text does not parse.
    """
    if not chains:
        return text, []
    module_name, name = component_parts(component)
    module = cst.parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    targets = {(c.span.line, c.span.column): c for c in chains}
    replacer = _Replacer(targets, name, text.splitlines())
    changed = wrapper.visit(replacer)
    if not replacer.replaced:
        return text, []

    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, module_name, name)
    for module_path, obj, asname in _imports_to_prune(text, replacer.names):
        RemoveImportsVisitor.remove_unused_import(context, module_path, obj, asname)
    changed = AddImportsVisitor(context).transform_module(changed)
    changed = RemoveImportsVisitor(context).transform_module(changed)
    return changed.code, replacer.replaced


def _imports_to_prune(
    text: str, names: set[str]
) -> list[tuple[str, str | None, str | None]]:
    """Module-level imports binding a name the replaced calls used.

    LibCST removes each only if nothing else uses it any more; imports the
    user had left unused before the fix are not ours to touch.
    """
    found: list[tuple[str, str | None, str | None]] = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound in names:
                    found.append((alias.name, None, alias.asname))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) in names:
                    found.append((node.module, alias.name, alias.asname))
    return found
