"""Thin DRF views of crime transfers: flags, transfers and their steps, and the audit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import DeadlineOutput, paginated_response, validated
from inspectorate.core.errors import PermissionDenied
from inspectorate.core.idempotency import idempotent
from inspectorate.inspections.api import DocumentOutput
from inspectorate.referrals import actions, selectors, services
from inspectorate.referrals.workflows import REFERRAL


def _staff(request: Request) -> Any:
    user: Any = request.user
    if not user.is_staff_member:
        raise PermissionDenied(_denied())
    return user


def _denied() -> str:
    from django.utils.translation import gettext as _

    return _("Your role may not perform this action.")


class FlagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    agency = serializers.IntegerField(source="agency_id")
    jurisdiction_code = serializers.CharField()
    trigger = serializers.CharField(source="trigger_code")
    crime = serializers.CharField(source="trigger.crime")
    article = serializers.CharField(source="trigger.criminal_article")
    citation = serializers.CharField(source="trigger.citation")
    facts = serializers.JSONField()
    automatic = serializers.BooleanField()
    flagged_by = serializers.IntegerField(source="flagged_by_id")
    flagged_on = serializers.DateField()
    state = serializers.CharField()
    dismissal_reasons = serializers.CharField()
    version = serializers.IntegerField()


class FlagInput(serializers.Serializer):
    case = serializers.IntegerField()
    trigger = serializers.CharField(max_length=48)
    facts = serializers.DictField(required=False, default=dict)


class FlagListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("state", str)], responses=FlagOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.flag_list_for_user(
            user=request.user, state=str(request.query_params.get("state", ""))[:16]
        )
        return paginated_response(request, self, qs, FlagOutput)

    @extend_schema(request=FlagInput, responses={201: FlagOutput})
    def post(self, request: Request) -> Response:
        _staff(request)

        def handle() -> Response:
            data = validated(FlagInput(data=request.data))
            flag = services.screening_flag(
                actor=request.user,
                case_id=data["case"],
                trigger_code=data["trigger"],
                facts=data["facts"],
                today=timezone.localdate(),
            )
            return Response(FlagOutput(flag).data, status=status.HTTP_201_CREATED)

        return idempotent(request, "referral-flag", handle)


class DismissInput(serializers.Serializer):
    reasons = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class FlagDismissApi(APIView):
    @extend_schema(request=DismissInput, responses={200: FlagOutput})
    def post(self, request: Request, pk: int) -> Response:
        _staff(request)

        def handle() -> Response:
            data = validated(DismissInput(data=request.data))
            flag = services.flag_dismiss(
                actor=request.user,
                flag_id=pk,
                reasons=data["reasons"],
                expected_version=data["version"],
            )
            return Response(FlagOutput(flag).data)

        return idempotent(request, f"referral-flag-dismiss:{pk}", handle)


class ReferralOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    flag = serializers.IntegerField(source="flag_id")
    agency = serializers.IntegerField(source="agency_id")
    jurisdiction_code = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    suspected_crime = serializers.CharField()
    police = serializers.CharField()
    opened_on = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    transfer_due_at = serializers.DateTimeField()
    transferred_at = serializers.DateTimeField()
    received_on = serializers.DateField()
    police_decision = serializers.CharField()
    police_document = serializers.CharField()
    police_decided_on = serializers.DateField()
    version = serializers.IntegerField()


class ReferralInput(serializers.Serializer):
    flag = serializers.IntegerField()
    team = serializers.ListField(child=serializers.IntegerField())
    report = serializers.CharField(allow_blank=True)
    police = serializers.CharField(allow_blank=True)
    items = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class ReferralListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("state", str)], responses=ReferralOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.referral_list_for_user(
            user=request.user, state=str(request.query_params.get("state", ""))[:32]
        ).order_by("-id")
        return paginated_response(request, self, qs, ReferralOutput)

    @extend_schema(request=ReferralInput, responses={201: ReferralOutput})
    def post(self, request: Request) -> Response:
        _staff(request)

        def handle() -> Response:
            data = validated(ReferralInput(data=request.data))
            referral = services.referral_open(
                actor=request.user,
                flag_id=data["flag"],
                team_ids=data["team"],
                report=data["report"],
                police=data["police"],
                items=data["items"],
            )
            return Response(ReferralOutput(referral).data, status=status.HTTP_201_CREATED)

        return idempotent(request, "referral-open", handle)


class ReferralDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        referral = selectors.referral_get_for_user(user=request.user, pk=pk)
        deadlines = selectors.deadlines_of("referrals.referral", [referral.pk]).get(referral.pk, [])
        from inspectorate.core.models import IssuedDocument

        documents = IssuedDocument.objects.filter(
            subject_type="referrals.referral", subject_id=str(referral.pk)
        ).order_by("id")
        return Response(
            {
                **ReferralOutput(referral).data,
                "report": referral.report,
                "refusal_reasons": referral.refusal_reasons,
                "police_reasons": referral.police_reasons,
                "items": referral.items,
                "handover_list": referral.handover_list,
                "team": [
                    {"officer": m.officer_id, "certificate": m.certificate}
                    for m in referral.members.all()
                ],
                "attachments": [
                    {"kind": a.kind, "title": a.title, "document": a.document_id}
                    for a in referral.attachments.all()
                ],
                "transfer_overdue": selectors.transfer_overdue(referral),
                "actions": [t.action for t in REFERRAL.actions_for(referral, request.user)],  # type: ignore[arg-type]
                "deadlines": DeadlineOutput(deadlines, many=True).data,
                "documents": DocumentOutput(documents, many=True).data,
            }
        )


class ActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(actions.STEP_FIELDS))


class ReferralActionApi(APIView):
    """Every step: ``{"action": ..., "version": ..., <the step's fields>}``; a step the state
    does not allow is a 409 and changes nothing."""

    @extend_schema(request=ActionInput, responses={200: ReferralOutput})
    def post(self, request: Request, pk: int) -> Response:
        _staff(request)

        def handle() -> Response:
            data = validated(ActionInput(data=request.data))
            referral = actions.perform(
                actor=request.user, referral_id=pk, action=data["action"], data=request.data
            )
            return Response(ReferralOutput(referral).data)

        return idempotent(request, f"referral-action:{pk}", handle)


class AuditApi(APIView):
    """The "应移未移" audit of the user's scope on a day (default today)."""

    @extend_schema(parameters=[OpenApiParameter("on", str)], responses={200: None})
    def get(self, request: Request) -> Response:
        user = _staff(request)
        on = timezone.localdate()
        raw = str(request.query_params.get("on", "") or "")
        if raw:
            on = actions.parse_date(raw, "on")
        rows = selectors.omitted_transfers(user=user, on=on)
        return Response(
            {
                "on": on,
                "rows": [
                    {
                        "case": r.case_id,
                        "case_number": r.case_number,
                        "agency": r.agency_id,
                        "agency_name": r.agency_name,
                        "jurisdiction_code": r.jurisdiction_code,
                        "officer": r.officer_id,
                        "officer_name": r.officer_name,
                        "head": r.head_id,
                        "trigger": r.trigger,
                        "flagged_on": r.flagged_on,
                        "reason": r.reason,
                        "detail": r.detail,
                    }
                    for r in rows
                ],
                "per_office": [
                    {"agency": a, "name": n, "cases": c}
                    for a, n, c in selectors.omitted_counts(rows)
                ],
            }
        )
