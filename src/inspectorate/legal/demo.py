"""The legal app's part of the demo (called by org.demo.load_demo)."""

from __future__ import annotations


def load_legal_demo() -> None:
    """Filled in by the builder of the legal app."""
