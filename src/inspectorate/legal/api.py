"""Thin DRF views of the legal app (URL names ``api-legal-...``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.core.errors import NotFound
from inspectorate.legal import selectors, services
from inspectorate.legal.models import Article, Law, LawKind, LawVersion, StudyItem, StudyState


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    promulgated_on = serializers.DateField()
    effective_on = serializers.DateField()
    changes = serializers.CharField()
    history = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    added_on = serializers.DateField()
    study_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    study_days = serializers.IntegerField()
    article_count = serializers.SerializerMethodField()

    def get_article_count(self, obj: LawVersion) -> int:
        n = getattr(obj, "n_articles", None)
        return int(n) if n is not None else obj.articles.count()


def law_body(law: Law, day: dt.date, *, versions: bool = False) -> dict[str, Any]:
    row = selectors.law_rows([law], day)[0]
    body: dict[str, Any] = {
        "code": law.code,
        "title": law.title,
        "short_title": law.short_title,
        "kind": law.kind,
        "kind_label": law.get_kind_display(),
        "issuer": law.issuer,
        "jurisdiction_code": law.jurisdiction_code,
        "concerns_roles": list(law.concerns_roles or []),
        "concerns_sectors": sorted(s.code for s in law.concerns_sectors.all()),
        "version_in_force": VersionOutput(row.current).data if row.current else None,
        "article_count": row.article_count,
        "version": law.version,
    }
    if versions:
        body["versions"] = VersionOutput(list(law.versions.all()), many=True).data
    return body


class ArticleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    law = serializers.CharField(source="law_version.law.code")
    law_title = serializers.CharField(source="law_version.law.short_title")
    law_version = serializers.IntegerField(source="law_version_id")
    version_label = serializers.CharField(source="law_version.label")
    number = serializers.IntegerField()
    suffix = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    citation = serializers.SerializerMethodField()
    chapter = serializers.CharField()
    text = serializers.CharField()

    def get_citation(self, obj: Article) -> str:
        return f"《{obj.law_version.law.short_title}》{obj.label}"


class LawFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LawKind.choices, required=False)
    q = serializers.CharField(required=False, max_length=100)


class LawInput(serializers.Serializer):
    code = serializers.SlugField(max_length=48)
    title = serializers.CharField(max_length=255)
    short_title = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=LawKind.choices)
    issuer = serializers.CharField(max_length=128)
    jurisdiction_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    concerns_roles = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=10
    )
    concerns_sectors = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=50
    )


class LawPatch(LawInput):
    code = None  # type: ignore[assignment]
    version = serializers.IntegerField(min_value=1)


def _staff_day() -> dt.date:
    return timezone.localdate()


class LawListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("q", str)],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        f = validated(LawFilter(data=request.query_params))
        laws = selectors.law_list_for_user(
            user=request.user, kind=f.get("kind", ""), q=f.get("q", "")
        )
        day = _staff_day()
        return Response({"count": len(laws), "results": [law_body(law, day) for law in laws]})

    @extend_schema(request=LawInput, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = validated(LawInput(data=request.data))
        law = services.law_save(actor=request.user, **data)
        law = selectors.law_get_for_user(user=request.user, code=law.code)
        return Response(law_body(law, _staff_day(), versions=True), status=status.HTTP_201_CREATED)


class LawDetailApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, code: str) -> Response:
        law = selectors.law_get_for_user(user=request.user, code=code)
        return Response(law_body(law, _staff_day(), versions=True))

    @extend_schema(request=LawPatch, responses={200: dict})
    def patch(self, request: Request, code: str) -> Response:
        data = validated(LawPatch(data=request.data))
        expected = data.pop("version")
        services.law_save(actor=request.user, code=code, expected_version=expected, **data)
        law = selectors.law_get_for_user(user=request.user, code=code)
        return Response(law_body(law, _staff_day(), versions=True))


class VersionInput(serializers.Serializer):
    label = serializers.CharField(max_length=128)  # type: ignore[assignment]
    promulgated_on = serializers.DateField()
    effective_on = serializers.DateField()
    changes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    study_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, default=services.DEFAULT_STUDY_HOURS
    )
    study_days = serializers.IntegerField(required=False, default=services.DEFAULT_STUDY_DAYS)
    text = serializers.CharField(max_length=services.MAX_TEXT_LENGTH, trim_whitespace=False)
    law_version = serializers.IntegerField(min_value=1, required=False)


class VersionListApi(APIView):
    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request: Request, code: str) -> Response:
        law = selectors.law_get_for_user(user=request.user, code=code)
        return Response(VersionOutput(list(law.versions.all()), many=True).data)

    @extend_schema(request=VersionInput, responses={201: VersionOutput})
    def post(self, request: Request, code: str) -> Response:
        data = validated(VersionInput(data=request.data))
        version = services.version_add(
            actor=request.user,
            law_code=code,
            label=data["label"],
            promulgated_on=data["promulgated_on"],
            effective_on=data["effective_on"],
            changes=data.get("changes", ""),
            study_hours=data["study_hours"],
            study_days=data["study_days"],
            text=data["text"],
            expected_version=data.get("law_version"),
        )
        body = {**VersionOutput(version).data, "assigned": version.study_items.count()}
        return Response(body, status=status.HTTP_201_CREATED)


class VersionDetailApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, code: str, pk: int) -> Response:
        law = selectors.law_get_for_user(user=request.user, code=code)
        version = selectors.version_of(law, pk)
        articles = version.articles.select_related("law_version__law").order_by("sort")
        return Response(
            {
                **VersionOutput(version).data,
                "law": law.code,
                "articles": ArticleOutput(articles, many=True).data,
            }
        )


class CompareFilter(serializers.Serializer):
    old = serializers.IntegerField(required=False)
    new = serializers.IntegerField(required=False)


def _article(a: Article) -> dict[str, Any]:
    return {"id": a.pk, "label": a.label, "chapter": a.chapter, "text": a.text}


class CompareApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("old", int), OpenApiParameter("new", int)],
        responses={200: dict},
    )
    def get(self, request: Request, code: str) -> Response:
        f = validated(CompareFilter(data=request.query_params))
        law = selectors.law_get_for_user(user=request.user, code=code)
        versions = list(law.versions.all())
        new = (
            selectors.version_of(law, f["new"])
            if "new" in f
            else (versions[0] if versions else None)
        )
        if new is None:
            raise NotFound()
        old = selectors.version_of(law, f["old"]) if "old" in f else selectors.previous_version(new)
        if old is None:
            raise NotFound()
        c = selectors.compare(old, new)
        return Response(
            {
                "law": law.code,
                "old": VersionOutput(old).data,
                "new": VersionOutput(new).data,
                "added": [_article(a) for a in c.added],
                "removed": [_article(a) for a in c.removed],
                "changed": [
                    {"label": ch.new.label, "old": _article(ch.old), "new": _article(ch.new)}
                    for ch in c.changed
                ],
                "unchanged": c.unchanged,
            }
        )


class ArticleFilter(serializers.Serializer):
    law = serializers.SlugField(required=False, max_length=48)
    q = serializers.CharField(required=False, max_length=100)
    version = serializers.IntegerField(required=False, min_value=1)
    on = serializers.DateField(required=False)


class ArticleListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("law", str, description="a law's code"),
            OpenApiParameter("q", str, description="words of the text, or an article's label"),
            OpenApiParameter("version", int, description="a version's id (default: in force)"),
            OpenApiParameter(
                "on", str, description="the day the version is in force (default today)"
            ),
        ],
        responses=ArticleOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(ArticleFilter(data=request.query_params))
        qs = selectors.article_list_for_user(
            user=request.user,
            law=f.get("law", ""),
            q=f.get("q", ""),
            version=f.get("version"),
            day=None if "version" in f else f.get("on") or _staff_day(),
        )
        return paginated_response(request, self, qs, ArticleOutput)


class ArticleDetailApi(APIView):
    @extend_schema(responses=ArticleOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            ArticleOutput(selectors.article_get_for_user(user=request.user, pk=pk)).data
        )


# --- study items -----------------------------------------------------------------------------


class StudyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    law = serializers.CharField(source="law_version.law.code")
    law_title = serializers.CharField(source="law_version.law.short_title")
    law_version = serializers.IntegerField(source="law_version_id")
    version_label = serializers.CharField(source="law_version.label")
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.get_full_name")
    agency_name = serializers.CharField(source="agency.name")
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    state = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_overdue(self, obj: StudyItem) -> bool:
        return obj.is_overdue(timezone.localdate())


class StudyFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=StudyState.choices, required=False)


class StudyListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("state", str)], responses=StudyOutput(many=True))
    def get(self, request: Request) -> Response:
        f = validated(StudyFilter(data=request.query_params))
        qs = selectors.study_list_for_user(user=request.user, state=f.get("state", ""))
        return paginated_response(request, self, qs.select_related("officer"), StudyOutput)


class StudyDetailApi(APIView):
    @extend_schema(responses=StudyOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(StudyOutput(selectors.study_get_for_user(user=request.user, pk=pk)).data)


class StudyCompleteInput(serializers.Serializer):
    note = serializers.CharField(max_length=services.MAX_NOTE_LENGTH)
    version = serializers.IntegerField(min_value=1, required=False)


class StudyCompleteApi(APIView):
    @extend_schema(request=StudyCompleteInput, responses=StudyOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = validated(StudyCompleteInput(data=request.data))
        item = services.study_complete(
            actor=request.user,
            item_id=pk,
            note=data["note"],
            expected_version=data.get("version"),
        )
        item = selectors.study_get_for_user(user=request.user, pk=item.pk)
        return Response(StudyOutput(item).data)


class CompletionFilter(serializers.Serializer):
    agency = serializers.IntegerField(required=False, min_value=1)


class CompletionApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("agency", int)], responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        f = validated(CompletionFilter(data=request.query_params))
        version = selectors.version_get_for_user(user=request.user, pk=pk)
        day = _staff_day()
        summary = selectors.completion_for_user(user=request.user, version=version, day=day)

        def office(o: selectors.OfficeCompletion) -> dict[str, Any]:
            return {
                "agency": o.agency_id or None,
                "agency_name": o.agency_name,
                "jurisdiction_code": o.jurisdiction_code,
                "assigned": o.assigned,
                "completed": o.completed,
                "pending": o.pending,
                "overdue": o.overdue,
                "rate": str(o.rate),
            }

        body: dict[str, Any] = {
            "law": version.law.code,
            "law_version": version.pk,
            "version_label": version.label,
            "day": day,
            "offices": [office(o) for o in summary.offices],
            "total": {
                k: v
                for k, v in office(summary.total).items()
                if k in ("assigned", "completed", "pending", "overdue", "rate")
            },
        }
        if "agency" in f:
            items = selectors.completion_items(
                user=request.user, version=version, agency_id=f["agency"]
            )
            body["items"] = StudyOutput(items.select_related("law_version__law"), many=True).data
        return Response(body)
