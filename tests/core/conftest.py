from __future__ import annotations

import pytest

from tests.conftest import World
from tests.core.matrix import Ctx


@pytest.fixture
def ctx(world: World) -> Ctx:
    """The permission matrix's world; its import batch is made when a test needs it."""
    return Ctx(world=world)
