"""Thin DRF views of the training app (URL names ``api-training-...``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.core.api import paginated_response, validated
from inspectorate.training import selectors, services
from inspectorate.training.models import LibraryCase


class ProvisionOutput(serializers.Serializer):
    code = serializers.CharField()
    citation = serializers.CharField()
    violation = serializers.CharField()


class LibraryCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    party_label = serializers.CharField()
    sector_name = serializers.CharField()
    summary = serializers.CharField()
    jurisdiction_code = serializers.CharField()
    agency_name = serializers.CharField(source="agency.name")
    province_wide = serializers.BooleanField()
    decided_on = serializers.DateField(allow_null=True)
    fine = serializers.IntegerField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    articles = ProvisionOutput(source="provisions.all", many=True)
    created_on = serializers.DateField()


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_name = serializers.CharField()
    agency_name = serializers.CharField()
    text = serializers.CharField()
    created_on = serializers.DateField()


def entry_body(entry: LibraryCase) -> dict[str, Any]:
    return {
        **LibraryCaseOutput(entry).data,
        "facts": entry.facts,
        "replacements": entry.replacements,
        "teaching_notes": entry.teaching_notes,
        "author_name": entry.author.get_full_name(),
        "comments": CommentOutput(entry.comments.all(), many=True).data,
    }


class LibraryFilter(serializers.Serializer):
    article = serializers.CharField(required=False, max_length=48)
    tag = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=100)


class LibraryCaseInput(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=255)
    teaching_notes = serializers.CharField(max_length=20000)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=10
    )
    province_wide = serializers.BooleanField(required=False, default=False)


class LibraryListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("article", str),
            OpenApiParameter("tag", str),
            OpenApiParameter("q", str),
        ],
        responses=LibraryCaseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = validated(LibraryFilter(data=request.query_params))
        qs = selectors.library_list_for_user(
            user=request.user, article=f.get("article", ""), tag=f.get("tag", ""), q=f.get("q", "")
        )
        return paginated_response(request, self, qs, LibraryCaseOutput)

    @extend_schema(request=LibraryCaseInput, responses={201: LibraryCaseOutput})
    def post(self, request: Request) -> Response:
        data = validated(LibraryCaseInput(data=request.data))
        entry = services.library_case_add(
            actor=request.user,
            case_id=data["case"],
            title=data["title"],
            teaching_notes=data["teaching_notes"],
            tags=data.get("tags", []),
            province_wide=data["province_wide"],
        )
        entry = selectors.library_get_for_user(user=request.user, pk=entry.pk)
        return Response(entry_body(entry), status=status.HTTP_201_CREATED)


class LibraryDetailApi(APIView):
    @extend_schema(responses=LibraryCaseOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(entry_body(selectors.library_get_for_user(user=request.user, pk=pk)))


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class LibraryCommentApi(APIView):
    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def post(self, request: Request, pk: int) -> Response:
        data = validated(CommentInput(data=request.data))
        comment = services.library_comment_add(actor=request.user, entry_id=pk, text=data["text"])
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)
