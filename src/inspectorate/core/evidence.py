"""Evidence files, stored once per content and identified by SHA-256."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction

from inspectorate.core.models import EvidenceFile
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


@transaction.atomic
def evidence_store(
    *,
    actor: Any,
    jurisdiction_code: str,
    content: bytes,
    original_name: str,
    content_type: str = "",
) -> EvidenceFile:
    """Store a file (or find the identical one already stored) and record its hash."""
    digest = hashlib.sha256(content).hexdigest()
    existing = EvidenceFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    item = EvidenceFile(
        sha256=digest,
        size=len(content),
        content_type=content_type,
        original_name=original_name,
        jurisdiction_code=jurisdiction_code,
        uploaded_by=actor,
    )
    item.file.save(digest, ContentFile(content), save=False)
    item.save()
    record_append(
        kind=RecordKind.EVIDENCE_STORED,
        actor=actor,
        jurisdiction_code=jurisdiction_code,
        subject=item,
        payload={"name": original_name, "size": len(content)},
        evidence=[digest],
    )
    return item
