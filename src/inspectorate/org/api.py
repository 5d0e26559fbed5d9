"""Thin DRF views for the organisation: who am I, jurisdictions, agencies, officers, tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.errors import ApplicationError, NotFound, PermissionDenied
from inspectorate.org import selectors, services


class CertificateOutput(serializers.Serializer):
    number = serializers.CharField()
    issuing_authority = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField()
    legal_qualification = serializers.BooleanField()
    sectors = serializers.SerializerMethodField()

    def get_sectors(self, obj: object) -> list[str]:
        return [s.code for s in obj.sectors.all()]  # type: ignore[attr-defined]


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code", default=None)
    agency_name = serializers.CharField(source="agency.name", default=None)
    jurisdiction_code = serializers.CharField(source="agency.jurisdiction_id", default=None)
    certificates = CertificateOutput(many=True)

    def get_roles(self, obj: object) -> list[str]:
        return sorted(r.role for r in obj.roles.all())  # type: ignore[attr-defined]


class MeApi(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request.user).data)


class JurisdictionOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)  # type: ignore[assignment]


class JurisdictionListApi(APIView):
    @extend_schema(responses=JurisdictionOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.jurisdiction_list_for_user(user=request.user)
        return paginated_response(request, self, qs, JurisdictionOutput)


class AgencyOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    jurisdiction_code = serializers.CharField(source="jurisdiction_id")


class AgencyListApi(APIView):
    @extend_schema(responses=AgencyOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.agency_list_for_user(user=request.user)
        return paginated_response(request, self, qs, AgencyOutput)


class OfficerListApi(APIView):
    @extend_schema(responses=UserOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.officer_list_for_user(user=request.user)
        return paginated_response(request, self, qs, UserOutput)


class OfficerDetailApi(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(UserOutput(selectors.officer_get_for_user(user=request.user, pk=pk)).data)


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenApi(APIView):
    """Exchange a username and password for an API token (lockout applies, as for pages)."""

    permission_classes = [AllowAny]

    @extend_schema(request=TokenInput, responses={200: {"type": "object"}})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise ApplicationError(
                _("The username or password is wrong, or the account is locked."),
                code="authentication_failed",
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


# --- certificates: detail with history, expiring soon, renew / suspend / reinstate / revoke


class CertificateEventOutput(serializers.Serializer):
    kind = serializers.CharField()
    on = serializers.DateField()
    reason = serializers.CharField()
    number = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    by = serializers.IntegerField(source="by_id", allow_null=True)


class CertificateDetailOutput(CertificateOutput):
    id = serializers.IntegerField()
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.name")
    jurisdiction_code = serializers.CharField(source="officer.agency.jurisdiction_id")
    version = serializers.IntegerField()
    events = CertificateEventOutput(many=True)


class CertificateExpiringApi(APIView):
    @extend_schema(responses=CertificateDetailOutput(many=True))
    def get(self, request: Request) -> Response:
        qs = selectors.certificates_expiring_for_user(
            user=request.user, today=timezone.localdate()
        ).prefetch_related("events", "sectors")
        return paginated_response(request, self, qs, CertificateDetailOutput)


class CertificateDetailApi(APIView):
    @extend_schema(responses=CertificateDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        return Response(CertificateDetailOutput(certificate).data)


class CertificateStepInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)


class CertificateActionApi(APIView):
    """POST renew / suspend / reinstate / revoke (an admin of the office or above)."""

    @extend_schema(request=CertificateStepInput, responses=CertificateDetailOutput)
    def post(self, request: Request, pk: int, action: str) -> Response:
        if not request.user.is_staff_member:  # type: ignore[union-attr]
            raise PermissionDenied(_("Only the staff of the enforcement offices may do this."))
        selectors.certificate_get_for_user(user=request.user, pk=pk)  # 404 outside the scope
        data = validated(CertificateStepInput(data=request.data))
        common: dict[str, Any] = {
            "actor": request.user,
            "certificate_id": pk,
            "version": data.get("version"),
        }
        if action == "renew":
            services.certificate_renew(
                **common,
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
                number=data["number"],
                reason=data["reason"],
            )
        elif action in ("suspend", "reinstate", "revoke"):
            step = {
                "suspend": services.certificate_suspend,
                "reinstate": services.certificate_reinstate,
                "revoke": services.certificate_revoke,
            }[action]
            step(**common, on=data.get("on"), reason=data["reason"])
        else:
            raise NotFound()
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        return Response(CertificateDetailOutput(certificate).data)
