"""Rewrite replaceable chains into component calls, keeping everything else.

Visitors only record; this module's transformer swaps the recorded calls,
and LibCST's import helpers add the component import and drop imports that
the rewrite left unused. The user's expressions are carried over verbatim.
"""

from __future__ import annotations

import ast
from collections import Counter

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import (
    CodePosition,
    CodeRange,
    MetadataWrapper,
    PositionProvider,
)

from reuse_lint.expressions import parse_expression
from reuse_lint.imports import bound_names
from reuse_lint.model import Chain, MLPSpec
from reuse_lint.rendering import LINE_LENGTH, component_parts, render_call
from reuse_lint.sources import split_lines


class FixConflict(Exception):
    """The component's name already means something else in the file."""


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
    tree = parse_expression(code)
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
    """Add the component's import and drop the given imports if now unused.

    An import is dropped with the comments written on it; rather than lose
    a comment, the imports are left as they were.
    """
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, *component)
    module = module.visit(AddImportsVisitor(context))
    if not prune:
        return module

    for module_path, obj, asname in prune:
        RemoveImportsVisitor.remove_unused_import(context, module_path, obj, asname)
    pruned = RemoveImportsVisitor(context).transform_module(module)
    lost = Counter(_comment_texts(module)) - Counter(_comment_texts(pruned))
    return module if lost else pruned


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
    """Imports, at any depth, binding one of ``names``.

    ``names`` are those the replaced calls used and the fixed code no longer
    mentions; LibCST still removes each import only if its scope analysis
    finds no use (a string annotation, ``__all__``). Imports the user had
    left unused before the fix are not ours to touch.
    """
    found: list[tuple[str, str | None, str | None]] = []
    for node in ast.walk(tree):
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
