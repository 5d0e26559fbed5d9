"""Every write of the accidents app: the report and its grade, the reporting chain, casualty
updates, the investigation timeline, and the responsibility findings that open penalty
cases (国务院令493; 安全生产法 Arts. 95, 96, 110, 114).

Each service locks the accident, checks who acts and the law's limits (read from
:mod:`inspectorate.accidents.law_data` and the ``AccidentGradeRule`` rows), writes, and
appends the enforcement record in the same transaction. Bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accidents import law_data
from inspectorate.accidents.models import (
    Accident,
    AccidentGrade,
    AccidentGradeRule,
    AccidentKind,
    AccidentState,
    CasualtyUpdate,
    ChainLevel,
    ChainNotice,
    ChainStep,
    FindingParty,
    InformParty,
    InvestigatingLevel,
    ResponsibilityFinding,
)
from inspectorate.accidents.selectors import accident_queryset_for_user, open_deadline
from inspectorate.accidents.workflows import ACCIDENT, investigating_office, level_for_grade
from inspectorate.core.deadlines import DeadlineRule, deadline_extend, deadline_start
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.models import DayCount
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import transition_apply
from inspectorate.org.models import Agency, Jurisdiction, JurisdictionLevel
from inspectorate.org.roles import Role
from inspectorate.registry.models import Enterprise

Errors = dict[str, list[str]]
_ACTING_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.HEAD)
_CASUALTY_FIELDS = ("deaths", "serious_injuries", "missing", "direct_loss")

# ---------------------------------------------------------------------------------------
# the grade (Art. 3)
# ---------------------------------------------------------------------------------------


def grade_rules(on: dt.date) -> list[AccidentGradeRule]:
    """The grade rules in force on ``on``, highest rank first."""
    rules = list(
        AccidentGradeRule.objects.filter(effective_from__lte=on)
        .filter(Q(effective_until=None) | Q(effective_until__gte=on))
        .order_by("-rank", "-effective_from")
    )
    seen: set[str] = set()
    result = []
    for rule in rules:
        if rule.grade not in seen:
            seen.add(rule.grade)
            result.append(rule)
    if not result:
        raise LookupError(f"No accident grade rule in force on {on}")
    return result


def grade_compute(
    *, deaths: int, serious_injuries: int, direct_loss: int, on: dt.date
) -> tuple[str, str]:
    """(grade, the citation of the rule that decided it). "以上" includes the number; the
    highest grade one of whose criteria is reached decides (Art. 3). The lowest grade has
    every threshold at 0 and is reached by any accident."""
    for rule in grade_rules(on):
        if (
            deaths >= rule.min_deaths
            and rule.min_deaths > 0
            or serious_injuries >= rule.min_serious_injuries
            and rule.min_serious_injuries > 0
            or direct_loss >= rule.min_direct_loss
            and rule.min_direct_loss > 0
            or rule.min_deaths == rule.min_serious_injuries == rule.min_direct_loss == 0
        ):
            return rule.grade, rule.legal_basis[:255]
    raise LookupError("The grade rules have no lowest grade")  # pragma: no cover


# ---------------------------------------------------------------------------------------
# who may act, and the row
# ---------------------------------------------------------------------------------------


def _require_staff(actor: Any) -> None:
    if not actor.is_staff_member or not actor.has_role(*_ACTING_ROLES):
        raise PermissionDenied(_("Your role may not perform this action."))


def _locked(actor: Any, accident_id: Any) -> Accident:
    try:
        accident: Accident = (
            accident_queryset_for_user(user=actor).select_for_update().get(pk=accident_id)
        )
    except (Accident.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    return accident


def _bump(accident: Accident, *fields: str) -> None:
    accident.version = F("version") + 1
    accident.save(update_fields=[*fields, "version"])
    accident.refresh_from_db(fields=["version"])


def _record(kind: RecordKind, actor: Any, accident: Accident, payload: dict[str, Any]) -> None:
    record_append(
        kind=kind,
        actor=actor,
        jurisdiction_code=accident.jurisdiction_code,
        subject=accident,
        payload={"accident": accident.pk, **payload},
    )


def _casualties(accident: Accident) -> dict[str, int]:
    return {f: int(getattr(accident, f)) for f in _CASUALTY_FIELDS}


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


# ---------------------------------------------------------------------------------------
# the reporting chain (Arts. 9–11)
# ---------------------------------------------------------------------------------------

_LEVEL_ORDER = (
    ChainLevel.UNIT,
    ChainLevel.COUNTY,
    ChainLevel.PREFECTURE,
    ChainLevel.PROVINCE,
    ChainLevel.MINISTRY,
)


def _level_code(place: str, level: str) -> str:
    if level == ChainLevel.COUNTY:
        return place
    if level == ChainLevel.PREFECTURE:
        return place[:4] + "00"
    if level == ChainLevel.PROVINCE:
        return place[:2] + "0000"
    return ""


def _department_name(code: str, level: str) -> str:
    if level == ChainLevel.MINISTRY:
        return "应急管理部"
    agency = Agency.objects.filter(jurisdiction_id=code).order_by("pk").first()
    if agency is not None:
        return agency.name
    place = Jurisdiction.objects.filter(pk=code).first()
    return f"{place.name if place else code}应急管理部门"


def chain_levels(grade: str) -> list[tuple[str, str]]:
    """The steps (from, to) up to the level the grade requires (Art. 10)."""
    top = _LEVEL_ORDER.index(ChainLevel(law_data.CHAIN_TOP[grade]))
    return [(_LEVEL_ORDER[i], _LEVEL_ORDER[i + 1]) for i in range(top)]


def _chain_sync(accident: Accident, opened_at: dt.datetime | None = None) -> None:
    """Make the steps the grade requires, mark the others not required (steps already
    reported stay as they were), and set each due moment: the hours allowed from when the
    sending level received the report, or, for a step a new grade added (``opened_at``,
    the update), from the update if that came later."""
    wanted = chain_levels(accident.grade)
    steps = {s.seq: s for s in ChainStep.objects.filter(accident=accident)}
    for seq, (src, dst) in enumerate(wanted):
        if seq not in steps:
            unit = src == ChainLevel.UNIT
            to_code = _level_code(accident.jurisdiction_code, dst)
            steps[seq] = ChainStep.objects.create(
                accident=accident,
                seq=seq,
                from_level=src,
                to_level=dst,
                from_code=_level_code(accident.jurisdiction_code, src),
                to_code=to_code,
                to_name=_department_name(to_code, dst),
                jurisdiction_code=accident.jurisdiction_code,
                hours=law_data.UNIT_REPORT_HOURS if unit else law_data.LEVEL_REPORT_HOURS,
                opened_at=opened_at or accident.occurred_at,
                legal_basis=law_data.UNIT_REPORT_BASIS if unit else law_data.LEVEL_REPORT_BASIS,
            )
    previous_reported: dt.datetime | None = accident.occurred_at
    for seq in sorted(steps):
        step = steps[seq]
        required = seq < len(wanted)
        due = (
            max(previous_reported, step.opened_at) + dt.timedelta(hours=step.hours)
            if previous_reported is not None
            else None
        )
        if step.required != required or step.due_at != due:
            step.required, step.due_at = required, due
            step.save(update_fields=["required", "due_at"])
        previous_reported = step.reported_at


def _office_of(actor: Any) -> str | None:
    return actor.agency.jurisdiction_id if actor.agency_id is not None else None


@transaction.atomic
def chain_report(
    *,
    actor: Any,
    accident_id: Any,
    seq: int,
    reported_at: dt.datetime,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ChainStep:
    """One level reported to the next (the unit's report is recorded by the county office
    that received it; each department records its own report up)."""
    now = now or timezone.now()
    reported_at = _aware(reported_at)
    _require_staff(actor)
    accident = _locked(actor, accident_id)
    check_version(accident.version, expected_version)
    step = ChainStep.objects.filter(accident=accident, seq=seq).first()
    if step is None:
        raise NotFound()
    sender = step.to_code if step.from_level == ChainLevel.UNIT else step.from_code
    if _office_of(actor) != sender:
        raise PermissionDenied(
            _(
                "Only the department that sends this report (or, for the unit, receives it) records it."
            )
        )
    if not step.required:
        raise IllegalTransition(_("The accident's grade no longer requires this report."))
    if step.reported_at is not None:
        raise IllegalTransition(_("This report was already recorded."))
    previous = ChainStep.objects.filter(accident=accident, seq=seq - 1).first()
    if previous is not None and previous.reported_at is None:
        raise IllegalTransition(_("The level below has not reported yet."))
    errors: Errors = {}
    earliest = previous.reported_at if previous is not None else accident.occurred_at
    if earliest is not None and reported_at < earliest:
        errors["reported_at"] = [
            _("The report cannot precede %(moment)s.")
            % {"moment": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M")}
        ]
    if reported_at > now:
        errors["reported_at"] = [_("This moment is in the future.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    step.reported_at, step.reported_by = reported_at, actor
    step.save(update_fields=["reported_at", "reported_by"])
    if step.from_level == ChainLevel.UNIT:
        accident.unit_reported_at = reported_at
        _bump(accident, "unit_reported_at")
    else:
        _bump(accident)
    _chain_sync(accident)
    step.refresh_from_db()
    _record(
        RecordKind.ACCIDENT_CHAIN_REPORTED,
        actor,
        accident,
        {
            "step": step.seq,
            "from": step.from_level,
            "to": step.to_level,
            "to_name": step.to_name,
            "due_at": step.due_at,
            "before": {"reported_at": None},
            "after": {"reported_at": reported_at},
            "late": step.is_late,
            "legal_basis": step.legal_basis,
        },
    )
    return step


@transaction.atomic
def chain_notice(
    *,
    actor: Any,
    accident_id: Any,
    seq: int,
    party: str,
    notified_at: dt.datetime,
    now: dt.datetime | None = None,
) -> ChainNotice:
    """Art. 10 ¶1: the department that received the report informed one of the four."""
    now = now or timezone.now()
    notified_at = _aware(notified_at)
    _require_staff(actor)
    accident = _locked(actor, accident_id)
    step = ChainStep.objects.filter(accident=accident, seq=seq).first()
    if step is None or step.to_level == ChainLevel.MINISTRY:
        raise NotFound()
    if _office_of(actor) != step.to_code:
        raise PermissionDenied(_("Only the department that received this report records this."))
    errors: Errors = {}
    if party not in InformParty.values:
        errors["party"] = [_("Choose whom the department informed.")]
    if step.reported_at is None:
        errors["seq"] = [_("The department has not received this report yet.")]
    elif notified_at < step.reported_at:
        errors["notified_at"] = [_("The department was informed of the accident only later.")]
    if notified_at > now:
        errors["notified_at"] = [_("This moment is in the future.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    if ChainNotice.objects.filter(step=step, party=party).exists():
        raise IllegalTransition(_("This notice was already recorded."))
    notice = ChainNotice.objects.create(
        step=step, party=party, notified_at=notified_at, notified_by=actor
    )
    _bump(accident)
    _record(
        RecordKind.ACCIDENT_AUTHORITY_INFORMED,
        actor,
        accident,
        {
            "step": step.seq,
            "informed": party,
            "at": notified_at,
            "legal_basis": law_data.INFORM_PARTIES_BASIS,
        },
    )
    return notice


# ---------------------------------------------------------------------------------------
# the report (Art. 12)
# ---------------------------------------------------------------------------------------


def _counts(values: dict[str, Any], errors: Errors) -> dict[str, int]:
    counts: dict[str, int] = {}
    for field in _CASUALTY_FIELDS:
        raw = values.get(field, 0)
        try:
            number = int(raw if raw not in (None, "") else 0)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            errors[field] = [_("Enter a whole number, 0 or more.")]
        counts[field] = max(number, 0)
    return counts


@transaction.atomic
def accident_report(
    *,
    actor: Any,
    jurisdiction_code: str,
    occurred_at: dt.datetime,
    place: str,
    kind: str,
    brief: str,
    enterprise_id: Any = None,
    unit_name: str = "",
    deaths: Any = 0,
    serious_injuries: Any = 0,
    missing: Any = 0,
    direct_loss: Any = 0,
    measures: str = "",
    unit_reported_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Accident:
    """Record an accident report as a county-level department received it (Art. 12). The
    grade is computed (Art. 3), the chain made (Arts. 9–11) and the 60-day investigation
    limit started from the day of the accident (Art. 29)."""
    now = now or timezone.now()
    occurred_at = _aware(occurred_at)
    _require_staff(actor)
    errors: Errors = {}
    counts = _counts(
        {
            "deaths": deaths,
            "serious_injuries": serious_injuries,
            "missing": missing,
            "direct_loss": direct_loss,
        },
        errors,
    )
    place_row = Jurisdiction.objects.filter(pk=jurisdiction_code).first()
    if (
        place_row is None
        or place_row.level != JurisdictionLevel.COUNTY
        or not actor.scope.covers(jurisdiction_code)
    ):
        errors["jurisdiction_code"] = [_("Choose a county-level division in your jurisdiction.")]
    enterprise = None
    if enterprise_id not in (None, ""):
        enterprise = (
            Enterprise.objects.filter(actor.scope.q("jurisdiction_id"), pk=enterprise_id).first()
            if str(enterprise_id).isdigit()
            else None
        )
        if enterprise is None:
            errors["enterprise"] = [_("Choose an enterprise in your jurisdiction.")]
    name = unit_name.strip() or (enterprise.name if enterprise else "")
    if not name:
        errors["unit_name"] = [_("Name the unit where the accident happened.")]
    if kind not in AccidentKind.values:
        errors["kind"] = [_("Choose the kind of accident.")]
    if not place.strip():
        errors["place"] = [_("State where the accident happened.")]
    if not brief.strip():
        errors["brief"] = [_("Give a brief account of the accident.")]
    if occurred_at > now:
        errors["occurred_at"] = [_("This moment is in the future.")]
    if unit_reported_at is not None:
        unit_reported_at = _aware(unit_reported_at)
        if unit_reported_at < occurred_at:
            errors["unit_reported_at"] = [_("The unit cannot report before the accident.")]
        elif unit_reported_at > now:
            errors["unit_reported_at"] = [_("This moment is in the future.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    occurred_on = timezone.localtime(occurred_at).date()
    grade, basis = grade_compute(
        deaths=counts["deaths"],
        serious_injuries=counts["serious_injuries"],
        direct_loss=counts["direct_loss"],
        on=occurred_on,
    )
    accident = Accident.objects.create(
        agency=actor.agency,
        jurisdiction_code=jurisdiction_code,
        enterprise=enterprise,
        unit_name=name,
        occurred_at=occurred_at,
        place=place.strip(),
        kind=kind,
        brief=brief.strip(),
        measures=measures.strip(),
        unit_reported_at=unit_reported_at,
        grade=grade,
        grade_basis=basis,
        created_by=actor,
        **counts,
    )
    _chain_sync(accident)
    if unit_reported_at is not None:
        ChainStep.objects.filter(accident=accident, seq=0).update(
            reported_at=unit_reported_at, reported_by=actor
        )
        _chain_sync(accident)
    deadline = deadline_start(
        rule=DeadlineRule(
            law_data.INVESTIGATION,
            law_data.INVESTIGATION_DAYS,
            DayCount.CALENDAR,
            law_data.INVESTIGATION_BASIS,
        ),
        subject=accident,
        jurisdiction_code=jurisdiction_code,
        start_date=occurred_on,
    )
    _record(
        RecordKind.ACCIDENT_REPORTED,
        actor,
        accident,
        {
            "enterprise": enterprise.pk if enterprise else None,
            "unit_name": name,
            "occurred_at": occurred_at,
            "kind": kind,
            **counts,
            "grade": grade,
            "grade_basis": basis,
            "unit_reported_at": unit_reported_at,
            "investigation_due": deadline.due_date,
        },
    )
    return accident


def update_window_end(accident: Accident) -> tuple[dt.date, int]:
    """The last day casualty changes are reported (Art. 13 ¶2): the day of the accident is
    not counted; 7 days for road traffic and fire accidents, else 30."""
    days = (
        law_data.UPDATE_WINDOW_SHORT_DAYS
        if accident.kind in law_data.UPDATE_WINDOW_SHORT_KINDS
        else law_data.UPDATE_WINDOW_DAYS
    )
    return accident.occurred_on + dt.timedelta(days=days), days


@transaction.atomic
def casualties_update(
    *,
    actor: Any,
    accident_id: Any,
    deaths: Any,
    serious_injuries: Any,
    missing: Any,
    direct_loss: Any,
    reported_at: dt.datetime,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> CasualtyUpdate:
    """A change of the casualties (补报, Art. 13): within the window; the grade is
    recomputed and a new grade re-routes the chain and the investigating level."""
    now = now or timezone.now()
    reported_at = _aware(reported_at)
    _require_staff(actor)
    accident = _locked(actor, accident_id)
    check_version(accident.version, expected_version)
    if accident.state == AccidentState.CLOSED:
        raise IllegalTransition(_("The accident is closed."))
    errors: Errors = {}
    counts = _counts(
        {
            "deaths": deaths,
            "serious_injuries": serious_injuries,
            "missing": missing,
            "direct_loss": direct_loss,
        },
        errors,
    )
    end, days = update_window_end(accident)
    reported_on = timezone.localtime(reported_at).date()
    if reported_at < accident.occurred_at:
        errors["reported_at"] = [_("The update cannot precede the accident.")]
    elif reported_on > end:
        errors["reported_at"] = [
            _(
                "Casualty changes are reported within %(days)s days of the accident (%(basis)s): "
                "the last day was %(end)s."
            )
            % {"days": days, "basis": law_data.UPDATE_WINDOW_BASIS, "end": end.isoformat()}
        ]
    if reported_at > now:
        errors["reported_at"] = [_("This moment is in the future.")]
    before = _casualties(accident)
    if not errors and counts == before:
        errors["__all__"] = [_("Nothing changed.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    grade_before = accident.grade
    grade, basis = grade_compute(
        deaths=counts["deaths"],
        serious_injuries=counts["serious_injuries"],
        direct_loss=counts["direct_loss"],
        on=accident.occurred_on,
    )
    for field, value in counts.items():
        setattr(accident, field, value)
    accident.grade, accident.grade_basis = grade, basis
    fields = [*_CASUALTY_FIELDS, "grade", "grade_basis"]
    if (
        grade != grade_before
        and accident.state == AccidentState.INVESTIGATING
        and accident.investigating_level != InvestigatingLevel.UNIT
    ):
        accident.investigating_level = level_for_grade(grade)
        fields.append("investigating_level")
    _bump(accident, *fields)
    if grade != grade_before:
        _chain_sync(accident, opened_at=reported_at)
    update = CasualtyUpdate.objects.create(
        accident=accident,
        reported_at=reported_at,
        before=before,
        after=counts,
        grade_before=grade_before,
        grade_after=grade,
        note=note.strip(),
        recorded_by=actor,
    )
    _record(
        RecordKind.ACCIDENT_CASUALTIES_UPDATED,
        actor,
        accident,
        {
            "update": update.pk,
            "reported_at": reported_at,
            "before": {**before, "grade": grade_before},
            "after": {**counts, "grade": grade},
            "grade_basis": basis,
            "legal_basis": law_data.UPDATE_WINDOW_BASIS,
        },
    )
    return update


# ---------------------------------------------------------------------------------------
# the investigation timeline (Arts. 19–32)
# ---------------------------------------------------------------------------------------


def _apply(
    actor: Any,
    accident_id: Any,
    action: str,
    *,
    version: int | None,
    params: dict[str, Any] | None = None,
) -> Accident:
    _require_staff(actor)
    return transition_apply(
        workflow=ACCIDENT,
        queryset=accident_queryset_for_user(user=actor),
        pk=accident_id,
        action=action,
        actor=actor,
        jurisdiction_code=lambda a: a.jurisdiction_code,
        expected_version=version,
        params=params or {},
    )


def _no_casualties(accident: Accident) -> bool:
    return accident.deaths == 0 and accident.serious_injuries == 0 and accident.missing == 0


@transaction.atomic
def investigation_start(
    *,
    actor: Any,
    accident_id: Any,
    group_leader: str,
    group_members: str,
    set_up_on: dt.date,
    entrusted_to_unit: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Accident:
    """The investigation group is set up by the level the grade names (Art. 19); a county
    may entrust a 一般 accident without casualties to the unit (Art. 19 ¶3)."""
    today = today or timezone.localdate()
    accident = _locked(actor, accident_id)
    errors: Errors = {}
    if not group_leader.strip():
        errors["group_leader"] = [_("Name the group leader.")]
    if set_up_on > today:
        errors["set_up_on"] = [_("This date is in the future.")]
    elif set_up_on < accident.occurred_on:
        errors["set_up_on"] = [_("The group cannot be set up before the accident.")]
    if entrusted_to_unit and not (
        accident.grade == AccidentGrade.GENERAL and _no_casualties(accident)
    ):
        errors["entrusted_to_unit"] = [
            _(
                "Only a general accident without casualties may be entrusted to the unit "
                "(%(basis)s)."
            )
            % {"basis": law_data.ENTRUST_BASIS}
        ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    level = InvestigatingLevel.UNIT if entrusted_to_unit else level_for_grade(accident.grade)
    accident = _apply(
        actor,
        accident_id,
        "start_investigation",
        version=expected_version,
        params={"level": level, "set_up_on": set_up_on, "leader": group_leader.strip()},
    )
    accident.investigating_level = level
    accident.group_leader = group_leader.strip()
    accident.group_members = group_members.strip()
    accident.group_set_up_on = set_up_on
    accident.save(
        update_fields=["investigating_level", "group_leader", "group_members", "group_set_up_on"]
    )
    return accident


@transaction.atomic
def investigation_extend(
    *,
    actor: Any,
    accident_id: Any,
    days: int,
    approved_by: str,
    reason: str,
    expected_version: int | None = None,
) -> Accident:
    """Art. 29: the investigating government approves a longer period, at most 60 days."""
    accident = _locked(actor, accident_id)
    check_version(accident.version, expected_version)
    if not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the head records an approved extension."))
    investigating_office(accident, actor, {})
    if accident.state != AccidentState.INVESTIGATING:
        raise IllegalTransition(_("Only a running investigation is extended."))
    if accident.extension_days:
        raise IllegalTransition(_("The investigation was already extended once."))
    errors: Errors = {}
    limit = law_data.INVESTIGATION_EXTENSION_MAX_DAYS
    if days < 1 or days > limit:
        errors["days"] = [
            _("The extension is at most %(max)s days (%(basis)s).")
            % {"max": limit, "basis": law_data.INVESTIGATION_BASIS}
        ]
    if not approved_by.strip():
        errors["approved_by"] = [_("Name the government that approved the extension.")]
    if not reason.strip():
        errors["reason"] = [_("A reason is required.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    deadline = open_deadline(accident, law_data.INVESTIGATION)
    if deadline is None:  # pragma: no cover - started with the report
        raise IllegalTransition(_("This deadline is no longer running."))
    before = deadline.due_date
    deadline = deadline_extend(
        deadline_id=deadline.pk, approver=actor, days=days, reason=reason.strip()
    )
    accident.extension_days = days
    accident.extension_approved_by = approved_by.strip()
    _bump(accident, "extension_days", "extension_approved_by")
    _record(
        RecordKind.ACCIDENT_INVESTIGATION_EXTENDED,
        actor,
        accident,
        {
            "deadline": law_data.INVESTIGATION,
            "days": days,
            "approved_by": accident.extension_approved_by,
            "reason": reason.strip(),
            "before": {"due_date": before},
            "after": {"due_date": deadline.due_date},
            "legal_basis": law_data.INVESTIGATION_BASIS,
        },
    )
    return accident


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    accident_id: Any,
    received_on: dt.date,
    summary: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Accident:
    """The investigation report reaches the government (Arts. 29–31); its reply is due
    within 15 days, 30 for 特别重大 (Art. 32)."""
    today = today or timezone.localdate()
    accident = _locked(actor, accident_id)
    errors: Errors = {}
    if not summary.strip():
        errors["summary"] = [_("Summarise the report: causes, nature, responsibility.")]
    if received_on > today:
        errors["received_on"] = [_("This date is in the future.")]
    elif accident.group_set_up_on and received_on < accident.group_set_up_on:
        errors["received_on"] = [_("The report cannot precede the group.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    accident = _apply(
        actor,
        accident_id,
        "submit_report",
        version=expected_version,
        params={"received_on": received_on},
    )
    accident.report_received_on = received_on
    accident.report_summary = summary.strip()
    accident.save(update_fields=["report_received_on", "report_summary"])
    days = (
        law_data.REPLY_DAYS_ESPECIALLY_MAJOR
        if accident.grade == AccidentGrade.ESPECIALLY_MAJOR
        else law_data.REPLY_DAYS
    )
    deadline_start(
        rule=DeadlineRule(law_data.REPLY, days, DayCount.CALENDAR, law_data.REPLY_BASIS),
        subject=accident,
        jurisdiction_code=accident.jurisdiction_code,
        start_date=received_on,
    )
    return accident


@transaction.atomic
def reply_extend(
    *,
    actor: Any,
    accident_id: Any,
    days: int,
    reason: str,
    expected_version: int | None = None,
) -> Accident:
    """Art. 32 ¶1: only for 特别重大, at most 30 days."""
    accident = _locked(actor, accident_id)
    check_version(accident.version, expected_version)
    if not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the head records an approved extension."))
    investigating_office(accident, actor, {})
    if accident.state != AccidentState.SUBMITTED:
        raise IllegalTransition(_("Only a reply still awaited is extended."))
    if accident.grade not in law_data.REPLY_EXTENSION_GRADES:
        raise IllegalTransition(
            _("Only the reply on an especially major accident may be extended (%(basis)s).")
            % {"basis": law_data.REPLY_BASIS}
        )
    if accident.reply_extension_days:
        raise IllegalTransition(_("The reply was already extended once."))
    limit = law_data.REPLY_EXTENSION_MAX_DAYS
    errors: Errors = {}
    if days < 1 or days > limit:
        errors["days"] = [
            _("The extension is at most %(max)s days (%(basis)s).")
            % {"max": limit, "basis": law_data.REPLY_BASIS}
        ]
    if not reason.strip():
        errors["reason"] = [_("A reason is required.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    deadline = open_deadline(accident, law_data.REPLY)
    if deadline is None:  # pragma: no cover - started with the report
        raise IllegalTransition(_("This deadline is no longer running."))
    before = deadline.due_date
    deadline = deadline_extend(
        deadline_id=deadline.pk, approver=actor, days=days, reason=reason.strip()
    )
    accident.reply_extension_days = days
    _bump(accident, "reply_extension_days")
    _record(
        RecordKind.ACCIDENT_INVESTIGATION_EXTENDED,
        actor,
        accident,
        {
            "deadline": law_data.REPLY,
            "days": days,
            "reason": reason.strip(),
            "before": {"due_date": before},
            "after": {"due_date": deadline.due_date},
            "legal_basis": law_data.REPLY_BASIS,
        },
    )
    return accident


@transaction.atomic
def reply_record(
    *,
    actor: Any,
    accident_id: Any,
    replied_on: dt.date,
    authority: str,
    text: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Accident:
    """The government's reply (批复, Art. 32): the penalties follow it."""
    today = today or timezone.localdate()
    accident = _locked(actor, accident_id)
    errors: Errors = {}
    if not authority.strip():
        errors["authority"] = [_("Name the government that replied.")]
    if not text.strip():
        errors["text"] = [_("Summarise the reply.")]
    if replied_on > today:
        errors["replied_on"] = [_("This date is in the future.")]
    elif accident.report_received_on and replied_on < accident.report_received_on:
        errors["replied_on"] = [_("The reply cannot precede the report.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    accident = _apply(
        actor, accident_id, "record_reply", version=expected_version, params={"on": replied_on}
    )
    accident.replied_on = replied_on
    accident.reply_authority = authority.strip()
    accident.reply_text = text.strip()
    accident.save(update_fields=["replied_on", "reply_authority", "reply_text"])
    return accident


@transaction.atomic
def accident_close(
    *,
    actor: Any,
    accident_id: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Accident:
    today = today or timezone.localdate()
    accident = _apply(actor, accident_id, "close", version=expected_version, params={"on": today})
    accident.closed_on = today
    accident.save(update_fields=["closed_on"])
    return accident


# ---------------------------------------------------------------------------------------
# responsibility findings → penalty cases (Art. 32 ¶2; 安全生产法 Arts. 95, 96, 110, 114)
# ---------------------------------------------------------------------------------------


def crime_facts(accident: Accident) -> dict[str, Any]:
    """The facts of the transfer trigger ``accident_consequence`` (referrals app)."""
    return {
        "deaths": accident.deaths,
        "serious_injuries": accident.serious_injuries,
        "direct_loss": accident.direct_loss,
        "accident": (
            f"{timezone.localtime(accident.occurred_at):%Y-%m-%d %H:%M} {accident.place} "
            f"{accident.unit_name}：{accident.brief}"
        )[:500],
    }


def crime_threshold_met(accident: Accident, on: dt.date) -> bool:
    """Whether the consequences reach the transfer trigger's thresholds in force on ``on``
    (2015 两高解释 Art. 6: ≥1 death, or ≥3 serious injuries, or ≥100万 direct loss)."""
    from inspectorate.referrals import rules as referral_rules

    trigger = referral_rules.trigger_in_force(law_data.CRIME_TRIGGER, on)
    if trigger is None:
        return False
    return bool(referral_rules.evaluate(trigger, crime_facts(accident)).met)


def _finding_facts(accident: Accident, finding: ResponsibilityFinding) -> dict[str, Any]:
    """The circumstances the discretion engine takes (cases.services.facts_parse)."""
    facts: dict[str, Any] = {"accident_grade": accident.grade}
    if finding.party == FindingParty.UNIT:
        facts["especially_serious"] = finding.especially_serious
    else:
        facts["previous_year_income"] = finding.previous_year_income
    return facts


@transaction.atomic
def finding_record(
    *,
    actor: Any,
    accident_id: Any,
    party: str,
    provision_code: str,
    facts: str,
    second_investigator_id: Any,
    person_name: str = "",
    person_position: str = "",
    person_id_number: str = "",
    previous_year_income: Any = None,
    especially_serious: bool = False,
    today: dt.date | None = None,
) -> ResponsibilityFinding:
    """A party the reply holds responsible: a penalty case is proposed against it
    (cases.services.case_open, source "accident"); its violation is added once the case is
    filed (:func:`finding_violation_add`). A unit's case is screened for transfer when the
    consequences reach the criminal threshold (referrals.services.screening_flag)."""
    from inspectorate.cases import services as cases
    from inspectorate.cases.models import CaseSource, PartyKind, Provision

    today = today or timezone.localdate()
    _require_staff(actor)
    accident = _locked(actor, accident_id)
    if accident.state != AccidentState.REPLIED:
        raise IllegalTransition(
            _("Responsibility is found after the government's reply (Art. 32).")
        )
    errors: Errors = {}
    if party not in FindingParty.values:
        errors["party"] = [_("Choose the party found responsible.")]
    elif provision_code not in law_data.FINDING_PROVISIONS[party]:
        errors["provision"] = [_("This provision applies to another kind of party.")]
    if not facts.strip():
        errors["facts"] = [_("State the facts found.")]
    if party != FindingParty.UNIT and party in FindingParty.values:
        if not person_name.strip():
            errors["person_name"] = [_("Name the person found responsible.")]
        income: int | None
        try:
            income = int(previous_year_income)
        except (TypeError, ValueError):
            income = None
        if income is None or income < 0:
            errors["previous_year_income"] = [
                _("Enter the person's previous year's income in whole yuan.")
            ]
    else:
        income = None
    if accident.enterprise_id is None:
        errors["enterprise"] = [
            _("Register the unit in the enterprise registry before a case is opened against it.")
        ]
    if errors:
        raise ValidationFailed.of_fields(errors)
    provision = Provision.objects.filter(code=provision_code).first()
    if provision is None:  # pragma: no cover - the law data is loaded by migration
        raise ValidationFailed.of_fields({"provision": [_("Unknown provision.")]})
    is_unit = party == FindingParty.UNIT
    position = person_position.strip() or ("主要负责人" if party == FindingParty.PRINCIPAL else "")
    date_text = accident.occurred_on.isoformat()
    case = cases.case_open(
        actor=actor,
        enterprise_id=accident.enterprise_id,
        source=CaseSource.ACCIDENT,
        source_reference=f"生产安全事故 #{accident.pk} {date_text} {accident.unit_name}"[:255],
        summary=provision.violation,
        facts=facts.strip(),
        act_date=accident.occurred_on,
        discovered_on=min(accident.replied_on or today, today),
        second_investigator_id=second_investigator_id,
        endangered_life=accident.deaths > 0 or accident.serious_injuries > 0,
        party_kind=PartyKind.UNIT if is_unit else PartyKind.PERSON,
        party_name="" if is_unit else person_name.strip(),
        party_id_number="" if is_unit else person_id_number.strip(),
        party_position="" if is_unit else position,
        today=today,
    )
    finding = ResponsibilityFinding.objects.create(
        accident=accident,
        jurisdiction_code=accident.jurisdiction_code,
        party=party,
        person_name="" if is_unit else person_name.strip(),
        person_position="" if is_unit else position,
        person_id_number="" if is_unit else person_id_number.strip(),
        provision_code=provision_code,
        citation=provision.citation,
        facts=facts.strip(),
        previous_year_income=income,
        especially_serious=bool(especially_serious) if is_unit else False,
        case=case,
        recorded_by=actor,
        recorded_on=today,
    )
    if is_unit and crime_threshold_met(accident, today):
        from inspectorate.referrals.services import screening_flag

        screening_flag(
            actor=actor,
            case_id=case.pk,
            trigger_code=law_data.CRIME_TRIGGER,
            facts=crime_facts(accident),
            today=today,
        )
        finding.crime_screened = True
        finding.save(update_fields=["crime_screened"])
    _bump(accident)
    _record(
        RecordKind.ACCIDENT_RESPONSIBILITY_FOUND,
        actor,
        accident,
        {
            "finding": finding.pk,
            "party": party,
            "person": finding.person_name,
            "provision": provision_code,
            "citation": provision.citation,
            "case": case.pk,
            "crime_screened": finding.crime_screened,
        },
    )
    return finding


@transaction.atomic
def finding_violation_add(
    *, actor: Any, finding_id: Any, today: dt.date | None = None
) -> ResponsibilityFinding:
    """Once the head filed the case, an investigator of the case records the violation at
    the amount the discretion engine gives for the finding's facts."""
    from inspectorate.cases import services as cases

    today = today or timezone.localdate()
    _require_staff(actor)
    finding = (
        ResponsibilityFinding.objects.select_for_update()
        .filter(pk=finding_id, accident__in=accident_queryset_for_user(user=actor))
        .select_related("accident", "case")
        .first()
    )
    if finding is None:
        raise NotFound()
    if finding.violation_id is not None:
        raise IllegalTransition(_("The violation of this finding was already recorded."))
    violation = cases.violation_add(
        actor=actor,
        case_id=finding.case_id,
        provision_code=finding.provision_code,
        description=finding.facts,
        facts=_finding_facts(finding.accident, finding),
        today=today,
    )
    finding.violation = violation
    finding.save(update_fields=["violation"])
    accident = finding.accident
    _bump(accident)
    _record(
        RecordKind.ACCIDENT_RESPONSIBILITY_FOUND,
        actor,
        accident,
        {
            "finding": finding.pk,
            "case": finding.case_id,
            "violation": violation.pk,
            "provision": finding.provision_code,
            "amount": violation.proposed,
            "range": [violation.range_min, violation.range_max],
        },
    )
    return finding
