"""Thin DRF views for planning: parse, call one selector or service, render.

Every write takes the plan's ``version`` (optimistic concurrency: 409 when stale).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response
from inspectorate.core.errors import NotFound, ValidationFailed
from inspectorate.planning import coverage, selectors, services, signals
from inspectorate.planning.models import (
    AdjustmentReason,
    Plan,
    PlannedUnit,
    UnitOrigin,
    UnitState,
)
from inspectorate.planning.rules import reason_text
from inspectorate.planning.workflows import PLAN


class PlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    office = serializers.CharField(source="agency.code")
    office_name = serializers.CharField(source="agency.name")
    year = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField()
    random_share = serializers.DecimalField(max_digits=3, decimal_places=2)
    reserve_share = serializers.DecimalField(max_digits=3, decimal_places=2)
    capacity = serializers.JSONField()
    solver = serializers.JSONField()
    composed_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    filed_with = serializers.CharField(source="filed_with.code", allow_null=True, default=None)
    updated_at = serializers.DateTimeField()


class PlanCreateInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class CapacityInput(VersionInput):
    deductions = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False, default=dict
    )
    random_share = serializers.DecimalField(max_digits=3, decimal_places=2)
    reserve_share = serializers.DecimalField(max_digits=3, decimal_places=2)
    leave = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=12)),
        required=False,
        allow_null=True,
        default=None,
    )
    # unknown categories: the service answers "deductions.<category>", in the user's language


class CommitInput(VersionInput):
    seed = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True)


class AssignInput(VersionInput):
    time_limit = serializers.FloatField(min_value=0.5, max_value=120, required=False, default=10)


class TransitionInput(VersionInput):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AddItem(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1)
    joint = serializers.BooleanField(required=False, default=False)


class AdjustInput(VersionInput):
    reason = serializers.ChoiceField(choices=AdjustmentReason.choices)
    note = serializers.CharField(max_length=500)
    add = AddItem(many=True, required=False, default=list)
    remove = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    leave = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=12)),
        required=False,
        allow_null=True,
        default=None,
    )


class AdjustmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    made_by = serializers.CharField(source="made_by.username")
    made_at = serializers.DateTimeField()
    changes = serializers.JSONField()


class UnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    origin = serializers.CharField()
    state = serializers.CharField()
    risk = serializers.IntegerField()
    visits = serializers.IntegerField()
    cost = serializers.IntegerField()
    uncovered_reason = serializers.CharField()
    joint = serializers.BooleanField()
    reasons = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()

    def get_reasons(self, obj: PlannedUnit) -> list[str]:
        return [reason_text(r) for r in obj.reasons]

    def get_assignments(self, obj: PlannedUnit) -> list[dict[str, Any]]:
        return [
            {
                "sequence": v.sequence,
                "window": [v.month_from, v.month_to],
                "month": v.month,
                "team": v.team.number if v.team else None,
                "unassigned_reason": v.unassigned_reason,
                "cancelled": v.cancelled,
            }
            for v in obj.visit_set.all()
        ]


def _plan(request: Request, pk: int) -> Plan:
    return selectors.plan_get_for_user(user=request.user, pk=pk)


def _render(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(PlanOutput(_plan(request, pk)).data, status=code)


class PlanListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)], responses=PlanOutput(many=True)
    )
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year", "")
        qs = selectors.plan_list_for_user(
            user=request.user, year=int(year) if year.isdigit() else None
        )
        return paginated_response(request, self, qs, PlanOutput)

    @extend_schema(request=PlanCreateInput, responses={201: PlanOutput})
    def post(self, request: Request) -> Response:
        data = PlanCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_create(actor=request.user, year=data.validated_data["year"])
        return _render(request, plan.pk, status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    @extend_schema(responses=PlanOutput)
    def get(self, request: Request, pk: int) -> Response:
        return _render(request, pk)


class PlanCapacityApi(APIView):
    @extend_schema(request=CapacityInput, responses=PlanOutput)
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = CapacityInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        leave = d.get("leave")
        services.plan_capacity_set(
            actor=request.user,
            plan_id=pk,
            expected_version=d["version"],
            deductions=d["deductions"],
            random_share=d["random_share"],
            reserve_share=d["reserve_share"],
            leave={int(k): v for k, v in leave.items()} if leave else None,
        )
        return _render(request, pk)


class PlanComposeApi(APIView):
    @extend_schema(request=VersionInput, responses=PlanOutput)
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = VersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_compose(
            actor=request.user, plan_id=pk, expected_version=data.validated_data["version"]
        )
        return _render(request, pk)


class DrawOutput(serializers.Serializer):
    algorithm = serializers.CharField()
    seed_hash = serializers.CharField()
    seed = serializers.CharField()
    inputs_hash = serializers.CharField()
    budget = serializers.IntegerField()
    enterprise_candidates = serializers.JSONField()
    officer_candidates = serializers.JSONField()
    committed_at = serializers.CharField()
    drawn_at = serializers.CharField(allow_null=True)
    result = serializers.JSONField()


class PlanDrawApi(APIView):
    @extend_schema(responses=DrawOutput)
    def get(self, request: Request, pk: int) -> Response:
        plan = _plan(request, pk)
        draw = selectors.draw_for_plan(plan)
        if draw is None:
            raise NotFound()
        return Response(selectors.draw_public(draw) | {"verified": selectors.draw_verified(draw)})


class PlanDrawCommitApi(APIView):
    @extend_schema(request=CommitInput, responses=PlanOutput)
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = CommitInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.draw_commit(
            actor=request.user,
            plan_id=pk,
            expected_version=data.validated_data["version"],
            seed=data.validated_data.get("seed") or None,
        )
        return _render(request, pk)


class PlanDrawRunApi(APIView):
    @extend_schema(request=VersionInput, responses=PlanOutput)
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = VersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.draw_execute(
            actor=request.user, plan_id=pk, expected_version=data.validated_data["version"]
        )
        return _render(request, pk)


class PlanAssignApi(APIView):
    @extend_schema(request=AssignInput, responses=PlanOutput)
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_assign(
            actor=request.user,
            plan_id=pk,
            expected_version=data.validated_data["version"],
            time_limit=data.validated_data["time_limit"],
        )
        return _render(request, pk)


TRANSITIONS = {
    "submit": lambda actor, pk, version, reason: services.plan_submit(
        actor=actor, plan_id=pk, expected_version=version
    ),
    "return": lambda actor, pk, version, reason: services.plan_return(
        actor=actor, plan_id=pk, expected_version=version, reason=reason
    ),
    "approve": lambda actor, pk, version, reason: services.plan_approve(
        actor=actor, plan_id=pk, expected_version=version
    ),
    "file": lambda actor, pk, version, reason: services.plan_file(
        actor=actor, plan_id=pk, expected_version=version
    ),
}


class PlanTransitionApi(APIView):
    @extend_schema(request=TransitionInput, responses=PlanOutput)
    def post(self, request: Request, pk: int, action: str) -> Response:
        _plan(request, pk)
        if action not in TRANSITIONS or action not in PLAN.all_actions():
            raise NotFound()
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        TRANSITIONS[action](
            request.user, pk, data.validated_data["version"], data.validated_data["reason"]
        )
        return _render(request, pk)


class PlanAdjustmentsApi(APIView):
    @extend_schema(responses=AdjustmentOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        plan = _plan(request, pk)
        adjustments = selectors.adjustments_for_plan(plan).order_by("made_at", "pk")
        return Response(AdjustmentOutput(adjustments, many=True).data)

    @extend_schema(request=AdjustInput, responses={201: AdjustmentOutput})
    def post(self, request: Request, pk: int) -> Response:
        _plan(request, pk)
        data = AdjustInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        leave = d.get("leave")
        adjustment = services.plan_adjust(
            actor=request.user,
            plan_id=pk,
            expected_version=d["version"],
            reason=d["reason"],
            note=d["note"],
            add=d["add"],
            remove=d["remove"],
            leave={int(k): v for k, v in leave.items()} if leave else None,
        )
        return Response(AdjustmentOutput(adjustment).data, status=status.HTTP_201_CREATED)


class PlanUnitsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("origin", str, enum=[c.value for c in UnitOrigin], required=False),
            OpenApiParameter("state", str, enum=[c.value for c in UnitState], required=False),
        ],
        responses=UnitOutput(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = _plan(request, pk)
        qs = plan.units.select_related("enterprise").prefetch_related("visit_set__team")
        origin = request.query_params.get("origin", "")
        state = request.query_params.get("state", "")
        if origin:
            qs = qs.filter(origin=origin)
        if state:
            qs = qs.filter(state=state)
        return paginated_response(request, self, qs.order_by("-risk", "pk"), UnitOutput)


class TeamOutput(serializers.Serializer):
    number = serializers.IntegerField()
    members = serializers.ListField(child=serializers.CharField())
    sectors = serializers.ListField(child=serializers.CharField())
    by_month = serializers.ListField(child=serializers.IntegerField())
    effort_by_month = serializers.ListField(child=serializers.IntegerField())
    capacity_by_month = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class PlanTeamsApi(APIView):
    @extend_schema(responses=TeamOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        plan = _plan(request, pk)
        return Response(TeamOutput(selectors.team_rows(plan), many=True).data)


class CoverageApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("year", int, required=True)])
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year", "")
        if not year.isdigit():
            raise ValidationFailed(
                _("The data is not valid."), extra={"fields": {"year": [_("Enter a year.")]}}
            )
        c = coverage.coverage_for_user(user=request.user, year=int(year))
        return Response(
            {
                "year": c.year,
                "plans": c.plans,
                "conflicts": [vars(x) for x in c.conflicts],
                "uncovered": [vars(x) for x in c.uncovered],
                "offices_without_plan": [vars(x) for x in c.offices_without_plan],
                "mandatory_missing": c.mandatory_missing,
                "by_sector": c.by_sector,
                "by_risk_class": c.by_risk_class,
                "by_county": c.by_county,
                "by_month": c.by_month,
                "unassigned": c.unassigned,
            }
        )


class RiskSignalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    occurred_on = serializers.DateField()
    note = serializers.CharField()


class RiskSignalInput(serializers.Serializer):
    kind = serializers.CharField(max_length=24)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class EnterpriseRiskSignalsApi(APIView):
    """Accidents, open major hazards and complaints of an enterprise (key-unit rules)."""

    @extend_schema(responses=RiskSignalOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        qs = signals.risk_signal_list(user=request.user, enterprise_pk=pk)
        return Response(RiskSignalOutput(qs, many=True).data)

    @extend_schema(request=RiskSignalInput, responses={201: RiskSignalOutput})
    def post(self, request: Request, pk: int) -> Response:
        signals.risk_signal_list(user=request.user, enterprise_pk=pk)  # 404 before 400
        data = RiskSignalInput(data=request.data)
        data.is_valid(raise_exception=True)
        signal = signals.risk_signal_add(
            actor=request.user, enterprise_pk=pk, **data.validated_data
        )
        return Response(RiskSignalOutput(signal).data, status=status.HTTP_201_CREATED)


class PublicPlanListApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=PlanOutput(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(request, self, selectors.public_plans(), PublicPlanOutput)


class PublicPlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    office = serializers.CharField(source="agency.name")
    year = serializers.IntegerField()
    state = serializers.CharField()


class PublicPlanDetailApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get(self, request: Request, pk: int) -> Response:
        s = selectors.public_summary(selectors.public_plan_get(pk))
        return Response(
            {
                "id": s.plan.pk,
                "office": s.plan.agency.name,
                "year": s.plan.year,
                "key_units": s.key_units,
                "random_units": s.random_units,
                "adjustment_units": s.adjustment_units,
                "inspections": s.visits,
                "by_sector": s.by_sector,
                "by_month": s.by_month,
                "drawn": [{"rank": r, "name": n, "credit_code": c} for r, n, c in s.drawn],
                "draw": s.draw,
                "adjustments": s.adjustments,
            }
        )
