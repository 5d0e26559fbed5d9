"""Every write of the accountability app: the matrix, the review of an item, the scan.

The scan (``accountability_scan``) is the one writer of items. It reads three sources and
raises one item per breach and person, never two (the unique key kind + subject + ref +
person, checked before and enforced by the database):

a. deadlines missed: a ``core.Deadline`` of a kind the responsibility matrix names
   (``Duty.deadline_kind``) that is overdue on the day of the scan (``is_overdue``) or was
   met after its due date. Each post answering for that kind gives one person, resolved on
   the deadline's subject by ``responsible``;
b. transfers omitted: ``referrals.selectors`` rows (a case that met a transfer trigger and
   was not transferred), for the officer responsible and the office's head
   (国务院令310 Art. 16);
c. enforcement acts done without a valid certificate: events of the record whose kind is
   an enforcement act (``law_data.ENFORCEMENT_ACT_KINDS``), read per officer and day, whose
   officer held no certificate valid on that day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accountability import law_data, responsible
from inspectorate.accountability.models import (
    AccountabilityItem,
    Duty,
    ItemKind,
    ItemState,
    OutcomeKind,
    Post,
)
from inspectorate.accountability.selectors import (
    duties_in_force,
    item_queryset_for_user,
    province_code_of,
)
from inspectorate.accountability.workflows import ITEM, REVIEWERS
from inspectorate.core.deadlines import is_overdue
from inspectorate.core.errors import (
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.models import Deadline, DeadlinePause, RecordEvent
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.scoping import Scope
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import Certificate, JurisdictionLevel, User
from inspectorate.org.roles import Role

# ---------------------------------------------------------------------------------------
# the responsibility matrix
# ---------------------------------------------------------------------------------------


@transaction.atomic
def duty_define(
    *,
    actor: Any,
    act: str,
    post_code: str,
    responsibility: str,
    legal_basis: str,
    act_name: str = "",
    deadline_kind: str = "",
    active: bool = True,
    expected_version: int | None = None,
) -> Duty:
    """Set one cell of the matrix for the actor's province: an administrator of the
    province's office writes the province's own row (the national default stays)."""
    agency = getattr(actor, "agency", None)
    if not actor.has_role(Role.ADMIN) or agency is None:
        raise PermissionDenied(_("Only an administrator of the province's office edits duties."))
    if agency.jurisdiction.level != JurisdictionLevel.PROVINCE:
        raise PermissionDenied(_("Only an administrator of the province's office edits duties."))
    code = agency.jurisdiction_id
    errors: dict[str, list[str]] = {}
    act = act.strip()
    if not act or len(act) > 32:
        errors["act"] = [_("Give the act's code (at most 32 characters).")]
    post = Post.objects.filter(code=post_code).first()
    if post is None:
        errors["post"] = [_("Choose a post.")]
    if active and not responsibility.strip():
        errors["responsibility"] = [_("Write what the post answers for.")]
    if active and not legal_basis.strip():
        errors["legal_basis"] = [_("Cite the legal basis.")]
    if len(deadline_kind) > 64:
        errors["deadline_kind"] = [_("At most 64 characters.")]
    existing = (
        Duty.objects.select_for_update().filter(jurisdiction_code=code, act=act, post=post).first()
        if post is not None and not errors
        else None
    )
    default = (
        Duty.objects.filter(jurisdiction_code="", act=act, post=post).first()
        if post is not None and not errors
        else None
    )
    known = existing or default
    name = act_name.strip() or (known.act_name if known is not None else "")
    if not name and "act" not in errors:
        errors["act_name"] = [_("Name the act.")]
    if errors or post is None:
        raise ValidationFailed.of_fields(errors)
    before: dict[str, Any] | None = None
    if existing is not None:
        check_version(existing.version, expected_version)
        before = _duty_fields(existing)
        duty = existing
        duty.version += 1
    else:
        sort = (default.sort if default else None) or (
            Duty.objects.filter(act=act).values_list("sort", flat=True).first() or 100
        )
        duty = Duty(jurisdiction_code=code, act=act, post=post, sort=sort)
    duty.act_name = name
    duty.responsibility = responsibility.strip()
    duty.legal_basis = legal_basis.strip()
    duty.deadline_kind = deadline_kind.strip()
    duty.active = active
    duty.updated_by = actor
    duty.save()
    record_append(
        kind=RecordKind.RESPONSIBILITY_DEFINED,
        actor=actor,
        jurisdiction_code=code,
        subject=duty,
        payload={"before": before, "after": _duty_fields(duty)},
    )
    return duty


def _duty_fields(duty: Duty) -> dict[str, Any]:
    return {
        "act": duty.act,
        "act_name": duty.act_name,
        "post": duty.post.code,
        "responsibility": duty.responsibility,
        "legal_basis": duty.legal_basis,
        "deadline_kind": duty.deadline_kind,
        "active": duty.active,
    }


# ---------------------------------------------------------------------------------------
# the review of an item
# ---------------------------------------------------------------------------------------


def _require_reviewer(actor: Any) -> None:
    """A head or a supervisor of an office reviews (checked before the item is looked up,
    so that a refusal says nothing about which items exist)."""
    if getattr(actor, "agency_id", None) is None or not actor.has_role(*REVIEWERS):
        raise PermissionDenied(_("Only a head or a supervisor reviews accountability items."))


def _apply(
    actor: Any,
    item_id: Any,
    action: str,
    *,
    version: int | None,
    today: dt.date,
    params: dict[str, Any] | None = None,
) -> AccountabilityItem:
    return transition_apply(
        workflow=ITEM,
        queryset=item_queryset_for_user(user=actor),
        pk=item_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda item: item.jurisdiction_code,
        expected_version=version,
        params={"today": today, **(params or {})},
        today=today,
    )


@transaction.atomic
def item_review_start(
    *,
    actor: Any,
    item_id: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AccountabilityItem:
    """A head or supervisor of the item's office or of an office above it takes up the
    review; never the person the item is about."""
    today = today or timezone.localdate()
    _require_reviewer(actor)
    item = _apply(actor, item_id, "start_review", version=expected_version, today=today)
    item.reviewer = actor
    item.review_started_on = today
    item.save(update_fields=["reviewer", "review_started_on"])
    return item


@transaction.atomic
def item_conclude(
    *,
    actor: Any,
    item_id: Any,
    outcome: str,
    finding: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AccountabilityItem:
    """The reviewer's written finding and outcome. A certificate outcome (暂扣, 取消) is
    sent to the certificate office: this conclusion does not change the certificate."""
    today = today or timezone.localdate()
    _require_reviewer(actor)
    errors: dict[str, list[str]] = {}
    kind = OutcomeKind.objects.filter(code=outcome, active=True).first()
    if kind is None:
        errors["outcome"] = [_("Choose an outcome.")]
    if not finding.strip():
        errors["finding"] = [
            _("Write the finding (for “no fault found”, the reasons).")
            if kind is not None and not kind.is_fault
            else _("Write the finding.")
        ]
    if errors or kind is None:
        raise ValidationFailed.of_fields(errors)
    # the outcome is written first (the row may not be concluded without one); a refused
    # transition below rolls it back with everything else
    item_queryset_for_user(user=actor).filter(pk=item_id, state=ItemState.UNDER_REVIEW).update(
        outcome=kind, finding=finding.strip(), concluded_on=today
    )
    item = _apply(
        actor,
        item_id,
        "conclude",
        version=expected_version,
        today=today,
        params={"outcome": kind.code, "finding": finding.strip()},
    )
    return item


# ---------------------------------------------------------------------------------------
# the scan
# ---------------------------------------------------------------------------------------


@dataclass
class Candidate:
    kind: str
    subject_type: str
    subject_id: str
    ref: str
    person_id: int
    agency_id: int
    jurisdiction_code: str
    subject_label: str
    subject_url: str
    legal_basis: str
    facts: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (self.kind, self.subject_type, self.subject_id, self.ref, self.person_id)


@dataclass
class ScanResult:
    """What one scan found: the items it raised (by kind), the breaches already raised
    before, and the breaches it could not attribute (with the reason)."""

    on: dt.date
    jurisdiction_prefix: str
    raised: dict[str, int] = field(default_factory=dict)
    already_raised: int = 0
    unresolved: list[str] = field(default_factory=list)
    transfers_checked: bool = False
    item_ids: list[int] = field(default_factory=list)

    @property
    def total_raised(self) -> int:
        return sum(self.raised.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "jurisdiction_prefix": self.jurisdiction_prefix,
            "raised": {k.value: self.raised.get(k.value, 0) for k in ItemKind},
            "total_raised": self.total_raised,
            "already_raised": self.already_raised,
            "unresolved": self.unresolved,
            "transfers_checked": self.transfers_checked,
            "items": self.item_ids,
        }


def accountability_scan(
    *, on: dt.date, jurisdiction_prefix: str = "", actor: Any = None
) -> ScanResult:
    """Raise the items of every breach found in the subtree ``jurisdiction_prefix`` as of
    the day ``on``. Idempotent: a breach already raised is counted, not raised again."""
    result = ScanResult(on=on, jurisdiction_prefix=jurisdiction_prefix)
    scope = Scope(prefix=jurisdiction_prefix)
    candidates: list[Candidate] = []
    candidates += _missed_deadlines(scope, on, result)
    candidates += _omitted_transfers(jurisdiction_prefix, on, result)
    candidates += _acts_without_certificate(scope, on, result)
    _raise(candidates, on, actor, result)
    return result


def scan_for_user(*, actor: Any, on: dt.date | None = None) -> ScanResult:
    """The scan of the actor's own subtree, run by a head or a supervisor."""
    today = timezone.localdate()
    on = on or today
    if not actor.has_role(*REVIEWERS) or actor.agency_id is None:
        raise PermissionDenied(_("Only a head or a supervisor runs the accountability scan."))
    if on > today:
        raise ValidationFailed.of_fields({"on": [_("The scan cannot look at a future day.")]})
    prefix = actor.scope.prefix
    if prefix is None:
        raise PermissionDenied(_("Only a head or a supervisor runs the accountability scan."))
    return accountability_scan(on=on, jurisdiction_prefix=prefix, actor=actor)


def _raise(candidates: list[Candidate], on: dt.date, actor: Any, result: ScanResult) -> None:
    unique: dict[tuple[str, str, str, str, int], Candidate] = {}
    for c in candidates:
        unique.setdefault(c.key, c)
    existing = _existing_keys(list(unique.values()))
    for key, c in unique.items():
        if key in existing:
            result.already_raised += 1
            continue
        try:
            with transaction.atomic():
                item = AccountabilityItem.objects.create(
                    kind=c.kind,
                    subject_type=c.subject_type,
                    subject_id=c.subject_id,
                    ref=c.ref,
                    subject_label=c.subject_label[:255],
                    subject_url=c.subject_url,
                    person_id=c.person_id,
                    agency_id=c.agency_id,
                    jurisdiction_code=c.jurisdiction_code,
                    detected_on=on,
                    facts=_plain(c.facts),
                    legal_basis=c.legal_basis[:255],
                )
                record_append(
                    kind=RecordKind.ACCOUNTABILITY_RAISED,
                    actor=actor,
                    jurisdiction_code=c.jurisdiction_code,
                    subject=item,
                    payload={
                        "kind": c.kind,
                        "subject": [c.subject_type, c.subject_id, c.ref],
                        "person": c.person_id,
                        "detected_on": on,
                        "facts": c.facts,
                    },
                )
        except IntegrityError:  # a scan running at the same time raised it first
            result.already_raised += 1
            continue
        result.raised[c.kind] = result.raised.get(c.kind, 0) + 1
        result.item_ids.append(item.pk)


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON (dates as ISO strings), as the JSON column gives it back."""
    plain: dict[str, Any] = json.loads(DjangoJSONEncoder().encode(value))
    return plain


def _existing_keys(candidates: list[Candidate]) -> set[tuple[str, str, str, str, int]]:
    found: set[tuple[str, str, str, str, int]] = set()
    by_kind_type: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in candidates:
        by_kind_type[(c.kind, c.subject_type)].add(c.subject_id)
    for (kind, subject_type), ids in by_kind_type.items():
        rows = AccountabilityItem.objects.filter(
            kind=kind, subject_type=subject_type, subject_id__in=list(ids)
        ).values_list("kind", "subject_type", "subject_id", "ref", "person_id")
        found.update(rows)
    return found


# --- a. deadlines -----------------------------------------------------------------------


def _missed_deadlines(scope: Scope, on: dt.date, result: ScanResult) -> list[Candidate]:
    """Deadlines of the kinds the matrix names, overdue on ``on`` or met late."""
    matrices: dict[str, dict[str, list[Duty]]] = {}

    def kinds_of(province: str) -> dict[str, list[Duty]]:
        if province not in matrices:
            by_kind: dict[str, list[Duty]] = defaultdict(list)
            for duty in duties_in_force(province):
                if duty.deadline_kind:
                    by_kind[duty.deadline_kind].append(duty)
            matrices[province] = dict(by_kind)
        return matrices[province]

    all_kinds = set(
        Duty.objects.filter(active=True)
        .exclude(deadline_kind="")
        .values_list("deadline_kind", flat=True)
    )
    if not all_kinds:
        return []
    open_pause = DeadlinePause.objects.filter(deadline=OuterRef("pk"), ended_on=None)
    rows = (
        Deadline.objects.filter(
            scope.q("jurisdiction_code"),
            kind__in=sorted(all_kinds),
            cancelled_at=None,
            due_date__lt=on,
        )
        .annotate(met_day=TruncDate("met_at"), paused=Exists(open_pause))
        .filter(Q(met_at=None) | Q(met_day__gt=F("due_date")))
        .order_by("id")
    )
    late: list[tuple[Any, dt.date | None, int]] = []
    for d in rows.iterator(chunk_size=2000):
        met_day: dt.date | None = d.met_day
        if met_day is None:
            # open and past its due date: overdue unless a pause is running (then the
            # due date is recounted to ``on`` by is_overdue)
            if d.paused and not is_overdue(d, now=on):
                continue
            days_late = (on - d.due_date).days
        else:
            if met_day > on:  # met after the day scanned: open and overdue on that day
                met_day = None
            days_late = ((met_day or on) - d.due_date).days
        late.append((d, met_day, days_late))
    reg = responsible.Registry()
    reg.load((d.subject_type, d.subject_id) for d, _m, _n in late)
    candidates: list[Candidate] = []
    for d, met_day, days_late in late:
        duties = kinds_of(province_code_of(d.jurisdiction_code)).get(d.kind, [])
        for duty in duties:
            who = reg.person_for(
                d.subject_type,
                d.subject_id,
                role=duty.post.role,
                jurisdiction_code=d.jurisdiction_code,
            )
            if who is None:
                result.unresolved.append(
                    f"deadline:{d.pk} {d.subject_type}#{d.subject_id} {duty.post.code}"
                )
                continue
            person_id, agency_id = who
            candidates.append(
                Candidate(
                    kind=ItemKind.DEADLINE_MISSED,
                    subject_type=d.subject_type,
                    subject_id=d.subject_id,
                    ref=f"deadline:{d.pk}",
                    person_id=person_id,
                    agency_id=agency_id,
                    jurisdiction_code=d.jurisdiction_code,
                    subject_label=reg.label(d.subject_type, d.subject_id),
                    subject_url=reg.url(d.subject_type, d.subject_id),
                    legal_basis=f"{d.legal_basis}；{law_data.DEADLINE_BASIS}",
                    facts={
                        "deadline_id": d.pk,
                        "deadline_kind": d.kind,
                        "deadline_basis": d.legal_basis,
                        "day_count": d.day_count,
                        "days": d.days,
                        "start_date": d.start_date,
                        "due_date": d.due_date,
                        "met_on": met_day,
                        "days_late": days_late,
                        "act": duty.act,
                        "act_name": duty.act_name,
                        "post": duty.post.code,
                        "post_name": duty.post.name,
                        "duty_basis": duty.legal_basis,
                    },
                )
            )
    return candidates


# --- b. transfers -----------------------------------------------------------------------


def _omitted_transfers(prefix: str, on: dt.date, result: ScanResult) -> list[Candidate]:
    """The cases that met a transfer trigger and were not transferred, or late, or fined
    instead (the referrals app's "应移未移" audit): one item per case and reason for the
    officer responsible and for the office's head (国务院令310 Art. 16: 正职负责人)."""
    rows = responsible.omitted_transfer_rows(prefix=prefix, on=on)
    if rows is None:
        result.unresolved.append("transfers: the referrals app offers no omitted-transfer list")
        return []
    result.transfers_checked = True
    grouped: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in rows:
        if row.reason in law_data.TRANSFER_BREACH_REASONS:
            grouped[(int(row.case_id), str(row.reason))].append(row)
    reg = responsible.Registry()
    heads = reg.heads_of({int(rs[0].agency_id) for rs in grouped.values()})
    reg.load(("cases.case", str(case)) for case, _reason in grouped)
    candidates: list[Candidate] = []
    for (case_id, reason), case_rows in grouped.items():
        first = case_rows[0]
        agency_id = int(first.agency_id)
        persons: dict[int, str] = {}
        if first.officer_id:
            persons[int(first.officer_id)] = "officer"
        head = heads.get(agency_id)
        if head is not None:
            persons.setdefault(head, "head")
        if not persons:
            result.unresolved.append(f"transfer: cases.case#{case_id} {reason}")
        for person_id, post in persons.items():
            candidates.append(
                Candidate(
                    kind=ItemKind.TRANSFER_OMITTED,
                    subject_type="cases.case",
                    subject_id=str(case_id),
                    ref=reason,
                    person_id=person_id,
                    agency_id=agency_id,
                    jurisdiction_code=str(first.jurisdiction_code),
                    subject_label=reg.label("cases.case", str(case_id)),
                    subject_url=reg.url("cases.case", str(case_id)),
                    legal_basis=law_data.TRANSFER_BASIS,
                    facts={
                        "case_id": case_id,
                        "reason": reason,
                        "reason_label": str(first.reason_label),
                        "triggers": sorted({str(r.trigger) for r in case_rows}),
                        "trigger_names": sorted({str(r.trigger_name) for r in case_rows}),
                        "flagged_on": min(r.flagged_on for r in case_rows),
                        "details": sorted({str(r.detail) for r in case_rows if r.detail}),
                        "flags": sorted({int(r.flag_id) for r in case_rows}),
                        "post": post,
                    },
                )
            )
    return candidates


# --- c. certificates --------------------------------------------------------------------


def _acts_without_certificate(scope: Scope, on: dt.date, result: ScanResult) -> list[Candidate]:
    """Enforcement acts up to ``on`` by an officer who held no certificate valid that day.

    Read per officer and day (one grouped query), checked against each officer's
    certificates (one query); the events of a breach are read only for the breaches."""
    actor_days = list(
        RecordEvent.objects.filter(
            scope.q("jurisdiction_code"),
            kind__in=law_data.ENFORCEMENT_ACT_KINDS,
            actor__isnull=False,
        )
        .annotate(day=TruncDate("occurred_at"))
        .filter(day__lte=on)
        .values("actor_id", "day")
        .annotate(acts=Count("id"), first_id=Min("id"))
        .order_by("actor_id", "day")
    )
    if not actor_days:
        return []
    actor_ids = {row["actor_id"] for row in actor_days}
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for cert in Certificate.objects.filter(officer_id__in=actor_ids).order_by("valid_from"):
        certificates[cert.officer_id].append(cert)
    breaches = [
        row
        for row in actor_days
        if not any(c.is_valid_on(row["day"]) for c in certificates.get(row["actor_id"], []))
    ]
    if not breaches:
        return []
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in={r["actor_id"] for r in breaches}).select_related(
            "agency"
        )
    }
    candidates: list[Candidate] = []
    for row in breaches:
        user = users.get(row["actor_id"])
        if user is None or user.agency_id is None or user.agency is None:
            result.unresolved.append(f"certificate: org.user#{row['actor_id']} {row['day']}")
            continue
        day: dt.date = row["day"]
        events = _events_of(scope, user.pk, day)
        candidates.append(
            Candidate(
                kind=ItemKind.NO_CERTIFICATE,
                subject_type="org.user",
                subject_id=str(user.pk),
                ref=day.isoformat(),
                person_id=user.pk,
                agency_id=user.agency_id,
                jurisdiction_code=user.agency.jurisdiction_id,
                subject_label=f"{user.get_full_name() or user.username} · {day.isoformat()}",
                subject_url="",
                legal_basis=law_data.NO_CERTIFICATE_BASIS,
                facts={
                    "day": day,
                    "acts": row["acts"],
                    "events": events,
                    "certificates": [
                        {
                            "number": c.number,
                            "valid_from": c.valid_from,
                            "valid_until": c.valid_until,
                            "status": c.status,
                        }
                        for c in certificates.get(user.pk, [])
                    ],
                },
            )
        )
    return candidates


def _events_of(scope: Scope, actor_id: int, day: dt.date, limit: int = 20) -> list[dict[str, Any]]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "subject": [e.subject_type, e.subject_id],
            "jurisdiction_code": e.jurisdiction_code,
            "seq": e.seq,
            "at": e.occurred_at,
        }
        for e in RecordEvent.objects.filter(
            scope.q("jurisdiction_code"),
            actor_id=actor_id,
            kind__in=law_data.ENFORCEMENT_ACT_KINDS,
            occurred_at__gte=start,
            occurred_at__lt=end,
        ).order_by("occurred_at", "id")[:limit]
    ]
