"""Turn analysed chains into findings: rules, suppressions and duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse_lint.config import Config, project_relative
from reuse_lint.discovery import gitignore_spec
from reuse_lint.model import Chain, ChainKind, FileAnalysis, Finding, Fix
from reuse_lint.rendering import component_parts, render_call
from reuse_lint.rules import is_known_code
from reuse_lint.rules.base import Rule

if TYPE_CHECKING:
    import pathspec


def collect_findings(
    analyses: Iterable[FileAnalysis], rules: tuple[Rule, ...], config: Config
) -> tuple[list[Finding], list[str]]:
    """Findings in file and line order, and warnings about noqa comments."""
    analyses = list(analyses)
    copies = _duplicate_groups(analyses)
    ignores = _per_file_ignores(config)
    findings: list[Finding] = []
    warnings: list[str] = []
    for analysis in analyses:
        noqa = dict(analysis.noqa)
        warnings += _noqa_warnings(analysis)
        ignored = _ignored_codes(analysis.path, config.root, ignores)
        for chain in analysis.chains:
            for rule in rules:
                if not rule.matches(chain) or _suppressed(rule.code, chain, noqa):
                    continue
                if any(rule.code.startswith(code) for code in ignored):
                    continue
                findings.append(_finding(analysis.path, rule, chain, copies, config))
    findings.sort(key=lambda f: (f.path, f.span.line, f.span.column, f.code))
    return findings, warnings


def _finding(
    path: str,
    rule: Rule,
    chain: Chain,
    copies: dict[str, list[tuple[str, int]]],
    config: Config,
) -> Finding:
    message = rule.message(chain) + _duplicate_note(path, chain, copies)
    return Finding(
        path=path,
        code=rule.code,
        message=message,
        span=chain.span,
        fix=_fix(rule, chain, config.component),
        structure=chain.structure,
    )


def _fix(rule: Rule, chain: Chain, component: str) -> Fix | None:
    if chain.spec is None:
        return None
    _, name = component_parts(component)
    content = render_call(chain.spec, name, "", "    ")
    return Fix(rule.fix_title, rule.applicability(chain), content)


def _duplicate_groups(
    analyses: list[FileAnalysis],
) -> dict[str, list[tuple[str, int]]]:
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for analysis in analyses:
        for chain in analysis.chains:
            if chain.kind is ChainKind.REPLACEABLE:
                groups[chain.structure].append((analysis.path, chain.span.line))
    return groups


def _duplicate_note(
    path: str, chain: Chain, copies: dict[str, list[tuple[str, int]]]
) -> str:
    group = copies.get(chain.structure, [])
    others = [where for where in group if where != (path, chain.span.line)]
    if not others:
        return ""
    shown = ", ".join(f"{p}:{line}" for p, line in others)
    return f"; {len(group)} identical copies, also at {shown}"


def _suppressed(
    code: str, chain: Chain, noqa: dict[int, tuple[str, ...] | None]
) -> bool:
    if chain.span.line not in noqa:
        return False
    codes = noqa[chain.span.line]
    return codes is None or code in codes


def _noqa_warnings(analysis: FileAnalysis) -> list[str]:
    return [
        f"{analysis.path}:{line}: unknown rule code `{code}` in noqa comment"
        for line, codes in analysis.noqa
        for code in codes or ()
        if code.startswith("RL") and not is_known_code(code)
    ]


def _per_file_ignores(config: Config) -> list[tuple[pathspec.PathSpec[Any], list[str]]]:
    return [
        (gitignore_spec([pattern]), codes)
        for pattern, codes in config.per_file_ignores.items()
    ]


def _ignored_codes(
    path: str,
    root: Path | None,
    ignores: list[tuple[pathspec.PathSpec[Any], list[str]]],
) -> list[str]:
    if not ignores:
        return []
    relative = project_relative(Path(path), root)
    return [
        code for spec, codes in ignores if spec.match_file(relative) for code in codes
    ]
