"""Annual inspection plans (年度监督检查计划, 安监总政法〔2017〕150号).

Reference data, editable by administrators, with effective dates and sources:
``ClassificationRule`` (per province, sector and class: minimum and maximum inspections
a year and the days one inspection takes), ``SectorEquipment`` (what a sector's
inspections need) and ``AgencyEquipment`` (what an office has).

Facts the planner reads: ``RiskSignal`` (accidents, open major hazards and complaints of
an enterprise; the inspection and accident modules write them) and ``Recusal``.

A ``Plan`` per office and year (states ``planning.workflows.PLAN``: draft, submitted,
approved, filed) holds its roster (``PlanOfficer``), its capacity deductions
(``PlanDeduction``), its ``Draw``, the drawn ``Team`` s, the ``PlannedUnit`` s (key, random
or added by an adjustment; or uncovered, with the reason) and their ``PlannedVisit`` s
(one per inspection, with its month window, team and month), and its ``PlanAdjustment`` s.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClassBasis(models.TextChoices):
    STANDARDISATION = "standardisation", _("Safety standardisation level")
    RISK = "risk", _("Risk class")
    CREDIT = "credit", _("Credit class")


class ClassificationRule(models.Model):
    """How often a class of enterprise is inspected, and how long an inspection takes.

    ``province`` empty is the default that applies in a province without rules of its own
    for that sector on that date. ``class_value`` is a value of the enterprise attribute that
    ``basis`` names (standardisation level, risk class or credit class).
    """

    province = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    sector = models.ForeignKey(
        "registry.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(_("classified by"), max_length=16, choices=ClassBasis.choices)
    class_value = models.CharField(_("class"), max_length=16)
    min_per_year = models.PositiveSmallIntegerField(_("minimum inspections a year"))
    max_per_year = models.PositiveSmallIntegerField(_("maximum inspections a year"))
    days_per_inspection = models.DecimalField(
        _("on-site days per inspection"),
        max_digits=3,
        decimal_places=1,
        help_text=_("Days a team of two officers spends on one inspection, in half days."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("classification rule")
        verbose_name_plural = _("classification rules")
        ordering = ["province_id", "sector__sort", "basis", "class_value", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_per_year__gte=models.F("min_per_year")),
                name="classification_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_inspection__gt=0),
                name="classification_days_positive",
            ),
            models.UniqueConstraint(
                fields=["province", "sector", "basis", "class_value", "effective_from"],
                name="classification_rule_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector_id} {self.class_value}"


class EquipmentKind(models.TextChoices):
    GAS_DETECTOR = "gas_detector", _("Portable gas detector")
    DRONE = "drone", _("Drone")
    EX_CAMERA = "ex_camera", _("Explosion-proof recorder")


class SectorEquipment(models.Model):
    """Equipment that inspections in a sector need (e.g. gas detectors at chemical sites)."""

    sector = models.ForeignKey(
        "registry.Sector", verbose_name=_("sector"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("equipment"), max_length=16, choices=EquipmentKind.choices)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("equipment a sector needs")
        verbose_name_plural = _("equipment sectors need")
        constraints = [
            models.UniqueConstraint(fields=["sector", "kind"], name="sector_equipment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sector_id} {self.kind}"


class AgencyEquipment(models.Model):
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="equipment"
    )
    kind = models.CharField(_("equipment"), max_length=16, choices=EquipmentKind.choices)
    count = models.PositiveSmallIntegerField(_("number of units"))

    class Meta:
        verbose_name = _("equipment of an office")
        verbose_name_plural = _("equipment of offices")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="agency_equipment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} × {self.count}"


class SignalKind(models.TextChoices):
    ACCIDENT = "accident", _("Production safety accident")
    OPEN_MAJOR_HAZARD = "open_major_hazard", _("Major accident hazard not rectified")
    COMPLAINT = "complaint", _("Complaint or tip-off")


class RiskSignal(models.Model):
    """A fact about an enterprise that makes it a key unit in next year's plan."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="risk_signals",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SignalKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        ordering = ["-occurred_on"]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="risk_signal_day_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.kind} {self.occurred_on}"


class Recusal(models.Model):
    """An officer who must not inspect an enterprise (回避), e.g. a relative works there."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="recusals",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="recusals",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["officer", "enterprise"], name="recusal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} ↛ {self.enterprise_id}"


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("plan state", "Submitted")
    APPROVED = "approved", pgettext_lazy("plan state", "Approved")
    FILED = "filed", pgettext_lazy("plan state", "Filed with the level above")


class Plan(models.Model):
    """The annual inspection plan of one office."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("office"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    random_share = models.DecimalField(
        _("share of inspection days for random draws"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
    )
    reserve_share = models.DecimalField(
        _("share kept in reserve (留有余地)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.10"),
    )
    consecutive_recusal = models.BooleanField(
        _("an officer does not inspect a unit they inspected in last year's plan"), default=True
    )
    # The capacity calculation, step by step, as last computed (see planning.capacity).
    capacity = models.JSONField(_("capacity"), default=dict)
    # The solver's figures for the last assignment (status, objective, bound, gap, seconds,
    # risk covered, and the same for the greedy baseline).
    solver = models.JSONField(_("solver"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    composed_at = models.DateTimeField(_("composed at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    filed_with = models.ForeignKey(
        "org.Agency",
        verbose_name=_("filed with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="plan_one_per_office_year"),
            models.CheckConstraint(
                condition=models.Q(state__in=["draft", "submitted", "approved", "filed"]),
                name="plan_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(random_share__gte=0, random_share__lte=1)
                & models.Q(reserve_share__gte=0, reserve_share__lt=1),
                name="plan_shares_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class PlanOfficer(models.Model):
    """An officer on the plan's roster, with the months they are away (leave, secondment)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="roster")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=32, blank=True)
    leave_months = models.JSONField(_("months away"), default=list)
    team = models.ForeignKey(
        "Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta:
        verbose_name = _("officer on the roster")
        verbose_name_plural = _("roster")
        ordering = ["plan_id", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "officer"], name="plan_officer_unique")
        ]

    def __str__(self) -> str:
        return str(self.officer_id)


class DeductionCategory(models.TextChoices):
    """The 2017 编制办法 categories of days that are not inspection days (LEGAL-RULES §1.7)."""

    # 其他执法工作日
    COMPREHENSIVE = "comprehensive", _("Comprehensive supervision")
    LICENSING = "licensing", _("Administrative licensing")
    ACCIDENT_INVESTIGATION = "accident_investigation", _("Accident investigation")
    COMPLAINTS = "complaints", _("Complaint and tip-off checks")
    JOINT_ENFORCEMENT = "joint_enforcement", _("Joint enforcement")
    REGISTRATION = "registration", _("Registration and filing")
    INTERMEDIARIES = "intermediaries", _("Inspection of intermediary bodies")
    PUBLICITY = "publicity", _("Publicity, education and training")
    REVIEW_LITIGATION = "review_litigation", _("Administrative review and litigation")
    ASSIGNED = "assigned", _("Tasks assigned by the level above")
    # 非执法工作日
    DUTY = "duty", _("On duty")
    STUDY = "study", _("Study, training, assessment and meetings")
    GUIDANCE = "guidance", _("Guiding lower levels")
    PARTY = "party", _("Party and mass-organisation activities")
    SICK_LEAVE = "sick_leave", _("Sick and personal leave")
    ANNUAL_LEAVE = "annual_leave", _("Annual, home, wedding and funeral leave")
    OTHER = "other", _("Other non-enforcement tasks")


OTHER_ENFORCEMENT = (
    DeductionCategory.COMPREHENSIVE,
    DeductionCategory.LICENSING,
    DeductionCategory.ACCIDENT_INVESTIGATION,
    DeductionCategory.COMPLAINTS,
    DeductionCategory.JOINT_ENFORCEMENT,
    DeductionCategory.REGISTRATION,
    DeductionCategory.INTERMEDIARIES,
    DeductionCategory.PUBLICITY,
    DeductionCategory.REVIEW_LITIGATION,
    DeductionCategory.ASSIGNED,
)
NON_ENFORCEMENT = (
    DeductionCategory.DUTY,
    DeductionCategory.STUDY,
    DeductionCategory.GUIDANCE,
    DeductionCategory.PARTY,
    DeductionCategory.SICK_LEAVE,
    DeductionCategory.ANNUAL_LEAVE,
    DeductionCategory.OTHER,
)


class PlanDeduction(models.Model):
    """Working days of the whole office spent on something other than planned inspections."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deductions")
    category = models.CharField(_("category"), max_length=32, choices=DeductionCategory.choices)
    days = models.PositiveIntegerField(_("working days"))

    class Meta:
        verbose_name = _("deducted days")
        verbose_name_plural = _("deducted days")
        constraints = [
            models.UniqueConstraint(fields=["plan", "category"], name="plan_deduction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.days}"


class Draw(models.Model):
    """The random draw of a plan (双随机): committed before it is run, re-runnable by anyone.

    ``seed_hash`` (SHA-256 of the seed) and the hashes of the candidate lists are written to
    the enforcement record when the draw is committed; the seed itself is revealed when the
    draw has run. The algorithm is ``planning.draw`` (docs/planning.md).
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="draw")
    algorithm = models.CharField(_("algorithm"), max_length=32)
    seed_hash = models.CharField(_("SHA-256 of the seed"), max_length=64)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    # Published inputs: [[credit code, cost in half days], ...] sorted by code, and the
    # budget; [certificate number, ...] sorted.
    enterprise_candidates = models.JSONField(_("enterprise candidates"), default=list)
    officer_candidates = models.JSONField(_("officer candidates"), default=list)
    budget = models.PositiveIntegerField(_("budget in team half days"))
    inputs_hash = models.CharField(_("SHA-256 of the inputs"), max_length=64)
    committed_at = models.DateTimeField(_("committed at"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    # {"enterprises": [codes in draw order], "teams": [[cert, cert], ...], "result_hash": ...}
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")

    def __str__(self) -> str:
        return self.seed_hash[:12]


class Team(models.Model):
    """A drawn pair (or trio) of certified officers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="teams")
    number = models.PositiveSmallIntegerField(_("team number"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="team_number_unique")
        ]

    def __str__(self) -> str:
        return str(_("Team %(number)s") % {"number": self.number})


class UnitOrigin(models.TextChoices):
    KEY = "key", _("Key unit")
    RANDOM = "random", _("Random draw")
    ADJUSTMENT = "adjustment", _("Added by an adjustment")


class UnitState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("planned unit", "Planned")
    UNCOVERED = "uncovered", pgettext_lazy("planned unit", "Not covered")
    REMOVED = "removed", pgettext_lazy("planned unit", "Removed")


class UncoveredReason(models.TextChoices):
    CAPACITY = "capacity", _("Inspection capacity is used up")
    MAXIMUM = "maximum", _("The yearly maximum for its class is reached")
    OTHER_PLAN = "other_plan", _("Planned by another office this year")


class PlannedUnit(models.Model):
    """An enterprise in a plan: why it is there, and how many visits it gets."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="units")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=UnitOrigin.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=UnitState.choices, default=UnitState.PLANNED
    )
    # [{"code": rule code, "detail": {...}}, ...] — rendered in words by planning.rules
    reasons = models.JSONField(_("reasons"), default=list)
    risk = models.PositiveIntegerField(_("risk score"))
    visits = models.PositiveSmallIntegerField(_("inspections this year"))
    cost = models.PositiveIntegerField(_("cost in team half days"))
    uncovered_reason = models.CharField(
        _("why not covered"), max_length=16, choices=UncoveredReason.choices, blank=True
    )
    joint = models.BooleanField(_("joint inspection declared"), default=False)
    adjustment = models.ForeignKey(
        "PlanAdjustment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("planned unit")
        verbose_name_plural = _("planned units")
        ordering = ["plan_id", "-risk", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "enterprise"], name="planned_unit_unique")
        ]
        indexes = [models.Index(fields=["enterprise", "state"], name="planned_unit_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.enterprise_id}"


class PlannedVisit(models.Model):
    """One planned inspection: its window of months, and the team and month assigned."""

    unit = models.ForeignKey(PlannedUnit, on_delete=models.CASCADE, related_name="visit_set")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="visits")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    month_from = models.PositiveSmallIntegerField(_("earliest month"))
    month_to = models.PositiveSmallIntegerField(_("latest month"))
    effort = models.PositiveSmallIntegerField(_("on-site half days"))
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    unassigned_reason = models.CharField(_("why not assigned"), max_length=24, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("planned inspection")
        verbose_name_plural = _("planned inspections")
        ordering = ["plan_id", "month", "team_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "sequence"], name="planned_visit_unique"),
            models.CheckConstraint(
                condition=models.Q(month_from__gte=1, month_to__lte=12)
                & models.Q(month_to__gte=models.F("month_from")),
                name="planned_visit_window_valid",
            ),
        ]
        indexes = [models.Index(fields=["plan", "team", "month"], name="planned_visit_team_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}#{self.sequence}"


class AdjustmentReason(models.TextChoices):
    ACCIDENT = "accident", _("Accident")
    COMPLAINT = "complaint", _("Complaint")
    CAMPAIGN = "campaign", _("Special campaign")
    WEATHER = "weather", _("Weather warning")
    STAFFING = "staffing", _("Staff change or leave")
    OTHER = "other", _("Other")


class PlanAdjustment(models.Model):
    """A change to an approved plan, with its reason and what it changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="adjustments")
    reason = models.CharField(_("reason"), max_length=16, choices=AdjustmentReason.choices)
    note = models.CharField(_("explanation"), max_length=500)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    # {"added": [...], "removed": [...], "leave": {...}, "moved": n, "kept": n, ...}
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("plan adjustment")
        verbose_name_plural = _("plan adjustments")
        ordering = ["plan_id", "made_at"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.reason}"
