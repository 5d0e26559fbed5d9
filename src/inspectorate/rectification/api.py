"""Thin DRF views for rectification orders: officers, the head and the enterprise."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.idempotency import idempotent
from inspectorate.inspections.api import DocumentOutput, InspectionListOutput
from inspectorate.inspections.selectors import documents_for
from inspectorate.rectification import selectors, services
from inspectorate.rectification.models import RefusalKind, SubmissionKind
from inspectorate.rectification.workflows import ORDER


class OrderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    inspection = serializers.IntegerField(source="inspection_id")
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    issued_on = serializers.DateField()
    due_date = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    document = serializers.CharField(source="document.number", allow_null=True, default=None)
    version = serializers.IntegerField()


class LineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    finding = serializers.IntegerField(source="finding_id")
    description = serializers.CharField(source="finding.description")
    grade = serializers.CharField(source="finding.grade")
    violated_article = serializers.CharField(source="finding.violated_article")
    measure = serializers.CharField()
    due_date = serializers.DateField()
    state = serializers.CharField()


class SubmissionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    note = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    files = serializers.SerializerMethodField()

    def get_files(self, obj: Any) -> list[dict[str, Any]]:
        return [{"name": f.original_name, "sha256": f.sha256} for f in obj.files.all()]


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    refusal_kind = serializers.CharField()
    major_hazard = serializers.BooleanField()
    suspected_crime = serializers.BooleanField()
    crime_basis = serializers.CharField()
    articles = serializers.JSONField()
    statement = serializers.CharField()
    state = serializers.CharField()
    proposed_on = serializers.DateField()


def order_body(request: Request, order: Any) -> dict[str, Any]:
    detail = selectors.order_detail(order)
    return {
        **OrderOutput(order).data,
        "overdue": selectors.order_is_overdue(order),
        "actions": [t.action for t in ORDER.actions_for(order, request.user)],  # type: ignore[arg-type]
        "lines": LineOutput(detail["lines"], many=True).data,
        "submissions": SubmissionOutput(detail["submissions"], many=True).data,
        "reinspections": InspectionListOutput(detail["reinspections"], many=True).data,
        "extensions": [
            {"working_days": e.working_days, "reason": e.reason, "new_due": e.new_due}
            for e in detail["extensions"]
        ],
        "proposals": ProposalOutput(detail["proposals"], many=True).data,
        "documents": DocumentOutput(documents_for(order), many=True).data,
    }


class OrderListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("state", str), OpenApiParameter("overdue", bool)],
        responses=OrderOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.order_list_for_user(
            user=request.user,
            state=str(request.query_params.get("state", ""))[:16],
            overdue=request.query_params.get("overdue") in ("1", "true"),
        )
        return paginated_response(request, self, qs, OrderOutput)


class OrderDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        return Response(order_body(request, order))


class SubmissionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubmissionKind.values)
    note = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class OrderSubmissionsApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=SubmissionInput, responses={201: SubmissionOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            payload = {
                "kind": request.data.get("kind"),
                "note": request.data.get("note"),
                "files": request.FILES.getlist("files"),
            }
            data = validated(SubmissionInput(data=payload))
            submission = services.submission_add(
                actor=request.user,
                order_id=pk,
                kind=data["kind"],
                note=data["note"],
                files=[
                    (f.name or "file", getattr(f, "content_type", "") or "", f.read())
                    for f in data["files"]
                ],
            )
            return Response(SubmissionOutput(submission).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"order-submission:{pk}", handle)


class ReinspectionInput(serializers.Serializer):
    second_officer = serializers.IntegerField()
    place = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class OrderReinspectionApi(APIView):
    @extend_schema(request=ReinspectionInput, responses={201: InspectionListOutput})
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ReinspectionInput(data=request.data))
        inspection = services.reinspection_start(
            actor=request.user,
            order_id=pk,
            second_officer_id=data["second_officer"],
            place=data["place"],
            expected_version=data["version"],
        )
        return Response(InspectionListOutput(inspection).data, status=status.HTTP_201_CREATED)


class ExtendInput(serializers.Serializer):
    working_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField()
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class OrderExtendApi(APIView):
    @extend_schema(request=ExtendInput, responses=OrderOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ExtendInput(data=request.data))
        services.order_extend(
            actor=request.user,
            order_id=pk,
            working_days=data["working_days"],
            due_date=data["due_date"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        return Response(order_body(request, order))


class EscalateInput(serializers.Serializer):
    refused = serializers.BooleanField(default=False)
    refusal_kind = serializers.ChoiceField(
        choices=RefusalKind.values, required=False, allow_blank=True, default=""
    )
    statement = serializers.CharField()
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class OrderEscalateApi(APIView):
    @extend_schema(request=EscalateInput, responses={201: ProposalOutput})
    def post(self, request: Request, pk: int) -> Response:
        data = validated(EscalateInput(data=request.data))
        proposal = services.order_escalate(
            actor=request.user,
            order_id=pk,
            refused=data["refused"],
            refusal_kind=data["refusal_kind"],
            statement=data["statement"],
            expected_version=data["version"],
        )
        return Response(ProposalOutput(proposal).data, status=status.HTTP_201_CREATED)
