"""Planning data for the demo province: equipment, last year's risk signals, and plans.

The 2026 plan of 天山区 is built, approved and filed; the plan of 乌鲁木齐市 is built and
approved; both through the same services a team lead and a head use. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random

from inspectorate.org.models import Agency, AgencyKind, JurisdictionLevel, User
from inspectorate.planning.models import (
    AgencyEquipment,
    EquipmentKind,
    Recusal,
    RiskSignal,
    SignalKind,
)
from inspectorate.planning.services import (
    plan_approve,
    plan_build,
    plan_capacity_set,
    plan_create,
    plan_file,
    plan_submit,
)
from inspectorate.registry.models import Enterprise

PLAN_YEAR = 2026
PLAN_DAY = dt.date(2026, 1, 5)
# Days per officer and year (typical of published county plans, LEGAL-RULES §1.7).
DEDUCTIONS_PER_OFFICER = {
    "comprehensive": 10,
    "licensing": 8,
    "accident_investigation": 6,
    "complaints": 8,
    "joint_enforcement": 4,
    "registration": 2,
    "intermediaries": 2,
    "publicity": 6,
    "review_litigation": 2,
    "assigned": 6,
    "duty": 20,
    "study": 15,
    "guidance": 5,
    "party": 6,
    "sick_leave": 5,
    "annual_leave": 12,
    "other": 5,
}
DEMO_PLANS = [("county_lead", "county_head", True), ("pref_lead", "pref_head", False)]


def load_planning_demo(rng: random.Random) -> None:
    _equipment()
    _signals(rng)
    _recusals(rng)
    for lead_name, head_name, file in DEMO_PLANS:
        lead = User.objects.filter(username=lead_name).first()
        head = User.objects.filter(username=head_name).first()
        if lead is None or head is None:
            continue
        plan = plan_create(actor=lead, year=PLAN_YEAR, today=PLAN_DAY)
        officers = plan.roster.count()
        plan = plan_capacity_set(
            actor=lead,
            plan_id=plan.pk,
            expected_version=plan.version,
            deductions={k: v * officers for k, v in DEDUCTIONS_PER_OFFICER.items()},
            random_share="0.30",
            reserve_share="0.10",
            leave={plan.roster.order_by("officer_id").first().officer_id: [8]}  # type: ignore[union-attr]
            if officers
            else None,
        )
        seed = f"{rng.getrandbits(256):064x}"
        plan = plan_build(
            actor=lead, plan_id=plan.pk, expected_version=plan.version, seed=seed, time_limit=5
        )
        plan = plan_submit(actor=lead, plan_id=plan.pk, expected_version=plan.version)
        plan = plan_approve(actor=head, plan_id=plan.pk, expected_version=plan.version)
        if file:
            plan_file(actor=lead, plan_id=plan.pk, expected_version=plan.version)


def _equipment() -> None:
    rows = []
    for agency in Agency.objects.filter(kind=AgencyKind.BUREAU).select_related("jurisdiction"):
        county = agency.jurisdiction.level == JurisdictionLevel.COUNTY
        rows.append(
            AgencyEquipment(
                agency=agency, kind=EquipmentKind.GAS_DETECTOR, count=1 if county else 3
            )
        )
        rows.append(AgencyEquipment(agency=agency, kind=EquipmentKind.EX_CAMERA, count=1))
        rows.append(AgencyEquipment(agency=agency, kind=EquipmentKind.DRONE, count=1))
    AgencyEquipment.objects.bulk_create(rows)


def _signals(rng: random.Random) -> None:
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    rows = []
    for eid in ids:
        roll = rng.random()
        kind = None
        if roll < 0.004:
            kind = SignalKind.ACCIDENT
        elif roll < 0.014:
            kind = SignalKind.OPEN_MAJOR_HAZARD
        elif roll < 0.04:
            kind = SignalKind.COMPLAINT
        if kind is not None:
            day = dt.date(PLAN_YEAR - 1, 1, 1) + dt.timedelta(days=rng.randrange(365))
            rows.append(RiskSignal(enterprise_id=eid, kind=kind, occurred_on=day, note="demo"))
    RiskSignal.objects.bulk_create(rows)


def _recusals(rng: random.Random) -> None:
    officer = User.objects.filter(username="county_officer").first()
    units = list(
        Enterprise.objects.filter(jurisdiction_id="650102")
        .order_by("pk")[:40]
        .values_list("pk", flat=True)
    )
    if officer is None or not units:
        return
    for eid in rng.sample(units, min(2, len(units))):
        Recusal.objects.create(
            officer=officer, enterprise_id=eid, reason="近亲属在该单位任职（示例）"
        )
