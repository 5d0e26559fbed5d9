"""The classification table of a province: read it, and add a rule (a new version).

Rules are never edited in place: a change is a new row with its effective date, so that a
plan made under the old rule can still be explained. Only an administrator of a
province-level office adds rules, for that province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspectorate.core.errors import PermissionDenied, ValidationFailed
from inspectorate.core.record import record_append
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import JurisdictionLevel
from inspectorate.org.roles import Role
from inspectorate.planning.models import ClassBasis, ClassificationRule
from inspectorate.planning.rules import ClassificationTable
from inspectorate.registry.models import CreditClass, RiskClass, Sector, StandardisationLevel

CLASS_VALUES: dict[str, Any] = {
    ClassBasis.STANDARDISATION: StandardisationLevel,
    ClassBasis.RISK: RiskClass,
    ClassBasis.CREDIT: CreditClass,
}
MAX_PER_YEAR = 52  # at most weekly; anything above is a typing error


def province_of_user(user: Any) -> str | None:
    agency = getattr(user, "agency", None)
    if agency is None:
        return None
    return str(agency.jurisdiction_id)[:2] + "0000"


@dataclass(frozen=True)
class TableRow:
    sector: str
    sector_name: str
    basis_label: str
    class_label: str
    min_per_year: int
    max_per_year: int
    days_per_inspection: Decimal
    source: str
    own: bool  # the province's own rule, not the default
    effective_from: dt.date | None


def table_rows(province: str, on: dt.date) -> list[TableRow]:
    table = ClassificationTable.load(province, on)
    ids = [r.rule_id for rules in table.rows().values() for r in rules.values() if r.rule_id]
    rules = {r.pk: r for r in ClassificationRule.objects.filter(pk__in=ids)}
    sectors = {s.code: s for s in Sector.objects.all()}
    rows = []
    for sector in sorted(table.rows(), key=lambda c: sectors[c].sort if c in sectors else 0):
        for (basis, value), rule in table.rows()[sector].items():
            stored = rules.get(rule.rule_id or 0)
            choices = CLASS_VALUES.get(basis)
            rows.append(
                TableRow(
                    sector=sector,
                    sector_name=str(sectors[sector]) if sector in sectors else sector,
                    basis_label=str(ClassBasis(basis).label),
                    class_label=str(choices(value).label) if choices else value,
                    min_per_year=rule.min_per_year,
                    max_per_year=rule.max_per_year,
                    days_per_inspection=rule.days_per_inspection,
                    source=rule.source,
                    own=bool(stored and stored.province_id == province),
                    effective_from=stored.effective_from if stored else None,
                )
            )
    return rows


def classification_rule_add(
    *,
    actor: Any,
    sector: str,
    basis: str,
    class_value: str,
    min_per_year: Any,
    max_per_year: Any,
    days_per_inspection: Any,
    effective_from: dt.date | None,
    source: str,
) -> ClassificationRule:
    agency = getattr(actor, "agency", None)
    if (
        agency is None
        or not actor.has_role(Role.ADMIN)
        or agency.jurisdiction.level != JurisdictionLevel.PROVINCE
    ):
        raise PermissionDenied(
            _("Only an administrator of a province-level office sets the classification.")
        )
    errors: dict[str, list[str]] = {}
    if not Sector.objects.filter(code=sector).exists():
        errors["sector"] = [_("Choose a sector from the list.")]
    choices = CLASS_VALUES.get(basis)
    if choices is None:
        errors["basis"] = [_("Choose a basis from the list.")]
    elif class_value not in {str(c) for c in choices}:
        errors["class_value"] = [_("This class does not exist for the chosen basis.")]
    numbers: dict[str, int] = {}
    for name, raw in (("min_per_year", min_per_year), ("max_per_year", max_per_year)):
        try:
            numbers[name] = int(str(raw).strip())
        except ValueError:
            errors[name] = [_("Enter a whole number.")]
            continue
        if not 0 <= numbers[name] <= MAX_PER_YEAR:
            errors[name] = [_("Enter a number from 0 to %(max)s.") % {"max": MAX_PER_YEAR}]
    if not errors.get("max_per_year") and not errors.get("min_per_year"):
        if numbers["max_per_year"] < numbers["min_per_year"]:
            errors["max_per_year"] = [_("The maximum cannot be below the minimum.")]
    try:
        days = Decimal(str(days_per_inspection).strip())
        if days <= 0 or days > 10 or (days * 2) != (days * 2).to_integral_value():
            errors["days_per_inspection"] = [_("Enter half days from 0.5 to 10.")]
    except InvalidOperation:
        errors["days_per_inspection"] = [_("Enter half days from 0.5 to 10.")]
        days = Decimal(0)
    if effective_from is None:
        errors["effective_from"] = [_("Enter the date the rule takes effect.")]
    if not source.strip():
        errors["source"] = [_("Cite the source of the rule (document and article).")]
    if errors or effective_from is None:
        raise ValidationFailed(_("The data is not valid."), extra={"fields": errors})
    province = agency.jurisdiction_id[:2] + "0000"
    with transaction.atomic():
        if ClassificationRule.objects.filter(
            province_id=province,
            sector_id=sector,
            basis=basis,
            class_value=class_value,
            effective_from=effective_from,
        ).exists():
            raise ValidationFailed(
                _("The data is not valid."),
                extra={
                    "fields": {
                        "effective_from": [
                            _("A rule for this class already takes effect on that date.")
                        ]
                    }
                },
            )
        rule = ClassificationRule.objects.create(
            province_id=province,
            sector_id=sector,
            basis=basis,
            class_value=class_value,
            min_per_year=numbers["min_per_year"],
            max_per_year=numbers["max_per_year"],
            days_per_inspection=days,
            effective_from=effective_from,
            source=source.strip(),
        )
        record_append(
            kind=RecordKind.CLASSIFICATION_RULE_ADDED,
            actor=actor,
            jurisdiction_code=province,
            subject=rule,
            payload={
                "sector": sector,
                "basis": basis,
                "class_value": class_value,
                "min_per_year": rule.min_per_year,
                "max_per_year": rule.max_per_year,
                "days_per_inspection": str(days),
                "effective_from": effective_from,
                "source": rule.source,
            },
        )
    return rule
