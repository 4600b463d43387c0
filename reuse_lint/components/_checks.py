"""Argument checks shared by the components.

Each check names the argument it rejects, so a bad config reads as
``hidden_dim must be positive, got 0`` rather than as a shape error deep
inside ``torch.nn``. ``bool`` is refused where a number is expected, because
``True`` passed as a size or probability is almost always a slip. Anything
``torch.nn`` itself takes for a size or a flag that code really writes (a
NumPy integer as a size, ``bias=0``) is taken too: a rewrite that swaps a
hand-written chain for a component must not start failing on it.
"""

import math
import operator


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
    """Return the truth of ``value`` if it is a ``bool``, an ``int`` or ``None``.

    ``torch.nn`` tests these flags for truth, so ``bias=0`` or ``bias=None``
    in a hand-written chain means no bias; the component reads them alike.
    """
    if value is not None and not isinstance(value, int):
        raise TypeError(
            f"{name} must be a bool (or an int or None), got {type(value).__name__}"
        )

    return bool(value)


def _check_real(name: str, value: object) -> float:
    """Return ``value`` if it is an ``int`` or ``float`` (not a ``bool``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")

    return value
