"""The reuse report's content: one row per component, the chains, a summary.

A *component* is an ``nn.Module`` subclass, or a module-level factory
function that builds a ``Sequential``. Each row says whether anything in it
can be replaced by the configured component, what it already reuses, and
why. The outputs (markdown, JSON, HTML) only render what is built here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reuse_lint.catalogue import ACTIVATION_NAMES, is_sequential
from reuse_lint.model import (
    Chain,
    ChainKind,
    FileAnalysis,
    Finding,
    MLPSpec,
    ModuleInfo,
    layout,
)
from reuse_lint.rendering import component_parts, render_call
from reuse_lint.report.hierarchy import module_subclasses

PRIMITIVES = frozenset(
    {
        *ACTIVATION_NAMES,
        "Sequential",
        "ModuleList",
        "ModuleDict",
        "ParameterList",
        "ParameterDict",
        "Parameter",
        "Buffer",
        "Identity",
        "Flatten",
        "Unflatten",
        "Linear",
        "LazyLinear",
        "Dropout",
        "Dropout1d",
        "Dropout2d",
        "Dropout3d",
        "AlphaDropout",
        "FeatureAlphaDropout",
        "Softmax",
        "LogSoftmax",
        "Softmin",
        "PReLU",
        "GLU",
    }
)
"""torch.nn classes every network is made of: they make a component count as
built on built-ins, but the tables name only the others (attention,
normalisation, convolution, recurrent, embedding layers...)."""

NOT_CLASSES = ("torch.nn.functional.", "torch.nn.init.", "torch.nn.utils.")

VERDICTS = ("replaceable", "suppressed", "gating", "routing", "near-miss")
"""A reported chain's verdict: its ``ChainKind`` value, or ``suppressed`` for a
replaceable chain without a finding (noqa, per-file-ignores, rule selection)."""
EXEMPT = ("gating", "routing")
NO_CHAIN = "no feed-forward chain"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class ChainRow:
    """One ``Sequential`` chain worth reporting (anything but "other")."""

    owner: str
    component: str | None
    path: str
    line: int
    verdict: str
    code: str | None
    layers: str
    reason: str
    reason_code: str
    lines: int
    lines_after_fix: int | None


@dataclass(frozen=True)
class ComponentRow:
    """One component: the seed note's table row, and the facts behind it."""

    component: str
    kind: str
    path: str
    line: int
    replaceable: bool
    reuses: str | None
    library: tuple[str, ...]
    builtins: tuple[str, ...]
    primitives: tuple[str, ...]
    reason: str
    chains: dict[str, int]

    @property
    def quiet(self) -> bool:
        """Nothing to report: no chain, no library reuse, no attention built-in."""
        return self.reason == NO_CHAIN


@dataclass(frozen=True)
class DuplicateGroup:
    """Replaceable chains with the same structure, at two places or more."""

    layers: str
    sizes: str
    locations: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Summary:
    """The report's headline numbers."""

    files: int
    components: int
    replaceable_components: int
    replaceable_chains: int
    suppressed_chains: int
    exempt: tuple[tuple[str, str, int], ...]
    near_misses: tuple[tuple[str, int], ...]
    duplicated_lines: int
    lines_after_fix: int
    reusing_library: tuple[str, ...]

    @property
    def lines_saved(self) -> int:
        """How many lines the fixes would remove."""
        return self.duplicated_lines - self.lines_after_fix


@dataclass(frozen=True)
class Report:
    """Everything the three formats render."""

    component: str
    summary: Summary
    rows: tuple[ComponentRow, ...]
    chains: tuple[ChainRow, ...]
    duplicates: tuple[DuplicateGroup, ...]
    errors: tuple[tuple[str, str], ...]


def build_report(
    analyses: Iterable[FileAnalysis],
    findings: Iterable[Finding],
    component: str,
    errors: Iterable[tuple[str, str]] = (),
) -> Report:
    """Gather rows, chains, duplicate groups and the summary from one run."""
    analyses = sorted(analyses, key=lambda a: a.path)
    findings = list(findings)
    _, name = component_parts(component)
    flagged = {(f.path, f.span.line, f.span.column): f for f in findings}

    subclasses = module_subclasses(analyses)
    rows: list[ComponentRow] = []
    chains: list[ChainRow] = []
    for analysis in analyses:
        components = [
            m for m in analysis.modules if _is_component(m, analysis, subclasses)
        ]
        file_chains = _chain_rows(analysis, components, flagged, name)
        chains += file_chains
        rows += _component_rows(analysis.path, components, file_chains, component)

    duplicates = _duplicate_groups(analyses, findings)
    summary = _summary(len(analyses), rows, chains)
    return Report(name, summary, tuple(rows), tuple(chains), duplicates, tuple(errors))


def _is_component(
    module: ModuleInfo, analysis: FileAnalysis, subclasses: set[tuple[str, int]]
) -> bool:
    """An ``nn.Module`` subclass, or a top-level class or function that builds
    a ``Sequential``."""
    if module.is_module and (analysis.path, module.line) in subclasses:
        return True
    return module.top and any(is_sequential(use) for use in module.uses)


def _chain_rows(
    analysis: FileAnalysis,
    components: list[ModuleInfo],
    flagged: dict[tuple[str, int, int], Finding],
    name: str,
) -> list[ChainRow]:
    """The reportable chains of one file, each given to its innermost row."""
    names = {m.name for m in components}
    lines: list[str] | None = None
    rows = []
    for chain in analysis.chains:
        if chain.kind is ChainKind.OTHER:
            continue
        finding = flagged.get((analysis.path, chain.span.line, chain.span.column))
        after = None
        if finding is not None and chain.spec is not None:
            lines = _source_lines(analysis.path) if lines is None else lines
            after = _rendered_lines(chain.spec, chain.span.line, name, lines)
        rows.append(_chain_row(analysis.path, chain, names, finding, after))
    return rows


def _chain_row(
    path: str,
    chain: Chain,
    names: set[str],
    finding: Finding | None,
    after: int | None,
) -> ChainRow:
    verdict = chain.kind.value
    if chain.kind is ChainKind.REPLACEABLE and finding is None:
        verdict = SUPPRESSED
    owner_parts = chain.owner.split(".")
    component = next((p for p in reversed(owner_parts) if p in names), None)
    return ChainRow(
        owner=chain.owner,
        component=component,
        path=path,
        line=chain.span.line,
        verdict=verdict,
        code=finding.code if finding is not None else None,
        layers=layout(chain.layers),
        reason=chain.reason,
        reason_code=chain.reason_code,
        lines=chain.span.end_line - chain.span.line + 1,
        lines_after_fix=after,
    )


def _source_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _rendered_lines(spec: MLPSpec, line: int, name: str, lines: list[str]) -> int:
    """How many lines the component call replacing the chain at ``line`` takes."""
    index = line - 1
    text = lines[index] if index < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    unit = "\t" if "\t" in indent else "    "
    return render_call(spec, name, indent, unit).count("\n") + 1


def _component_rows(
    path: str, components: list[ModuleInfo], chains: list[ChainRow], component: str
) -> list[ComponentRow]:
    owned: dict[str, list[ChainRow]] = defaultdict(list)
    for chain in chains:
        if chain.component is not None:
            owned[chain.component].append(chain)
    return [
        _component_row(path, module, owned[module.name], component)
        for module in sorted(components, key=lambda m: m.line)
    ]


def _component_row(
    path: str, module: ModuleInfo, chains: list[ChainRow], component: str
) -> ComponentRow:
    _, name = component_parts(component)
    library = _library_uses(module, component)
    builtins, primitives = _builtin_uses(module)
    counts = Counter(chain.verdict for chain in chains)
    replaceable = counts["replaceable"] > 0
    if library or replaceable:
        reuses: str | None = name
    else:
        reuses = "built-ins" if builtins or primitives else None
    return ComponentRow(
        component=module.name,
        kind="module" if module.is_module else "factory",
        path=path,
        line=module.line,
        replaceable=replaceable,
        reuses=reuses,
        library=library,
        builtins=builtins,
        primitives=primitives,
        reason=_reason(chains, name, library, builtins),
        chains={verdict: counts[verdict] for verdict in VERDICTS},
    )


def _library_uses(module: ModuleInfo, component: str) -> tuple[str, ...]:
    qualified = component.replace(":", ".")
    return tuple(use.rsplit(".", 1)[-1] for use in module.uses if use == qualified)


def _builtin_uses(module: ModuleInfo) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The torch.nn classes a component uses: notable ones, then primitives."""
    classes = [
        use.rsplit(".", 1)[-1]
        for use in module.uses
        if use.startswith("torch.nn.") and not use.startswith(NOT_CLASSES)
    ]
    classes = [c for c in dict.fromkeys(classes) if c[:1].isupper()]
    notable = tuple(c for c in classes if c not in PRIMITIVES)
    return notable, tuple(c for c in classes if c in PRIMITIVES)


def _reason(
    chains: list[ChainRow],
    name: str,
    library: tuple[str, ...],
    builtins: tuple[str, ...],
) -> str:
    """The row's reason: one clause per kind of chain, or what it reuses."""
    parts = [
        _replaceable_clause([c for c in chains if c.verdict == "replaceable"], name),
        _count_clause("suppressed by noqa or rule selection", chains, SUPPRESSED),
        *_exempt_clauses(chains),
        _near_miss_clause([c for c in chains if c.verdict == "near-miss"]),
    ]
    text = "; ".join(part for part in parts if part)
    if text:
        return text
    if library:
        return f"already reuses {', '.join(library)}"
    attention = [b for b in builtins if "Attention" in b]
    if attention:
        names = ", ".join(f"nn.{b}" for b in attention)
        return f"already uses built-in attention ({names})"
    return NO_CHAIN


def _chains(count: int) -> str:
    return f"{count} chain{'s' if count != 1 else ''}"


def _replaceable_clause(chains: list[ChainRow], name: str) -> str:
    if not chains:
        return ""
    heads = sum(1 for c in chains if c.code == "RL102")
    shapes = [
        *(["FFN pattern"] if heads < len(chains) else []),
        *(["MLP head"] if heads else []),
    ]
    verb = "match" if len(shapes) > 1 else "matches"
    return f"{' and '.join(shapes)} {verb} {name} ({_chains(len(chains))})"


def _count_clause(text: str, chains: list[ChainRow], verdict: str) -> str:
    count = sum(1 for c in chains if c.verdict == verdict)
    return f"{_chains(count)} {text}" if count else ""


def _exempt_clauses(chains: list[ChainRow]) -> list[str]:
    """``gating pattern needs Sigmoid``: the layer that makes the chain exempt."""
    needs: Counter[tuple[str, str]] = Counter()
    for chain in chains:
        if chain.verdict in EXEMPT:
            last = chain.layers.rsplit(" → ", 1)[-1]
            needs[(chain.verdict, last)] += 1
    return [
        f"{kind} pattern needs {layer}" + (f" ({_chains(n)})" if n > 1 else "")
        for (kind, layer), n in needs.items()
    ]


def _near_miss_clause(chains: list[ChainRow]) -> str:
    if not chains:
        return ""
    if len(chains) == 1:
        return f"near miss: {chains[0].reason}"
    codes = ", ".join(dict.fromkeys(c.reason_code for c in chains))
    return f"{len(chains)} near misses: {codes}"


def _duplicate_groups(
    analyses: list[FileAnalysis], findings: list[Finding]
) -> tuple[DuplicateGroup, ...]:
    chains = {
        (a.path, c.span.line, c.span.column): c for a in analyses for c in a.chains
    }
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.structure:
            groups[finding.structure].append(finding)
    result = []
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        chain = chains[(first.path, first.span.line, first.span.column)]
        spec = chain.spec
        sizes = (
            f"{spec.input_dim} → {spec.hidden_dim} → {spec.output_dim}" if spec else ""
        )
        where = tuple((f.path, f.span.line) for f in members)
        result.append(DuplicateGroup(layout(chain.layers), sizes, where))
    result.sort(key=lambda g: (-len(g.locations), g.locations))
    return tuple(result)


def _summary(files: int, rows: list[ComponentRow], chains: list[ChainRow]) -> Summary:
    replaced = [c for c in chains if c.lines_after_fix is not None]
    exempt = Counter((c.verdict, c.reason) for c in chains if c.verdict in EXEMPT)
    near = Counter(c.reason_code for c in chains if c.verdict == "near-miss")
    return Summary(
        files=files,
        components=len(rows),
        replaceable_components=sum(1 for r in rows if r.replaceable),
        replaceable_chains=len(replaced),
        suppressed_chains=sum(1 for c in chains if c.verdict == SUPPRESSED),
        exempt=tuple((kind, reason, n) for (kind, reason), n in sorted(exempt.items())),
        near_misses=tuple(sorted(near.items(), key=lambda item: (-item[1], item[0]))),
        duplicated_lines=sum(c.lines for c in replaced),
        lines_after_fix=sum(c.lines_after_fix or 0 for c in replaced),
        reusing_library=tuple(r.component for r in rows if r.library),
    )
