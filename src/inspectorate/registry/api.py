"""Thin DRF views for the registry: parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response
from inspectorate.core.errors import NotFound
from inspectorate.org.models import Agency, Jurisdiction
from inspectorate.registry import exporting, selectors, services
from inspectorate.registry.models import (
    EnterpriseStatus,
    HazardLevel,
    Licence,
    LicenceKind,
    RiskClass,
    Sector,
    Size,
    StandardisationLevel,
)
from inspectorate.registry.workflows import ENTERPRISE_STATUS


class EnterpriseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    credit_code = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    jurisdiction_code = serializers.CharField(source="jurisdiction_id")
    jurisdiction_name = serializers.CharField(source="jurisdiction.name")
    supervising_agency = serializers.CharField(source="supervising_agency.code")
    supervising_agency_name = serializers.CharField(source="supervising_agency.name")
    sector = serializers.CharField(source="sector_id")
    sector_name = serializers.CharField(source="sector.name")
    industry_code = serializers.CharField()
    size = serializers.CharField()
    employees = serializers.IntegerField(allow_null=True)
    standardisation_level = serializers.CharField()
    risk_class = serializers.CharField()
    status = serializers.CharField()
    legal_representative = serializers.CharField()
    contact_phone = serializers.CharField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class FilterInput(serializers.Serializer):
    jurisdiction = serializers.RegexField(r"^\d{2,6}$", required=False, allow_blank=True)
    sector = serializers.CharField(required=False, allow_blank=True, max_length=32)
    risk_class = serializers.ChoiceField(
        choices=RiskClass.choices, required=False, allow_blank=True
    )
    status = serializers.ChoiceField(
        choices=EnterpriseStatus.choices, required=False, allow_blank=True
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


def _filters(request: Request) -> selectors.EnterpriseFilters:
    data = FilterInput(data=request.query_params)
    data.is_valid(raise_exception=True)
    return selectors.EnterpriseFilters(**data.validated_data)


class EnterpriseInput(serializers.Serializer):
    credit_code = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=255)
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all())
    supervising_agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.select_related("jurisdiction")
    )
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all())
    industry_code = serializers.CharField(max_length=5, required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=Size.choices)
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    standardisation_level = serializers.ChoiceField(
        choices=StandardisationLevel.choices, required=False
    )
    risk_class = serializers.ChoiceField(choices=RiskClass.choices)
    legal_representative = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class EnterpriseUpdateInput(EnterpriseInput):
    version = serializers.IntegerField(min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("credit_code")
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class LicenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_by = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    expiry_state = serializers.SerializerMethodField()

    def get_expiry_state(self, obj: Licence) -> str:
        return obj.expiry_state(timezone.localdate())


class LicenceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LicenceKind.choices)
    number = serializers.CharField(max_length=64)
    issued_by = serializers.CharField(max_length=128)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class HazardSourceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    identified_on = serializers.DateField(allow_null=True)
    description = serializers.CharField()


class HazardSourceInput(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    level = serializers.ChoiceField(choices=HazardLevel.choices)
    identified_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class EnterpriseLicencesApi(APIView):
    @extend_schema(responses=LicenceOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        return Response(LicenceOutput(enterprise.licences.all(), many=True).data)

    @extend_schema(request=LicenceInput, responses={201: LicenceOutput})
    def post(self, request: Request, pk: int) -> Response:
        selectors.enterprise_get_for_user(user=request.user, pk=pk)
        data = LicenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        licence = services.licence_add(actor=request.user, enterprise_pk=pk, **data.validated_data)
        return Response(LicenceOutput(licence).data, status=status.HTTP_201_CREATED)


class EnterpriseHazardSourcesApi(APIView):
    @extend_schema(responses=HazardSourceOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        return Response(HazardSourceOutput(enterprise.hazard_sources.all(), many=True).data)

    @extend_schema(request=HazardSourceInput, responses={201: HazardSourceOutput})
    def post(self, request: Request, pk: int) -> Response:
        selectors.enterprise_get_for_user(user=request.user, pk=pk)
        data = HazardSourceInput(data=request.data)
        data.is_valid(raise_exception=True)
        source = services.hazard_source_add(
            actor=request.user, enterprise_pk=pk, **data.validated_data
        )
        return Response(HazardSourceOutput(source).data, status=status.HTTP_201_CREATED)


class EnterpriseListApi(APIView):
    @extend_schema(
        parameters=[FilterInput, OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=EnterpriseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.enterprise_list_for_user(user=request.user, filters=_filters(request))
        return paginated_response(request, self, qs, EnterpriseOutput)

    @extend_schema(request=EnterpriseInput, responses={201: EnterpriseOutput})
    def post(self, request: Request) -> Response:
        data = EnterpriseInput(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = services.enterprise_register(actor=request.user, **data.validated_data)
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=enterprise.pk)
        return Response(EnterpriseOutput(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseDetailApi(APIView):
    @extend_schema(responses=EnterpriseOutput)
    def get(self, request: Request, pk: int) -> Response:
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        return Response(EnterpriseOutput(enterprise).data)

    @extend_schema(request=EnterpriseUpdateInput, responses=EnterpriseOutput)
    def patch(self, request: Request, pk: int) -> Response:
        selectors.enterprise_get_for_user(user=request.user, pk=pk)  # 404 before 400
        data = EnterpriseUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.enterprise_update(
            actor=request.user, pk=pk, expected_version=version, changes=changes
        )
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        return Response(EnterpriseOutput(enterprise).data)


class TransitionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    version = serializers.IntegerField(min_value=1, required=False)


class EnterpriseTransitionApi(APIView):
    @extend_schema(request=TransitionInput, responses=EnterpriseOutput)
    def post(self, request: Request, pk: int, action: str) -> Response:
        selectors.enterprise_get_for_user(user=request.user, pk=pk)
        service = services.STATUS_SERVICES.get(action)
        if service is None or action not in ENTERPRISE_STATUS.all_actions():
            raise NotFound()
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        service(
            actor=request.user,
            pk=pk,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data.get("version"),
        )
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        return Response(EnterpriseOutput(enterprise).data)


class EventOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    jurisdiction_code = serializers.CharField()
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    payload = serializers.JSONField()
    hash = serializers.CharField()


class EnterpriseHistoryApi(APIView):
    @extend_schema(responses=EventOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
        events = selectors.enterprise_history(enterprise=enterprise)
        return paginated_response(request, self, events, EventOutput)


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    only_good_rows = serializers.BooleanField(default=False)


class ImportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    file_name = serializers.CharField()
    total_rows = serializers.IntegerField()
    good_rows = serializers.IntegerField()
    committed_rows = serializers.IntegerField()
    errors = serializers.JSONField()  # type: ignore[assignment]


class EnterpriseImportApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=ImportInput, responses={201: ImportOutput})
    def post(self, request: Request) -> Response:
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        batch = services.enterprise_import_file(
            actor=request.user,
            file_name=upload.name,
            data=upload.read(),
            only_good_rows=data.validated_data["only_good_rows"],
        )
        return Response(ImportOutput(batch).data, status=status.HTTP_201_CREATED)


class FileFormatNegotiation(DefaultContentNegotiation):
    """``?format=`` names the file to export (csv, xlsx), not a DRF renderer.

    DRF reads ``format`` as its URL format override and answers 404 when no renderer has
    that name; errors here are rendered with the first renderer (JSON) instead.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class EnterpriseExportApi(APIView):
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        parameters=[FilterInput, OpenApiParameter("format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): bytes},
    )
    def get(self, request: Request) -> HttpResponseBase:
        qs = selectors.enterprise_list_for_user(user=request.user, filters=_filters(request))
        return exporting.export_response(qs, request.query_params.get("format", "csv"))
