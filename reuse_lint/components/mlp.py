"""``MLPBlock``: the shared feed-forward block that hand-written chains become."""

import enum
from collections import OrderedDict
from typing import Final

from torch import nn

from reuse_lint.components._checks import (
    check_eps,
    check_flag,
    check_probability,
    check_size,
)
from reuse_lint.components.activations import ActivationArg, make_activation


class _Unset(enum.Enum):
    """Marks an argument the caller left out, where ``None`` means something."""

    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "<unset>"


_UNSET: Final = _Unset.UNSET


class MLPBlock(nn.Sequential):
    """A feed-forward block: optional norm, two linear layers, optional dropout.

    It replaces hand-written chains of this shape::

        nn.Sequential(
            nn.LayerNorm(input_dim),             # only with norm=True
            nn.Linear(input_dim, hidden_dim),
            activation,
            nn.Dropout(dropout),                 # only if dropout is not None
            nn.Linear(hidden_dim, output_dim),
            nn.Dropout(output_dropout),          # only if output_dropout is not None
        )

    Why the children are laid out this way: the block is a ``nn.Sequential``
    holding exactly the children the chain held, at the same indices, so a
    swap changes nothing else. ``state_dict`` keys such as ``ffn.0.weight``
    stay the same and old checkpoints load with ``strict=True``; ``len()``,
    indexing, iteration and child paths used by hooks or optimiser groups are
    unchanged; forward runs the children in the same order, so dropout draws
    the same random masks. The layers are also built in chain order, so the
    same seed gives the same initial weights.

    For the same reason the layout follows the arguments, not their values:
    ``dropout=0.0`` still adds a ``Dropout(p=0.0)`` child, and only ``None``
    leaves it out. Leaving ``output_dropout`` out copies ``dropout``, so
    ``dropout=0.1`` alone gives both dropouts, as most chains have. Leaving
    ``output_bias`` out copies ``bias``.

    Args:
        input_dim: features in (and of the LayerNorm).
        hidden_dim: features between the two linear layers.
        output_dim: features out; ``None`` means ``input_dim``.
        dropout: ``p`` of the dropout after the activation, or ``None``.
        output_dropout: ``p`` of the trailing dropout, or ``None``.
        activation: a name from ``ACTIVATIONS``, an ``nn.Module`` instance
            (used as the child itself) or an ``nn.Module`` class (built with
            no arguments).
        bias: whether the first linear layer has a bias.
        output_bias: whether the second linear layer has a bias.
        norm: whether to start with ``nn.LayerNorm(input_dim)``.
        norm_eps: ``eps`` of that LayerNorm.
        norm_affine: ``elementwise_affine`` of that LayerNorm.
    """

    input_dim: int
    hidden_dim: int
    output_dim: int

    def __init__(
        self,
        input_dim: int,
        hidden_dim: int,
        output_dim: int | None = None,
        *,
        dropout: float | None = None,
        output_dropout: float | _Unset | None = _UNSET,
        activation: ActivationArg = "relu",
        bias: bool = True,
        output_bias: bool | _Unset = _UNSET,
        norm: bool = False,
        norm_eps: float = 1e-5,
        norm_affine: bool = True,
    ) -> None:
        input_dim = check_size("input_dim", input_dim)
        hidden_dim = check_size("hidden_dim", hidden_dim)
        if output_dim is None:
            output_dim = input_dim
        output_dim = check_size("output_dim", output_dim)
        if isinstance(output_dropout, _Unset):
            output_dropout = dropout
        if isinstance(output_bias, _Unset):
            output_bias = bias

        layers = _build_layers(
            (input_dim, hidden_dim, output_dim),
            dropouts=(
                check_probability("dropout", dropout),
                check_probability("output_dropout", output_dropout),
            ),
            activation=activation,
            biases=(check_flag("bias", bias), check_flag("output_bias", output_bias)),
            norm=_check_norm(norm, norm_eps, norm_affine),
        )
        super().__init__(*layers)

        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.output_dim = output_dim

    def __getitem__(self, idx: slice | int) -> nn.Sequential | nn.Module:
        """Index like ``nn.Sequential``; a slice is a plain ``nn.Sequential``.

        A slice is not a whole block any more, and ``nn.Sequential`` would
        try to rebuild it through this class's constructor.
        """
        if isinstance(idx, slice):
            return nn.Sequential(OrderedDict(list(self._modules.items())[idx]))

        return super().__getitem__(idx)

    def extra_repr(self) -> str:
        """Summarise the sizes above the child listing."""
        return (
            f"input_dim={self.input_dim}, hidden_dim={self.hidden_dim}, "
            f"output_dim={self.output_dim}"
        )


def _check_norm(norm: bool, eps: float, affine: bool) -> tuple[float, bool] | None:
    """Return the LayerNorm settings, or ``None`` when there is no norm."""
    use_norm = check_flag("norm", norm)
    settings = (check_eps("norm_eps", eps), check_flag("norm_affine", affine))

    return settings if use_norm else None


def _build_layers(
    sizes: tuple[int, int, int],
    *,
    dropouts: tuple[float | None, float | None],
    activation: ActivationArg,
    biases: tuple[bool, bool],
    norm: tuple[float, bool] | None,
) -> list[nn.Module]:
    """Create the children in chain order, so a seed gives chain weights."""
    input_dim, hidden_dim, output_dim = sizes
    layers: list[nn.Module] = []
    if norm is not None:
        eps, affine = norm
        layers.append(nn.LayerNorm(input_dim, eps=eps, elementwise_affine=affine))

    layers.append(nn.Linear(input_dim, hidden_dim, bias=biases[0]))
    layers.append(make_activation(activation))
    if dropouts[0] is not None:
        layers.append(nn.Dropout(dropouts[0]))

    layers.append(nn.Linear(hidden_dim, output_dim, bias=biases[1]))
    if dropouts[1] is not None:
        layers.append(nn.Dropout(dropouts[1]))

    return layers
