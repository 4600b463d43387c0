"""``python -m reuse_lint``."""

from reuse_lint.cli import main

main()
