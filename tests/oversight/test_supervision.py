"""Supervision orders (督办): issue, reply, accept, return, withdraw; who may act; the
deadline set by the issuer and "overdue" computed when read."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import Deadline, IssuedDocument, RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.oversight import selectors, services
from inspectorate.oversight.models import (
    ReplyOutcome,
    SubjectKind,
    SupervisionOrder,
    SupervisionReply,
    SupervisionState,
)
from tests.oversight.conftest import OversightWorld, case

ISSUED = dt.date(2026, 11, 2)
DUE = dt.date(2026, 11, 20)


def issue(ow: OversightWorld, **kw: object) -> SupervisionOrder:
    params: dict[str, object] = {
        "actor": ow.pref_head,
        "addressee_id": ow.w.tianshan.pk,
        "subject_kind": SubjectKind.ENTERPRISE,
        "enterprise_id": ow.w.ent_tianshan.pk,
        "title": "督促天山化工整改重大事故隐患",
        "requirements": "立即组织复查，依法查处。",
        "due_date": DUE,
        "today": ISSUED,
    }
    params.update(kw)
    return services.supervision_issue(**params)  # type: ignore[arg-type]


def reply(ow: OversightWorld, order: SupervisionOrder, day: dt.date = dt.date(2026, 11, 18)):
    return services.supervision_reply(
        actor=ow.ts_officer,
        order_id=order.pk,
        version=order.version,
        measures="已责令停产整改并立案查处",
        result="隐患已整改完毕",
        today=day,
    )


def open_deadlines(order: SupervisionOrder) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            subject_type="oversight.supervisionorder",
            subject_id=str(order.pk),
            met_at=None,
            cancelled_at=None,
        )
    )


def test_issue_makes_the_order_its_deadline_and_the_notice(ow: OversightWorld) -> None:
    order = issue(ow)
    assert order.state == SupervisionState.ISSUED
    assert order.jurisdiction_code == "650102"
    assert order.issuer_code == "650100"
    [deadline] = open_deadlines(order)
    assert (deadline.kind, deadline.start_date, deadline.due_date) == (
        "supervision_reply",
        ISSUED,
        DUE,
    )
    doc = IssuedDocument.objects.get(pk=order.document_id)
    short = ow.w.prefecture.short_name
    assert doc.number == f"（{short}）应急督〔2026〕1号"
    assert doc.kind == "supervision_order"
    assert doc.jurisdiction_code == "650102"
    assert RecordEvent.objects.filter(kind="oversight.supervision_issued").count() == 1
    assert verify_chain("650102") == []


def test_overdue_is_computed_when_read(ow: OversightWorld) -> None:
    order = issue(ow)
    assert not selectors.supervision_is_overdue(order, DUE)
    assert selectors.supervision_is_overdue(order, DUE + dt.timedelta(days=1))
    replied = reply(ow, order, day=DUE + dt.timedelta(days=3))
    assert not selectors.supervision_is_overdue(replied, DUE + dt.timedelta(days=5))


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("province_to_itself", "addressee"),
        ("sibling", "addressee"),
        ("past_due", "due_date"),
    ],
)
def test_issue_refuses_bad_input_and_changes_nothing(
    ow: OversightWorld, who: str, field: str
) -> None:
    kw: dict[str, object] = {}
    if who == "province_to_itself":
        kw = {"actor": ow.prov_head, "addressee_id": ow.w.province.pk}
    elif who == "sibling":
        kw = {"addressee_id": ow.w.karamay.pk}
    else:
        kw = {"due_date": ISSUED}
    with pytest.raises(ValidationFailed) as exc:
        issue(ow, **kw)
    assert field in exc.value.extra["fields"]
    assert SupervisionOrder.objects.count() == 0
    assert IssuedDocument.objects.count() == 0
    assert Deadline.objects.count() == 0


def test_an_officer_or_a_county_may_not_issue(ow: OversightWorld) -> None:
    with pytest.raises(PermissionDenied):
        issue(ow, actor=ow.w.prefecture_officer)
    with pytest.raises(ValidationFailed):  # a county has no office below it
        issue(ow, actor=ow.ts_head, addressee_id=ow.w.tianshan.pk)
    assert SupervisionOrder.objects.count() == 0


def test_subject_must_lie_in_the_addressees_area(ow: OversightWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:
        issue(ow, enterprise_id=ow.w.ent_shayibake.pk)
    assert "enterprise" in exc.value.extra["fields"]
    c = case(ow.w.tianshan, ow.w.ent_tianshan)
    order = issue(ow, subject_kind=SubjectKind.CASE, case_id=c.pk, enterprise_id=None)
    assert order.case_id == c.pk
    assert order.enterprise_id == ow.w.ent_tianshan.pk
    other = issue(ow, subject_kind=SubjectKind.OTHER, subject_text="安全生产大检查情况")
    assert other.subject_text == "安全生产大检查情况"


def test_reply_accept_closes_the_order(ow: OversightWorld) -> None:
    order = issue(ow)
    replied = reply(ow, order)
    assert replied.state == SupervisionState.REPLIED
    assert replied.version == order.version + 1
    assert open_deadlines(order) == []
    accepted = services.supervision_accept(
        actor=ow.pref_head,
        order_id=order.pk,
        version=replied.version,
        opinion="同意办结",
        today=dt.date(2026, 11, 25),
    )
    assert accepted.state == SupervisionState.ACCEPTED
    assert accepted.closed_on == dt.date(2026, 11, 25)
    [r] = SupervisionReply.objects.filter(order=order)
    assert (r.round, r.outcome, r.outcome_by_id) == (1, ReplyOutcome.ACCEPTED, ow.pref_head.pk)
    kinds = list(
        RecordEvent.objects.filter(
            subject_id=str(order.pk), subject_type="oversight.supervisionorder"
        )
        .order_by("seq")
        .values_list("kind", "payload__action")
    )
    assert kinds == [
        ("core.document_issued", None),
        ("oversight.supervision_issued", None),
        ("oversight.supervision_state_changed", "reply"),
        ("oversight.supervision_state_changed", "accept"),
    ]


def test_return_keeps_the_date_or_resets_it(ow: OversightWorld) -> None:
    order = issue(ow)
    replied = reply(ow, order)
    with pytest.raises(ValidationFailed):  # reasons are required
        services.supervision_return(
            actor=ow.pref_head, order_id=order.pk, version=replied.version, reason=" "
        )
    back = services.supervision_return(
        actor=ow.pref_head,
        order_id=order.pk,
        version=replied.version,
        reason="整改措施不具体",
        today=dt.date(2026, 11, 19),
    )
    assert back.state == SupervisionState.ISSUED
    assert back.due_date == DUE
    [deadline] = open_deadlines(order)
    assert deadline.due_date == DUE
    assert selectors.supervision_is_overdue(back, dt.date(2026, 11, 21))
    r = SupervisionReply.objects.get(order=order, round=1)
    assert (r.outcome, r.outcome_reason) == (ReplyOutcome.RETURNED, "整改措施不具体")
    again = reply(ow, back, day=dt.date(2026, 11, 21))
    reset = services.supervision_return(
        actor=ow.pref_head,
        order_id=order.pk,
        version=again.version,
        reason="仍未整改到位",
        new_due_date=dt.date(2026, 12, 15),
        today=dt.date(2026, 11, 22),
    )
    assert reset.due_date == dt.date(2026, 12, 15)
    [deadline] = open_deadlines(order)
    assert (deadline.start_date, deadline.due_date) == (
        dt.date(2026, 11, 22),
        dt.date(2026, 12, 15),
    )
    assert not selectors.supervision_is_overdue(reset, dt.date(2026, 12, 15))
    assert SupervisionReply.objects.filter(order=order).count() == 2


def test_who_may_act(ow: OversightWorld) -> None:
    order = issue(ow)
    with pytest.raises(NotFound):  # a sibling county does not see it
        services.supervision_reply(
            actor=ow.w.shayibake_officer,
            order_id=order.pk,
            version=order.version,
            measures="x",
            result="y",
        )
    for upper in (ow.pref_head, ow.prov_head):  # only the addressed office replies
        with pytest.raises(PermissionDenied):
            services.supervision_reply(
                actor=upper, order_id=order.pk, version=order.version, measures="x", result="y"
            )
    replied = reply(ow, order)
    for other in (ow.ts_head, ow.prov_head):  # only the issuing office accepts
        with pytest.raises(PermissionDenied):
            services.supervision_accept(actor=other, order_id=order.pk, version=replied.version)
    with pytest.raises(PermissionDenied):
        services.supervision_withdraw(
            actor=ow.ts_head, order_id=order.pk, version=replied.version, reason="撤回"
        )
    fresh = SupervisionOrder.objects.get(pk=order.pk)
    assert (fresh.state, fresh.version) == (SupervisionState.REPLIED, replied.version)


def test_stale_version_and_illegal_step(ow: OversightWorld) -> None:
    order = issue(ow)
    reply(ow, order)
    with pytest.raises(ConcurrentModification):
        services.supervision_accept(actor=ow.pref_head, order_id=order.pk, version=order.version)
    with pytest.raises(IllegalTransition):
        services.supervision_reply(
            actor=ow.ts_officer, order_id=order.pk, version=None, measures="x", result="y"
        )
    assert SupervisionReply.objects.filter(order=order).count() == 1


def test_withdraw_stops_the_deadline(ow: OversightWorld) -> None:
    order = issue(ow)
    done = services.supervision_withdraw(
        actor=ow.pref_head,
        order_id=order.pk,
        version=order.version,
        reason="已由上级直接督办",
        today=dt.date(2026, 11, 5),
    )
    assert done.state == SupervisionState.WITHDRAWN
    assert open_deadlines(order) == []
    assert not selectors.supervision_is_overdue(done, dt.date(2026, 12, 31))


def test_province_orders_a_county_directly(ow: OversightWorld) -> None:
    order = issue(ow, actor=ow.prov_head)
    assert (order.issuer_code, order.jurisdiction_code) == ("650000", "650102")
    assert list(selectors.supervision_list_for_user(user=ow.pref_head)) == [order]
    assert list(selectors.supervision_list_for_user(user=ow.w.karamay_officer)) == []
    assert list(selectors.supervision_list_for_user(user=ow.ts_officer, direction="received")) == [
        order
    ]
    assert list(selectors.supervision_list_for_user(user=ow.pref_head, direction="issued")) == []
