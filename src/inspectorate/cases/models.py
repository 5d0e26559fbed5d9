"""Administrative penalty cases (CAPABILITIES §5; LEGAL-RULES §1.1, §1.2, §1.6).

The law is data here: the statutory fine bands of 安全生产法 Arts. 93–114 (``Provision``),
the discretion benchmarks of each province (``Benchmark`` with its overrides) and the
procedural numbers of each province (``ProcedureRules``: hearing and legal-review
thresholds, the decision limit and its extension levels, the simple-procedure caps), each
with its source and effective dates. A case runs through the table in
``cases.workflows``; every amount a case carries is in whole yuan, payments in yuan and fen.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartyKind(models.TextChoices):
    UNIT = "unit", _("Production or business unit")
    PERSON = "person", _("Natural person")


class ProvisionParty(models.TextChoices):
    UNIT = "unit", _("The unit")
    PERSON = "person", _("Person directly responsible")
    PRINCIPAL = "principal", _("Principal head")


class Provision(models.Model):
    """One fine band of 安全生产法 (article, item, party, stage): min and max, or a formula."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    article = models.PositiveSmallIntegerField(_("article"))
    item = models.PositiveSmallIntegerField(_("item"), default=0)
    party = models.CharField(_("party"), max_length=16, choices=ProvisionParty.choices)
    stage = models.CharField(_("stage"), max_length=16)
    method = models.CharField(_("method"), max_length=16)
    min_amount = models.BigIntegerField(_("minimum (yuan)"))
    max_amount = models.BigIntegerField(_("maximum (yuan)"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    other_penalties = models.CharField(_("other penalties"), max_length=128, blank=True)
    violation = models.CharField(_("violation"), max_length=255)
    citation = models.CharField(_("citation"), max_length=128)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        verbose_name = _("penalty provision")
        verbose_name_plural = _("penalty provisions")
        ordering = ["article", "item", "party", "stage"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_amount__gte=models.F("min_amount")),
                name="provision_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.citation} {self.violation}"


class Benchmark(models.Model):
    """A discretion benchmark (裁量基准): national default or a province's, with its source."""

    jurisdiction_code = models.CharField(
        _("jurisdiction code"), max_length=6, blank=True, help_text=_("empty: national default")
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    source = models.TextField(_("source"))
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    bands = models.JSONField(_("tiers"), default=list)
    mitigated_floor = models.DecimalField(
        _("floor of a mitigated fine, as a share of the minimum"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.50"),
    )
    round_to = models.PositiveIntegerField(_("round recommendations to (yuan)"), default=100)

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        ordering = ["jurisdiction_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "code", "effective_from"], name="benchmark_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BenchmarkOverride(models.Model):
    """A province's own range for one provision and tier."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="overrides")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("tier"), max_length=16)
    min_amount = models.BigIntegerField(_("minimum (yuan)"))
    max_amount = models.BigIntegerField(_("maximum (yuan)"))
    conditions = models.TextField(_("conditions"), blank=True)

    class Meta:
        verbose_name = _("benchmark entry")
        verbose_name_plural = _("benchmark entries")
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "provision", "tier"], name="benchmark_override_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.benchmark_id} {self.provision_id} {self.tier}"


def default_extension_levels() -> list[dict[str, object]]:
    return [{"level": "head", "days": 30}, {"level": "upper", "days": 60}]


class ProcedureRules(models.Model):
    """The procedural numbers of one province (or the national default when the code is
    empty), with effective dates and sources: set by each province, changed by 18号令."""

    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    source = models.TextField(_("source"))
    hearing_unit = models.BigIntegerField(_("hearing threshold for a unit (yuan)"))
    hearing_person = models.BigIntegerField(_("hearing threshold for a person (yuan)"))
    review_unit = models.BigIntegerField(_("legal review threshold for a unit (yuan)"))
    review_person = models.BigIntegerField(_("legal review threshold for a person (yuan)"))
    discussion_unit = models.BigIntegerField(_("collective discussion threshold, unit (yuan)"))
    discussion_person = models.BigIntegerField(_("collective discussion threshold, person (yuan)"))
    simple_unit = models.BigIntegerField(_("simple procedure cap for a unit (yuan)"))
    simple_person = models.BigIntegerField(_("simple procedure cap for a person (yuan)"))
    decision_days = models.PositiveSmallIntegerField(_("decision limit (days from filing)"))
    extension_levels = models.JSONField(_("extension levels"), default=default_extension_levels)
    statement_days = models.PositiveSmallIntegerField(_("statement period (working days)"))
    hearing_request_days = models.PositiveSmallIntegerField(
        _("hearing request period (working days)")
    )
    hearing_notice_days = models.PositiveSmallIntegerField(
        _("hearing notice before the hearing (working days)")
    )
    service_days = models.PositiveSmallIntegerField(_("service period (working days)"))
    payment_days = models.PositiveSmallIntegerField(_("payment period (days)"))
    surcharge_rate = models.DecimalField(
        _("late surcharge per day"), max_digits=5, decimal_places=4
    )
    reminder_days = models.PositiveSmallIntegerField(_("days after a reminder before court"))
    appeal_months = models.PositiveSmallIntegerField(_("months to sue, after service"))

    class Meta:
        verbose_name = _("procedural rules")
        verbose_name_plural = _("procedural rules")
        ordering = ["jurisdiction_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "effective_from"], name="procedure_rules_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_code or '—'} {self.effective_from}"


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("Found in an inspection (penalty proposal)")
    COMPLAINT = "complaint", _("Complaint or report")
    ACCIDENT = "accident", _("Accident investigation")
    REFERRAL = "referral", _("Referred by another department")
    SUPERIOR = "superior", _("Assigned by the upper level")
    OTHER = "other", _("Other")


class Procedure(models.TextChoices):
    GENERAL = "general", _("General procedure")
    SIMPLE = "simple", _("Simple procedure (on the spot)")


class CaseState(models.TextChoices):
    FILING = "filing", _("Filing — awaiting approval")
    INVESTIGATING = "investigating", _("Investigating")
    REVIEWING = "reviewing", _("Case review")
    LEGAL_REVIEW = "legal_review", _("Legal review")
    DISCUSSION = "discussion", _("Collective discussion")
    NOTIFIED = "notified", _("Notified — statement period")
    HEARING = "hearing", _("Hearing")
    DECIDING = "deciding", _("Awaiting decision")
    DECIDED = "decided", _("Decided — to be served")
    EXECUTING = "executing", _("Executing — payment due")
    ENFORCEMENT = "enforcement", _("Court enforcement applied for")
    CLOSING = "closing", _("Closing — awaiting approval")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")
    ARCHIVED = "archived", _("Archived")
    NOT_FILED = "not_filed", _("Not filed")
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("Penalty")
    NO_PENALTY = "no_penalty", _("No penalty")


class Case(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("case number"), max_length=64, blank=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    # the province and prefecture of the code, stored, so that a scope is an equality an
    # index serves in id order (a range on the code makes the database sort every case)
    province_code = models.GeneratedField(
        expression=Substr("jurisdiction_code", 1, 2),
        output_field=models.CharField(max_length=2),
        db_persist=True,
    )
    prefecture_code = models.GeneratedField(
        expression=Substr("jurisdiction_code", 1, 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
    )
    procedure = models.CharField(
        _("procedure"), max_length=16, choices=Procedure.choices, default=Procedure.GENERAL
    )
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    source_reference = models.CharField(_("source reference"), max_length=255, blank=True)
    proposal = models.OneToOneField(
        "rectification.PenaltyProposal",
        verbose_name=_("penalty proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    party_kind = models.CharField(_("party"), max_length=16, choices=PartyKind.choices)
    party_name = models.CharField(_("party name"), max_length=128)
    party_id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    party_position = models.CharField(_("position"), max_length=64, blank=True)
    party_address = models.CharField(_("address of the person"), max_length=255, blank=True)
    summary = models.CharField(_("cause of action"), max_length=255)
    facts = models.TextField(_("facts"))
    act_date = models.DateField(_("date of the act"))
    act_end_date = models.DateField(_("date a continuing act ended"), null=True, blank=True)
    discovered_on = models.DateField(_("discovered on"))
    endangered_life = models.BooleanField(
        _("endangered life or health and caused harm"), default=False
    )
    complex_case = models.BooleanField(_("complex or major case"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=CaseState.choices, default=CaseState.FILING
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("filing applied for on"))
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    investigator_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    investigator_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certificate_1 = models.CharField(_("certificate of investigator 1"), max_length=32)
    certificate_2 = models.CharField(_("certificate of investigator 2"), max_length=32)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.TextField(_("investigation report"), blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notified_amount = models.BigIntegerField(_("amount notified (yuan)"), null=True, blank=True)
    hearing_right = models.BooleanField(_("party may request a hearing"), default=False)
    legal_review_required = models.BooleanField(_("legal review required"), default=False)
    discussion_required = models.BooleanField(_("collective discussion required"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    fine = models.BigIntegerField(_("fine decided (yuan)"), null=True, blank=True)
    other_penalties = models.CharField(_("other penalties"), max_length=255, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    payment_due = models.DateField(_("payment due"), null=True, blank=True)
    reminded_on = models.DateField(_("payment reminder on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    case_file = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("penalty case")
        verbose_name_plural = _("penalty cases")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "id"], name="case_scope_idx"),
            models.Index(fields=["jurisdiction_code", "state", "id"], name="case_state_idx"),
            models.Index(fields=["agency", "id"], name="case_agency_idx"),
            models.Index(fields=["province_code", "id"], name="case_province_idx"),
            models.Index(fields=["province_code", "state", "id"], name="case_province_state_idx"),
            models.Index(fields=["prefecture_code", "id"], name="case_prefecture_idx"),
            models.Index(
                fields=["prefecture_code", "state", "id"], name="case_prefecture_state_idx"
            ),
            models.Index(fields=["enterprise", "decided_on"], name="case_enterprise_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.party_name} {self.applied_on}"

    @property
    def investigator_ids(self) -> frozenset[int]:
        return frozenset({self.investigator_1_id, self.investigator_2_id})


class CaseViolation(models.Model):
    """One violation of the case, with the discretion engine's recommendation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    act = models.PositiveSmallIntegerField(
        _("act"), default=1, help_text=_("violations of the same act share a number (Art. 29)")
    )
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("facts of this violation"))
    facts = models.JSONField(_("circumstances"), default=dict)
    tier = models.CharField(_("tier"), max_length=16)
    range_min = models.BigIntegerField(_("tier minimum"))
    range_max = models.BigIntegerField(_("tier maximum"))
    recommended = models.BigIntegerField(_("recommended amount"))
    reasons = models.JSONField(_("reasons"), default=list)
    proposed = models.BigIntegerField(_("proposed amount"))
    justification = models.TextField(_("justification of a departure"), blank=True)
    daily_days = models.PositiveIntegerField(_("days of continuing penalty"), default=0)
    notified = models.BigIntegerField(_("amount notified"), null=True, blank=True)
    decided = models.BigIntegerField(_("amount decided"), null=True, blank=True)
    decision_justification = models.TextField(_("justification of the decision"), blank=True)
    absorbed = models.BooleanField(_("absorbed by a higher fine for the same act"), default=False)
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["case_id", "act", "id"]
        indexes = [
            models.Index(fields=["provision", "tier", "decided"], name="violation_compare_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.provision_id}"


class EvidenceKind(models.TextChoices):
    """行政处罚法 Art. 46."""

    DOCUMENT = "document", _("Documentary evidence")
    PHYSICAL = "physical", _("Physical evidence")
    AUDIOVISUAL = "audiovisual", _("Audio-visual material")
    ELECTRONIC = "electronic", _("Electronic data")
    WITNESS = "witness", _("Witness testimony")
    PARTY = "party", _("Statement of the party")
    EXPERT = "expert", _("Expert opinion")
    SITE = "site", _("Inspection or on-site record")


class CaseEvidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    description = models.TextField(_("description"))
    file = models.ForeignKey(
        "core.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_on = models.DateField(_("collected on"))
    officer_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    officer_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case evidence")
        verbose_name_plural = _("case evidence")
        ordering = ["case_id", "collected_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Interview(models.Model):
    """询问笔录: who was asked, by which two officers, the questions and answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    person = models.CharField(_("person interviewed"), max_length=64)
    position = models.CharField(_("position"), max_length=64, blank=True)
    place = models.CharField(_("place"), max_length=128)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    record = models.JSONField(_("questions and answers"), default=list)
    officer_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    officer_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["case_id", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person}"


class Review(models.Model):
    """A step of examination: case review (审理), legal review (法制审核) or collective
    discussion (集体讨论), with who did it and what they concluded."""

    class Step(models.TextChoices):
        CASE = "case", _("Case review")
        LEGAL = "legal", _("Legal review")
        DISCUSSION = "discussion", _("Collective discussion")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("on"))
    conclusion = models.CharField(_("conclusion"), max_length=32)
    opinion = models.TextField(_("opinion"))
    participants = models.TextField(_("participants"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["case_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.conclusion}"


class Statement(models.Model):
    """The party's statement and defence (陈述申辩), from the portal or recorded by officers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField(_("statement"))
    waives = models.BooleanField(_("waives further statement and hearing"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"))
    reply = models.TextField(_("the office's assessment"), blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["case_id", "submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.submitted_on}"


class Hearing(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hearing")
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notice_on = models.DateField(_("notice served on"), null=True, blank=True)
    date = models.DateField(_("hearing date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=128, blank=True)
    public = models.BooleanField(_("public"), default=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    party_present = models.BooleanField(_("party present"), default=True)
    record = models.TextField(_("hearing record"), blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.case_id} {self.date}"


class CaseExtension(models.Model):
    """An approved extension of the decision limit, at its level (本级 / 上级)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    level = models.CharField(_("level"), max_length=16)
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"))

    class Meta:
        verbose_name = _("case extension")
        verbose_name_plural = _("case extensions")
        ordering = ["case_id", "approved_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="case_extension_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level} +{self.days}"


class Payment(models.Model):
    """A payment the bank received (罚缴分离): the office records the receipt, never cash."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    receipt_number = models.CharField(_("bank receipt number"), max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=32)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["case_id", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


class ArrangementKind(models.TextChoices):
    DEFERRAL = "deferral", _("Deferred payment")
    INSTALMENTS = "instalments", _("Payment in instalments")


class PaymentArrangement(models.Model):
    """行政处罚法 Art. 66 ¶2: deferral or instalments, approved by the office."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="arrangement")
    kind = models.CharField(_("kind"), max_length=16, choices=ArrangementKind.choices)
    schedule = models.JSONField(_("schedule"))  # [[iso date, amount], ...]
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"))

    class Meta:
        verbose_name = _("payment arrangement")
        verbose_name_plural = _("payment arrangements")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class SuspensionKind(models.TextChoices):
    REVIEW = "review", _("Administrative reconsideration")
    LITIGATION = "litigation", _("Administrative litigation")


class PaymentSuspension(models.Model):
    """行政处罚法 Art. 73: the surcharge does not run during reconsideration or litigation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    kind = models.CharField(_("kind"), max_length=16, choices=SuspensionKind.choices)
    reference = models.CharField(_("reference"), max_length=128)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment suspension")
        verbose_name_plural = _("payment suspensions")
        ordering = ["case_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class EnforcementApplication(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    court = models.CharField(_("court"), max_length=128)
    applied_on = models.DateField(_("applied on"))
    amount = models.DecimalField(_("amount claimed"), max_digits=14, decimal_places=2)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("court enforcement application")
        verbose_name_plural = _("court enforcement applications")

    def __str__(self) -> str:
        return f"{self.case_id} {self.court}"


class ConsistencyFlag(models.Model):
    """同案同罚: a decided amount far from past decisions of the same provision and tier."""

    violation = models.OneToOneField(
        CaseViolation, on_delete=models.CASCADE, related_name="consistency_flag"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consistency_flags")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    amount = models.BigIntegerField(_("amount decided"))
    median = models.BigIntegerField(_("median of comparable decisions"))
    low = models.BigIntegerField(_("lower fence"))
    high = models.BigIntegerField(_("upper fence"))
    sample = models.PositiveIntegerField(_("comparable decisions"))
    direction = models.CharField(_("direction"), max_length=8)
    flagged_on = models.DateField(_("flagged on"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement = models.TextField(_("acknowledgement"), blank=True)

    class Meta:
        verbose_name = _("consistency flag")
        verbose_name_plural = _("consistency flags")
        ordering = ["-flagged_on", "-id"]
        indexes = [models.Index(fields=["jurisdiction_code", "flagged_on"], name="flag_scope_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.direction}"


class ChallengeKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration (行政复议)")
    LAWSUIT = "lawsuit", _("Administrative lawsuit (行政诉讼)")


class ChallengeResult(models.TextChoices):
    """The results of a reconsideration or a lawsuit; which of them overturn the decision
    is data with its source in ``cases.challenges.RESULT_RULES``."""

    UPHELD = "upheld", _("Upheld (维持)")
    DISMISSED = "dismissed", _("Claim dismissed (驳回)")
    REVOKED = "revoked", _("Revoked (撤销)")
    REVOKED_REDO = "revoked_redo", _("Revoked, ordered to decide again (撤销并责令重作)")
    CHANGED = "changed", _("Changed (变更)")
    UNLAWFUL = "unlawful", _("Confirmed unlawful (确认违法)")
    WITHDRAWN = "withdrawn", _("Withdrawn or terminated (撤回/终止)")


class DecisionChallenge(models.Model):
    """An administrative reconsideration or lawsuit against the decision of a case: the
    body that hears it, its reference and filing date, then its result, date and document."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="challenges")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    kind = models.CharField(_("kind"), max_length=16, choices=ChallengeKind.choices)
    body = models.CharField(_("reconsideration body or court"), max_length=128)
    reference = models.CharField(_("reference"), max_length=128)
    filed_on = models.DateField(_("filed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=16, choices=ChallengeResult.choices, blank=True
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    result_reference = models.CharField(_("document of the result"), max_length=128, blank=True)
    result_note = models.TextField(_("note on the result"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suspension = models.OneToOneField(
        PaymentSuspension,
        verbose_name=_("payment suspension"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenge",
    )
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("reconsideration or lawsuit")
        verbose_name_plural = _("reconsiderations and lawsuits")
        ordering = ["case_id", "filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(result="") & models.Q(result_on__isnull=True))
                | (~models.Q(result="") & models.Q(result_on__isnull=False)),
                name="challenge_result_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(result_on__isnull=True)
                | models.Q(result_on__gte=models.F("filed_on")),
                name="challenge_result_after_filing",
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction_code", "result_on"], name="challenge_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.reference}"
