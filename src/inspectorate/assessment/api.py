"""Thin DRF views of the assessment app (URL names ``api-assessment-...``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.assessment import selectors, services
from inspectorate.assessment.models import AssessmentResult, OfficeAssessment
from inspectorate.core.api import validated
from inspectorate.core.errors import NotFound, PermissionDenied


class ResultOutput(serializers.Serializer):
    id = serializers.IntegerField()
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.get_full_name")
    year = serializers.IntegerField()
    training_score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    exams_score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    review_score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    overturned_score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    deadlines_score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    weights_used = serializers.DictField(child=serializers.CharField())
    redistributed = serializers.BooleanField()
    total = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    grade = serializers.CharField()
    grade_label = serializers.CharField(source="get_grade_display")


class ResultDetailOutput(ResultOutput):
    inputs = serializers.DictField()
    agency = serializers.IntegerField(source="office.agency_id")
    confirmed = serializers.BooleanField(source="office.confirmed")


class SchemeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    jurisdiction_code = serializers.CharField()
    year = serializers.IntegerField()
    name = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    weight_training = serializers.IntegerField()
    weight_exams = serializers.IntegerField()
    weight_review = serializers.IntegerField()
    weight_overturned = serializers.IntegerField()
    weight_deadlines = serializers.IntegerField()
    overturned_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    missed_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    band_excellent = serializers.DecimalField(max_digits=4, decimal_places=1)
    band_competent = serializers.DecimalField(max_digits=4, decimal_places=1)
    band_basic = serializers.DecimalField(max_digits=4, decimal_places=1)
    excellent_quota = serializers.DecimalField(max_digits=4, decimal_places=1)
    min_basis = serializers.DecimalField(max_digits=4, decimal_places=1)
    version = serializers.IntegerField()


def _summary_body(summary: selectors.OfficeSummary) -> dict[str, Any]:
    office = summary.office
    return {
        "agency": summary.agency.pk,
        "agency_name": summary.agency.name,
        "jurisdiction_code": summary.agency.jurisdiction_id,
        "officers": summary.officers,
        "computed": office is not None,
        "confirmed": bool(office and office.confirmed),
        "version": office.version if office else None,
        "assessed": summary.assessed,
        "average": None if summary.average is None else str(summary.average),
        "grades": {code: n for code, _label, n in summary.grade_rows},
        "excellent_quota_exceeded": summary.quota_exceeded,
        "redistributed": summary.redistributed,
        "no_basis": summary.no_basis,
    }


def _office_body(user: Any, agency_id: int, year: int) -> dict[str, Any]:
    agency = selectors.agency_for_reader(user=user, agency_id=agency_id)
    office = selectors.office_assessment(user=user, agency_id=agency_id, year=year)
    results = selectors.office_results(office) if office is not None else []
    summary = selectors.summarize(
        agency, office, results, selectors.assessed_officers(agency).count()
    )
    scheme = office.scheme if office else selectors.scheme_for(str(agency.jurisdiction_id), year)
    return {
        **_summary_body(summary),
        "year": year,
        "scheme": SchemeOutput(scheme).data,
        "results": ResultOutput(results, many=True).data,
    }


class YearFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=services.FIRST_YEAR)


class OfficesApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: None})
    def get(self, request: Request) -> Response:
        f = validated(YearFilter(data=request.query_params))
        year = f.get("year") or timezone.localdate().year
        rows = selectors.offices_for_user(user=request.user, year=year)
        return Response({"year": year, "offices": [_summary_body(s) for s in rows]})


class OfficeApi(APIView):
    @extend_schema(responses={200: None})
    def get(self, request: Request, agency: int, year: int) -> Response:
        return Response(_office_body(request.user, agency, year))


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True)


def _office_written(request: Request, office: OfficeAssessment, code: int) -> Response:
    return Response(_office_body(request.user, office.agency_id, office.year), status=code)


class ComputeApi(APIView):
    @extend_schema(request=VersionInput, responses={200: None})
    def post(self, request: Request, agency: int, year: int) -> Response:
        data = validated(VersionInput(data=request.data))
        office = services.assessment_compute(
            actor=request.user,
            agency=agency,
            year=year,
            today=timezone.localdate(),
            expected_version=data.get("version"),
        )
        return _office_written(request, office, status.HTTP_200_OK)


class ConfirmApi(APIView):
    @extend_schema(request=VersionInput, responses={200: None})
    def post(self, request: Request, agency: int, year: int) -> Response:
        data = validated(VersionInput(data=request.data))
        office = services.assessment_confirm(
            actor=request.user,
            agency=agency,
            year=year,
            today=timezone.localdate(),
            expected_version=data.get("version"),
        )
        return _office_written(request, office, status.HTTP_200_OK)


class ResultApi(APIView):
    @extend_schema(responses=ResultDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        found: AssessmentResult = selectors.result_get_for_user(user=request.user, pk=pk)
        return Response(ResultDetailOutput(found).data)


class SchemeInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=services.FIRST_YEAR)
    name = serializers.CharField(max_length=128)
    source = serializers.CharField(max_length=4000)  # type: ignore[assignment]
    weight_training = serializers.IntegerField()
    weight_exams = serializers.IntegerField()
    weight_review = serializers.IntegerField()
    weight_overturned = serializers.IntegerField()
    weight_deadlines = serializers.IntegerField()
    overturned_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    missed_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    band_excellent = serializers.DecimalField(max_digits=4, decimal_places=1)
    band_competent = serializers.DecimalField(max_digits=4, decimal_places=1)
    band_basic = serializers.DecimalField(max_digits=4, decimal_places=1)
    excellent_quota = serializers.DecimalField(max_digits=4, decimal_places=1)
    min_basis = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class SchemesApi(APIView):
    """GET: the scheme in force for the user's province in ``year``; POST: a provincial
    office's head or admin publishes the province's scheme."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=SchemeOutput)
    def get(self, request: Request) -> Response:
        f = validated(YearFilter(data=request.query_params))
        user: Any = request.user
        if not user.is_authenticated or user.agency is None or not user.is_staff_member:
            raise NotFound()
        year = f.get("year") or timezone.localdate().year
        return Response(
            SchemeOutput(selectors.scheme_for(str(user.agency.jurisdiction_id), year)).data
        )

    @extend_schema(request=SchemeInput, responses={201: SchemeOutput})
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.is_authenticated or not user.is_staff_member:
            raise PermissionDenied(_("Only a provincial office publishes an assessment scheme."))
        data = validated(SchemeInput(data=request.data))
        values = {k: v for k, v in data.items() if k not in ("year", "name", "source", "version")}
        scheme = services.scheme_save(
            actor=request.user,
            year=data["year"],
            name=data["name"],
            source=data["source"],
            values=values,
            today=timezone.localdate(),
            expected_version=data.get("version"),
        )
        return Response(SchemeOutput(scheme).data, status=status.HTTP_201_CREATED)
