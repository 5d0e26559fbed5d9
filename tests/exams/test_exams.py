"""Exams composed by rule: validation, publication (enough questions, nothing written
otherwise), the draw (counts, filters, no repeats), candidates and the workflow."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.exams import services
from inspectorate.exams.models import Exam, ExamCandidate, ExamRule, Question
from inspectorate.org.roles import Role
from tests.conftest import World, zh
from tests.exams.conftest import at, exam, exam_fields, published, question
from tests.factories import UserFactory

LINE = {"law": "", "tag": "", "kind": "single", "difficulty": "", "count": 1, "points": 5}


def _line(**over: Any) -> dict[str, Any]:
    return {**LINE, **over}


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": ""}, "title"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": 601}, "time_limit"),
        ({"closes_at": at(6, 1, 9)}, "closes_at"),
        ({"pass_mark": "100.5"}, "pass_mark"),
        ({"pass_mark": "60.25"}, "pass_mark"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"counting": "average"}, "counting"),
        ({"rules": []}, "rules"),
        ({"rules": [_line(count=0)]}, "rules"),
        ({"rules": [_line(points=0)]}, "rules"),
        ({"rules": [_line(kind="essay")]}, "rules"),
        ({"rules": [_line(law="no-such-law")]}, "rules"),
        ({"rules": [_line(difficulty="extreme")]}, "rules"),
        ({"candidate_roles": ["enterprise"]}, "candidate_roles"),
    ],
)
def test_exam_validation(bank: dict[str, Any], over: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        exam(bank["writer"], **over)
    assert field in exc.value.extra["fields"]
    assert Exam.objects.count() == 0
    assert ExamRule.objects.count() == 0


def test_rule_error_names_the_line(bank: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        exam(bank["writer"], rules=[_line(), _line(count=0)])
    assert exc.value.extra["fields"]["rules"] == [
        zh("Line %(n)d: the number of questions is from 1 to %(max)d.") % {"n": 2, "max": 100}
    ]


def test_candidates_by_name_must_be_in_the_subtree(world: World, bank: dict[str, Any]) -> None:
    ts_lead = UserFactory(agency=world.tianshan, roles=[Role.TEAM_LEAD])
    with pytest.raises(ValidationFailed) as exc:
        exam(ts_lead, candidate_ids=[world.prefecture_officer.pk])
    assert "candidate_ids" in exc.value.extra["fields"]


def test_publish_not_enough_questions_names_the_line_and_writes_nothing(
    world: World, bank: dict[str, Any]
) -> None:
    e = exam(
        bank["writer"],
        candidate_ids=[world.tianshan_officer.pk],
        rules=[_line(count=3), _line(kind="multiple", count=3)],
    )
    events = RecordEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.exam_publish(actor=bank["writer"], exam_id=e.pk, expected_version=1, now=at(5, 20))
    assert exc.value.extra["fields"]["rules"] == [
        zh("Line %(n)d: the bank has %(have)d active questions matching it; %(need)d are needed.")
        % {"n": 2, "have": 2, "need": 3}
    ]
    e.refresh_from_db()
    assert (e.state, e.version, e.frozen_rules) == ("draft", 1, [])
    assert ExamCandidate.objects.count() == 0
    assert RecordEvent.objects.count() == events


def test_publish_checks_overlapping_lines_together(world: World, bank: dict[str, Any]) -> None:
    # 3 single choice questions: "any single × 2" and "hard single × 1" fit (3 ≥ 3) …
    ok = exam(
        bank["writer"],
        candidate_ids=[world.tianshan_officer.pk],
        rules=[_line(count=2), _line(difficulty="hard", count=1)],
    )
    services.exam_publish(actor=bank["writer"], exam_id=ok.pk, expected_version=1, now=at(5, 20))
    # … "any single × 3" and "hard single × 1" do not (4 > 3), though each line alone fits
    bad = exam(
        bank["writer"],
        candidate_ids=[world.tianshan_officer.pk],
        rules=[_line(count=3), _line(difficulty="hard", count=1)],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.exam_publish(
            actor=bank["writer"], exam_id=bad.pk, expected_version=1, now=at(5, 20)
        )
    assert exc.value.extra["fields"]["rules"] == [
        zh(
            "Lines %(lines)s draw from the same questions: together they need "
            "%(need)d, the bank has %(have)d."
        )
        % {"lines": "1、2", "need": 4, "have": 3}
    ]


def test_retired_questions_do_not_count(world: World, bank: dict[str, Any]) -> None:
    w = bank["writer"]
    services.question_set_state(
        actor=w, question_id=bank["s1"].pk, expected_version=1, state="retired"
    )
    e = exam(w, candidate_ids=[world.tianshan_officer.pk], rules=[_line(count=3)])
    with pytest.raises(ValidationFailed):
        services.exam_publish(actor=w, exam_id=e.pk, expected_version=1, now=at(5, 20))


def test_publish_freezes_rules_and_candidates(world: World, bank: dict[str, Any]) -> None:
    w = world
    officer2 = UserFactory(agency=w.shayibake, roles=[Role.OFFICER])
    UserFactory(agency=w.tianshan, roles=[Role.OFFICER], is_active=False)
    e = published(
        bank["writer"],
        candidate_roles=["head"],
        candidate_ids=[officer2.pk, w.karamay_officer.pk],
        rules=[_line(law="work-safety-law", count=2)],
    )
    assert e.state == "published"
    assert e.version == 2
    assert e.frozen_rules == [
        {
            "line": 1,
            "law": "work-safety-law",
            "tag": "",
            "kind": "single",
            "difficulty": "",
            "count": 2,
            "points": 5,
        }
    ]
    names = set(ExamCandidate.objects.filter(exam=e).values_list("user__username", flat=True))
    # by role: the heads of the region's subtree (天山区, 克拉玛依); by name: the two officers
    assert names == {officer2.username, w.karamay_officer.username, "ts_head", "klmy_head"}
    with pytest.raises(IllegalTransition):
        services.exam_update(
            actor=bank["writer"], exam_id=e.pk, expected_version=2, **exam_fields()
        )
    with pytest.raises(IllegalTransition):
        services.exam_publish(actor=bank["writer"], exam_id=e.pk, expected_version=2, now=at(5, 21))
    assert RecordEvent.objects.filter(kind="exams.exam_published").count() == 1


def test_publish_needs_candidates(bank: dict[str, Any]) -> None:
    e = exam(bank["writer"])
    with pytest.raises(ValidationFailed) as exc:
        services.exam_publish(actor=bank["writer"], exam_id=e.pk, expected_version=1, now=at(5, 20))
    assert "candidate_ids" in exc.value.extra["fields"]


def test_stale_and_scope(world: World, bank: dict[str, Any]) -> None:
    e = exam(bank["writer"], candidate_ids=[world.tianshan_officer.pk])
    services.exam_update(
        actor=bank["writer"],
        exam_id=e.pk,
        expected_version=1,
        **exam_fields(title="新标题", candidate_ids=[world.tianshan_officer.pk]),
    )
    with pytest.raises(ConcurrentModification):
        services.exam_publish(actor=bank["writer"], exam_id=e.pk, expected_version=1, now=at(5, 20))
    ts_lead = UserFactory(agency=world.tianshan, roles=[Role.TEAM_LEAD])
    with pytest.raises(NotFound):  # a lower office does not manage the region's exam
        services.exam_publish(actor=ts_lead, exam_id=e.pk, expected_version=2, now=at(5, 20))
    region_officer = world.province_officer
    with pytest.raises(PermissionDenied):
        services.exam_publish(actor=region_officer, exam_id=e.pk, expected_version=2, now=at(5, 20))
    e.refresh_from_db()
    assert (e.state, e.version, e.title) == ("draft", 2, "新标题")


def test_draw_follows_the_rules(world: World, bank: dict[str, Any]) -> None:
    w = bank["writer"]
    question(
        w,
        stem="移送题",
        article_ids=[
            __import__("tests.exams.conftest", fromlist=["article"])
            .article("transfer-regulation-310", 5)
            .pk
        ],
        tags=["移送"],
    )
    e = published(
        w,
        candidate_ids=[world.tianshan_officer.pk],
        rules=[
            _line(tag="移送", count=1, points=3),
            _line(kind="multiple", count=2, points=4),
            _line(kind="true_false", count=2, points=1),
            _line(kind="case", count=1, points=20),
            _line(difficulty="hard", count=1, points=2),
        ],
    )
    for seed in ("a", "b", "c", "d"):
        rules = list(e.rules.order_by("position"))
        paper = services.draw_paper("65", rules, seed)
        ids = [q for _, q in paper]
        assert len(ids) == len(set(ids)) == 7
        qs = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
        by_line = Counter(r.position for r, _ in paper)
        assert by_line == {1: 1, 2: 2, 3: 2, 4: 1, 5: 1}
        for rule, qid in paper:
            q = qs[qid]
            assert q.kind == rule.kind
            if rule.tag:
                assert q.stem == "移送题"
            if rule.difficulty:
                assert q.difficulty == rule.difficulty
    # the draw is reproducible from its recorded seed
    assert services.draw_paper("65", rules, "x") == services.draw_paper("65", rules, "x")


def test_close(world: World, bank: dict[str, Any]) -> None:
    e = published(bank["writer"], candidate_ids=[world.tianshan_officer.pk])
    e = services.exam_close(actor=bank["writer"], exam_id=e.pk, expected_version=2, now=at(7, 1))
    assert e.state == "closed"
    with pytest.raises(IllegalTransition):
        services.exam_close(actor=bank["writer"], exam_id=e.pk, expected_version=3, now=at(7, 1))
