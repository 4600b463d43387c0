"""What the linter knows about torch.nn, written down without importing torch.

Each layer the analysis decodes has its parameter names in constructor order,
so positional and keyword arguments can be bound the way Python would.
"""

from __future__ import annotations

DEFAULT_COMPONENT = "reuse_lint.components:MLPBlock"
"""The component fixes call unless the configuration names another."""

TORCH_NN_PREFIXES = ("torch.nn.", "torch.nn.modules.")

ACTIVATION_NAMES: dict[str, str | None] = {
    "ReLU": "relu",
    "ReLU6": "relu6",
    "GELU": "gelu",
    "SiLU": "silu",
    "Mish": "mish",
    "Tanh": "tanh",
    "Sigmoid": "sigmoid",
    "LeakyReLU": "leaky_relu",
    "ELU": "elu",
    "CELU": "celu",
    "SELU": "selu",
    "Hardswish": "hardswish",
    "Hardsigmoid": "hardsigmoid",
    "Hardtanh": "hardtanh",
    "Softplus": "softplus",
    "Softsign": "softsign",
    "Tanhshrink": "tanhshrink",
    "Softshrink": "softshrink",
    "Hardshrink": "hardshrink",
    "LogSigmoid": "logsigmoid",
    "RReLU": "rrelu",
    "Threshold": None,
}
"""Parameter-free torch.nn activations and the component's name for each.

``None`` marks an activation without a no-argument form: it is always passed
to the component as the user's own expression.
"""

PARAMETERS: dict[str, tuple[str, ...]] = {
    "Linear": ("in_features", "out_features", "bias", "device", "dtype"),
    "LayerNorm": (
        "normalized_shape",
        "eps",
        "elementwise_affine",
        "bias",
        "device",
        "dtype",
    ),
    "Dropout": ("p", "inplace"),
    "ReLU": ("inplace",),
    "ReLU6": ("inplace",),
    "GELU": ("approximate",),
    "SiLU": ("inplace",),
    "Mish": ("inplace",),
    "Tanh": (),
    "Sigmoid": (),
    "LeakyReLU": ("negative_slope", "inplace"),
    "ELU": ("alpha", "inplace"),
    "CELU": ("alpha", "inplace"),
    "SELU": ("inplace",),
    "Hardswish": ("inplace",),
    "Hardsigmoid": ("inplace",),
    "Hardtanh": ("min_val", "max_val", "inplace", "min_value", "max_value"),
    "Softplus": ("beta", "threshold"),
    "Softsign": (),
    "Tanhshrink": (),
    "Softshrink": ("lambd",),
    "Hardshrink": ("lambd",),
    "LogSigmoid": (),
    "RReLU": ("lower", "upper", "inplace"),
    "Threshold": ("threshold", "value", "inplace"),
}
"""Constructor parameters, in order, of the layers the pattern can contain."""

SUPPORTED = {
    "Linear": frozenset({"in_features", "out_features", "bias"}),
    "LayerNorm": frozenset({"normalized_shape", "eps", "elementwise_affine"}),
    "Dropout": frozenset({"p"}),
}
"""Parameters the component can express; others make a chain a near miss."""

PARAMETRIC_ACTIVATIONS = frozenset({"PReLU"})


def torch_nn_name(qualified: str | None) -> str | None:
    """Return ``"Linear"`` for ``torch.nn.Linear`` and its module paths."""
    if qualified is None:
        return None
    for prefix in TORCH_NN_PREFIXES:
        if qualified.startswith(prefix):
            return qualified.rsplit(".", 1)[1]
    return None


def is_sequential(qualified: str | None) -> bool:
    """Whether a qualified name denotes ``torch.nn.Sequential``."""
    return qualified in (
        "torch.nn.Sequential",
        "torch.nn.modules.Sequential",
        "torch.nn.modules.container.Sequential",
    )
