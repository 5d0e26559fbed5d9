"""Every read of transfer flags and transfers, scoped to the user's jurisdiction (an upper
level sees its lower offices'), and the "应移未移" audit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspectorate.core.deadlines import is_overdue
from inspectorate.core.errors import NotFound
from inspectorate.core.models import Deadline
from inspectorate.referrals import rules
from inspectorate.referrals.models import (
    PENDING_STATES,
    FlagState,
    Referral,
    ReferralFlag,
    ReferralState,
)


def flag_queryset_for_user(*, user: Any) -> QuerySet[ReferralFlag]:
    return ReferralFlag.objects.filter(user.scope.q("jurisdiction_code"))


def referral_queryset_for_user(*, user: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(user.scope.q("jurisdiction_code"))


def flag_get_for_user(*, user: Any, pk: Any) -> ReferralFlag:
    try:
        return (
            flag_queryset_for_user(user=user)
            .select_related("case", "trigger", "agency", "flagged_by", "dismissed_by")
            .get(pk=pk)
        )
    except (ReferralFlag.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def referral_get_for_user(*, user: Any, pk: Any) -> Referral:
    try:
        return (
            referral_queryset_for_user(user=user)
            .select_related("case", "flag__trigger", "agency", "opened_by", "decided_by")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def flag_list_for_user(*, user: Any, state: str = "") -> QuerySet[ReferralFlag]:
    qs = (
        flag_queryset_for_user(user=user)
        .select_related("case", "trigger", "agency", "flagged_by")
        .order_by("-flagged_on", "-id")
    )
    return qs.filter(state=state) if state else qs


def referral_list_for_user(*, user: Any, state: str = "") -> QuerySet[Referral]:
    qs = referral_queryset_for_user(user=user).select_related("case", "agency", "flag__trigger")
    if state == "pending":
        return qs.filter(state__in=PENDING_STATES)
    return qs.filter(state=state) if state else qs


def deadlines_of(subject_type: str, ids: Iterable[int]) -> dict[int, list[Deadline]]:
    found: dict[int, list[Deadline]] = {}
    for d in Deadline.objects.filter(
        subject_type=subject_type, subject_id__in=[str(i) for i in ids]
    ).order_by("start_date", "id"):
        found.setdefault(int(d.subject_id), []).append(d)
    return found


def open_deadline(subject_type: str, pk: int, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        subject_type=subject_type, subject_id=str(pk), kind=kind, met_at=None, cancelled_at=None
    ).first()


def transfer_overdue(referral: Referral, now: dt.datetime | None = None) -> bool:
    """Approved and not transferred by the due moment (24 hours, exact)."""
    now = now or timezone.now()
    if referral.transfer_due_at is None:
        return False
    if referral.transferred_at is not None:
        return referral.transferred_at > referral.transfer_due_at
    return now > referral.transfer_due_at


# ---------------------------------------------------------------------------------------
# the "应移未移" audit
# ---------------------------------------------------------------------------------------

REASONS = {
    "no_report": _("Flag open past the limit without a transfer report"),
    "approval_overdue": _("The head's decision is overdue (3 days, Art. 5)"),
    "not_transferred": _("Approved but not transferred within 24 hours (Art. 5)"),
    "transferred_late": _("Transferred later than 24 hours after approval (Art. 16)"),
    "fined_instead": _("Decided with a fine alone while flagged (Art. 11)"),
    "refused": _("Transfer not approved by the head: reasons to review"),
    "dismissed": _("Flag dismissed: reasons to review"),
}


@dataclass(frozen=True)
class OmittedTransfer:
    """One case that met a trigger and was not transferred as the regulation requires."""

    case_id: int
    case_number: str
    agency_id: int
    agency_name: str
    jurisdiction_code: str
    officer_id: int
    officer_name: str
    head_id: int | None
    head_name: str
    trigger: str
    trigger_name: str
    flagged_on: dt.date
    reason: str
    reason_label: str
    detail: str
    flag_id: int
    referral_id: int | None


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()) if user is not None else ""


def omitted_transfers(*, user: Any, on: dt.date) -> list[OmittedTransfer]:
    """The flags in the user's scope whose transfer is missing, late or substituted by a
    fine on ``on`` — and the dismissed flags and refused transfers, listed with their
    reasons for review. The officer responsible is the case's first investigator; for a
    refused transfer also the head who refused."""
    now = timezone.make_aware(dt.datetime.combine(on, dt.time.max))
    flags = list(
        flag_queryset_for_user(user=user)
        .select_related("case__investigator_1", "agency", "trigger")
        .order_by("agency_id", "flagged_on", "id")
    )
    if not flags:
        return []
    referrals: dict[int, list[Referral]] = {}
    for r in Referral.objects.filter(flag__in=flags).select_related("decided_by").order_by("id"):
        referrals.setdefault(r.flag_id, []).append(r)
    deadlines = deadlines_of("referrals.referralflag", [f.pk for f in flags])
    approval = deadlines_of("referrals.referral", [r.pk for rs in referrals.values() for r in rs])
    rows: list[OmittedTransfer] = []

    def add(
        flag: ReferralFlag, reason: str, detail: str = "", referral: Referral | None = None
    ) -> None:
        case = flag.case
        head = referral.decided_by if referral is not None and reason == "refused" else None
        rows.append(
            OmittedTransfer(
                case_id=case.pk,
                case_number=case.number or f"#{case.pk}",
                agency_id=flag.agency_id,
                agency_name=flag.agency.name,
                jurisdiction_code=flag.jurisdiction_code,
                officer_id=case.investigator_1_id,
                officer_name=_name(case.investigator_1),
                head_id=head.pk if head is not None else None,
                head_name=_name(head),
                trigger=flag.trigger_code,
                trigger_name=flag.trigger.name,
                flagged_on=flag.flagged_on,
                reason=reason,
                reason_label=str(REASONS[reason]),
                detail=detail,
                flag_id=flag.pk,
                referral_id=referral.pk if referral is not None else None,
            )
        )

    transferred_states = set(ReferralState.values) - {
        ReferralState.DRAFTING,
        ReferralState.SUBMITTED,
        ReferralState.APPROVED,
        ReferralState.REFUSED,
    }
    for flag in flags:
        case = flag.case
        own = referrals.get(flag.pk, [])
        if flag.state == FlagState.DISMISSED:
            add(flag, "dismissed", flag.dismissal_reasons)
            continue
        for d in deadlines.get(flag.pk, []):
            if d.kind == rules.REPORT.kind and is_overdue(d, now=on):
                add(flag, "no_report", d.due_date.isoformat())
        for r in own:
            if r.state == ReferralState.SUBMITTED:
                for d in approval.get(r.pk, []):
                    if d.kind == rules.APPROVAL.kind and is_overdue(d, now=on):
                        add(flag, "approval_overdue", d.due_date.isoformat(), r)
            if r.state == ReferralState.APPROVED and transfer_overdue(r, now):
                add(flag, "not_transferred", _moment(r.transfer_due_at), r)
            elif r.transferred_at is not None and transfer_overdue(r, now):
                add(flag, "transferred_late", _moment(r.transferred_at), r)
            if r.state == ReferralState.REFUSED:
                add(flag, "refused", r.refusal_reasons, r)
        fine_only = bool(case.fine) and not case.other_penalties and case.decided_on is not None
        if fine_only and not any(r.state in transferred_states for r in own):
            add(flag, "fined_instead", f"{case.fine:,}")
    return rows


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def omitted_counts(rows: Iterable[OmittedTransfer]) -> list[tuple[int, str, int]]:
    """Per office: (agency id, name, number of cases listed), most first."""
    names: dict[int, str] = {}
    cases: dict[int, set[int]] = {}
    for row in rows:
        names[row.agency_id] = row.agency_name
        cases.setdefault(row.agency_id, set()).add(row.case_id)
    counts = Counter({k: len(v) for k, v in cases.items()})
    return [(k, names[k], n) for k, n in sorted(counts.items(), key=lambda p: (-p[1], p[0]))]


def pending_by_agency(agency_ids: Iterable[int]) -> dict[int, int]:
    """Per agency: the open flags plus the transfers not concluded (the oversight
    dashboard's "transfers pending"). Agencies with none are absent."""
    ids = list(agency_ids)
    if not ids:
        return {}
    result: Counter[int] = Counter()
    for row in (
        ReferralFlag.objects.filter(agency_id__in=ids, state=FlagState.OPEN)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[row["agency_id"]] += row["n"]
    for row in (
        Referral.objects.filter(agency_id__in=ids, state__in=PENDING_STATES)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[row["agency_id"]] += row["n"]
    return dict(result)


def flags_of_case(case_id: int) -> QuerySet[ReferralFlag]:
    return ReferralFlag.objects.filter(case_id=case_id).select_related("trigger")


def pending_q() -> Q:
    return Q(state__in=PENDING_STATES)
