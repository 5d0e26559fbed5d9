"""The enforcement record (执法全过程记录): an append-only, hash-chained event log.

Each jurisdiction has its own chain. ``record_append`` must be called inside the
transaction that makes the change it records: it locks the chain head, links the new
event to the previous one and commits with the change or not at all.

``hash = SHA-256(canonical JSON of the event's fields + prev_hash)``. ``verify_chain``
walks a chain and reports every event that was modified (hash mismatch), deleted (a gap
in the sequence, or a head that points past the last event), inserted or reordered (a
``prev_hash`` that does not match the event before it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.core.models import EvidenceFile, RecordChainHead, RecordEvent
from inspectorate.core.record_kinds import RecordKind

GENESIS_HASH = "0" * 64


# Encoders built once: ``json.dumps(value, cls=..., **options)`` builds a new one per call,
# which is a good part of the cost when a bulk import hashes 100,000 events. The output
# is the same as json.dumps with the same options.
_JSON_ENCODER = DjangoJSONEncoder()
_PAYLOAD_ENCODER = DjangoJSONEncoder(ensure_ascii=False)  # the payload text sent by COPY
_CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _normalise(value: Any) -> Any:
    """What the JSON column gives back: plain JSON types only."""
    return json.loads(_JSON_ENCODER.encode(value))


def _utc_timestamp(moment: dt.datetime) -> str:
    return _utc_timestamp_cached(moment, moment.fold)


@lru_cache(maxsize=64)  # a bulk append hashes many events with the same timestamp
def _utc_timestamp_cached(moment: dt.datetime, _fold: int) -> str:
    # ``fold`` is in the key because equal naive datetimes may differ in it
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    jurisdiction_code: str,
    seq: int,
    kind: str,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    subject_type: str,
    subject_id: str,
    payload: Any,
    evidence: Sequence[str],
    prev_hash: str,
) -> str:
    body = {
        "jurisdiction_code": jurisdiction_code,
        "seq": seq,
        "kind": kind,
        "occurred_at": _utc_timestamp(occurred_at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "payload": payload,
        "evidence": list(evidence),
        "prev_hash": prev_hash,
    }
    canonical = _CANONICAL_ENCODER.encode(body)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def subject_of(obj: Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def record_append(
    *,
    kind: RecordKind,
    actor: Any,
    jurisdiction_code: str,
    subject: Model | tuple[str, str],
    payload: dict[str, Any] | None = None,
    evidence: Sequence[str] = (),
) -> RecordEvent:
    """Append one event to the jurisdiction's chain, in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_append must run inside the transaction of the change")
    subject_type, subject_id = subject if isinstance(subject, tuple) else subject_of(subject)
    RecordChainHead.objects.get_or_create(jurisdiction_code=jurisdiction_code)
    head = RecordChainHead.objects.select_for_update().get(jurisdiction_code=jurisdiction_code)
    seq = head.last_seq + 1
    occurred_at = timezone.now()
    actor_id = actor.pk if actor is not None and actor.pk is not None else None
    actor_name = (actor.get_full_name() or actor.get_username()) if actor_id else ""
    clean_payload = _normalise(payload or {})
    evidence_list = sorted(set(evidence))
    digest = event_hash(
        jurisdiction_code=jurisdiction_code,
        seq=seq,
        kind=str(kind),
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=clean_payload,
        evidence=evidence_list,
        prev_hash=head.last_hash,
    )
    event = RecordEvent.objects.create(
        jurisdiction_code=jurisdiction_code,
        seq=seq,
        kind=str(kind),
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=clean_payload,
        evidence=evidence_list,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_seq = seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    jurisdiction_code: str
    seq: int | None
    event_id: int | None
    code: str  # modified | deleted | inserted_or_reordered | head_mismatch | evidence_modified
    # | evidence_missing | document_modified | document_missing (event_id: the row's id)
    message: str


def _events(jurisdiction_code: str) -> Iterator[RecordEvent]:
    return (
        RecordEvent.objects.filter(jurisdiction_code=jurisdiction_code)
        .order_by("seq")
        .iterator(chunk_size=2000)
    )


def verify_chain(jurisdiction_code: str) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    last_seq = 0
    for event in _events(jurisdiction_code):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    jurisdiction_code,
                    expected_seq,
                    None,
                    "deleted",
                    _("Events %(first)s to %(last)s are missing.")
                    % {"first": expected_seq, "last": event.seq - 1},
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(
                ChainProblem(
                    jurisdiction_code,
                    event.seq,
                    event.pk,
                    "inserted_or_reordered",
                    _("Event %(seq)s does not follow the event before it.") % {"seq": event.seq},
                )
            )
        recomputed = event_hash(
            jurisdiction_code=event.jurisdiction_code,
            seq=event.seq,
            kind=event.kind,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            payload=event.payload,
            evidence=event.evidence,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            problems.append(
                ChainProblem(
                    jurisdiction_code,
                    event.seq,
                    event.pk,
                    "modified",
                    _("Event %(seq)s was modified after it was written.") % {"seq": event.seq},
                )
            )
        prev_hash = event.hash
        last_seq = event.seq
        expected_seq = event.seq + 1
    head = RecordChainHead.objects.filter(jurisdiction_code=jurisdiction_code).first()
    if head is None:
        if last_seq:
            problems.append(
                ChainProblem(
                    jurisdiction_code, None, None, "head_mismatch", _("The chain head is missing.")
                )
            )
    elif head.last_seq != last_seq or (last_seq and head.last_hash != prev_hash):
        problems.append(
            ChainProblem(
                jurisdiction_code,
                head.last_seq,
                None,
                "deleted" if head.last_seq > last_seq else "head_mismatch",
                _("The chain ends at event %(last)s but its head records event %(head)s.")
                % {"last": last_seq, "head": head.last_seq},
            )
        )
    return problems


def verify_all(*, jurisdiction_prefix: str = "") -> tuple[int, list[ChainProblem]]:
    """Verify every chain under a prefix. Returns (chains checked, problems)."""
    codes = set(
        RecordEvent.objects.filter(jurisdiction_code__startswith=jurisdiction_prefix)
        .values_list("jurisdiction_code", flat=True)
        .distinct()
    ) | set(
        RecordChainHead.objects.filter(
            jurisdiction_code__startswith=jurisdiction_prefix
        ).values_list("jurisdiction_code", flat=True)
    )
    problems: list[ChainProblem] = []
    for code in sorted(codes):
        problems.extend(verify_chain(code))
    return len(codes), problems


def _file_sha256(field: Any) -> str | None:
    digest = hashlib.sha256()
    try:
        with field.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def verify_documents(*, jurisdiction_prefix: str = "") -> list[ChainProblem]:
    """Re-hash the PDF and DOCX of every issued document against the hashes recorded."""
    from inspectorate.core.models import IssuedDocument

    problems: list[ChainProblem] = []
    documents = IssuedDocument.objects.filter(jurisdiction_code__startswith=jurisdiction_prefix)
    for document in documents.iterator(chunk_size=500):
        for field, expected in (
            (document.pdf, document.pdf_sha256),
            (document.docx, document.docx_sha256),
        ):
            found = _file_sha256(field)
            if found != expected:
                problems.append(
                    ChainProblem(
                        document.jurisdiction_code,
                        None,
                        document.pk,
                        "document_missing" if found is None else "document_modified",
                        _("The file of document %(number)s no longer matches its hash.")
                        % {"number": document.number},
                    )
                )
    return problems


def verify_evidence(*, jurisdiction_prefix: str = "") -> list[ChainProblem]:
    """Re-hash every stored evidence file and issued document against its recorded SHA-256."""
    problems: list[ChainProblem] = verify_documents(jurisdiction_prefix=jurisdiction_prefix)
    files = EvidenceFile.objects.filter(jurisdiction_code__startswith=jurisdiction_prefix)
    for item in files.iterator(chunk_size=500):
        digest = hashlib.sha256()
        try:
            with item.file.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            problems.append(
                ChainProblem(
                    item.jurisdiction_code,
                    None,
                    item.pk,
                    "evidence_missing",
                    _("Evidence file %(sha)s is missing.") % {"sha": item.sha256},
                )
            )
            continue
        if digest.hexdigest() != item.sha256:
            problems.append(
                ChainProblem(
                    item.jurisdiction_code,
                    None,
                    item.pk,
                    "evidence_modified",
                    _("Evidence file %(sha)s no longer matches its hash.") % {"sha": item.sha256},
                )
            )
    return problems


@dataclass(frozen=True)
class PendingEvent:
    jurisdiction_code: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]


def record_append_many(
    *, kind: RecordKind, actor: Any, events: Sequence[PendingEvent], batch_size: int = 2000
) -> int:
    """Append many events of one kind (bulk imports) in the caller's transaction.

    The same chains as ``record_append``: the chain heads are created if missing and
    locked (in code order, all in one query), each chain's events are linked in the order
    given, they are inserted (on PostgreSQL streamed to one COPY, several times faster than
    a multi-row INSERT for 100,000 events), and the heads are moved on in one UPDATE.
    """
    codes = {pending.jurisdiction_code for pending in events}
    if not codes:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("record_append_many must run inside the transaction of the change")
        return 0
    with _appending(kind, actor, codes, batch_size, deferred=False) as append:
        for pending in events:
            append(pending)
    return len(events)


@contextmanager
def record_appender(
    *, kind: RecordKind, actor: Any, jurisdiction_codes: Iterable[str], batch_size: int = 2000
) -> Iterator[Callable[[PendingEvent], None]]:
    """``record_append_many`` one event at a time, for a caller that produces them as it
    goes: ``with record_appender(...) as append: ... append(PendingEvent(...))``.

    The heads of the chains of ``jurisdiction_codes`` are locked on entry; each event is
    linked (hashed) when it is appended, and all are written when the block ends, so the
    caller may meanwhile stream its own COPY on the same connection (a bulk import hashes
    its events while PostgreSQL inserts its rows). If the block raises, nothing is written.
    """
    with _appending(kind, actor, set(jurisdiction_codes), batch_size, deferred=True) as append:
        yield append


@contextmanager
def _appending(
    kind: RecordKind, actor: Any, codes: set[str], batch_size: int, *, deferred: bool
) -> Iterator[Callable[[PendingEvent], None]]:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_append_many must run inside the transaction of the change")
    heads = _lock_chain_heads(sorted(codes))
    last_seq = {head.jurisdiction_code: head.last_seq for head in heads}
    last_hash = {head.jurisdiction_code: head.last_hash for head in heads}
    actor_id = actor.pk if actor is not None else None
    actor_name = (actor.get_full_name() or actor.get_username()) if actor is not None else ""
    occurred_at = timezone.now()
    kind_value = str(kind)
    fixed = (kind_value, occurred_at, actor_id, actor_name)
    keep_payload = connection.vendor != "postgresql"  # COPY needs only its JSON text
    # The canonical JSON that event_hash hashes, cut around the payload. Its keys sort as
    # actor_id, actor_name, evidence, jurisdiction_code, kind, occurred_at | payload |
    # prev_hash, seq, subject_id, subject_type, so the text before the payload is the same
    # for every event of a chain and the payload's own canonical text can be put in as it
    # is: the payload is encoded once instead of three times (some 1.5 s of Python time
    # per 100,000 events). The first event of each chain is also hashed by event_hash.
    before_payload: dict[str, str] = {}
    compared: set[str] = set()

    def fast_digest(
        code: str, seq: int, pending: PendingEvent, payload_json: str, prev: str
    ) -> str:
        head = before_payload.get(code)
        if head is None:
            head = (
                _CANONICAL_ENCODER.encode(
                    {
                        "actor_id": actor_id,
                        "actor_name": actor_name,
                        "evidence": [],
                        "jurisdiction_code": code,
                        "kind": kind_value,
                        "occurred_at": _utc_timestamp(occurred_at),
                    }
                )[:-1]
                + ',"payload":'
            )
            before_payload[code] = head
        after = _CANONICAL_ENCODER.encode(
            {
                "prev_hash": prev,
                "seq": seq,
                "subject_id": pending.subject_id,
                "subject_type": pending.subject_type,
            }
        )
        canonical = head + payload_json + "," + after[1:]
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def link(pending: PendingEvent) -> tuple[Any, ...]:
        code = pending.jurisdiction_code
        if code not in last_seq:
            raise ValueError(f"No chain head was locked for {code!r}")
        seq, prev = last_seq[code] + 1, last_hash[code]

        def full_digest(normalised_payload: Any) -> str:
            return event_hash(
                jurisdiction_code=code,
                seq=seq,
                kind=kind_value,
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_name=actor_name,
                subject_type=pending.subject_type,
                subject_id=pending.subject_id,
                payload=normalised_payload,
                evidence=[],
                prev_hash=prev,
            )

        payload: Any = None
        if _plain_json(pending.payload):  # then its own encoding is the normalised one's
            payload_json = _CANONICAL_ENCODER.encode(pending.payload)
            digest = fast_digest(code, seq, pending, payload_json, prev)
            if keep_payload or code not in compared:
                payload = json.loads(payload_json)  # the same as _normalise(pending.payload)
            if code not in compared:
                compared.add(code)
                if digest != full_digest(_normalise(pending.payload)):
                    raise RuntimeError("record_append_many hashed an event unlike event_hash")
        else:
            payload_json = _PAYLOAD_ENCODER.encode(pending.payload)
            payload = json.loads(payload_json)  # the same as _normalise(pending.payload)
            digest = full_digest(payload)
        last_seq[code], last_hash[code] = seq, digest
        return (
            (*fixed, code, seq, pending.subject_type, pending.subject_id),
            payload if keep_payload else None,
            payload_json,
            prev,
            digest,
        )

    if deferred:
        linked: list[tuple[Any, ...]] = []
        yield lambda pending: linked.append(link(pending))
        if linked:
            with _event_writer(connection, batch_size) as write:
                for row in linked:
                    write(*row)
    else:
        with _event_writer(connection, batch_size) as write:
            yield lambda pending: write(*link(pending))
    for head in heads:
        head.last_seq = last_seq[head.jurisdiction_code]
        head.last_hash = last_hash[head.jurisdiction_code]
    RecordChainHead.objects.bulk_update(heads, ["last_seq", "last_hash"], batch_size=500)


def _plain_json(value: Any) -> bool:
    """Whether JSON encodes ``value`` without ``default()`` and every dict key is a str:
    then encoding ``value`` gives the same text as encoding ``_normalise(value)`` (with
    other keys, 1 and 10 would sort differently once they are "1" and "10")."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return True
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain_json(v) for v in value)
    return False


def _lock_chain_heads(codes: list[str]) -> list[RecordChainHead]:
    """Create the missing chain heads and lock them all, in code order (no deadlocks)."""
    known = set(
        RecordChainHead.objects.filter(jurisdiction_code__in=codes).values_list(
            "jurisdiction_code", flat=True
        )
    )
    if len(known) < len(codes):
        RecordChainHead.objects.bulk_create(
            [RecordChainHead(jurisdiction_code=c) for c in codes if c not in known],
            ignore_conflicts=True,
        )
    heads = list(
        RecordChainHead.objects.select_for_update()
        .filter(jurisdiction_code__in=codes)
        .order_by("jurisdiction_code")
    )
    if len(heads) != len(codes):  # cannot happen: every missing head was just created
        raise RuntimeError("could not lock every chain head")
    return heads


_WRITE_FIELDS = (
    "kind",
    "occurred_at",
    "actor_id",
    "actor_name",
    "jurisdiction_code",
    "seq",
    "subject_type",
    "subject_id",
)


@contextmanager
def _event_writer(connection: Any, batch_size: int) -> Iterator[Callable[..., None]]:
    """A function that stores one event, in the open transaction: on PostgreSQL each event
    is streamed to one COPY as it is hashed (the server inserts while the next is hashed);
    elsewhere they are collected and inserted with ``bulk_create``."""
    if connection.vendor != "postgresql":
        collected: list[RecordEvent] = []

        def collect(
            fields: tuple[Any, ...], payload: Any, _payload_json: str, prev_hash: str, digest: str
        ) -> None:
            collected.append(
                RecordEvent(
                    **dict(zip(_WRITE_FIELDS, fields, strict=True)),
                    payload=payload,
                    evidence=[],
                    prev_hash=prev_hash,
                    hash=digest,
                )
            )

        yield collect
        RecordEvent.objects.bulk_create(collected, batch_size=batch_size)
        return
    opts = RecordEvent._meta
    by_attname = {f.attname: f.column for f in opts.concrete_fields}
    names = [*_WRITE_FIELDS, "payload", "evidence", "prev_hash", "hash"]
    columns = ", ".join(connection.ops.quote_name(by_attname[n]) for n in names)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):

        def stream(
            fields: tuple[Any, ...], _payload: Any, payload_json: str, prev_hash: str, digest: str
        ) -> None:
            copy.write_row((*fields, payload_json, "[]", prev_hash, digest))

        yield stream
