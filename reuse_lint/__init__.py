"""reuse-lint: find hand-written PyTorch feed-forward blocks and replace them.

The linter half of this package (everything outside ``reuse_lint.components``
and ``reuse_lint.verify``) never imports torch.
"""

__version__ = "0.1.0"
