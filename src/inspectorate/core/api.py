"""API plumbing shared by every app: the error body and pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from inspectorate.core.errors import ApplicationError, ValidationFailed


class DeadlineOutput(serializers.Serializer):
    """A deadline (``core.models.Deadline``) as every app's API shows it."""

    kind = serializers.CharField()
    legal_basis = serializers.CharField()
    day_count = serializers.CharField()
    days = serializers.IntegerField()
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    is_open = serializers.BooleanField()
    provisional = serializers.BooleanField()


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def paginated_response(
    request: Request, view: APIView, queryset: Any, output: type[serializers.BaseSerializer[Any]]
) -> Response:
    """One page of ``queryset`` rendered with ``output``, in the paginated envelope."""
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


def validated(serializer: serializers.Serializer) -> dict[str, Any]:
    """The serializer's data, or its field errors as a ``ValidationFailed`` (HTTP 400)."""
    if not serializer.is_valid():
        raise ValidationFailed.of_fields(serializer.errors)
    return dict(serializer.validated_data)


def error_body(code: str, message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "extra": extra or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every error as ``{"code", "message", "extra"}``."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.extra), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        failed = ValidationFailed.from_django(exc)
        return Response(error_body(failed.code, failed.message, failed.extra), status=400)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=404)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"__all__": exc.detail}
        response.data = error_body(
            "validation_failed", _("The data is not valid."), {"fields": detail}
        )
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(code, str(exc.detail))
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = error_body("not_found", _("Not found."))
    return response
