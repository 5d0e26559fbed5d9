"""The case library's API and pages."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from inspectorate.core.models import RecordEvent
from inspectorate.org.models import User
from inspectorate.training import services
from inspectorate.training.models import LibraryCase, LibraryComment
from tests.cases.conftest import CaseWorld
from tests.conftest import zh
from tests.training.conftest import closed_case

ClientFor = Callable[[User | None], Client]


def _entry(cw: CaseWorld) -> LibraryCase:
    return services.library_case_add(
        actor=cw.officer,
        case_id=closed_case(cw).pk,
        title="隐患排查台账缺失案",
        teaching_notes="注意第九十七条第（五）项的适用。",
        tags=["台账"],
    )


def test_api_add_list_detail_comment(cw: CaseWorld, client_for: ClientFor) -> None:
    case = closed_case(cw)
    client = client_for(cw.officer)
    url = reverse("api-training-library-list")
    r = client.post(
        url,
        {"case": case.pk, "title": "台账案", "teaching_notes": "要点", "tags": ["台账"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["party_label"] == "某危险化学品生产企业"
    assert body["replacements"] == {"party_name": 2, "credit_code": 1, "person_name": 1}
    assert [a["code"] for a in body["articles"]] == ["97-5-unit-base"]
    assert "乌鲁木齐天山化工有限公司" not in r.content.decode()
    pk = body["id"]
    r = client.get(url, {"article": "97-5-unit-base"})
    assert [e["id"] for e in r.json()["results"]] == [pk]
    r = client.get(url, {"tag": "无此标签"})
    assert r.json()["results"] == []
    r = client_for(cw.w.prefecture_officer).post(
        reverse("api-training-library-comment", args=[pk]),
        {"text": "值得学习"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json()["author_name"] == cw.w.prefecture_officer.get_full_name()
    detail = client.get(reverse("api-training-library-detail", args=[pk])).json()
    assert [c["text"] for c in detail["comments"]] == ["值得学习"]


def test_api_bad_input_and_scope(cw: CaseWorld, client_for: ClientFor) -> None:
    entry = _entry(cw)
    events = RecordEvent.objects.count()
    client = client_for(cw.officer)
    r = client.post(
        reverse("api-training-library-list"),
        {"case": entry.case_id, "title": "再次", "teaching_notes": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["extra"]["fields"] == {
        "case": [zh("This case is already in the case library.")]
    }
    r = client.post(
        reverse("api-training-library-list"), {"title": ""}, content_type="application/json"
    )
    assert r.status_code == 400
    assert set(r.json()["extra"]["fields"]) == {"case", "title", "teaching_notes"}
    other = client_for(cw.w.karamay_officer)
    assert other.get(reverse("api-training-library-detail", args=[entry.pk])).status_code == 404
    r = other.post(
        reverse("api-training-library-comment", args=[entry.pk]),
        {"text": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client_for(cw.w.enterprise_user).get(reverse("api-training-library-list"))
    assert r.status_code == 200
    assert r.json()["results"] == []
    assert LibraryCase.objects.count() == 1
    assert LibraryComment.objects.count() == 0
    assert RecordEvent.objects.count() == events


def test_pages(cw: CaseWorld, client_for: ClientFor) -> None:
    case = closed_case(cw)
    client = client_for(cw.officer)
    r = client.get(reverse("training:library-add"))
    assert r.status_code == 200
    assert f'value="{case.pk}"' in r.content.decode()
    r = client.post(
        reverse("training:library-add"),
        {"case": case.pk, "title": "", "teaching_notes": "要点"},
    )
    assert r.status_code == 400
    assert LibraryCase.objects.count() == 0
    r = client.post(
        reverse("training:library-add"),
        {"case": case.pk, "title": "台账案", "teaching_notes": "要点", "tags": "台账，培训"},
    )
    entry = LibraryCase.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("training:library-detail", args=[entry.pk])
    assert entry.tags[1:] == ["台账", "培训"]
    page = client.get(reverse("training:library-detail", args=[entry.pk])).content.decode()
    assert "某危险化学品生产企业" in page
    assert "乌鲁木齐天山化工有限公司" not in page
    assert f"{zh('party name')} × 2" in page
    assert f"{zh('credit code')} × 1" in page
    r = client.post(reverse("training:library-comment", args=[entry.pk]), {"text": "好案例"})
    assert r.status_code == 302
    assert LibraryComment.objects.get().text == "好案例"
    listing = client.get(reverse("training:library-list"), {"tag": "培训"}).content.decode()
    assert "台账案" in listing
    assert (
        client_for(cw.w.karamay_officer)
        .get(reverse("training:library-detail", args=[entry.pk]))
        .status_code
        == 404
    )
    assert client_for(cw.w.tianshan_admin).get(reverse("training:library-add")).status_code == 403
    assert client_for(cw.w.enterprise_user).get(reverse("training:library-list")).status_code == 403
