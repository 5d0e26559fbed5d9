"""The legal demo on a small world: the fictional policy document and its study items."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.legal import selectors
from inspectorate.legal.demo import CODE, TITLE, V2_DONE, load_legal_demo
from inspectorate.legal.models import Law, StudyItem
from inspectorate.org.roles import Role
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_document_versions_and_study(world: World) -> None:
    UserFactory(username="prov_admin", agency=world.province, roles=[Role.ADMIN])
    assert world.prefecture_officer.username == "pref_officer"  # one of the demo's names
    for username, agency in (
        ("county_officer", world.tianshan),
        ("county_lead", world.tianshan),
        ("officer_650102_2", world.tianshan),
    ):
        UserFactory(username=username, agency=agency)
    load_legal_demo()
    load_legal_demo()  # a second call changes nothing
    law = Law.objects.get(code=CODE)
    assert "演示文本" in law.title
    assert law.title == TITLE
    assert (law.kind, law.jurisdiction_code) == ("policy", "650000")
    v2, v1 = list(law.versions.all())
    assert (v1.effective_on, v2.effective_on) == (dt.date(2026, 3, 1), dt.date(2026, 10, 1))
    c = selectors.compare(v1, v2)
    assert [ch.new.label for ch in c.changed] == ["第四条", "第六条"]
    assert [a.label for a in c.added] == ["第六条之一"]
    assert c.removed == []
    assert all("演示" in a.text for a in [*(ch.new for ch in c.changed), *c.added])
    # version 1: everyone completed it in March but officer_650102_2, overdue since 03-23
    late = StudyItem.objects.get(law_version=v1, state="assigned")
    assert late.officer.username == "officer_650102_2"
    assert late.due_on == dt.date(2026, 3, 22)
    assert late.is_overdue(dt.date(2026, 3, 23))
    # version 2: the demo's completions whose officers exist here; the others pending
    done = dict(
        StudyItem.objects.filter(law_version=v2, state="completed").values_list(
            "officer__username", "completed_on"
        )
    )
    expected = {u: d for u, d, _note in V2_DONE if u in {"county_lead", "pref_officer"}}
    assert (
        done
        == expected
        == {"county_lead": dt.date(2026, 10, 9), "pref_officer": dt.date(2026, 10, 15)}
    )
    pending = StudyItem.objects.get(law_version=v2, officer__username="county_officer")
    assert (pending.state, pending.due_on) == ("assigned", dt.date(2026, 12, 19))
    assert not pending.is_overdue(dt.date(2026, 12, 19))
