"""The demo data of the training app (loaded by ``make run`` through org.demo)."""

from __future__ import annotations


def load_training_demo() -> None:
    """Filled in by the app."""
