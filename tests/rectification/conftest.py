"""The rectification tests use the inspection world (``tests/inspections/conftest.py``)."""

from tests.inspections.conftest import iw

__all__ = ["iw"]
