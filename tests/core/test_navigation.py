"""The side navigation marks the module a page belongs to, including the pages of §9 that
live in other apps (officers, legal, exams, assessment; ADR 0006)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import World

pytestmark = pytest.mark.django_db


def _active_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" class="active">', html)


@pytest.mark.parametrize(
    "path",
    ["/training/courses/", "/training/", "/officers/", "/legal/study/", "/exams/", "/assessment/"],
)
def test_every_page_of_section_9_marks_the_training_module(
    client: Client, world: World, path: str
) -> None:
    client.force_login(world.tianshan_officer)
    response = client.get(path)
    assert response.status_code == 200
    assert _active_links(response.content.decode()) == ["/training/courses/"]


def test_a_page_of_another_module_marks_only_that_module(client: Client, world: World) -> None:
    client.force_login(world.tianshan_officer)
    response = client.get("/referrals/")
    assert response.status_code == 200
    assert _active_links(response.content.decode()) == ["/referrals/"]
