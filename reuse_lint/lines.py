"""Which lines of a file name what the analysis looks for.

Walking a whole syntax tree in Python costs more than parsing it, so the
front ends first find the lines that can matter with regular expressions and
then descend only into the nodes that span one of them (``covers``). Every
search here may answer a line too many, never one too few.

A pattern that starts with a literal word is searched for in C, fast; one
that starts with ``\\b`` or ``^`` is tried at every position, several times
slower on a large file. So the patterns here start with the word itself, and
the boundary before it is checked on each match.
"""

from __future__ import annotations

import ast
import bisect
import re

_BREAK = re.compile(r"\r\n|\r|\n")
_CLASS = re.compile(r"class\b")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def word_lines(text: str, patterns: list[str]) -> list[int]:
    """The lines where one of ``patterns`` (each starting with a literal
    identifier, ending in ``\\b``) matches as a whole word, in order."""
    if not patterns:
        return []
    pattern = re.compile("|".join(patterns))
    offsets = [
        m.start() for m in pattern.finditer(text) if _starts_word(text, m.start())
    ]
    return sorted(set(line_numbers(text, offsets)))


def class_lines(text: str) -> list[int]:
    """The lines that start with the keyword ``class`` (after indentation)."""
    offsets = []
    for match in _CLASS.finditer(text):
        start = match.start()
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        if not text[line_start:start].strip(" \t\f"):
            offsets.append(start)
    return sorted(set(line_numbers(text, offsets)))


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


def _starts_word(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_")
