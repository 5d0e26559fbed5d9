"""API of reconsiderations and lawsuits against a case's decision
(``/api/v1/cases/<pk>/challenges/…``, names ``api-case-challenge…``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.cases import selectors, services
from inspectorate.cases.challenges import RESULT_RULES
from inspectorate.cases.models import ChallengeKind, ChallengeResult, DecisionChallenge
from inspectorate.core.api import validated


class ChallengeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    body = serializers.CharField()
    reference = serializers.CharField()
    filed_on = serializers.DateField()
    result = serializers.CharField()
    result_label = serializers.CharField(source="get_result_display")
    result_on = serializers.DateField(allow_null=True)
    result_reference = serializers.CharField()
    result_note = serializers.CharField()
    overturned = serializers.SerializerMethodField()
    basis = serializers.SerializerMethodField()
    suspension = serializers.IntegerField(source="suspension_id", allow_null=True)
    version = serializers.IntegerField()

    def get_overturned(self, obj: DecisionChallenge) -> bool:
        rule = RESULT_RULES.get(obj.result)
        return bool(rule and rule.overturned)

    def get_basis(self, obj: DecisionChallenge) -> str:
        rule = RESULT_RULES.get(obj.result)
        return rule.basis(obj.kind) if rule else ""


class ChallengeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChallengeKind.choices)
    body = serializers.CharField(max_length=128)
    reference = serializers.CharField(max_length=128)
    filed_on = serializers.DateField()
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ChallengeResultInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=ChallengeResult.choices)
    result_on = serializers.DateField()
    result_reference = serializers.CharField(max_length=128)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class CaseChallengesApi(APIView):
    @extend_schema(responses=ChallengeOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for_user(user=request.user, pk=pk)
        rows: Any = case.challenges.all()
        return Response(ChallengeOutput(rows, many=True).data)

    @extend_schema(request=ChallengeInput, responses={201: ChallengeOutput})
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ChallengeInput(data=request.data))
        challenge = services.challenge_record(
            actor=request.user,
            case_id=pk,
            kind=data["kind"],
            body=data["body"],
            reference=data["reference"],
            filed_on=data["filed_on"],
            expected_version=data.get("version"),
        )
        return Response(ChallengeOutput(challenge).data, status=status.HTTP_201_CREATED)


class CaseChallengeDecideApi(APIView):
    @extend_schema(request=ChallengeResultInput, responses=ChallengeOutput)
    def post(self, request: Request, pk: int, cid: int) -> Response:
        data = validated(ChallengeResultInput(data=request.data))
        challenge = services.challenge_decide(
            actor=request.user,
            case_id=pk,
            challenge_id=cid,
            result=data["result"],
            result_on=data["result_on"],
            result_reference=data["result_reference"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return Response(ChallengeOutput(challenge).data)
