"""The API and the pages of the exams app, end to end."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

from inspectorate.exams.models import Attempt, Exam, Question
from inspectorate.org.models import User
from tests.conftest import World, zh
from tests.exams.conftest import article, at, published

ClientFor = Callable[[User | None], Client]

RULES = [
    {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 2, "points": 5},
    {"law": "", "tag": "", "kind": "case", "difficulty": "", "count": 1, "points": 10},
]


def _now(moment: Any) -> Any:
    return mock.patch.object(timezone, "now", return_value=moment)


def test_api_question_create_errors_and_stale(client_for: ClientFor, bank: dict[str, Any]) -> None:
    c = client_for(bank["writer"])
    body = {
        "kind": "single",
        "stem": "立案后多少日内作出决定？",
        "options": ["三十日", "九十日"],
        "correct": [1],
        "difficulty": "easy",
        "articles": [article("administrative-penalty-law", 60).pk],
        "points": 2,
    }
    r = c.post("/api/v1/exams/questions/", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert (data["law"], data["articles"][0]["label"], data["version"]) == (
        "administrative-penalty-law",
        "第六十条",
        1,
    )
    count = Question.objects.count()
    r = c.post(
        "/api/v1/exams/questions/", {**body, "correct": [0, 1]}, content_type="application/json"
    )
    assert r.status_code == 400
    assert "correct" in r.json()["extra"]["fields"]
    assert Question.objects.count() == count
    pk = data["id"]
    r = c.put(
        f"/api/v1/exams/questions/{pk}/",
        {**body, "stem": "改", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["version"] == 2
    r = c.put(
        f"/api/v1/exams/questions/{pk}/",
        {**body, "stem": "再改", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert Question.objects.get(pk=pk).stem == "改"
    r = c.post(
        f"/api/v1/exams/questions/{pk}/state/",
        {"state": "retired", "version": 2},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["state"] == "retired"


def test_api_exam_attempt_marking_results(
    world: World, client_for: ClientFor, bank: dict[str, Any]
) -> None:
    writer = client_for(bank["writer"])
    body = {
        "title": "API考试",
        "time_limit": 30,
        "opens_at": "2026-06-01T09:00:00+08:00",
        "closes_at": "2026-06-30T18:00:00+08:00",
        "pass_mark": "60.0",
        "max_attempts": 1,
        "counting": "best",
        "rules": [{"kind": "multiple", "count": 3, "points": 5}],
        "candidate_ids": [world.tianshan_officer.pk],
    }
    r = writer.post("/api/v1/exams/", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    with _now(at(5, 20)):
        r = writer.post(
            f"/api/v1/exams/{pk}/publish/", {"version": 1}, content_type="application/json"
        )
    assert r.status_code == 400
    assert r.json()["extra"]["fields"]["rules"] == [
        zh("Line %(n)d: the bank has %(have)d active questions matching it; %(need)d are needed.")
        % {"n": 1, "have": 2, "need": 3}
    ]
    r = writer.put(
        f"/api/v1/exams/{pk}/",
        {**body, "rules": RULES, "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 200
    with _now(at(5, 20)):
        r = writer.post(
            f"/api/v1/exams/{pk}/publish/", {"version": 2}, content_type="application/json"
        )
    assert r.status_code == 200
    assert r.json()["state"] == "published"

    cand = client_for(world.tianshan_officer)
    with _now(at(6, 2, 10)):
        r = cand.post(f"/api/v1/exams/{pk}/attempts/")
    assert r.status_code == 201
    paper = r.json()
    assert "correct" not in paper["items"][0]  # no answers while in progress
    aid = paper["id"]
    a = Attempt.objects.get(pk=aid)
    right = {str(i.position): i.correct for i in a.items.exclude(kind="case")}
    with _now(at(6, 2, 10, 5)):
        r = cand.post(
            f"/api/v1/exams/attempts/{aid}/answers/",
            {"answers": {"3": "我的分析"}},
            content_type="application/json",
        )
    assert r.status_code == 200
    with _now(at(6, 2, 10, 10)):
        r = cand.post(
            f"/api/v1/exams/attempts/{aid}/submit/",
            {"answers": right},
            content_type="application/json",
        )
    assert r.status_code == 200
    assert (r.json()["state"], r.json()["items"][0]["score"]) == ("marking", "5.00")
    r = client_for(bank["writer"]).get("/api/v1/exams/marking/")
    assert [row["id"] for row in r.json()["results"]] == [aid]
    r = writer.post(
        f"/api/v1/exams/attempts/{aid}/mark/",
        {
            "position": 3,
            "marks": ["7", "4"],
            "comment": "好",
            "version": r.json()["results"][0]["version"],
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "marks" in r.json()["extra"]["fields"]
    a.refresh_from_db()
    r = writer.post(
        f"/api/v1/exams/attempts/{aid}/mark/",
        {"position": 3, "marks": ["3", "2"], "comment": "好", "version": a.version},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["percent"], r.json()["passed"]) == ("75.0", True)
    r = writer.get(f"/api/v1/exams/{pk}/results/")
    assert r.json() == {
        "candidates": 1,
        "took": 1,
        "passed": 1,
        "pending": 0,
        "pass_rate": "100.0",
        "average": "75.0",
        "rows": [
            {
                "user_id": world.tianshan_officer.pk,
                "name": world.tianshan_officer.name,
                "agency_name": "天山区应急管理局",
                "attempts": 1,
                "score": "75.0",
                "passed": True,
                "pending": False,
            }
        ],
    }
    # the candidate does not read the results of the whole exam
    assert cand.get(f"/api/v1/exams/{pk}/results/").status_code == 404
    assert cand.get("/api/v1/exams/attempts/").json()["results"][0]["percent"] == "75.0"


def test_pages_take_submit_mark_results(
    world: World, client_for: ClientFor, bank: dict[str, Any]
) -> None:
    e = published(bank["writer"], candidate_ids=[world.tianshan_officer.pk], rules=RULES)
    cand = client_for(world.tianshan_officer)
    with _now(at(6, 2, 10)):
        r = cand.get("/exams/")
        assert r.status_code == 200
        assert e.title in r.content.decode()
        r = cand.post(f"/exams/{e.pk}/start/")
    a = Attempt.objects.get(exam=e)
    assert r.status_code == 302
    assert r["Location"] == f"/exams/attempts/{a.pk}/"
    with _now(at(6, 2, 10, 1)):
        r = cand.get(f"/exams/attempts/{a.pk}/")
    page = r.content.decode()
    assert 'data-testid="countdown"' in page
    assert 'data-remaining="3540"' in page
    items = {i.position: i for i in a.items.all()}
    post = {
        "q1": [str(items[1].correct[0])],
        "q2": ["3" if items[2].correct != [3] else "0"],
        "q3": "分析",
        "submit": "1",
    }
    with _now(at(6, 2, 10, 20)):
        r = cand.post(f"/exams/attempts/{a.pk}/answer/", post)
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.state, a.items.get(position=1).score, a.items.get(position=2).score) == (
        "marking",
        Decimal("5.00"),
        Decimal("0.00"),
    )
    r = cand.get(f"/exams/attempts/{a.pk}/")
    assert 'data-testid="feedback"' in r.content.decode()
    # the candidate cannot mark, even with a marker's role elsewhere: 404 (not an organiser)
    assert cand.get(f"/exams/attempts/{a.pk}/mark/").status_code == 404
    marker = client_for(bank["writer"])
    r = marker.get("/exams/marking/")
    assert f'data-attempt="{a.pk}"' in r.content.decode()
    r = marker.post(
        f"/exams/attempts/{a.pk}/mark/",
        {
            "position": "3",
            "version": a.version,
            "i3-mark_1": "9",
            "i3-mark_2": "1",
            "i3-comment": "好",
        },
    )
    assert r.status_code == 400
    r = marker.post(
        f"/exams/attempts/{a.pk}/mark/",
        {
            "position": "3",
            "version": a.version,
            "i3-mark_1": "6",
            "i3-mark_2": "1.5",
            "i3-comment": "要点齐全",
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    # 5 + 0 + (7.5 of 10 → 7.50) = 12.5 of 20 = 62.5 %
    assert (a.state, a.score, a.percent, a.passed) == (
        "finished",
        Decimal("12.50"),
        Decimal("62.5"),
        True,
    )
    r = marker.get(f"/exams/{e.pk}/results/")
    page = r.content.decode()
    assert 'data-testid="pass-rate">100.0 %' in page
    assert 'data-testid="average">62.5 %' in page
    r = cand.get(f"/exams/attempts/{a.pk}/")
    assert 'data-testid="attempt-percent">62.5 %' in r.content.decode()


def test_page_question_add_with_article_picker(client_for: ClientFor, bank: dict[str, Any]) -> None:
    c = client_for(bank["writer"])
    form = {
        "kind": "multiple",
        "stem": "听证的情形有？",
        "options": "较大数额罚款\n责令停产停业\n警告",
        "correct": "A,B",
        "difficulty": "medium",
        "law": "administrative-penalty-law",
        "article_numbers": "63",
        "tags": "听证",
        "points": "4",
    }
    count = Question.objects.count()
    r = c.post("/exams/questions/add/", {**form, "article_numbers": "999"})
    assert r.status_code == 400
    assert Question.objects.count() == count
    r = c.post("/exams/questions/add/", {**form, "correct": "A"})
    assert r.status_code == 400
    assert Question.objects.count() == count
    r = c.post("/exams/questions/add/", form)
    assert r.status_code == 302
    q = Question.objects.latest("id")
    assert (q.correct, [a.label for a in q.articles.all()], q.tags) == (
        [0, 1],
        ["第六十三条"],
        ["听证"],
    )
    r = c.get(f"/exams/questions/{q.pk}/")
    assert "第六十三条" in r.content.decode()
    r = c.post(f"/exams/questions/{q.pk}/", {**form, "stem": "改", "version": "0"})
    assert r.status_code == 409
    assert Question.objects.get(pk=q.pk).stem == "听证的情形有？"


def test_page_exam_create_publish(
    world: World, client_for: ClientFor, bank: dict[str, Any]
) -> None:
    c = client_for(bank["writer"])
    form = {
        "title": "页面考试",
        "time_limit": "30",
        "opens_at": "2026-06-01T09:00",
        "closes_at": "2026-06-30T18:00",
        "pass_mark": "60",
        "max_attempts": "2",
        "counting": "last",
        "candidate_ids": [str(world.tianshan_officer.pk)],
        "rule_1_kind": "true_false",
        "rule_1_count": "3",
        "rule_1_points": "5",
    }
    r = c.post("/exams/new/", form)
    assert r.status_code == 302
    e = Exam.objects.get(title="页面考试")
    assert e.opens_at == at(6, 1, 9)
    with _now(at(5, 20)):
        r = c.post(f"/exams/{e.pk}/publish/", {"version": "1"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.state == "draft"  # only 2 true/false questions for 3
    r = c.post(f"/exams/{e.pk}/edit/", {**form, "rule_1_count": "2", "version": "1"})
    assert r.status_code == 302
    with _now(at(5, 20)):
        c.post(f"/exams/{e.pk}/publish/", {"version": "2"})
    e.refresh_from_db()
    assert (e.state, e.counting) == ("published", "last")


def test_page_question_read_only_below_and_hidden_from_officers(
    world: World, client_for: ClientFor, bank: dict[str, Any]
) -> None:
    q = bank["s2"]  # the region's, correct answer B
    page = client_for(world.tianshan_head).get(f"/exams/questions/{q.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="question-form"' not in body
    assert f"{zh('Correct answer')}：B" in body
    assert client_for(world.tianshan_officer).get(f"/exams/questions/{q.pk}/").status_code == 404
    assert client_for(world.tianshan_officer).get("/exams/questions/").status_code == 403
    r = client_for(world.tianshan_head).post(f"/exams/questions/{q.pk}/", {"stem": "改"})
    assert r.status_code == 403
    assert Question.objects.get(pk=q.pk).stem == "单选二"
