"""Argument checks shared by the components.

Each check names the argument it rejects, so a bad config reads as
``hidden_dim must be positive, got 0`` rather than as a shape error deep
inside ``torch.nn``. ``bool`` is refused where a number is expected, because
``True`` passed as a size or probability is almost always a slip. Anything
``torch.nn`` itself takes for a size or a flag that code really writes (a
NumPy integer as a size, ``bias=0``, a NumPy float as a probability) is
taken too: a rewrite that swaps a hand-written chain for a component must
not start failing on it. And since ``torch.nn`` keeps such values as they
were given (``Dropout.p``, ``LayerNorm.eps``, ``LayerNorm.elementwise_affine``
show in ``repr`` and in attributes), the checks return them unchanged.
"""

import math
import numbers
import operator
from typing import Any


def check_size(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is a positive integer (not a ``bool``).

    Integers of other types (NumPy's, a 0-d integer tensor) are taken through
    ``__index__``, as ``torch.nn.Linear`` takes them.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got bool")
    try:
        number = operator.index(value)  # type: ignore[arg-type]  # checked here
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, got {number}")

    return number


def check_probability(name: str, value: Any) -> Any:
    """Return ``value`` if it is ``None`` or a real number in ``[0, 1]``."""
    if value is None:
        return None
    if not 0.0 <= _check_real(name, value) <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")

    return value


def check_eps(name: str, value: Any) -> Any:
    """Return ``value`` if it is a finite, non-negative real number."""
    number = _check_real(name, value)
    if not (math.isfinite(number) and number >= 0.0):
        raise ValueError(f"{name} must be finite and non-negative, got {value!r}")

    return value


def check_flag(name: str, value: Any) -> Any:
    """Return ``value`` if it reads as a flag: a bool, an int, ``None`` and alike.

    ``torch.nn`` tests these flags for truth, so ``bias=0`` or ``bias=None``
    in a hand-written chain means no bias; the component reads them alike.
    Anything else with a truth value of its own (NumPy's ``bool_``) is taken
    too; a string, a float or a container is refused as a likely slip.
    """
    refused = isinstance(value, str | bytes | float | complex)
    if refused or not (value is None or hasattr(type(value), "__bool__")):
        raise TypeError(
            f"{name} must be a bool (or an int or None), got {type(value).__name__}"
        )

    return value


def _check_real(name: str, value: object) -> float:
    """``value`` as a float if it is a real number (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")

    return float(value)
