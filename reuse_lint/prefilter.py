"""Decide from a file's bytes, before any parse, whether it is worth analysing.

Two questions, both answered by plain byte searches and never wrong in the
"no" direction:

* ``may_hold_candidate``: could the file hold any ``Sequential`` call at all?
  The reuse report needs every such call, exempt ones and near misses too.
* ``may_hold_finding``: could the file hold a call that a rule reports? A
  finding needs two ``torch.nn.Linear`` layers written inside one
  ``Sequential(...)``, so a file where no call's text names ``Linear`` twice
  cannot hold one. Most files that mention ``Sequential`` build convolution
  stacks, and ``check`` skips them without parsing. A file that may get
  ``Sequential`` under another name from a star import is kept only if it
  has three ``(``: whatever the names, a finding is three calls, and a
  package ``__init__`` of star imports has none.

Anything the byte scan cannot read for sure (an alias ``Sequential as`` or
``Linear as``, a star import, an f-string inside a call, a call whose closing
parenthesis never comes) answers "yes", and the file is parsed as before.
"""

from __future__ import annotations

import re


def may_hold_candidate(data: bytes) -> bool:
    """Whether the file could hold a ``Sequential`` call under any name."""
    return b"Sequential" in data or star_import(data)


def may_hold_finding(data: bytes) -> bool:
    """Whether the file could hold a ``Sequential`` call with two Linears."""
    if b"Sequential" not in data:  # only a star import can bring it in
        return star_import(data) and data.count(b"(") >= 3
    if any(alias.search(data) for alias in _ALIASES) or star_import(data):
        return True
    return any(_could_be_ffn(data, m.end() - 1) for m in _CALL.finditer(data))


def star_import(data: bytes) -> bool:
    """Whether ``import`` is followed by ``*`` anywhere (a star import)."""
    start = data.find(b"import")
    while start != -1:
        rest = data[start + 6 : start + 70].lstrip(b" \t\\\r\n")
        if rest.startswith(b"*"):
            return True
        start = data.find(b"import", start + 6)
    return False


_ALIASES = (re.compile(rb"Sequential\s+as\b"), re.compile(rb"Linear\s+as\b"))
"""``Sequential as`` or ``Linear as``: two patterns, because one that starts
with a literal word is searched for in C, and an alternation is not."""

_CALL = re.compile(rb"Sequential(?:[ \t\f\r\n]|\\\r?\n|#[^\r\n]*)*\(")
"""``Sequential`` and the parenthesis that opens its call, across line breaks
and comments (allowed inside brackets)."""

_TOKEN = re.compile(
    rb"""(?P<comment>\#[^\r\n]*)
    | (?P<prefix>[A-Za-z]{0,2})
      (?P<string>'''(?:\\.|[^\\])*?''' | \"\"\"(?:\\.|[^\\])*?\"\"\"
        | '(?:\\.|[^'\\\r\n])*' | "(?:\\.|[^"\\\r\n])*")
    | (?P<paren>[()])""",
    re.VERBOSE | re.DOTALL,
)


def _could_be_ffn(data: bytes, opening: int) -> bool:
    """Whether the call opened at ``opening`` may name ``Linear`` twice.

    The matching parenthesis is found skipping strings and comments. An
    f-string may hold the same quotes inside its braces, so one ends the
    scan with "yes"; so does a call left open at the end of the file.
    """
    depth = 0
    for match in _TOKEN.finditer(data, opening):
        if match.group("string") is not None:
            if b"f" in match.group("prefix").lower():
                return True
            continue
        if match.group("paren") == b"(":
            depth += 1
        elif match.group("paren") == b")":
            depth -= 1
            if depth == 0:
                return data.count(b"Linear", opening, match.end()) >= 2
    return True
