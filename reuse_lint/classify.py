"""Decide what a decoded ``Sequential`` chain is.

The replaceable shape is
``[LayerNorm(in)]? Linear(in, hidden) Activation [Dropout]? Linear(hidden, out)
[Dropout]?``. Gates (ending in Sigmoid) and routers (ending in Softmax) are
exempt; chains that look like a feed-forward block but that the component
cannot rebuild exactly are near misses; the rest is "other". Every verdict
carries a reason a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass

from reuse_lint.catalogue import (
    ACTIVATION_NAMES,
    PARAMETERS,
    PARAMETRIC_ACTIVATIONS,
    SUPPORTED,
)
from reuse_lint.expressions import one_line
from reuse_lint.model import Arg, ChainKind, Layer, MLPSpec, layout


@dataclass(frozen=True)
class Verdict:
    """The classification of one chain."""

    kind: ChainKind
    reason: str
    reason_code: str
    spec: MLPSpec | None = None


class _NearMiss(Exception):
    """Raised inside the argument checks; carries the near-miss reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


GATING_REASON = "gating chain: a gate ends in Sigmoid to give a [0, 1] output"
ROUTING_REASON = (
    "routing chain: a router ends in Softmax to give a distribution over experts"
)


def classify(layers: tuple[Layer, ...], problem: str | None) -> Verdict:
    """Classify a chain given its layers and any structural problem."""
    if layers and layers[-1].kind == "Sigmoid":
        return Verdict(ChainKind.GATING, GATING_REASON, "gating")
    if layers and layers[-1].kind == "Softmax":
        return Verdict(ChainKind.ROUTING, ROUTING_REASON, "routing")
    if problem == "starred":
        return _near("starred", "layers are passed as *args, unknown until run time")

    try:
        spec = _match(layers)
    except _NearMiss as miss:
        return _near(miss.code, miss.reason)
    if spec is None:
        return Verdict(
            ChainKind.OTHER, f"not a feed-forward chain ({layout(layers)})", ""
        )

    if problem == "ordereddict":
        return _near(
            "ordereddict",
            "named layers in an OrderedDict; the component's children are numbered,"
            " so state_dict keys would change",
        )
    if problem is not None:
        return _near(problem, "Sequential called with keyword arguments")
    return Verdict(ChainKind.REPLACEABLE, _replaceable_reason(spec), "", spec)


def _near(code: str, reason: str) -> Verdict:
    return Verdict(ChainKind.NEAR_MISS, reason, code)


def _replaceable_reason(spec: MLPSpec) -> str:
    shape = "feed-forward block" if spec.same_size else "MLP head"
    return f"{shape} matches MLPBlock exactly"


def _match(layers: tuple[Layer, ...]) -> MLPSpec | None:
    """Return the spec of a replaceable chain, ``None`` if not FFN-like at all.

    Raises ``_NearMiss`` for an FFN-like chain the component cannot express.
    """
    linears = [i for i, layer in enumerate(layers) if layer.kind == "Linear"]
    if len(linears) < 2 or linears[1] == linears[0] + 1:
        return None
    first, second = linears[0], linears[1]

    activation = _check_middle(layers[first + 1 : second])
    prefix, suffix = layers[:first], layers[second + 1 :]
    if _kinds(prefix) not in ((), ("LayerNorm",)) or _kinds(suffix) not in (
        (),
        ("Dropout",),
    ):
        raise _NearMiss(
            "longer-chain",
            f"the feed-forward layers are part of a longer chain ({layout(layers)});"
            " replacing them would renumber the other children",
        )

    norm = prefix[0] if prefix else None
    hidden_dropout = layers[first + 2] if second - first == 3 else None
    output_dropout = suffix[0] if suffix else None
    return _build_spec(
        norm, layers[first], activation, hidden_dropout, layers[second], output_dropout
    )


def _kinds(layers: tuple[Layer, ...]) -> tuple[str, ...]:
    return tuple(layer.kind for layer in layers)


def _check_middle(middle: tuple[Layer, ...]) -> Layer:
    """Check ``Activation [Dropout]?`` between the Linears; return the activation."""
    activation = middle[0]
    if activation.kind == "?":
        raise _NearMiss(
            "dynamic-activation",
            f"activation `{one_line(activation.code)}` is chosen at run time;"
            " the component needs a known torch.nn activation",
        )
    if activation.kind in PARAMETRIC_ACTIVATIONS:
        raise _NearMiss(
            "parametric-activation",
            f"activation {activation.kind} has parameters;"
            " the component takes parameter-free activations",
        )
    if activation.kind not in ACTIVATION_NAMES:
        raise _unsupported_layer(activation)
    for layer in middle[1:]:
        if layer.kind != "Dropout" or len(middle) > 2:
            raise _unsupported_layer(layer)
    return activation


def _unsupported_layer(layer: Layer) -> _NearMiss:
    return _NearMiss(
        "unsupported-layer",
        f"`{one_line(layer.code)}` between the Linears has no place in the component",
    )


def bind(layer: Layer) -> dict[str, Arg]:
    """Bind a layer's arguments to its parameter names, as Python would.

    Raises ``_NearMiss`` when the call could not be bound (too many
    positional arguments, an unknown keyword, ``*args``).
    """
    names = PARAMETERS.get(layer.kind, ())
    bound: dict[str, Arg] = {}
    positional = [a for a in layer.args if a.keyword is None]
    keywords = [a for a in layer.args if a.keyword is not None]
    if len(positional) > len(names):
        raise _unsupported_argument(layer, "too many positional arguments")
    for name, arg in zip(names, positional, strict=False):
        bound[name] = arg
    for arg in keywords:
        if arg.keyword not in names or arg.keyword in bound:
            raise _unsupported_argument(layer, f"argument `{arg.keyword}`")
        bound[str(arg.keyword)] = arg
    return bound


def _unsupported_argument(layer: Layer, what: str) -> _NearMiss:
    return _NearMiss(
        "unsupported-argument",
        f"{what} in `{one_line(layer.code)}` cannot be expressed by the component",
    )


def _bind_supported(layer: Layer) -> dict[str, Arg]:
    bound = bind(layer)
    extra = sorted(set(bound) - SUPPORTED[layer.kind])
    if extra:
        raise _unsupported_argument(layer, f"argument `{extra[0]}`")
    return bound


def _build_spec(
    norm: Layer | None,
    linear1: Layer,
    activation: Layer,
    dropout1: Layer | None,
    linear2: Layer,
    dropout2: Layer | None,
) -> MLPSpec:
    fc1, fc2 = _bind_linear(linear1), _bind_linear(linear2)
    if fc1["out_features"].key != fc2["in_features"].key:
        hidden, second = fc1["out_features"].code, fc2["in_features"].code
        raise _size_mismatch(
            f"the first Linear's output `{one_line(hidden)}` differs from"
            f" the second Linear's input `{one_line(second)}`"
        )
    bind(activation)
    norm_args = _bind_norm(norm, fc1["in_features"]) if norm else {}

    return MLPSpec(
        input_dim=fc1["in_features"].code,
        hidden_dim=fc1["out_features"].code,
        output_dim=fc2["out_features"].code,
        activation=_activation_argument(activation),
        dropout=_dropout_p(dropout1),
        output_dropout=_dropout_p(dropout2),
        bias=_code(fc1.get("bias")),
        output_bias=_code(fc2.get("bias")),
        norm=norm is not None,
        norm_eps=_code(norm_args.get("eps")),
        norm_affine=_code(norm_args.get("elementwise_affine")),
        same_size=fc1["in_features"].key == fc2["out_features"].key,
        pure=all(
            arg.pure
            for layer in (norm, linear1, activation, dropout1, linear2, dropout2)
            if layer is not None
            for arg in layer.args
        ),
    )


def _bind_linear(layer: Layer) -> dict[str, Arg]:
    bound = _bind_supported(layer)
    if "in_features" not in bound or "out_features" not in bound:
        raise _unsupported_argument(layer, "a missing size")
    return bound


def _bind_norm(layer: Layer, input_dim: Arg) -> dict[str, Arg]:
    bound = _bind_supported(layer)
    shape = bound.get("normalized_shape")
    if shape is None or shape.key != input_dim.key:
        shown = shape.code if shape else "nothing"
        raise _size_mismatch(
            f"the LayerNorm normalises `{one_line(shown)}` but the first Linear takes"
            f" `{one_line(input_dim.code)}`"
        )
    return bound


def _size_mismatch(reason: str) -> _NearMiss:
    return _NearMiss("size-mismatch", reason)


def _dropout_p(layer: Layer | None) -> str | None:
    if layer is None:
        return None
    p = _bind_supported(layer).get("p")
    return p.code if p is not None else "0.5"


def _code(arg: Arg | None) -> str | None:
    return arg.code if arg is not None else None


def _activation_argument(layer: Layer) -> str:
    """A quoted name for a plain activation, else the user's own expression."""
    name = ACTIVATION_NAMES[layer.kind]
    if layer.args or name is None:
        return layer.code
    return f'"{name}"'


def structure_key(layers: tuple[Layer, ...]) -> str:
    """A key equal for chains with the same layers and the same sizes."""
    parts = []
    for layer in layers:
        try:
            bound = bind(layer)
        except _NearMiss:
            bound = {str(i): a for i, a in enumerate(layer.args)}
        args = ",".join(f"{name}={arg.key}" for name, arg in sorted(bound.items()))
        parts.append(f"{layer.kind}({args})")
    return "|".join(parts)
