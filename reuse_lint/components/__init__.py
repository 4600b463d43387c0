"""Shared PyTorch building blocks that the linter's fixes point to.

This package imports torch and never imports the linter; the linter never
imports it. ``MLPBlock`` is the drop-in replacement for hand-written
feed-forward ``nn.Sequential`` chains, and ``ACTIVATIONS`` lists the
activation names it accepts.
"""

from reuse_lint.components.activations import ACTIVATIONS
from reuse_lint.components.mlp import MLPBlock

__all__ = ["ACTIVATIONS", "MLPBlock"]
