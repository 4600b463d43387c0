"""Argument checks shared by the components.

Each check names the argument it rejects, so a bad config reads as
``hidden_dim must be positive, got 0`` rather than as a shape error deep
inside ``torch.nn``. ``bool`` is refused where a number is expected, because
``True`` passed as a size or probability is almost always a slip.
"""

import math


def check_size(name: str, value: object) -> int:
    """Return ``value`` if it is a positive ``int`` (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")

    return value


def check_probability(name: str, value: object) -> float | None:
    """Return ``value`` if it is ``None`` or a number in ``[0, 1]``."""
    if value is None:
        return None
    number = _check_real(name, value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")

    return number


def check_eps(name: str, value: object) -> float:
    """Return ``value`` if it is a finite, non-negative number."""
    number = _check_real(name, value)
    if not (math.isfinite(number) and number >= 0.0):
        raise ValueError(f"{name} must be finite and non-negative, got {value!r}")

    return number


def check_flag(name: str, value: object) -> bool:
    """Return ``value`` if it is a ``bool``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")

    return value


def _check_real(name: str, value: object) -> float:
    """Return ``value`` if it is an ``int`` or ``float`` (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")

    return value
