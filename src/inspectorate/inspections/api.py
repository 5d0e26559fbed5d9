"""Thin DRF views for checklists, inspections, findings and the open-hazards list.

Writes a tablet may retry (sync, findings, evidence) accept an ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.idempotency import idempotent
from inspectorate.inspections import selectors, services
from inspectorate.inspections.models import (
    AnswerResult,
    HazardGrade,
    HeadSignature,
    Inspection,
    MeasureKind,
    Origin,
)

# --- checklists ---------------------------------------------------------------------------


class ItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    sort = serializers.IntegerField()
    section = serializers.CharField()
    text = serializers.CharField()
    legal_basis = serializers.CharField()
    major_hazard = serializers.BooleanField()
    criterion = serializers.CharField()
    suggested_measure = serializers.CharField()
    rectification_days = serializers.IntegerField(allow_null=True)


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    checklist = serializers.CharField(source="checklist.code")
    number = serializers.IntegerField()
    state = serializers.CharField()
    note = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class VersionDetailOutput(VersionOutput):
    items = ItemOutput(many=True)


class ChecklistOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    sectors = serializers.SerializerMethodField()
    latest_published = serializers.IntegerField(allow_null=True, required=False)

    def get_sectors(self, obj: Any) -> list[str]:
        return [s.code for s in obj.sectors.all()]


class ChecklistListApi(APIView):
    @extend_schema(responses=ChecklistOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(ChecklistOutput(selectors.checklist_list(), many=True).data)


class ChecklistDetailApi(APIView):
    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request: Request, code: str) -> Response:
        checklist = selectors.checklist_get(code)
        data = dict(ChecklistOutput(checklist).data)
        data["versions"] = VersionOutput(checklist.versions.order_by("-number"), many=True).data
        return Response(data)


class DraftInput(serializers.Serializer):
    note = serializers.CharField(max_length=255)


class ChecklistVersionsApi(APIView):
    @extend_schema(request=DraftInput, responses={201: VersionDetailOutput})
    def post(self, request: Request, code: str) -> Response:
        data = validated(DraftInput(data=request.data))
        version = services.checklist_version_draft(actor=request.user, code=code, note=data["note"])
        return Response(VersionDetailOutput(version).data, status=status.HTTP_201_CREATED)


class ChecklistVersionApi(APIView):
    @extend_schema(responses=VersionDetailOutput)
    def get(self, request: Request, code: str, number: int) -> Response:
        return Response(VersionDetailOutput(selectors.checklist_version_get(code, number)).data)


class ItemInput(serializers.Serializer):
    code = serializers.CharField(max_length=24, required=False)
    section = serializers.CharField(max_length=64, required=False, allow_blank=True)
    text = serializers.CharField(required=False)
    legal_basis = serializers.CharField(max_length=255, required=False)
    major_hazard = serializers.BooleanField(required=False)
    criterion = serializers.CharField(max_length=255, required=False, allow_blank=True)
    suggested_measure = serializers.CharField(required=False, allow_blank=True)
    rectification_days = serializers.IntegerField(
        min_value=1, max_value=365, required=False, allow_null=True
    )
    sort = serializers.IntegerField(min_value=0, max_value=9999, required=False)


class ChecklistItemsApi(APIView):
    @extend_schema(request=ItemInput, responses={201: ItemOutput})
    def post(self, request: Request, code: str, number: int) -> Response:
        version = selectors.checklist_version_get(code, number)
        data = validated(ItemInput(data=request.data))
        item = services.checklist_item_save(actor=request.user, version_id=version.pk, data=data)
        return Response(ItemOutput(item).data, status=status.HTTP_201_CREATED)


class ChecklistItemApi(APIView):
    @extend_schema(request=ItemInput, responses=ItemOutput)
    def patch(self, request: Request, code: str, number: int, item_id: int) -> Response:
        version = selectors.checklist_version_get(code, number)
        data = validated(ItemInput(data=request.data, partial=True))
        item = services.checklist_item_save(
            actor=request.user, version_id=version.pk, data=data, item_id=item_id
        )
        return Response(ItemOutput(item).data)

    def delete(self, request: Request, code: str, number: int, item_id: int) -> Response:
        version = selectors.checklist_version_get(code, number)
        services.checklist_item_delete(actor=request.user, version_id=version.pk, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChecklistPublishApi(APIView):
    @extend_schema(request=None, responses=VersionOutput)
    def post(self, request: Request, code: str, number: int) -> Response:
        version = selectors.checklist_version_get(code, number)
        version = services.checklist_version_publish(actor=request.user, version_id=version.pk)
        return Response(VersionOutput(version).data)


# --- inspections --------------------------------------------------------------------------


class InspectionListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    origin = serializers.CharField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class EvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sha256 = serializers.CharField(source="file.sha256")
    name = serializers.CharField(source="file.original_name")
    taken_at = serializers.DateTimeField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    metadata_source = serializers.CharField()


class FindingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    inspection = serializers.IntegerField(source="inspection_id")
    answer_id = serializers.IntegerField(allow_null=True)
    enterprise = serializers.IntegerField(source="enterprise_id")
    description = serializers.CharField()
    location = serializers.CharField()
    grade = serializers.CharField()
    violated_article = serializers.CharField()
    criterion = serializers.CharField()
    status = serializers.CharField()
    found_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    evidence = EvidenceOutput(many=True, required=False)


class AnswerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sort = serializers.IntegerField()
    item = serializers.SerializerMethodField()
    prior_finding = serializers.IntegerField(source="prior_finding_id", allow_null=True)
    result = serializers.CharField()
    note = serializers.CharField()
    revision = serializers.IntegerField()

    def get_item(self, obj: Any) -> dict[str, Any] | None:
        if obj.item is None:
            return None
        return {
            "code": obj.item.code,
            "text": obj.item.text,
            "legal_basis": obj.item.legal_basis,
            "major_hazard": obj.item.major_hazard,
            "criterion": obj.item.criterion,
            "section": obj.item.section,
        }


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    docx_sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()


class MeasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    description = serializers.CharField()
    legal_basis = serializers.CharField()
    items = serializers.JSONField()
    findings = serializers.SerializerMethodField()
    document = serializers.CharField(source="document.number", allow_null=True, default=None)

    def get_findings(self, obj: Any) -> list[int]:
        return [f.pk for f in obj.findings.all()]


def inspection_body(inspection: Inspection, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """The inspection as the API and the page's offline script see it (``detail``: what
    ``selectors.inspection_detail`` gave, when the caller has it already)."""
    detail = detail or selectors.inspection_detail(inspection)
    return {
        **InspectionListOutput(inspection).data,
        "agency": inspection.agency.name,
        "place": inspection.place,
        "lead_officer": {
            "id": inspection.lead_officer_id,
            "name": inspection.lead_officer.get_full_name(),
            "certificate": inspection.lead_certificate,
        },
        "second_officer": {
            "id": inspection.second_officer_id,
            "name": inspection.second_officer.get_full_name(),
            "certificate": inspection.second_certificate,
        },
        "checklists": [f"{v.checklist.code}@{v.number}" for v in detail["versions"]],
        "reinspection_of": inspection.reinspection_of_id,
        "handling": inspection.handling,
        "unit_head_name": inspection.unit_head_name,
        "unit_head_signature": inspection.unit_head_signature,
        "unit_head_refusal_note": inspection.unit_head_refusal_note,
        "answers": AnswerOutput(detail["answers"], many=True).data,
        "unanswered": detail["unanswered"],
        "findings": FindingOutput(detail["findings"], many=True).data,
        "measures": MeasureOutput(detail["measures"], many=True).data,
        "documents": DocumentOutput(detail["documents"], many=True).data,
        "closing_problems": services.closing_problems(inspection)
        if inspection.state == "in_progress"
        else {},
    }


class StartInput(serializers.Serializer):
    enterprise = serializers.IntegerField()
    second_officer = serializers.IntegerField()
    origin = serializers.ChoiceField(choices=[o for o in Origin.values if o != "reinspection"])
    origin_note = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    planned_visit = serializers.IntegerField(required=False, allow_null=True, default=None)
    checklist_versions = serializers.ListField(
        child=serializers.IntegerField(), required=False, allow_null=True, default=None
    )
    uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class InspectionListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("mine", bool), OpenApiParameter("state", str)],
        responses=InspectionListOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.inspection_queryset_for_user(user=request.user).select_related("enterprise")
        if request.query_params.get("mine") in ("1", "true"):
            qs = selectors.my_inspections(user=request.user)
        state = request.query_params.get("state", "")
        if state:
            qs = qs.filter(state=state)
        return paginated_response(
            request, self, qs.order_by("-started_at", "-id"), InspectionListOutput
        )

    @extend_schema(request=StartInput, responses={201: InspectionListOutput})
    def post(self, request: Request) -> Response:
        data = validated(StartInput(data=request.data))
        inspection = services.inspection_start(
            actor=request.user,
            enterprise_id=data["enterprise"],
            second_officer_id=data["second_officer"],
            origin=data["origin"],
            origin_note=data["origin_note"],
            place=data["place"],
            planned_visit_id=data["planned_visit"],
            checklist_version_ids=data["checklist_versions"],
            uuid=data["uuid"],
        )
        inspection = selectors.inspection_get_for_user(user=request.user, pk=inspection.pk)
        return Response(inspection_body(inspection), status=status.HTTP_201_CREATED)


class InspectionDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
        return Response(inspection_body(inspection))


class AnswerInput(serializers.Serializer):
    answer_id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=[r for r in AnswerResult.values if r])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    base_revision = serializers.IntegerField(min_value=0)


class FindingInput(serializers.Serializer):
    uuid = serializers.UUIDField(required=False, allow_null=True)
    answer_id = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField()
    location = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.ChoiceField(choices=HazardGrade.values, required=False, allow_blank=True)
    violated_article = serializers.CharField(required=False, allow_blank=True, default="")
    criterion = serializers.CharField(required=False, allow_blank=True, default="")


class SyncInput(serializers.Serializer):
    answers = AnswerInput(many=True, required=False, default=list)
    findings = FindingInput(many=True, required=False, default=list)


class InspectionSyncApi(APIView):
    """Save answers and new findings; conflicts come back with both values (never overwritten)."""

    @extend_schema(request=SyncInput)
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(SyncInput(data=request.data))
            result = services.answers_save(
                actor=request.user,
                inspection_id=pk,
                changes=[services.AnswerChange(**a) for a in data["answers"]],
                findings=[dict(f) for f in data["findings"]],
            )
            return Response(
                {
                    "version": result.inspection.version,
                    "applied": result.applied,
                    "unchanged": result.unchanged,
                    "conflicts": result.conflicts,
                    "findings": FindingOutput(result.findings, many=True).data,
                    "revisions": {
                        str(a.pk): a.revision
                        for a in result.inspection.answers.filter(
                            pk__in=result.applied + result.unchanged
                        )
                    },
                },
                status=status.HTTP_409_CONFLICT if result.conflicts else status.HTTP_200_OK,
            )

        return idempotent(request, f"inspection-sync:{pk}", handle)


class InspectionFindingsApi(APIView):
    @extend_schema(request=FindingInput, responses={201: FindingOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(FindingInput(data=request.data))
            finding = services.finding_record(actor=request.user, inspection_id=pk, data=data)
            return Response(FindingOutput(finding).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"inspection-finding:{pk}", handle)


class EvidenceInput(serializers.Serializer):
    file = serializers.FileField()
    taken_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )


class FindingEvidenceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=EvidenceInput, responses={201: EvidenceOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(EvidenceInput(data=request.data))
            upload = data["file"]
            evidence = services.finding_evidence_add(
                actor=request.user,
                finding_id=pk,
                content=upload.read(),
                name=upload.name or "evidence",
                content_type=getattr(upload, "content_type", "") or "",
                taken_at=data["taken_at"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
            return Response(EvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"finding-evidence:{pk}", handle)


class SealedItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    quantity = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")


class MeasureInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.values)
    findings = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    items = SealedItemInput(many=True, required=False, default=list)
    measures = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionMeasuresApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request=MeasureInput, responses={201: MeasureOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(MeasureInput(data=request.data))
            measure = services.measure_decide(
                actor=request.user,
                inspection_id=pk,
                kind=data["kind"],
                finding_ids=data["findings"],
                description=data["description"],
                items=[dict(i) for i in data["items"]],
                measures={int(k): v for k, v in data["measures"].items() if str(k).isdigit()},
                due_date=data["due_date"],
            )
            return Response(MeasureOutput(measure).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"inspection-measure:{pk}", handle)


class SignInput(serializers.Serializer):
    handling = serializers.CharField()
    unit_head_name = serializers.CharField(max_length=64)
    signature = serializers.ChoiceField(choices=[HeadSignature.SIGNED, HeadSignature.REFUSED])
    refusal_note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class InspectionSignApi(APIView):
    @extend_schema(request=SignInput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(SignInput(data=request.data))
        services.record_sign(
            actor=request.user,
            inspection_id=pk,
            handling=data["handling"],
            unit_head_name=data["unit_head_name"],
            signature=data["signature"],
            refusal_note=data["refusal_note"],
            expected_version=data["version"],
        )
        inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
        return Response(inspection_body(inspection))


class CloseInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class InspectionCloseApi(APIView):
    @extend_schema(request=CloseInput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(CloseInput(data=request.data))
        services.inspection_close(
            actor=request.user, inspection_id=pk, expected_version=data["version"]
        )
        inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
        return Response(inspection_body(inspection))


# --- open hazards -------------------------------------------------------------------------


class HazardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise.id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    inspection = serializers.IntegerField(source="inspection_id")
    jurisdiction_code = serializers.CharField()
    description = serializers.CharField()
    grade = serializers.CharField()
    violated_article = serializers.CharField()
    found_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)


class HazardListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("jurisdiction", str),
            OpenApiParameter("grade", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("page", int),
        ]
    )
    def get(self, request: Request) -> Response:
        filters = hazard_filters(request.query_params)
        result = selectors.open_hazards(user=request.user, filters=filters)
        today = result["today"]
        rows = HazardOutput(result["rows"], many=True).data
        for row, finding in zip(rows, result["rows"], strict=True):
            row["overdue"] = bool(finding.due_date and finding.due_date < today)
        return Response(
            {
                "summary": result["summary"],
                "page": result["page"],
                "has_next": result["has_next"],
                "results": rows,
            }
        )


def hazard_filters(params: Any) -> selectors.HazardFilters:
    try:
        page = int(params.get("page") or 1)
    except ValueError:
        page = 1
    grade = params.get("grade", "")
    return selectors.HazardFilters(
        jurisdiction=str(params.get("jurisdiction", ""))[:6]
        if str(params.get("jurisdiction", "")).isdigit()
        else "",
        grade=grade if grade in HazardGrade.values else "",
        overdue=params.get("overdue") in ("1", "true", "on"),
        page=min(max(page, 1), 10_000),
    )
