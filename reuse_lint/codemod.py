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
from libcst.metadata import (
    CodePosition,
    CodeRange,
    MetadataWrapper,
    PositionProvider,
)

from reuse_lint.expressions import expression_key
from reuse_lint.imports import bound_names
from reuse_lint.model import Chain, MLPSpec
from reuse_lint.sources import split_lines

LINE_LENGTH = 88


class FixConflict(Exception):
    """The component's name already means something else in the file."""


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


class _Replacer(cst.CSTTransformer):
    """Swap the calls that start at the recorded positions."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(
        self, targets: dict[tuple[int, int], Chain], name: str, lines: list[str]
    ) -> None:
        super().__init__()
        self.targets = targets
        self.name = name
        self.lines = lines
        self.replaced: list[Chain] = []
        self.names: set[str] = set()

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        where = self.get_metadata(PositionProvider, original_node)
        chain = self.targets.get((where.start.line, where.start.column + 1))
        if chain is None or chain.spec is None:
            return updated_node

        self.names |= _names(original_node)
        self.replaced.append(chain)
        text = self._render(chain.spec, original_node, where)
        call = cst.ensure_type(
            cst.parse_expression(text).visit(_AbsoluteIndent()), cst.Call
        )
        return call.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def _render(self, spec: MLPSpec, call: cst.Call, where: CodeRange) -> str:
        """The new call, carrying the comments the old one would lose."""
        line = self.lines[where.start.line - 1]
        indent, unit = _indent_of(line), _indent_unit(line)
        opening, comments = _comments(call)
        plain = render_call(spec, self.name, indent, unit)
        kept_verbatim = _comment_texts(cst.parse_expression(plain))

        return render_call(
            spec,
            self.name,
            indent,
            unit,
            _without(comments, kept_verbatim),
            width=self._room(where.start, where.end),
            opening_comment=opening,
        )

    def _room(self, start: CodePosition, end: CodePosition) -> int:
        """Columns a one-line call may take; 0 keeps a multi-line call so."""
        if start.line != end.line:
            return 0
        tail = self.lines[end.line - 1][end.column :].rstrip()
        return LINE_LENGTH - start.column - len(tail)


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


def _indent_unit(line: str) -> str:
    return "\t" if "\t" in _indent_of(line) else "    "


def _comments(call: cst.Call) -> tuple[str | None, list[str]]:
    """The comment after the call's ``(``, and every other one inside it.

    Comments in parentheses around the call stay where they are.
    """
    opening = None
    space = call.whitespace_before_args
    if isinstance(space, cst.ParenthesizedWhitespace) and space.first_line.comment:
        opening = space.first_line.comment.value
        space = space.with_changes(first_line=cst.TrailingWhitespace())

    parts = (call.func, call.whitespace_after_func, space, *call.args)
    return opening, [text for part in parts for text in _comment_texts(part)]


def _comment_texts(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class _Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment.value)

    node.visit(_Collect())
    return found


def _without(comments: list[str], kept: list[str]) -> list[str]:
    """``comments`` less one occurrence of each comment in ``kept``.

    Comments inside an expression the new call keeps verbatim (an activation
    written over several lines) are already there; the rest must be moved.
    """
    left = list(kept)
    moved = []
    for comment in comments:
        if comment in left:
            left.remove(comment)
        else:
            moved.append(comment)
    return moved


def _names(call: cst.Call) -> set[str]:
    """The plain names a call reads (not attribute or keyword names)."""
    code = cst.Module(body=()).code_for_node(call.with_changes(lpar=(), rpar=()))
    tree = ast.parse(f"(\n{code}\n)", mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def apply_fixes(
    text: str, chains: list[Chain], component: str
) -> tuple[str, list[Chain]]:
    """Return the fixed text and the chains actually replaced.

    Raises ``libcst.ParserSyntaxError`` if the text does not parse, and
    ``FixConflict`` if the component's name is already bound to something
    else in the file.
    """
    if not chains:
        return text, []
    module_name, name = component_parts(component)
    module = cst.parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    targets = {(c.span.line, c.span.column): c for c in chains}
    replacer = _Replacer(targets, name, split_lines(text))
    changed = wrapper.visit(replacer)
    if not replacer.replaced:
        return text, []

    tree = ast.parse(text)
    _check_free(tree, module_name, name)
    unused = replacer.names - _names_read(changed.code)
    changed = _update_imports(
        changed, (module_name, name), _imports_to_prune(tree, unused)
    )
    return changed.code, replacer.replaced


def _update_imports(
    module: cst.Module,
    component: tuple[str, str],
    prune: list[tuple[str, str | None, str | None]],
) -> cst.Module:
    """Add the component's import and drop the given imports if now unused."""
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, *component)
    module = module.visit(AddImportsVisitor(context))
    if not prune:
        return module

    for module_path, obj, asname in prune:
        RemoveImportsVisitor.remove_unused_import(context, module_path, obj, asname)
    return RemoveImportsVisitor(context).transform_module(module)


def _names_read(code: str) -> set[str]:
    """Every plain name the code mentions; a cheap test before scope analysis."""
    return {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}


def _check_free(tree: ast.Module, module_name: str, name: str) -> None:
    """Raise ``FixConflict`` unless ``name`` is free or is the component."""
    if name in bound_names(tree):
        raise FixConflict(f"`{name}` is already defined or assigned in this file")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            taken = [a.asname or a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            same = node.level == 0 and node.module == module_name
            taken = [
                a.asname or a.name
                for a in node.names
                if not (same and a.name == name) or a.asname not in (None, name)
            ]
        else:
            continue
        if name in taken:
            raise FixConflict(f"`{name}` is already imported from elsewhere")


def _imports_to_prune(
    tree: ast.Module, names: set[str]
) -> list[tuple[str, str | None, str | None]]:
    """Module-level imports binding one of ``names``.

    ``names`` are those the replaced calls used and the fixed code no longer
    mentions; LibCST still removes each import only if its scope analysis
    finds no use (a string annotation, ``__all__``). Imports the user had
    left unused before the fix are not ours to touch.
    """
    found: list[tuple[str, str | None, str | None]] = []
    for node in tree.body:
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
