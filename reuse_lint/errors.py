"""The one user-facing error type, and the exit codes."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A problem the user can fix: bad configuration, a bad option value.

    The top-level handler prints the message on one line and exits with 2.
    """
