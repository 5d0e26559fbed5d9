"""Idempotent writes for clients that retry (offline tablets): the ``Idempotency-Key`` header.

``idempotent(request, endpoint, handler)`` runs ``handler`` once per (user, key): the
response is stored in the same transaction as the change, so a retried or duplicated
request gets the stored response and changes nothing. The same key sent with a different
request body is refused (422), because it would otherwise hide a lost change. Two
copies of a request arriving at the same time are serialised by the unique key: the
second waits for the first and then gets its answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.core.api import error_body
from inspectorate.core.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 64


def request_fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(request.path.encode())
    data = request.data
    if hasattr(data, "lists"):  # multipart or form: fields and file contents
        for key, values in sorted(data.lists()):
            for value in values:
                digest.update(key.encode())
                if hasattr(value, "chunks"):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
    else:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def idempotent(request: Request, endpoint: str, handler: Callable[[], Response]) -> Response:
    key = (request.META.get(HEADER) or "").strip()
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH:
        return Response(
            error_body(
                "validation_failed",
                _("The data is not valid."),
                {"fields": {"Idempotency-Key": [_("At most 64 characters.")]}},
            ),
            status=400,
        )
    fingerprint = request_fingerprint(request)
    stored = _stored(request, key, fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            response = handler()
            if response.status_code >= 400:
                # nothing was written: a corrected retry with the same key may still succeed
                transaction.set_rollback(True)
                return response
            IdempotencyRecord.objects.create(
                user_id=int(request.user.pk or 0),
                key=key,
                endpoint=endpoint,
                request_sha256=fingerprint,
                status=response.status_code,
                body=json.loads(json.dumps(response.data, default=str)),
            )
    except IntegrityError:
        # the same key committed meanwhile (a duplicate arriving at the same time)
        stored = _stored(request, key, fingerprint)
        if stored is not None:
            return stored
        raise
    return response


def _stored(request: Request, key: str, fingerprint: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(user_id=int(request.user.pk or 0), key=key).first()
    if record is None:
        return None
    if record.request_sha256 != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
            ),
            status=422,
        )
    response = Response(record.body, status=record.status)
    response["Idempotent-Replayed"] = "true"
    return response
