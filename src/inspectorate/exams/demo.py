"""The exams app's part of the demo (called by org.demo.load_demo)."""

from __future__ import annotations


def load_exams_demo() -> None:
    """Filled in by the builder of the exams app."""
