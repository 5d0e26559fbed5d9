"""Thin DRF views for accidents: the list and the report, one accident, and its steps."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.accidents import actions, selectors, services
from inspectorate.accidents.models import Accident, AccidentKind
from inspectorate.accidents.workflows import ACCIDENT, investigating_office_code
from inspectorate.core.api import DeadlineOutput, paginated_response, validated
from inspectorate.core.errors import PermissionDenied
from inspectorate.core.idempotency import idempotent


class ChainStepOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    from_level = serializers.CharField()
    to_level = serializers.CharField()
    to_name = serializers.CharField()
    hours = serializers.IntegerField()
    legal_basis = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    reported_at = serializers.DateTimeField(allow_null=True)
    required = serializers.BooleanField()  # type: ignore[assignment]
    late = serializers.BooleanField(source="is_late")
    overdue = serializers.SerializerMethodField()
    notices = serializers.SerializerMethodField()

    def get_overdue(self, step: Any) -> bool:
        return bool(step.is_overdue(timezone.now()))

    def get_notices(self, step: Any) -> list[dict[str, Any]]:
        return [{"party": n.party, "notified_at": n.notified_at} for n in step.notices.all()]


class AccidentListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit_name = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    jurisdiction_code = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField()
    kind = serializers.CharField()
    deaths = serializers.IntegerField()
    serious_injuries = serializers.IntegerField()
    missing = serializers.IntegerField()
    direct_loss = serializers.IntegerField()
    grade = serializers.CharField()
    grade_label = serializers.CharField(source="get_grade_display")
    grade_basis = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField()
    chain = ChainStepOutput(many=True)


class UpdateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reported_at = serializers.DateTimeField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    grade_before = serializers.CharField()
    grade_after = serializers.CharField()
    note = serializers.CharField()


class FindingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.CharField()
    person_name = serializers.CharField()
    person_position = serializers.CharField()
    provision = serializers.CharField(source="provision_code")
    citation = serializers.CharField()
    facts = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    violation = serializers.IntegerField(source="violation_id", allow_null=True)
    amount = serializers.SerializerMethodField()
    crime_screened = serializers.BooleanField()

    def get_amount(self, finding: Any) -> int | None:
        return finding.violation.proposed if finding.violation_id else None


def _actions(request: Request, accident: Accident) -> list[str]:
    """The steps of the table the user may take: the investigating level's office only."""
    user: Any = request.user
    if user.agency_id is None or user.agency.jurisdiction_id != investigating_office_code(accident):
        return []
    return [t.action for t in ACCIDENT.actions_for(accident, user)]


def accident_body(request: Request, accident: Accident) -> dict[str, Any]:
    end, days = services.update_window_end(accident)
    return {
        **AccidentListOutput(accident).data,
        "brief": accident.brief,
        "measures": accident.measures,
        "unit_reported_at": accident.unit_reported_at,
        "update_window_end": end,
        "update_window_days": days,
        "investigating_level": accident.investigating_level,
        "group_leader": accident.group_leader,
        "group_members": accident.group_members,
        "group_set_up_on": accident.group_set_up_on,
        "extension_days": accident.extension_days,
        "extension_approved_by": accident.extension_approved_by,
        "report_received_on": accident.report_received_on,
        "report_summary": accident.report_summary,
        "replied_on": accident.replied_on,
        "reply_authority": accident.reply_authority,
        "reply_text": accident.reply_text,
        "closed_on": accident.closed_on,
        "actions": _actions(request, accident),
        "deadlines": DeadlineOutput(selectors.deadlines_of(accident), many=True).data,
        "updates": UpdateOutput(selectors.updates_of(accident), many=True).data,
        "findings": FindingOutput(selectors.findings_of(accident), many=True).data,
    }


class AccidentInput(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False, allow_null=True, default=None)
    unit_name = serializers.CharField(required=False, allow_blank=True, default="")
    jurisdiction_code = serializers.CharField(max_length=6)
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=AccidentKind.values)
    deaths = serializers.IntegerField(min_value=0, default=0)
    serious_injuries = serializers.IntegerField(min_value=0, default=0)
    missing = serializers.IntegerField(min_value=0, default=0)
    direct_loss = serializers.IntegerField(min_value=0, default=0)
    brief = serializers.CharField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    unit_reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


def _staff(request: Request) -> None:
    user: Any = request.user
    if not user.is_staff_member:
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("Your role may not perform this action."))


class AccidentListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("state", str), OpenApiParameter("grade", str)],
        responses=AccidentListOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.accident_list_for_user(
            user=request.user,
            state=str(request.query_params.get("state", ""))[:16],
            grade=str(request.query_params.get("grade", ""))[:24],
        )
        return paginated_response(request, self, qs, AccidentListOutput)

    @extend_schema(request=AccidentInput, responses={201: AccidentListOutput})
    def post(self, request: Request) -> Response:
        _staff(request)

        def handle() -> Response:
            data = validated(AccidentInput(data=request.data))
            accident = services.accident_report(
                actor=request.user,
                enterprise_id=data["enterprise"],
                unit_name=data["unit_name"],
                jurisdiction_code=data["jurisdiction_code"],
                occurred_at=data["occurred_at"],
                place=data["place"],
                kind=data["kind"],
                deaths=data["deaths"],
                serious_injuries=data["serious_injuries"],
                missing=data["missing"],
                direct_loss=data["direct_loss"],
                brief=data["brief"],
                measures=data["measures"],
                unit_reported_at=data["unit_reported_at"],
            )
            return Response(AccidentListOutput(accident).data, status=status.HTTP_201_CREATED)

        return idempotent(request, "accident-report", handle)


class AccidentDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        accident = selectors.accident_get_for_user(user=request.user, pk=pk)
        return Response(accident_body(request, accident))


class ActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(actions.STEPS))


class AccidentActionApi(APIView):
    """Every step: ``{"action": ..., "version": ..., <the step's fields>}``. A step the state
    does not allow is a 409 and changes nothing."""

    @extend_schema(request=ActionInput, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        _staff(request)  # an enterprise user may not act here at all (403)
        selectors.accident_get_for_user(user=request.user, pk=pk)  # out of scope: 404 first

        def handle() -> Response:
            data = validated(ActionInput(data=request.data))
            actions.perform(
                actor=request.user,
                accident_id=pk,
                action=data["action"],
                data=request.data,
                now=timezone.now(),
            )
            accident = selectors.accident_get_for_user(user=request.user, pk=pk)
            return Response(accident_body(request, accident))

        return idempotent(request, f"accident-action:{pk}", handle)
