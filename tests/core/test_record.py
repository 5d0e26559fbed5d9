"""The enforcement record: a hash chain per jurisdiction that ``verify_records`` proves.

The tampering tests change the database behind the application's back, with raw SQL
through ``connection.cursor()``, the way an intruder or a careless DBA would.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from inspectorate.core.evidence import evidence_store
from inspectorate.core.models import EvidenceFile, RecordChainHead, RecordEvent
from inspectorate.core.record import (
    GENESIS_HASH,
    PendingEvent,
    event_hash,
    record_append,
    record_append_many,
    verify_all,
    verify_chain,
)
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = "650102"


@pytest.fixture
def actor() -> User:
    return UserFactory(name="张执法")


def _append(actor: User | None, n: int, code: str = CODE) -> RecordEvent:
    with transaction.atomic():
        return record_append(
            kind=RecordKind.ENTERPRISE_UPDATED,
            actor=actor,
            jurisdiction_code=code,
            subject=("registry.enterprise", str(100 + n)),
            payload={"before": {"name": f"旧名称{n}"}, "after": {"name": f"新名称{n}"}},
        )


@pytest.fixture
def chain(actor: User) -> list[RecordEvent]:
    """Five events in 天山区's chain, seq 1..5."""
    return [_append(actor, n) for n in range(1, 6)]


def _verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_records", stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + f"ERROR {exc}"
    return True, out.getvalue()


def _recompute(event: RecordEvent) -> str:
    return event_hash(
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


def test_record_append_links_the_events(chain: list[RecordEvent], actor: User) -> None:
    events = list(RecordEvent.objects.filter(jurisdiction_code=CODE).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    for e in events:
        assert e.hash == _recompute(e)
        assert len(e.hash) == 64
    assert events[2].payload == {"before": {"name": "旧名称3"}, "after": {"name": "新名称3"}}
    assert (events[2].actor_id, events[2].actor_name) == (actor.pk, "张执法")
    assert (events[2].subject_type, events[2].subject_id) == ("registry.enterprise", "103")
    head = RecordChainHead.objects.get(jurisdiction_code=CODE)
    assert (head.last_seq, head.last_hash) == (5, events[-1].hash)


def test_each_jurisdiction_has_its_own_chain(actor: User) -> None:
    _append(actor, 1, "650102")
    other = _append(actor, 2, "650203")
    third = _append(actor, 3, "650102")
    assert (other.seq, other.prev_hash) == (1, GENESIS_HASH)
    assert third.seq == 2
    assert verify_all() == (2, [])


def test_payload_is_stored_as_plain_json(actor: User) -> None:
    import datetime as dt
    from decimal import Decimal

    with transaction.atomic():
        event = record_append(
            kind=RecordKind.DEADLINE_PAUSED,
            actor=None,
            jurisdiction_code=CODE,
            subject=actor,  # a model instance is a subject too
            payload={"on": dt.date(2026, 2, 14), "amount": Decimal("2000.50")},
        )
    event.refresh_from_db()
    assert event.payload == {"on": "2026-02-14", "amount": "2000.50"}
    assert (event.subject_type, event.subject_id) == ("org.user", str(actor.pk))
    assert (event.actor_id, event.actor_name) == (None, "")
    assert verify_chain(CODE) == []


def test_record_append_outside_a_transaction_raises(actor: User) -> None:
    # pytest-django wraps each test in a transaction; pretend for a moment there is none.
    wrapper = transaction.get_connection()
    wrapper.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            record_append(
                kind=RecordKind.ENTERPRISE_UPDATED,
                actor=actor,
                jurisdiction_code=CODE,
                subject=("registry.enterprise", "1"),
            )
        with pytest.raises(RuntimeError, match="inside the transaction"):
            record_append_many(kind=RecordKind.ENTERPRISE_REGISTERED, actor=actor, events=[])
    finally:
        wrapper.in_atomic_block = True
    assert RecordEvent.objects.count() == 0
    assert RecordChainHead.objects.count() == 0


def test_record_append_many_produces_a_chain_that_verifies(actor: User) -> None:
    _append(actor, 1)  # the bulk events continue an existing chain
    pending = [
        PendingEvent("650102" if n % 2 else "650203", "registry.enterprise", str(n), {"n": n})
        for n in range(1, 8)
    ]
    with transaction.atomic():
        assert (
            record_append_many(
                kind=RecordKind.ENTERPRISE_REGISTERED, actor=actor, events=pending, batch_size=3
            )
            == 7
        )
    tianshan = list(RecordEvent.objects.filter(jurisdiction_code="650102").order_by("seq"))
    karamay = list(RecordEvent.objects.filter(jurisdiction_code="650203").order_by("seq"))
    assert [(e.seq, e.subject_id) for e in tianshan] == [
        (1, "101"),
        (2, "1"),
        (3, "3"),
        (4, "5"),
        (5, "7"),
    ]
    assert [(e.seq, e.subject_id) for e in karamay] == [(1, "2"), (2, "4"), (3, "6")]
    assert tianshan[1].prev_hash == tianshan[0].hash
    assert {e.actor_name for e in tianshan[1:]} == {"张执法"}
    assert RecordChainHead.objects.get(jurisdiction_code="650203").last_seq == 3
    assert verify_all() == (2, [])
    ok, out = _verify()
    assert ok, out
    assert out == "OK: 2 chain(s) verified, no problems\n"


def test_verify_records_passes_on_a_clean_chain(chain: list[RecordEvent]) -> None:
    ok, out = _verify()
    assert ok
    assert out == "OK: 1 chain(s) verified, no problems\n"


def test_verify_records_with_an_empty_record() -> None:
    assert _verify() == (True, "OK: 0 chain(s) verified, no problems\n")


# --- tampering --------------------------------------------------------------------------


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _json(placeholder: str = "%s") -> str:
    return f"CAST({placeholder} AS jsonb)" if connection.vendor == "postgresql" else placeholder


def _insert_sql() -> str:
    columns = (
        "jurisdiction_code, seq, kind, occurred_at, actor_id, actor_name, subject_type, "
        "subject_id, payload, evidence, prev_hash, hash"
    )
    values = f"%s, %s, %s, %s, NULL, %s, %s, %s, {_json()}, {_json()}, %s, %s"
    return f"INSERT INTO core_recordevent ({columns}) VALUES ({values})"  # noqa: S608


def modify_payload(chain: list[RecordEvent]) -> None:
    _sql(
        f"UPDATE core_recordevent SET payload = {_json()} WHERE id = %s",  # noqa: S608
        ['{"before": {"name": "旧名称3"}, "after": {"name": "篡改后的名称"}}', chain[2].pk],
    )


def modify_actor_name(chain: list[RecordEvent]) -> None:
    _sql("UPDATE core_recordevent SET actor_name = %s WHERE id = %s", ["李四", chain[1].pk])


def delete_middle(chain: list[RecordEvent]) -> None:
    _sql("DELETE FROM core_recordevent WHERE id = %s", [chain[2].pk])


def delete_last(chain: list[RecordEvent]) -> None:
    _sql("DELETE FROM core_recordevent WHERE id = %s", [chain[4].pk])


def delete_last_and_rewind_head(chain: list[RecordEvent]) -> None:
    """A careful intruder also rewinds the head's sequence number (but cannot forge its hash)."""
    _sql("DELETE FROM core_recordevent WHERE id = %s", [chain[4].pk])
    _sql("UPDATE core_recordchainhead SET last_seq = 4 WHERE jurisdiction_code = %s", [CODE])


def insert_forged(chain: list[RecordEvent]) -> None:
    """A forger who knows the algorithm appends a perfectly linked event, but not to the head."""
    last = chain[-1]
    forged = RecordEvent(
        jurisdiction_code=CODE,
        seq=6,
        kind=RecordKind.ENTERPRISE_UPDATED,
        occurred_at=last.occurred_at,
        actor_id=None,
        actor_name="",
        subject_type="registry.enterprise",
        subject_id="999",
        payload={"after": {"risk_class": "low"}},
        evidence=[],
        prev_hash=last.hash,
    )
    forged.hash = _recompute(forged)
    _sql(
        _insert_sql(),
        [
            CODE,
            6,
            forged.kind,
            last.occurred_at,
            "",
            "registry.enterprise",
            "999",
            '{"after": {"risk_class": "low"}}',
            "[]",
            forged.prev_hash,
            forged.hash,
        ],
    )


def insert_forged_naive(chain: list[RecordEvent]) -> None:
    """A forged event whose hash is made up, with the head moved to it."""
    _sql(
        _insert_sql(),
        [
            CODE,
            6,
            RecordKind.ENTERPRISE_UPDATED.value,
            chain[-1].occurred_at,
            "",
            "registry.enterprise",
            "999",
            "{}",
            "[]",
            chain[-1].hash,
            "f" * 64,
        ],
    )
    _sql(
        "UPDATE core_recordchainhead SET last_seq = 6, last_hash = %s WHERE jurisdiction_code = %s",
        ["f" * 64, CODE],
    )


def swap_two(chain: list[RecordEvent]) -> None:
    """Reorder events 2 and 3 by swapping their seq values through a temporary value."""
    second, third = chain[1].pk, chain[2].pk
    _sql("UPDATE core_recordevent SET seq = 999999 WHERE id = %s", [second])
    _sql("UPDATE core_recordevent SET seq = 2 WHERE id = %s", [third])
    _sql("UPDATE core_recordevent SET seq = 3 WHERE id = %s", [second])


# tamper -> the exact problems (seq, event index in the chain or None, code)
TAMPERING: list[tuple[Callable[[list[RecordEvent]], None], list[tuple[int, int | None, str]]]] = [
    (modify_payload, [(3, 2, "modified")]),
    (modify_actor_name, [(2, 1, "modified")]),
    (delete_middle, [(3, None, "deleted"), (4, 3, "inserted_or_reordered")]),
    # deleting the last event: the head still points at event 5
    (delete_last, [(5, None, "deleted")]),
    (delete_last_and_rewind_head, [(4, None, "head_mismatch")]),
    (insert_forged, [(5, None, "head_mismatch")]),
    (insert_forged_naive, [(6, None, "modified")]),
    (
        swap_two,
        [
            (2, 2, "inserted_or_reordered"),
            (2, 2, "modified"),
            (3, 1, "inserted_or_reordered"),
            (3, 1, "modified"),
            (4, 3, "inserted_or_reordered"),
        ],
    ),
]


@pytest.mark.parametrize(("tamper", "expected"), TAMPERING, ids=[t.__name__ for t, _ in TAMPERING])
def test_verify_records_detects_tampering(
    chain: list[RecordEvent],
    tamper: Callable[[list[RecordEvent]], None],
    expected: list[tuple[int, int | None, str]],
) -> None:
    assert _verify()[0]
    tamper(chain)
    ok, out = _verify()
    assert not ok
    lines = out.strip().splitlines()
    assert lines[-1] == f"ERROR {len(expected)} problem(s) in 1 chain(s)"
    found = []
    for line in lines[:-1]:
        match = re.match(r"^(\d{6}) (?:seq=(\d+))? ?(?:id=(\d+))? (\w+): .+$", line)
        assert match, line
        code, seq, event_id, problem = match.groups()
        assert code == CODE
        found.append((int(seq), int(event_id) if event_id else None, problem))
    want = [
        (seq, chain[index].pk if index is not None else None, problem)
        for seq, index, problem in expected
    ]
    if tamper is insert_forged_naive:  # the forged row has an id we only learn now
        forged = RecordEvent.objects.get(jurisdiction_code=CODE, seq=6)
        want = [(6, forged.pk, "modified")]
    assert sorted(found, key=str) == sorted(want, key=str)


def test_problem_messages_name_what_is_wrong(chain: list[RecordEvent]) -> None:
    from django.utils import translation

    delete_middle(chain)
    with translation.override("en"):
        problems = verify_chain(CODE)
    assert [(p.seq, p.code, p.message) for p in problems] == [
        (3, "deleted", "Events 3 to 3 are missing."),
        (4, "inserted_or_reordered", "Event 4 does not follow the event before it."),
    ]
    delete_last(chain)
    with translation.override("en"):
        problems = verify_chain(CODE)
    assert (problems[-1].code, problems[-1].message) == (
        "deleted",
        "The chain ends at event 4 but its head records event 5.",
    )


def test_jurisdiction_option_limits_the_check(chain: list[RecordEvent], actor: User) -> None:
    _append(actor, 9, "650203")
    modify_payload(chain)
    out = io.StringIO()
    call_command("verify_records", "--jurisdiction", "6502", stdout=out)
    assert out.getvalue() == "OK: 1 chain(s) verified, no problems\n"
    with pytest.raises(CommandError, match=r"^1 problem\(s\) in 1 chain\(s\)$"):
        call_command("verify_records", "--jurisdiction", "6501", stdout=io.StringIO())


# --- evidence files -----------------------------------------------------------------------


def test_evidence_is_stored_once_and_its_hash_recorded(actor: User) -> None:
    import hashlib

    content = "现场照片".encode() * 100
    item = evidence_store(
        actor=actor,
        jurisdiction_code=CODE,
        content=content,
        original_name="photo.jpg",
        content_type="image/jpeg",
    )
    digest = hashlib.sha256(content).hexdigest()
    assert (item.sha256, item.size, item.original_name) == (digest, len(content), "photo.jpg")
    assert item.file.name == f"evidence/{digest[:2]}/{digest}"
    again = evidence_store(
        actor=actor, jurisdiction_code=CODE, content=content, original_name="copy.jpg"
    )
    assert again.pk == item.pk
    event = RecordEvent.objects.get()
    assert event.kind == RecordKind.EVIDENCE_STORED
    assert event.evidence == [digest]
    assert event.payload == {"name": "photo.jpg", "size": len(content)}


def test_verify_records_evidence_detects_a_modified_file(actor: User) -> None:
    item = evidence_store(
        actor=actor, jurisdiction_code=CODE, content=b"original scan", original_name="scan.pdf"
    )
    out = io.StringIO()
    call_command("verify_records", "--evidence", stdout=out)
    assert out.getvalue() == "OK: 1 chain(s) verified, no problems\n"

    Path(item.file.path).write_bytes(b"doctored scan")
    call_command("verify_records", stdout=io.StringIO())  # the chain itself is intact
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 problem\(s\) in 1 chain\(s\)$"):
        call_command("verify_records", "--evidence", stdout=out)
    assert re.fullmatch(
        rf"650102  id={item.pk} evidence_modified: .*{item.sha256}.*\n", out.getvalue()
    )

    Path(item.file.path).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_records", "--evidence", stdout=out)
    assert f"id={item.pk} evidence_missing" in out.getvalue()
    assert EvidenceFile.objects.count() == 1
