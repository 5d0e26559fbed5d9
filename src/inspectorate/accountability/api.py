"""Thin DRF views of the accountability app (URL names ``api-accountability-...``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.accountability import selectors, services
from inspectorate.accountability.models import ItemKind, ItemState
from inspectorate.accountability.workflows import ITEM
from inspectorate.core.api import paginated_response, validated


class ItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    subject_type = serializers.CharField()
    subject_id = serializers.CharField()
    ref = serializers.CharField()
    subject_label = serializers.CharField()
    subject_url = serializers.CharField()
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.__str__")
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField(source="agency.name")
    jurisdiction_code = serializers.CharField()
    detected_on = serializers.DateField()
    legal_basis = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    outcome = serializers.CharField(source="outcome.code", allow_null=True, default=None)
    concluded_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


def item_body(request: Request, item: Any) -> dict[str, Any]:
    return {
        **ItemOutput(item).data,
        "facts": item.facts,
        "reviewer": item.reviewer_id,
        "review_started_on": item.review_started_on,
        "finding": item.finding,
        "outcome_name": item.outcome.name if item.outcome_id else None,
        "actions": [t.action for t in ITEM.actions_for(item, request.user)],  # type: ignore[arg-type]
    }


class ItemFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.values, required=False)
    state = serializers.ChoiceField(choices=ItemState.values, required=False)
    agency = serializers.IntegerField(required=False, min_value=1)
    person = serializers.IntegerField(required=False, min_value=1)


class ItemListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("state", str),
            OpenApiParameter("agency", int),
            OpenApiParameter("person", int),
        ],
        responses=ItemOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(ItemFilter(data=request.query_params))
        qs = selectors.item_list_for_user(
            user=request.user,
            kind=f.get("kind", ""),
            state=f.get("state", ""),
            agency_id=f.get("agency"),
            person_id=f.get("person"),
        )
        return paginated_response(request, self, qs, ItemOutput)


class ItemDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        item = selectors.item_get_for_user(user=request.user, pk=pk)
        return Response(item_body(request, item))


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class ItemReviewApi(APIView):
    @extend_schema(request=VersionInput, responses=ItemOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(VersionInput(data=request.data))
        item = services.item_review_start(
            actor=request.user, item_id=pk, expected_version=data.get("version")
        )
        return Response(
            item_body(request, selectors.item_get_for_user(user=request.user, pk=item.pk))
        )


class ConcludeInput(serializers.Serializer):
    outcome = serializers.CharField(max_length=32)
    finding = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(required=False, min_value=1)


class ItemConcludeApi(APIView):
    @extend_schema(request=ConcludeInput, responses=ItemOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ConcludeInput(data=request.data))
        item = services.item_conclude(
            actor=request.user,
            item_id=pk,
            outcome=data["outcome"],
            finding=data["finding"],
            expected_version=data.get("version"),
        )
        return Response(
            item_body(request, selectors.item_get_for_user(user=request.user, pk=item.pk))
        )


class ScanInput(serializers.Serializer):
    on = serializers.DateField(required=False)


class ScanApi(APIView):
    @extend_schema(request=ScanInput)
    def post(self, request: Request) -> Response:
        data = validated(ScanInput(data=request.data))
        result = services.scan_for_user(actor=request.user, on=data.get("on"))
        return Response(result.as_dict())


class DutyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    jurisdiction_code = serializers.CharField()
    act = serializers.CharField()
    act_name = serializers.CharField()
    post = serializers.CharField(source="post.code")
    post_name = serializers.CharField(source="post.name")
    role = serializers.CharField(source="post.role")
    responsibility = serializers.CharField()
    legal_basis = serializers.CharField()
    deadline_kind = serializers.CharField()
    active = serializers.BooleanField()
    version = serializers.IntegerField()


class MatrixApi(APIView):
    def get(self, request: Request) -> Response:
        matrix = selectors.matrix_for_user(user=request.user)
        return Response(
            {
                "province_code": matrix.province_code,
                "posts": [{"code": p.code, "name": p.name, "role": p.role} for p in matrix.posts],
                "duties": DutyOutput(
                    [c for row in matrix.rows for c in row.cells if c is not None], many=True
                ).data,
                "outcomes": [
                    {
                        "code": o.code,
                        "name": o.name,
                        "is_fault": o.is_fault,
                        "concerns_certificate": o.concerns_certificate,
                        "source": o.source,
                    }
                    for o in selectors.outcomes()
                ],
            }
        )


class DutyInput(serializers.Serializer):
    act = serializers.CharField(max_length=32)
    act_name = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    post = serializers.CharField(max_length=32)
    responsibility = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    deadline_kind = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    active = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(required=False, min_value=1)


class DutyDefineApi(APIView):
    @extend_schema(request=DutyInput, responses={201: DutyOutput})
    def post(self, request: Request) -> Response:
        data = validated(DutyInput(data=request.data))
        duty = services.duty_define(
            actor=request.user,
            act=data["act"],
            act_name=data["act_name"],
            post_code=data["post"],
            responsibility=data["responsibility"],
            legal_basis=data["legal_basis"],
            deadline_kind=data["deadline_kind"],
            active=data["active"],
            expected_version=data.get("version"),
        )
        return Response(DutyOutput(duty).data, status=status.HTTP_201_CREATED)


class SummaryApi(APIView):
    def get(self, request: Request) -> Response:
        summary = selectors.summary_for_user(user=request.user)

        def rows(items: list[selectors.SummaryRow], key: str) -> list[dict[str, Any]]:
            return [
                {
                    key: r.key,
                    "name": r.label,
                    "office": r.office,
                    "total": r.total,
                    "by_kind": r.by_kind,
                    "by_state": r.by_state,
                    "by_outcome": r.by_outcome,
                }
                for r in items
            ]

        return Response(
            {
                "offices": rows(summary.offices, "agency"),
                "persons": rows(summary.persons, "person"),
            }
        )
