"""Activation names that ``MLPBlock`` accepts, and how an argument becomes a child.

The table maps the snake-case names people write in configs to the
``torch.nn`` classes that hand-written chains construct with no arguments.
The linter keeps its own copy of these names (it must not import torch), and a
test checks that the two tables agree, so change both together.
"""

from typing import Final

from torch import nn

ACTIVATIONS: Final[dict[str, type[nn.Module]]] = {
    "relu": nn.ReLU,
    "relu6": nn.ReLU6,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "mish": nn.Mish,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "celu": nn.CELU,
    "selu": nn.SELU,
    "hardswish": nn.Hardswish,
    "hardsigmoid": nn.Hardsigmoid,
    "hardtanh": nn.Hardtanh,
    "softplus": nn.Softplus,
    "softsign": nn.Softsign,
    "tanhshrink": nn.Tanhshrink,
    "softshrink": nn.Softshrink,
    "hardshrink": nn.Hardshrink,
    "logsigmoid": nn.LogSigmoid,
    "rrelu": nn.RReLU,
}
"""Snake-case activation name -> ``torch.nn`` class built with no arguments."""

ActivationArg = str | nn.Module | type[nn.Module]
"""What ``MLPBlock(activation=...)`` accepts."""


def make_activation(activation: ActivationArg) -> nn.Module:
    """Turn an ``activation`` argument into the module to place in the chain.

    A name is looked up in ``ACTIVATIONS``; a module instance is used as it is,
    so configured activations such as ``nn.LeakyReLU(0.2)`` keep their settings;
    a module class is built with no arguments.
    """
    if isinstance(activation, str):
        return _from_name(activation)
    if isinstance(activation, nn.Module):
        return activation
    if isinstance(activation, type) and issubclass(activation, nn.Module):
        return _from_class(activation)

    raise TypeError(
        "activation must be a name, an nn.Module instance or an nn.Module "
        f"subclass, got {type(activation).__name__}: {activation!r}"
    )


def _from_name(name: str) -> nn.Module:
    """Build the activation registered under ``name``."""
    cls = ACTIVATIONS.get(name)
    if cls is None:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(
            f"activation {name!r} is not a known name; use one of: {known}"
        )

    return cls()


def _from_class(cls: type[nn.Module]) -> nn.Module:
    """Build ``cls`` with no arguments, naming the argument if it needs some."""
    try:
        return cls()
    except TypeError as error:
        raise TypeError(
            f"activation class {cls.__name__} cannot be built with no arguments; "
            "pass an instance instead"
        ) from error
