"""The workflow kernel, exercised on the enterprise status table (registry.workflows)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import translation

from inspectorate.core.deadlines import DeadlineRule
from inspectorate.core.errors import (
    ConcurrentModification,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import DayCount, Deadline, RecordEvent
from inspectorate.core.record import verify_all
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow, transition_apply
from inspectorate.org.models import User
from inspectorate.org.roles import Role
from inspectorate.registry import services
from inspectorate.registry.models import Enterprise, EnterpriseStatus
from inspectorate.registry.workflows import ENTERPRISE_STATUS
from tests.factories import (
    AgencyFactory,
    ClosedEnterpriseFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    SuspendedEnterpriseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STATES = [EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED, EnterpriseStatus.CLOSED]
ACTIONS = ["suspend", "resume", "close", "reopen"]
# The whole table: (from, action) -> to. Every other pair is illegal.
LEGAL = {
    ("operating", "suspend"): "suspended",
    ("suspended", "resume"): "operating",
    ("operating", "close"): "closed",
    ("suspended", "close"): "closed",
    ("closed", "reopen"): "operating",
}
ACTION_LABELS = {"suspend": "Suspend", "resume": "Resume", "close": "Close", "reopen": "Reopen"}
STATE_LABELS = {"operating": "Operating", "suspended": "Suspended", "closed": "Closed"}
FACTORY = {
    "operating": EnterpriseFactory,
    "suspended": SuspendedEnterpriseFactory,
    "closed": ClosedEnterpriseFactory,
}


@pytest.fixture
def agency():  # type: ignore[no-untyped-def]
    return AgencyFactory(jurisdiction_code="650102")


@pytest.fixture
def superactor(agency) -> User:  # type: ignore[no-untyped-def]
    """Holds every role, so that only the table decides."""
    return UserFactory(
        agency=agency, name="全权用户", roles=[Role.TEAM_LEAD, Role.HEAD, Role.ADMIN]
    )


def _state(enterprise: Enterprise) -> tuple[str, int]:
    enterprise.refresh_from_db()
    return enterprise.status, enterprise.version


def test_the_table_is_the_documented_one() -> None:
    table = {(t.source, t.action): t.target for t in ENTERPRISE_STATUS.transitions}
    assert table == LEGAL
    roles = {(t.source, t.action): set(t.roles) for t in ENTERPRISE_STATUS.transitions}
    assert roles == {
        ("operating", "suspend"): {"team_lead", "head"},
        ("suspended", "resume"): {"team_lead", "head"},
        ("operating", "close"): {"head", "admin"},
        ("suspended", "close"): {"head", "admin"},
        ("closed", "reopen"): {"admin"},
    }
    assert all(t.reason_required for t in ENTERPRISE_STATUS.transitions)
    assert ENTERPRISE_STATUS.all_actions() == set(ACTIONS)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(state: str, action: str, agency, superactor: User) -> None:  # type: ignore[no-untyped-def]
    enterprise = FACTORY[state](supervising_agency=agency)
    events_before = RecordEvent.objects.count()
    service = services.STATUS_SERVICES[action]
    if (state, action) in LEGAL:
        result = service(actor=superactor, pk=enterprise.pk, reason="依法处理")
        target = LEGAL[(state, action)]
        assert (result.status, result.version) == (target, 2)
        assert _state(enterprise) == (target, 2)
        event = RecordEvent.objects.get(kind=RecordKind.ENTERPRISE_STATUS_CHANGED)
        assert event.payload == {
            "workflow": "enterprise_status",
            "action": action,
            "before": {"status": state},
            "after": {"status": target},
            "reason": "依法处理",
            "params": {},
            "deadline_due": None,
        }
        assert (event.subject_type, event.subject_id) == ("registry.enterprise", str(enterprise.pk))
        assert (event.jurisdiction_code, event.actor_id, event.actor_name) == (
            "650102",
            superactor.pk,
            "全权用户",
        )
        assert verify_all() == (1, [])
    else:
        with translation.override("en"), pytest.raises(IllegalTransition) as info:
            service(actor=superactor, pk=enterprise.pk, reason="依法处理")
        assert info.value.status_code == 409
        assert info.value.extra == {"state": state, "action": action}
        assert info.value.message == (
            f"The action “{ACTION_LABELS[action]}” is not allowed in the state "
            f"“{STATE_LABELS[state]}”."
        )
        assert _state(enterprise) == (state, 1)
        assert RecordEvent.objects.count() == events_before


@pytest.mark.parametrize(
    "transition", ENTERPRISE_STATUS.transitions, ids=lambda t: f"{t.source}-{t.action}"
)
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_the_listed_roles_may_act(transition: Transition, role: str, agency) -> None:  # type: ignore[no-untyped-def]
    enterprise = FACTORY[transition.source](supervising_agency=agency)
    if role == Role.ENTERPRISE:  # the enterprise's own user: in scope, but not an officer
        actor = EnterpriseUserFactory(enterprise=enterprise)
    else:
        actor = UserFactory(agency=agency, roles=[role])
    service = services.STATUS_SERVICES[transition.action]
    if role in transition.roles:
        service(actor=actor, pk=enterprise.pk, reason="依法处理")
        assert _state(enterprise) == (transition.target, 2)
    else:
        with pytest.raises(PermissionDenied) as info:
            service(actor=actor, pk=enterprise.pk, reason="依法处理")
        assert (info.value.status_code, info.value.code) == (403, "permission_denied")
        assert _state(enterprise) == (transition.source, 1)
        assert RecordEvent.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_reason_is_required(reason: str, agency, superactor: User) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_suspend(actor=superactor, pk=enterprise.pk, reason=reason)
    assert info.value.extra == {"fields": {"reason": ["A reason is required for this action."]}}
    assert _state(enterprise) == ("operating", 1)
    assert RecordEvent.objects.count() == 0


def test_a_stale_version_is_a_concurrent_modification(agency, superactor: User) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    services.enterprise_suspend(
        actor=superactor, pk=enterprise.pk, reason="停产整顿", expected_version=1
    )
    # a second officer still holds version 1
    with pytest.raises(ConcurrentModification) as info:
        services.enterprise_close(
            actor=superactor, pk=enterprise.pk, reason="关闭", expected_version=1
        )
    assert (info.value.status_code, info.value.extra) == (409, {"current_version": 2})
    assert _state(enterprise) == ("suspended", 2)
    assert RecordEvent.objects.count() == 1
    services.enterprise_resume(
        actor=superactor, pk=enterprise.pk, reason="整改完毕", expected_version=2
    )
    assert _state(enterprise) == ("operating", 3)


def test_a_round_trip_bumps_the_version_each_time(agency, superactor: User) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    for n, (action, target) in enumerate(
        [("suspend", "suspended"), ("close", "closed"), ("reopen", "operating")], start=2
    ):
        services.STATUS_SERVICES[action](actor=superactor, pk=enterprise.pk, reason=action)
        assert _state(enterprise) == (target, n)
    kinds = list(RecordEvent.objects.order_by("seq").values_list("seq", "payload__action"))
    assert kinds == [(1, "suspend"), (2, "close"), (3, "reopen")]


def test_an_out_of_scope_actor_cannot_reach_the_row(agency) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    karamay_head = UserFactory(agency=AgencyFactory(jurisdiction_code="650200"), roles=["head"])
    with pytest.raises(NotFound):
        services.enterprise_suspend(actor=karamay_head, pk=enterprise.pk, reason="越权")
    with pytest.raises(NotFound):
        services.enterprise_suspend(actor=karamay_head, pk=enterprise.pk + 1000, reason="越权")
    assert _state(enterprise) == ("operating", 1)
    assert RecordEvent.objects.count() == 0


# --- the kernel itself ------------------------------------------------------------------


def test_a_table_with_an_undeclared_state_or_a_duplicate_is_refused() -> None:
    t = Transition("a", "go", "b", "Go", frozenset({"head"}), RecordKind.ENTERPRISE_STATUS_CHANGED)
    with pytest.raises(ValueError, match="undeclared state"):
        Workflow(name="w", state_field="status", states=("a",), transitions=(t,))
    with pytest.raises(ValueError, match="duplicate transition"):
        Workflow(name="w", state_field="status", states=("a", "b"), transitions=(t, t))


def test_actions_for_lists_what_the_user_may_do(agency) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD])
    head = UserFactory(agency=agency, roles=[Role.HEAD])
    officer = UserFactory(agency=agency, roles=[Role.OFFICER])
    assert [t.action for t in ENTERPRISE_STATUS.actions_for(enterprise, lead)] == ["suspend"]
    assert [t.action for t in ENTERPRISE_STATUS.actions_for(enterprise, head)] == [
        "suspend",
        "close",
    ]
    assert ENTERPRISE_STATUS.actions_for(enterprise, officer) == []


def test_a_transition_starts_and_stops_deadlines_and_runs_callbacks_on_commit(
    agency,
    superactor: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    rule = DeadlineRule("rectification", 30, DayCount.CALENDAR, "安全生产法 第六十五条")
    flow = Workflow(
        name="test_flow",
        state_field="status",
        states=("operating", "suspended"),
        transitions=(
            Transition(
                "operating",
                "suspend",
                "suspended",
                "停产整顿",
                frozenset({Role.HEAD}),
                RecordKind.ENTERPRISE_STATUS_CHANGED,
                starts_deadline=rule,
            ),
            Transition(
                "suspended",
                "resume",
                "operating",
                "复产",
                frozenset({Role.HEAD}),
                RecordKind.ENTERPRISE_STATUS_CHANGED,
                stops_deadlines=("rectification",),
            ),
        ),
    )
    enterprise = EnterpriseFactory(supervising_agency=agency)
    calls: list[str] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transition_apply(
            workflow=flow,
            queryset=Enterprise.objects.all(),
            pk=enterprise.pk,
            action="suspend",
            actor=superactor,
            jurisdiction_code=lambda e: e.jurisdiction_id,
            params={"order": "（新天）应急责改〔2026〕3号"},
            today=dt.date(2026, 9, 1),
            on_commit=[lambda: calls.append("notify")],
        )
        assert calls == []  # not before the commit
    assert len(callbacks) == 1
    assert calls == ["notify"]
    deadline = Deadline.objects.get()
    # 30 days from 09-01 is 10-01, inside the National Day holiday: due 10-08
    assert (deadline.kind, deadline.start_date, deadline.due_date) == (
        "rectification",
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 8),
    )
    event = RecordEvent.objects.get()
    assert event.payload["deadline_due"] == "2026-10-08"
    assert event.payload["params"] == {"order": "（新天）应急责改〔2026〕3号"}
    transition_apply(
        workflow=flow,
        queryset=Enterprise.objects.all(),
        pk=enterprise.pk,
        action="resume",
        actor=superactor,
        jurisdiction_code=lambda e: e.jurisdiction_id,
    )
    deadline.refresh_from_db()
    assert deadline.met_at is not None


def test_a_guard_can_refuse_and_nothing_changes(agency, superactor: User) -> None:  # type: ignore[no-untyped-def]
    def needs_certificate(obj: object, actor: object, params: dict[str, object]) -> None:
        if not params.get("certificate"):
            raise ValidationFailed("需要执法证", extra={"fields": {"certificate": ["需要执法证"]}})

    flow = Workflow(
        name="guarded",
        state_field="status",
        states=("operating", "suspended"),
        transitions=(
            Transition(
                "operating",
                "suspend",
                "suspended",
                "停产",
                frozenset({Role.HEAD}),
                RecordKind.ENTERPRISE_STATUS_CHANGED,
                guards=(needs_certificate,),
            ),
        ),
    )
    enterprise = EnterpriseFactory(supervising_agency=agency)
    with pytest.raises(ValidationFailed):
        transition_apply(
            workflow=flow,
            queryset=Enterprise.objects.all(),
            pk=enterprise.pk,
            action="suspend",
            actor=superactor,
            jurisdiction_code=lambda e: e.jurisdiction_id,
        )
    assert _state(enterprise) == ("operating", 1)
    transition_apply(
        workflow=flow,
        queryset=Enterprise.objects.all(),
        pk=enterprise.pk,
        action="suspend",
        actor=superactor,
        jurisdiction_code=lambda e: e.jurisdiction_id,
        params={"certificate": "65010220250001"},
    )
    assert _state(enterprise) == ("suspended", 2)


# --- through the API --------------------------------------------------------------------


def _post(client, pk: int, action: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/enterprises/{pk}/transitions/{action}/",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_api_legal_transition(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD])
    response = _post(
        client_for(lead), enterprise.pk, "suspend", {"reason": "重大隐患", "version": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["version"]) == (enterprise.pk, "suspended", 2)
    assert _state(enterprise) == ("suspended", 2)


def test_api_illegal_transition_is_409_and_changes_nothing(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = ClosedEnterpriseFactory(supervising_agency=agency)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD])
    response = _post(client_for(lead), enterprise.pk, "suspend", {"reason": "重大隐患"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["extra"] == {"state": "closed", "action": "suspend"}
    assert body["message"] == "The action “Suspend” is not allowed in the state “Closed”."
    assert _state(enterprise) == ("closed", 1)
    assert RecordEvent.objects.count() == 0


def test_api_wrong_role_is_403_and_changes_nothing(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    officer = UserFactory(agency=agency, roles=[Role.OFFICER])
    response = _post(client_for(officer), enterprise.pk, "close", {"reason": "关闭"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "Your role may not perform this action.",
        "extra": {},
    }
    assert _state(enterprise) == ("operating", 1)
    assert RecordEvent.objects.count() == 0


def test_api_missing_reason_is_400_with_the_field(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD])
    for body in ({}, {"reason": "  "}):
        response = _post(client_for(lead), enterprise.pk, "suspend", body)
        assert response.status_code == 400
        assert response.json()["code"] == "validation_failed"
        assert list(response.json()["extra"]["fields"]) == ["reason"]
    assert _state(enterprise) == ("operating", 1)


def test_api_stale_version_is_409(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency, version=4)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD])
    response = _post(client_for(lead), enterprise.pk, "suspend", {"reason": "x", "version": 3})
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_modification"
    assert response.json()["extra"] == {"current_version": 4}
    assert _state(enterprise) == ("operating", 4)


def test_api_unknown_action_is_404(agency, client_for) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory(supervising_agency=agency)
    lead = UserFactory(agency=agency, roles=[Role.TEAM_LEAD, Role.ADMIN, Role.HEAD])
    response = _post(client_for(lead), enterprise.pk, "demolish", {"reason": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
