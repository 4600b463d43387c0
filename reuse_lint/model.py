"""Plain data types shared by the analysis, the rules, the fixer and the outputs.

Nothing here knows about LibCST or torch: these objects cross process
boundaries (the worker pool) and go into the cache, so they are small frozen
dataclasses of strings, numbers and tuples.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines, 1-based columns (as ruff reports them)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Arg:
    """One argument of a layer call, kept verbatim and in a comparable form."""

    keyword: str | None
    code: str
    key: str
    pure: bool


@dataclass(frozen=True)
class Layer:
    """One element of a ``Sequential``: a torch.nn layer call or something else.

    ``kind`` is the torch.nn class name (``"Linear"``) when the element is a
    call of a torch.nn layer, ``"?"`` for anything the analysis cannot name
    (a variable, a call of a user's class, a starred list).
    """

    kind: str
    args: tuple[Arg, ...]
    code: str

    def arg(self, name: str, position: int) -> Arg | None:
        """Return the argument bound to ``name``, given by keyword or position."""
        positional = [a for a in self.args if a.keyword is None]
        if position < len(positional):
            return positional[position]
        return next((a for a in self.args if a.keyword == name), None)


def layout(layers: tuple[Layer, ...]) -> str:
    """Render the layer kinds as ``Linear → ReLU → Linear``."""
    return " → ".join(
        layer.kind if layer.kind != "?" else layer.code for layer in layers
    )


class ChainKind(enum.Enum):
    """What a ``Sequential`` chain is, as far as reuse is concerned."""

    REPLACEABLE = "replaceable"
    GATING = "gating"
    ROUTING = "routing"
    NEAR_MISS = "near-miss"
    OTHER = "other"


@dataclass(frozen=True)
class MLPSpec:
    """The component arguments that rebuild a replaceable chain exactly.

    Every value is the user's own source text; ``None`` means "no such layer"
    for the dropouts and "not written" for the optional arguments.
    """

    input_dim: str
    hidden_dim: str
    output_dim: str
    activation: str
    dropout: str | None
    output_dropout: str | None
    bias: str | None
    output_bias: str | None
    norm: bool
    norm_eps: str | None
    norm_affine: str | None
    same_size: bool
    pure: bool


@dataclass(frozen=True)
class Chain:
    """One ``torch.nn.Sequential(...)`` call and its classification."""

    span: Span
    layers: tuple[Layer, ...]
    kind: ChainKind
    reason: str
    reason_code: str
    spec: MLPSpec | None
    structure: str
    owner: str


@dataclass(frozen=True)
class ModuleInfo:
    """A class, or a module-level function that builds a ``Sequential``.

    Every class is recorded, with its bases as the imports resolve them
    (``torch.nn.Module``, ``..modeling_layers.GradientCheckpointingLayer``)
    or as written when they do not (``Block``). Whether a class derives
    from ``nn.Module`` through classes of other files is only known once
    every file is analysed; the reuse report works it out.
    """

    name: str
    line: int
    is_module: bool
    """A class (``False``: a function)."""
    uses: tuple[str, ...]
    bases: tuple[str, ...] = ()
    top: bool = True
    """Defined at module level (not inside a function or class)."""


@dataclass(frozen=True)
class FileAnalysis:
    """Everything the analysis learnt about one file."""

    path: str
    chains: tuple[Chain, ...] = ()
    modules: tuple[ModuleInfo, ...] = ()
    noqa: tuple[tuple[int, tuple[str, ...] | None], ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Fix:
    """A replacement for a finding's range, with its safety."""

    title: str
    applicability: str
    content: str


@dataclass(frozen=True)
class Finding:
    """A reported problem: a rule code at a place, with a message."""

    path: str
    code: str
    message: str
    span: Span
    fix: Fix | None
    structure: str = ""
