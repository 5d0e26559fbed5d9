"""Writes of the assessment app: a province's scheme, computing an office's assessment of
a year, and its confirmation by the office's head.

``assessment_compute``: the head or admin of the office or of an office above it; it
(re)computes every enforcement officer's result while the office's assessment is not
confirmed (a confirmed one is refused, 409). ``assessment_confirm``: the office's own
head; the results are then immutable. ``scheme_save``: the head or admin of a
province-level office publishes the province's scheme from a year on. Each write checks
the row version it was given (409 when stale) and appends its event to the record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate.assessment import scoring
from inspectorate.assessment.models import (
    COMPONENTS,
    AssessmentResult,
    Grade,
    OfficeAssessment,
    Scheme,
)
from inspectorate.assessment.selectors import (
    COMPUTE_ROLES,
    assessed_officers,
    covers,
    scheme_for,
)
from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    check_version,
)
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.exams.selectors import exam_results
from inspectorate.org.models import Agency, JurisdictionLevel
from inspectorate.org.roles import Role
from inspectorate.training.selectors import training_progress

FIRST_YEAR = 2000


def _agency(actor: Any, agency: Agency | int | str) -> Agency:
    """The office, when the actor's scope covers it (else the same 404 as a missing one).
    Someone who is not the staff of an office is refused (403)."""
    if not actor.is_authenticated or not (
        actor.is_staff_member or (actor.is_superuser and actor.agency_id is None)
    ):
        raise PermissionDenied(_("This is for the staff of the enforcement offices."))
    try:
        found = Agency.objects.select_related("jurisdiction").get(
            pk=agency.pk if isinstance(agency, Agency) else agency
        )
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not covers(actor, found) or (actor.agency_id is None and not actor.is_superuser):
        raise NotFound()
    return found


def _year(year: Any, today: dt.date) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not FIRST_YEAR <= value <= today.year:
        raise ValidationFailed.of_fields(
            {"year": [_("Choose a year from %(first)s to this year.") % {"first": FIRST_YEAR}]}
        )
    return value


def compute_results(
    officers: list[Any], year: int, today: dt.date, scheme: Scheme
) -> list[tuple[Any, scoring.Outcome]]:
    """Every officer's components, total and grade (nothing is written)."""
    ids = [o.pk for o in officers]
    progress = training_progress(year=year, user_ids=ids)
    exams = exam_results(year=year, user_ids=ids)
    reviews = scoring.reviews_by_officer(year, ids)
    overturned = scoring.overturned_by_officer(year, ids)
    missed = scoring.missed_by_officer(year, ids)
    out = []
    for officer in officers:
        p = progress[officer.pk]
        components = {
            "training": scoring.training_component(
                p.required_hours,
                p.total_hours,
                session_hours=str(p.session_hours),
                study_hours=str(p.study_hours),
                plan=p.plan_id,
            ),
            "exams": scoring.exams_component(exams.get(officer.pk, []), today),
            "review": scoring.review_component(reviews[officer.pk]),
            "overturned": scoring.deduction_component(
                len(overturned[officer.pk]), scheme.overturned_points, overturned[officer.pk]
            ),
            "deadlines": scoring.deduction_component(
                len(missed[officer.pk]), scheme.missed_points, missed[officer.pk]
            ),
        }
        out.append((officer, scoring.combine(components, scheme)))
    return out


@transaction.atomic
def assessment_compute(
    *,
    actor: Any,
    agency: Agency | int | str,
    year: Any,
    today: dt.date,
    expected_version: int | None = None,
) -> OfficeAssessment:
    """(Re)compute the office's assessment of ``year`` for each of its enforcement officers."""
    office_agency = _agency(actor, agency)
    if not (actor.is_superuser and actor.agency_id is None) and not actor.has_role(*COMPUTE_ROLES):
        raise PermissionDenied(_("Only the head or the admin computes the assessment."))
    the_year = _year(year, today)
    office = (
        OfficeAssessment.objects.select_for_update()
        .filter(agency=office_agency, year=the_year)
        .first()
    )
    if office is not None:
        check_version(office.version, expected_version)
        if office.confirmed:
            raise IllegalTransition(
                _("The assessment of this year has been confirmed and can no longer change.")
            )
    scheme = scheme_for(str(office_agency.jurisdiction_id), the_year)
    officers = list(assessed_officers(office_agency))
    computed = compute_results(officers, the_year, today, scheme)
    if office is None:
        office = OfficeAssessment.objects.create(
            agency=office_agency,
            jurisdiction_code=office_agency.jurisdiction_id,
            year=the_year,
            scheme=scheme,
            computed_on=today,
            computed_by=actor,
        )
    else:
        office.results.all().delete()
        office.scheme = scheme
        office.computed_on = today
        office.computed_by = actor
        office.version += 1
        office.save()
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                office=office,
                officer=officer,
                year=the_year,
                **{f"{c}_score": outcome.components[c].score for c in COMPONENTS},
                inputs={c: outcome.components[c].inputs for c in COMPONENTS},
                weights_used={c: str(w) for c, w in outcome.weights_used.items()},
                redistributed=outcome.redistributed,
                total=outcome.total,
                grade=outcome.grade,
            )
            for officer, outcome in computed
        ]
    )
    grades = [o.grade for _u, o in computed]
    record_append(
        kind=RecordKind.ASSESSMENT_COMPUTED,
        actor=actor,
        jurisdiction_code=office.jurisdiction_code,
        subject=office,
        payload={
            "agency": office_agency.pk,
            "year": the_year,
            "scheme": scheme.pk,
            "officers": len(computed),
            "grades": {g.value: grades.count(g.value) for g in Grade},
            "version": office.version,
        },
    )
    return office


@transaction.atomic
def assessment_confirm(
    *,
    actor: Any,
    agency: Agency | int | str,
    year: Any,
    today: dt.date,
    expected_version: int | None = None,
) -> OfficeAssessment:
    """The office's head confirms its assessment of the year: the results no longer change.
    The report flags an 优秀 share above the quota; it does not demote anyone."""
    office_agency = _agency(actor, agency)
    if actor.agency_id != office_agency.pk or not actor.has_role(Role.HEAD):
        raise PermissionDenied(_("Only the office's head confirms its assessment."))
    the_year = _year(year, today)
    office = (
        OfficeAssessment.objects.select_for_update()
        .filter(agency=office_agency, year=the_year)
        .first()
    )
    if office is None:
        raise IllegalTransition(_("Compute the assessment before confirming it."))
    check_version(office.version, expected_version)
    if office.confirmed:
        raise IllegalTransition(_("The assessment has already been confirmed."))
    office.confirmed_on = today
    office.confirmed_by = actor
    office.version += 1
    office.save()
    record_append(
        kind=RecordKind.ASSESSMENT_CONFIRMED,
        actor=actor,
        jurisdiction_code=office.jurisdiction_code,
        subject=office,
        payload={"agency": office_agency.pk, "year": the_year, "officers": office.results.count()},
    )
    return office


_DECIMALS = {
    "overturned_points": (Decimal(0), Decimal(100)),
    "missed_points": (Decimal(0), Decimal(100)),
    "band_excellent": (Decimal(0), Decimal(100)),
    "band_competent": (Decimal(0), Decimal(100)),
    "band_basic": (Decimal(0), Decimal(100)),
    "excellent_quota": (Decimal(0), Decimal(100)),
    "min_basis": (Decimal(0), Decimal(100)),
}


@transaction.atomic
def scheme_save(
    *,
    actor: Any,
    year: Any,
    name: str,
    source: str,
    values: dict[str, Any],
    today: dt.date,
    expected_version: int | None = None,
) -> Scheme:
    """Publish (or change) the actor's province's scheme from ``year`` on. ``values``: the
    five ``weight_<component>`` (whole numbers summing to 100), ``overturned_points``,
    ``missed_points``, the three bands, ``excellent_quota`` and (optional, the model's
    default) ``min_basis``."""
    agency = actor.agency if actor.is_authenticated else None
    if agency is None or not actor.is_active:
        raise PermissionDenied(_("Only a provincial office publishes an assessment scheme."))
    if agency.jurisdiction.level != JurisdictionLevel.PROVINCE or not actor.has_role(
        *COMPUTE_ROLES
    ):
        raise PermissionDenied(_("Only a provincial office publishes an assessment scheme."))
    the_year = _year(year, dt.date(today.year + 1, 12, 31))
    values = dict(values)
    if values.get("min_basis") in (None, ""):  # optional: the model's default then
        values["min_basis"] = Scheme._meta.get_field("min_basis").default
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for c in COMPONENTS:
        key = f"weight_{c}"
        try:
            weight = int(values.get(key))  # type: ignore[arg-type]
            if not 0 <= weight <= 100:
                raise ValueError
            clean[key] = weight
        except (TypeError, ValueError):
            errors[key] = [_("Enter a whole number from 0 to 100.")]
    if not errors and sum(clean[f"weight_{c}"] for c in COMPONENTS) != 100:
        errors["weight_training"] = [_("The five weights must add up to 100.")]
    for key, (low, high) in _DECIMALS.items():
        try:
            value = Decimal(str(values.get(key))).quantize(scoring.TENTH)
            if not low <= value <= high:
                raise InvalidOperation
            clean[key] = value
        except (InvalidOperation, ValueError):
            errors[key] = [_("Enter a number from 0 to 100.")]
    if not errors and not (clean["band_excellent"] > clean["band_competent"] > clean["band_basic"]):
        errors["band_excellent"] = [_("The grade cut-offs must fall from 优秀 to 基本称职.")]
    if not name.strip():
        errors["name"] = [_("Enter the scheme's name.")]
    if not source.strip():
        errors["source"] = [_("Enter the document that sets the scheme.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    code = str(agency.jurisdiction_id)
    scheme = (
        Scheme.objects.select_for_update().filter(jurisdiction_code=code, year=the_year).first()
    )
    if scheme is not None:
        check_version(scheme.version, expected_version)
        for key, value in clean.items():
            setattr(scheme, key, value)
        scheme.name = name.strip()
        scheme.source = source.strip()
        scheme.saved_by = actor
        scheme.saved_on = today
        scheme.version += 1
        scheme.save()
    else:
        scheme = Scheme.objects.create(
            jurisdiction_code=code,
            year=the_year,
            name=name.strip(),
            source=source.strip(),
            saved_by=actor,
            saved_on=today,
            **clean,
        )
    record_append(
        kind=RecordKind.ASSESSMENT_SCHEME_SAVED,
        actor=actor,
        jurisdiction_code=code,
        subject=scheme,
        payload={"year": the_year, "name": scheme.name, **clean, "version": scheme.version},
    )
    return scheme
