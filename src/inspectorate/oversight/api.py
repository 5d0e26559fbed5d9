"""Thin DRF views of the oversight of lower levels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.errors import PermissionDenied
from inspectorate.oversight import selectors, services
from inspectorate.oversight.models import SubjectKind
from inspectorate.oversight.workflows import SUPERVISION


def _staff(request: Request) -> Any:
    user = request.user
    if user.scope.enterprise_ids or not (  # type: ignore[union-attr]
        user.is_staff_member or user.is_superuser  # type: ignore[union-attr]
    ):
        raise PermissionDenied("This is for the staff of the enforcement offices.")
    return user


def _today() -> dt.date:
    return timezone.localdate()


class DashboardQuery(serializers.Serializer):
    office = serializers.RegexField(r"^\d{6}$", required=False)
    near = serializers.IntegerField(min_value=1, max_value=90, required=False)


class DashboardApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        q = validated(DashboardQuery(data=request.query_params))
        board = selectors.dashboard(
            user=user,
            code=q.get("office"),
            today=_today(),
            near_days=q.get("near", selectors.NEAR_DAYS),
        )

        def row(r: selectors.OfficeRow) -> dict[str, Any]:
            return {
                "code": r.code,
                "area": r.area,
                "name": r.name,
                "own": r.own,
                "drill": r.drill,
                "planned": r.planned,
                "done": r.done,
                "hazards_overdue": r.hazards_overdue,
                "cases_near": r.cases_near,
                "cases_overdue": r.cases_overdue,
                "transfers_pending": r.transfers_pending,
            }

        return Response(
            {
                "office": board.office.code,
                "year": board.year,
                "today": board.today,
                "near_days": board.near_days,
                "rows": [row(r) for r in board.rows],
                "total": row(board.total),
            }
        )


class OrderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    issuing_agency = serializers.IntegerField(source="issuing_agency_id")
    issuer_code = serializers.CharField()
    addressee = serializers.IntegerField(source="addressee_id")
    jurisdiction_code = serializers.CharField()
    subject_kind = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    finding = serializers.IntegerField(source="finding_id", allow_null=True)
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    subject_text = serializers.CharField()
    requirements = serializers.CharField()
    due_date = serializers.DateField()
    issued_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    overdue = serializers.SerializerMethodField()
    document = serializers.CharField(source="document.number", default="")
    version = serializers.IntegerField()

    def get_overdue(self, obj: Any) -> bool:
        return selectors.supervision_is_overdue(obj)


class OrderQuery(serializers.Serializer):
    state = serializers.CharField(required=False, default="")
    direction = serializers.ChoiceField(
        choices=["", "issued", "received"], required=False, default=""
    )


class OrderInput(serializers.Serializer):
    addressee = serializers.IntegerField()
    subject_kind = serializers.ChoiceField(choices=SubjectKind.values)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)
    finding = serializers.IntegerField(required=False, allow_null=True, default=None)
    enterprise = serializers.IntegerField(required=False, allow_null=True, default=None)
    subject_text = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=128)
    requirements = serializers.CharField()
    due_date = serializers.DateField()


class OrderListApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        q = validated(OrderQuery(data=request.query_params))
        qs = selectors.supervision_list_for_user(
            user=user, state=q["state"], direction=q["direction"]
        )
        return paginated_response(request, self, qs, OrderOutput)

    def post(self, request: Request) -> Response:
        user = _staff(request)
        d = validated(OrderInput(data=request.data))
        order = services.supervision_issue(
            actor=user,
            addressee_id=d["addressee"],
            subject_kind=d["subject_kind"],
            case_id=d["case"],
            finding_id=d["finding"],
            enterprise_id=d["enterprise"],
            subject_text=d["subject_text"],
            title=d["title"],
            requirements=d["requirements"],
            due_date=d["due_date"],
            today=_today(),
        )
        return Response(OrderOutput(order).data, status=status.HTTP_201_CREATED)


def order_body(request: Request, order: Any) -> dict[str, Any]:
    return {
        **OrderOutput(order).data,
        "actions": [t.action for t in SUPERVISION.actions_for(order, request.user)],  # type: ignore[arg-type]
        "replies": [
            {
                "round": r.round,
                "measures": r.measures,
                "result": r.result,
                "replied_by": r.replied_by_id,
                "replied_on": r.replied_on,
                "outcome": r.outcome,
                "outcome_reason": r.outcome_reason,
                "outcome_on": r.outcome_on,
                "attachments": [f.sha256 for f in r.attachments.all()],
            }
            for r in order.replies.prefetch_related("attachments")
        ],
    }


class OrderDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        user = _staff(request)
        return Response(order_body(request, selectors.supervision_get_for_user(user=user, pk=pk)))


class OrderActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(SUPERVISION.all_actions()))
    version = serializers.IntegerField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    result = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    new_due_date = serializers.DateField(required=False, allow_null=True, default=None)


class OrderActionApi(APIView):
    def post(self, request: Request, pk: int) -> Response:
        user = _staff(request)
        order = selectors.supervision_get_for_user(user=user, pk=pk)
        d = validated(OrderActionInput(data=request.data))
        action, today = d["action"], _today()
        if action == "reply":
            services.supervision_reply(
                actor=user,
                order_id=order.pk,
                version=d["version"],
                measures=d["measures"],
                result=d["result"],
                attachment_ids=d["attachments"],
                today=today,
            )
        elif action == "accept":
            services.supervision_accept(
                actor=user,
                order_id=order.pk,
                version=d["version"],
                opinion=d["reason"],
                today=today,
            )
        elif action == "return":
            services.supervision_return(
                actor=user,
                order_id=order.pk,
                version=d["version"],
                reason=d["reason"],
                new_due_date=d["new_due_date"],
                today=today,
            )
        else:
            services.supervision_withdraw(
                actor=user, order_id=order.pk, version=d["version"], reason=d["reason"], today=today
            )
        fresh = selectors.supervision_get_for_user(user=user, pk=pk)
        return Response(order_body(request, fresh))


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    sheet = serializers.IntegerField(source="sheet_id")
    jurisdiction_code = serializers.CharField()
    reviewed_agency = serializers.IntegerField(source="reviewed_agency_id")
    reviewing_agency = serializers.IntegerField(source="reviewing_agency_id")
    reviewer = serializers.IntegerField(source="reviewer_id")
    reviewed_on = serializers.DateField()
    total = serializers.IntegerField()
    max_total = serializers.IntegerField()
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    conclusion = serializers.CharField()


class ScoreInput(serializers.Serializer):
    points = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInput(serializers.Serializer):
    case = serializers.IntegerField()
    scores = serializers.DictField(child=ScoreInput())
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewListApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        return paginated_response(
            request, self, selectors.review_list_for_user(user=user), ReviewOutput
        )

    def post(self, request: Request) -> Response:
        user = _staff(request)
        d = validated(ReviewInput(data=request.data))
        review = services.case_file_review_create(
            actor=user,
            case_id=d["case"],
            scores=d["scores"],
            conclusion=d["conclusion"],
            today=_today(),
        )
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        user = _staff(request)
        review = selectors.review_get_for_user(user=user, pk=pk)
        return Response(
            {
                **ReviewOutput(review).data,
                "scores": [
                    {
                        "item": s.item.code,
                        "points": s.points,
                        "max": s.item.max_points,
                        "note": s.note,
                    }
                    for s in review.scores.select_related("item").order_by("item__sort")
                ],
            }
        )


class PeriodQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    window = serializers.IntegerField(min_value=1, max_value=730, required=False)
    minimum = serializers.IntegerField(min_value=1, max_value=1000, required=False)


def _period(q: dict[str, Any]) -> tuple[dt.date, dt.date]:
    end = q.get("end") or _today()
    return q.get("start") or end - dt.timedelta(days=365), end


class ReviewResultsApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        start, end = _period(validated(PeriodQuery(data=request.query_params)))
        return Response(
            {
                "start": start,
                "end": end,
                "offices": [
                    {
                        "agency": r.agency.pk,
                        "name": r.agency.name,
                        "count": r.count,
                        "average": r.average,
                        "grades": r.grades,
                        "worst": r.worst,
                    }
                    for r in selectors.review_results(user=user, start=start, end=end)
                ],
            }
        )


class SheetItemInput(serializers.Serializer):
    code = serializers.CharField(max_length=16)
    section = serializers.CharField(max_length=32)
    text = serializers.CharField(max_length=255)
    max_points = serializers.IntegerField(min_value=1, max_value=100)
    basis = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class SheetInput(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    source = serializers.CharField()  # type: ignore[assignment]
    items = SheetItemInput(many=True)
    grade_bands = serializers.ListField(child=serializers.DictField())


def sheet_body(sheet: Any) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "jurisdiction_code": sheet.jurisdiction_code,
        "name": sheet.name,
        "number": sheet.number,
        "state": sheet.state,
        "source": sheet.source,
        "grade_bands": sheet.grade_bands,
        "version": sheet.version,
        "items": [
            {
                "code": i.code,
                "section": i.section,
                "text": i.text,
                "max_points": i.max_points,
                "basis": i.basis,
            }
            for i in sheet.items.all()
        ],
    }


class SheetListApi(APIView):
    """The sheet in force for the user's province, and the province's own versions."""

    def get(self, request: Request) -> Response:
        user = _staff(request)
        code = user.agency.jurisdiction_id if user.agency_id else "650000"
        in_force = services.sheet_in_force(code)
        return Response(
            {
                "in_force": sheet_body(in_force),
                "versions": [sheet_body(s) for s in selectors.sheets_of_province(code)],
            }
        )

    def post(self, request: Request) -> Response:
        user = _staff(request)
        d = validated(SheetInput(data=request.data))
        sheet = services.scoring_sheet_create(
            actor=user,
            name=d["name"],
            source=d["source"],
            items=d["items"],
            grade_bands=d["grade_bands"],
        )
        return Response(sheet_body(sheet), status=status.HTTP_201_CREATED)


class PublishInput(serializers.Serializer):
    sheet = serializers.IntegerField()
    version = serializers.IntegerField()


class SheetPublishApi(APIView):
    def post(self, request: Request) -> Response:
        user = _staff(request)
        d = validated(PublishInput(data=request.data))
        sheet = services.scoring_sheet_publish(
            actor=user, sheet_id=d["sheet"], version=d["version"]
        )
        return Response(sheet_body(sheet))


class MissedApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        q = validated(PeriodQuery(data=request.query_params))
        start, end = _period(q)
        window = q.get("window", selectors.MISSED_WINDOW_DAYS)
        rows = selectors.missed_detection(user=user, start=start, end=end, window_days=window)
        return Response(
            {
                "start": start,
                "end": end,
                "window_days": window,
                "offices": [
                    {
                        "agency": r.agency_id,
                        "name": r.agency_name,
                        "code": r.code,
                        "findings": r.findings,
                        "inspections": r.inspections,
                        "misses": [
                            {
                                "finding": m.finding["id"],
                                "found_on": m.finding["found_on"],
                                "finder": m.finding["inspection__agency__name"],
                                "enterprise": m.finding["enterprise_id"],
                                "violated_article": m.finding["violated_article"],
                                "inspection": m.inspection["id"],
                                "inspected_on": m.inspection["day"],
                                "days_before": m.days_before,
                            }
                            for m in r.misses
                        ],
                    }
                    for r in rows
                ],
            }
        )


class InactionApi(APIView):
    def get(self, request: Request) -> Response:
        user = _staff(request)
        q = validated(PeriodQuery(data=request.query_params))
        start, end = _period(q)
        report = selectors.inaction(
            user=user,
            start=start,
            end=end,
            min_inspections=q.get("minimum", selectors.MIN_INSPECTIONS),
        )
        return Response(
            {
                "start": start,
                "end": end,
                "min_inspections": report.min_inspections,
                "uninspected": report.uninspected,
                "offices": report.offices,
                "officers": report.officers,
            }
        )
