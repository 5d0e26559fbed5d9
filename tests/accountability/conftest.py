"""An accountability world on top of the penalty-case world (tests/cases/conftest.py).

天山区's officer and team lead investigate a case filed on 2026-01-20: its 90-day decision
limit (行政处罚法 Art. 60, calendar days) falls on 2026-04-20. The prefecture (乌鲁木齐市) has
a head who reviews the items of 天山区's head.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from tests.cases.conftest import CaseWorld, _english, cw  # noqa: F401  (fixtures)
from tests.factories import UserFactory


@pytest.fixture
def prefecture_head(world: Any) -> User:
    user: User = UserFactory(username="wlmq_head", agency=world.prefecture, roles=[Role.HEAD])
    return user


@contextmanager
def at(day: dt.date, hour: int = 10) -> Iterator[None]:
    """``timezone.now()`` is ``day`` at ``hour`` (local time) for the duration."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def act(actor: User, day: dt.date, kind: RecordKind = RecordKind.INSPECTION_STARTED) -> None:
    """An enforcement act of ``actor`` in the record on ``day``."""
    with at(day), transaction.atomic():
        record_append(
            kind=kind,
            actor=actor,
            jurisdiction_code=actor.agency.jurisdiction_id,  # type: ignore[union-attr]
            subject=("inspections.inspection", "1"),
            payload={"test": True},
        )


__all__ = ["CaseWorld", "_english", "act", "at", "cw", "make_item"]


def make_item(world: Any, person: User | None = None, **kwargs: Any) -> Any:
    """An item raised in 天山区 about ``person`` (the officer by default), as the scan
    would (the scan itself is tested in test_scan.py)."""
    from inspectorate.accountability.models import AccountabilityItem, ItemKind

    person = person or world.tianshan_officer
    fields: dict[str, Any] = {
        "kind": ItemKind.NO_CERTIFICATE,
        "subject_type": "org.user",
        "subject_id": str(person.pk),
        "ref": "2026-03-02",
        "subject_label": f"{person} · 2026-03-02",
        "person": person,
        "agency": world.tianshan,
        "jurisdiction_code": "650102",
        "detected_on": dt.date(2026, 3, 31),
        "facts": {"day": "2026-03-02", "acts": 2},
        "legal_basis": "《行政处罚法》第四十二条",
    }
    fields.update(kwargs)
    return AccountabilityItem.objects.create(**fields)
