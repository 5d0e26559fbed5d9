"""The legal app's API and pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.core.models import RecordEvent
from inspectorate.legal.models import Law, LawVersion, StudyItem
from inspectorate.org.models import User
from tests.conftest import World, zh
from tests.legal.conftest import V2, add_v1, add_v2

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
NOTE = "学习了修订后的第二条和新增的第六条，今后检查中注意出示有效执法证件并保存执法记录。"


def test_law_list_api(
    world: World, client_for: ClientFor, policy: Law, gansu_officer: User
) -> None:
    client = client_for(world.tianshan_officer)
    body = client.get("/api/v1/legal/laws/").json()
    assert body["count"] == 18  # the 17 national laws and the region's policy document
    work = next(r for r in body["results"] if r["code"] == "work-safety-law")
    assert (work["version_in_force"]["label"], work["article_count"]) == ("2021年修正", 119)
    policies = client.get("/api/v1/legal/laws/", {"kind": "policy"}).json()
    assert [r["code"] for r in policies["results"]] == ["xj-demo-policy"]
    hits = client.get("/api/v1/legal/laws/", {"q": "按日连续处罚"}).json()
    assert "work-safety-law" in [r["code"] for r in hits["results"]]
    assert "fireworks-regulation" not in [r["code"] for r in hits["results"]]
    # another province does not see the region's own document: the 404 of a missing law
    other = client_for(gansu_officer)
    assert other.get("/api/v1/legal/laws/").json()["count"] == 17
    missing = other.get("/api/v1/legal/laws/nothing-here/")
    response = other.get("/api/v1/legal/laws/xj-demo-policy/")
    assert response.status_code == 404
    assert response.content == missing.content
    bad = client.get("/api/v1/legal/laws/", {"kind": "nonsense"})
    assert bad.status_code == 400
    assert list(bad.json()["extra"]["fields"]) == ["kind"]


def test_article_list_api_for_the_question_bank(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)
    body = client.get(
        "/api/v1/legal/articles/", {"law": "work-safety-law", "q": "按日连续处罚"}
    ).json()
    assert [r["label"] for r in body["results"]] == ["第一百一十二条"]
    row = body["results"][0]
    assert row["citation"] == "《安全生产法》第一百一十二条"
    assert row["text"].startswith("生产经营单位违反本法规定，被责令改正且受到罚款处罚")
    by_label = client.get(
        "/api/v1/legal/articles/", {"law": "criminal-law-134-139", "q": "第一百三十四条之一"}
    ).json()
    assert [r["label"] for r in by_label["results"]] == ["第一百三十四条之一"]
    whole = client.get("/api/v1/legal/articles/", {"law": "criminal-law-134-139"}).json()
    assert whole["count"] == 9
    detail = client.get(f"/api/v1/legal/articles/{row['id']}/").json()
    assert detail["law"] == "work-safety-law"


def test_version_api_add_compare_and_errors(
    world: World, client_for: ClientFor, admin: User, policy: Law
) -> None:
    v1 = add_v1(admin, policy)
    client = client_for(admin)
    body = {
        "label": "2026年10月修订",
        "promulgated_on": "2026-09-20",
        "effective_on": "2026-10-01",
        "changes": "修改第二条、第五条，增加第六条。",
        "study_hours": "3.0",
        "study_days": 30,
        "text": V2,
        "law_version": 2,
    }
    before = (LawVersion.objects.count(), StudyItem.objects.count(), RecordEvent.objects.count())
    empty = client.post(
        "/api/v1/legal/laws/xj-demo-policy/versions/",
        {**body, "text": "没有条文"},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert list(empty.json()["extra"]["fields"]) == ["text"]
    stale = client.post(
        "/api/v1/legal/laws/xj-demo-policy/versions/",
        {**body, "law_version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    officer = client_for(world.tianshan_officer).post(
        "/api/v1/legal/laws/xj-demo-policy/versions/", body, content_type="application/json"
    )
    assert officer.status_code == 403
    after = (LawVersion.objects.count(), StudyItem.objects.count(), RecordEvent.objects.count())
    assert after == before
    created = client.post(
        "/api/v1/legal/laws/xj-demo-policy/versions/", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert (created.json()["article_count"], created.json()["assigned"]) == (6, 10)
    compare = client.get(
        "/api/v1/legal/laws/xj-demo-policy/compare/",
        {"old": v1.pk, "new": created.json()["id"]},
    ).json()
    assert [a["label"] for a in compare["added"]] == ["第六条"]
    assert [a["label"] for a in compare["removed"]] == ["第四条之一"]
    assert [c["label"] for c in compare["changed"]] == ["第二条", "第五条"]
    assert compare["changed"][0]["old"]["text"] == "执法人员应当持证上岗。"
    default = client.get("/api/v1/legal/laws/xj-demo-policy/compare/").json()
    assert default["old"]["id"] == v1.pk  # the latest against the one before


def test_study_api(world: World, client_for: ClientFor, admin: User, policy: Law) -> None:
    version = add_v1(admin, policy)
    item = version.study_items.get(officer=world.tianshan_officer)
    mine = client_for(world.tianshan_officer)
    listed = mine.get("/api/v1/legal/study/").json()
    assert [r["id"] for r in listed["results"]] == [item.pk]
    head = client_for(world.tianshan_head)
    assert head.get(f"/api/v1/legal/study/{item.pk}/").status_code == 200
    refused = head.post(
        f"/api/v1/legal/study/{item.pk}/complete/", {"note": NOTE}, content_type="application/json"
    )
    assert refused.status_code == 403
    short = mine.post(
        f"/api/v1/legal/study/{item.pk}/complete/",
        {"note": "学习了"},
        content_type="application/json",
    )
    assert short.status_code == 400
    assert list(short.json()["extra"]["fields"]) == ["note"]
    stale = mine.post(
        f"/api/v1/legal/study/{item.pk}/complete/",
        {"note": NOTE, "version": 5},
        content_type="application/json",
    )
    assert stale.status_code == 409
    item.refresh_from_db()
    assert (item.state, item.version) == ("assigned", 1)
    done = mine.post(
        f"/api/v1/legal/study/{item.pk}/complete/",
        {"note": NOTE, "version": 1},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["note"]) == ("completed", NOTE)
    report = head.get(f"/api/v1/legal/completion/{version.pk}/").json()
    assert report["total"] == {
        "assigned": 4,
        "completed": 1,
        "pending": 3,
        "overdue": 3,  # due 2026-03-31, read on the real day (later)
        "rate": "25.0",
    }
    drill = head.get(
        f"/api/v1/legal/completion/{version.pk}/", {"agency": world.tianshan.pk}
    ).json()
    assert sorted(r["officer_name"] for r in drill["items"]) == sorted(
        u.name
        for u in (
            world.tianshan_officer,
            world.tianshan_lead,
            world.tianshan_head,
            world.tianshan_reviewer,
        )
    )
    assert mine.get(f"/api/v1/legal/completion/{version.pk}/").status_code == 403


# --- pages -----------------------------------------------------------------------------------


def test_law_pages(world: World, client_for: ClientFor) -> None:
    client = client_for(world.tianshan_officer)
    page = client.get("/legal/")
    assert page.status_code == 200
    assert "中华人民共和国安全生产法" in page.content.decode()
    search = client.get("/legal/", {"q": "按日连续处罚"}).content.decode()
    assert "《安全生产法》第一百一十二条" in search
    detail = client.get("/legal/laws/work-safety-law/").content.decode()
    assert 'id="a112"' in detail
    assert "第六章 法律责任" in detail
    assert 'data-testid="version-add"' not in detail  # an officer does not keep the library
    criminal = client.get("/legal/laws/criminal-law-134-139/").content.decode()
    assert 'id="a134-之一"' in criminal
    assert client.get("/legal/laws/nothing-here/").status_code == 404
    assert client.get("/legal/laws/work-safety-law/?version=999999").status_code == 404


def test_version_add_page_with_upload(
    world: World, client_for: ClientFor, admin: User, policy: Law
) -> None:
    add_v1(admin, policy)
    client = client_for(admin)
    form = {
        "label": "2026年10月修订",
        "promulgated_on": "2026-09-20",
        "effective_on": "2026-10-01",
        "changes": "修改第二条、第五条。",
        "study_hours": "3.0",
        "study_days": "30",
        "law_version": "2",
    }
    bad = client.post(
        "/legal/laws/xj-demo-policy/versions/add/",
        {**form, "file": SimpleUploadedFile("v2.md", "无条文".encode())},
    )
    assert bad.status_code == 400
    assert zh("No article was found: each article starts a paragraph with “第…条”.") in (
        bad.content.decode()
    )
    response = client.post(
        "/legal/laws/xj-demo-policy/versions/add/",
        {**form, "file": SimpleUploadedFile("v2.md", V2.encode("utf-8"))},
    )
    assert response.status_code == 302
    version = LawVersion.objects.get(law=policy, effective_on=dt.date(2026, 10, 1))
    assert version.articles.count() == 6
    assert version.study_items.count() == 10
    compare = client.get(f"/legal/laws/xj-demo-policy/compare/?new={version.pk}").content.decode()
    assert 'data-article="第六条"' in compare
    assert 'data-article="第四条之一"' in compare


def test_study_pages(world: World, client_for: ClientFor, admin: User, policy: Law) -> None:
    add_v1(admin, policy)
    version = add_v2(admin, policy)
    item = version.study_items.get(officer=world.tianshan_officer)
    mine = client_for(world.tianshan_officer)
    listing = mine.get("/legal/study/").content.decode()
    assert f'data-item="{item.pk}"' in listing
    page = mine.get(f"/legal/study/{item.pk}/").content.decode()
    assert 'data-testid="study-form"' in page
    assert "不得转借执法证件" in page
    short = mine.post(f"/legal/study/{item.pk}/complete/", {"note": "太短", "version": "1"})
    assert short.status_code == 400
    head = client_for(world.tianshan_head)
    assert 'data-testid="study-form"' not in head.get(f"/legal/study/{item.pk}/").content.decode()
    assert head.post(f"/legal/study/{item.pk}/complete/", {"note": NOTE}).status_code == 403
    done = mine.post(f"/legal/study/{item.pk}/complete/", {"note": NOTE, "version": "1"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.note) == ("completed", NOTE)
    report = head.get(f"/legal/completion/{version.pk}/?agency={world.tianshan.pk}")
    assert report.status_code == 200
    text = report.content.decode()
    assert f'data-officer="{world.tianshan_officer.username}"' in text
    assert NOTE[:20] in text
    assert head.get("/legal/completion/").status_code == 200
    assert mine.get("/legal/completion/").status_code == 403
    assert head.get(f"/legal/completion/{version.pk}/?agency=999999").status_code == 404
