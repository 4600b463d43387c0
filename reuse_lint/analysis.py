"""Analyse one file's text: find every Sequential chain and classify it.

The fast front end is tried first; it hands over to the exact one whenever it
cannot vouch for its name resolution. Both produce the same ``Chain`` records,
and ``tests/test_analysis.py`` holds them to that.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from reuse_lint.catalogue import DEFAULT_COMPONENT
from reuse_lint.classify import classify, structure_key
from reuse_lint.collector import collector_paused, collector_running
from reuse_lint.frontend_fast import Scan, Site, find_sites
from reuse_lint.model import Chain, ChainKind, FileAnalysis, Layer
from reuse_lint.nesting import NestingError, check_depth
from reuse_lint.sources import split_lines, syntax_message

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class AnalysisOptions:
    """Settings that change what the analysis finds (part of the cache key)."""

    roots: tuple[Path, ...] = ()
    component: str = DEFAULT_COMPONENT
    exact: bool = False
    modules: bool = False

    @property
    def component_qualified(self) -> str:
        """``pkg.mod:Class`` as the dotted name calls resolve to."""
        return self.component.replace(":", ".")


def analyse_source(
    path: Path, display: str, text: str, options: AnalysisOptions
) -> FileAnalysis:
    """Return the chains, module summaries and noqa directives of one file."""
    try:
        with collector_paused():
            scan = _scan(path, text, options)
            chains = tuple(_chain(site, scan) for site in scan.sites)
    except SyntaxError as error:
        return FileAnalysis(display, error=syntax_message(error))
    except NestingError as error:
        return FileAnalysis(display, error=f"too deeply nested to analyse ({error})")
    except (RecursionError, MemoryError):
        return FileAnalysis(display, error="too deeply nested to analyse")
    except Exception as error:
        if not _is_libcst_syntax_error(error):
            raise
        return FileAnalysis(display, error=_libcst_message(error))

    return FileAnalysis(
        display,
        chains=chains,
        modules=tuple(scan.modules) if options.modules else (),
        noqa=noqa_directives(text, {c.span.line for c in chains}),
    )


def _scan(path: Path, text: str, options: AnalysisOptions) -> Scan:
    component = options.component_qualified
    if not options.exact:
        try:
            scan = find_sites(text, path, options.roots, component, options.modules)
        except Exception as error:  # its position is the call's; parse the file
            if not _is_libcst_syntax_error(error):
                raise
            scan = None
        if scan is not None:
            return scan
    check_depth(ast.parse(text))
    import libcst as cst

    from reuse_lint.frontend_exact import find_sites_exact

    with collector_running():  # LibCST's metadata makes reference cycles
        module = cst.parse_module(text)
        return find_sites_exact(module, text, path, options.roots, component)


def _is_libcst_syntax_error(error: Exception) -> TypeGuard[cst.ParserSyntaxError]:
    """Whether ``error`` is LibCST's parse error (LibCST is imported lazily)."""
    libcst = sys.modules.get("libcst")
    return libcst is not None and isinstance(error, libcst.ParserSyntaxError)


def _chain(site: Site, scan: Scan) -> Chain:
    layers, problem = _decoded(site, scan)
    verdict = classify(layers, problem)
    replaceable = verdict.kind is ChainKind.REPLACEABLE
    return Chain(
        span=site.span,
        layers=layers,
        kind=verdict.kind,
        reason=verdict.reason,
        reason_code=verdict.reason_code,
        spec=verdict.spec,
        structure=structure_key(layers) if replaceable else "",
        owner=site.owner,
    )


def _decoded(site: Site, scan: Scan) -> tuple[tuple[Layer, ...], str | None]:
    """The site's layers: decoded from ``ast`` already, or now with LibCST."""
    if isinstance(site.call, tuple):
        return site.call
    from reuse_lint.decode import decode_chain

    return decode_chain(site.call, scan.resolve)


def _libcst_message(error: cst.ParserSyntaxError) -> str:
    """Python accepted the file (``ast`` parsed it first); LibCST did not."""
    where = f"{error.raw_line}:{error.raw_column + 1}"
    detail = " ".join(error.message.split())
    return f"LibCST cannot parse this valid Python at {where}: {detail}"


_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*))?",
    re.IGNORECASE,
)


def noqa_directives(
    text: str, lines: set[int]
) -> tuple[tuple[int, tuple[str, ...] | None], ...]:
    """``# noqa`` comments on the given lines: ``None`` codes means all."""
    if "noqa" not in text.lower():
        return ()
    found = []
    all_lines = split_lines(text)
    for line in sorted(lines):
        if line - 1 >= len(all_lines):
            continue
        match = _NOQA.search(all_lines[line - 1])
        if match is None:
            continue
        codes = match.group("codes")
        parsed = tuple(c.strip().upper() for c in codes.split(",")) if codes else None
        found.append((line, parsed))
    return tuple(found)
