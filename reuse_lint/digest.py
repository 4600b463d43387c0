"""Content digests for the cache and for fix safety.

``hashlib`` loads OpenSSL when imported, a cost every run would pay for one
BLAKE2 digest; the ``_blake2`` module that ``hashlib`` itself wraps starts
without it. Interpreters built without it fall back to ``hashlib``.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds _blake2
    from hashlib import blake2b


def digest(data: bytes, size: int) -> str:
    """The hexadecimal BLAKE2b digest of ``data``, ``size`` bytes long."""
    return blake2b(data, digest_size=size).hexdigest()
