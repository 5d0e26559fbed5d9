"""Checklists, inspections, findings (hazards) and on-site measures (CAPABILITIES §3).

A checklist (检查表) is data: versions of items, each citing its legal basis; the items
that are official 重大事故隐患 criteria say which standard and item they come from. A
published version never changes; an inspection keeps the version it used.

An inspection has one answer row per item from the start, so "every item answered"
(不缺项) is a plain query: no answer may be left blank when the inspection is closed. A
re-inspection (整改复查) has one answer per open finding instead of per checklist item.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Checklist(models.Model):
    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128)
    sectors = models.ManyToManyField(
        "registry.Sector", verbose_name=_("sectors"), related_name="checklists", blank=True
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ChecklistVersion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT
    )
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["checklist_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "number"], name="checklist_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"


class ChecklistItem(models.Model):
    checklist_version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=24)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=64, blank=True)
    text = models.TextField(_("what to check"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    major_hazard = models.BooleanField(_("official major-hazard criterion"), default=False)
    criterion = models.CharField(
        _("major-hazard criterion (standard and item)"), max_length=255, blank=True
    )
    suggested_measure = models.TextField(_("suggested rectification measure"), blank=True)
    rectification_days = models.PositiveSmallIntegerField(
        _("rectification working days"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist_version_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist_version", "code"], name="checklist_item_unique_code"
            ),
            models.CheckConstraint(
                condition=models.Q(major_hazard=False) | ~models.Q(criterion=""),
                name="checklist_item_major_has_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"


class Origin(models.TextChoices):
    PLANNED = "planned", _("Planned (annual plan)")
    COMPLAINT = "complaint", _("Complaint or report")
    ACCIDENT = "accident", _("Accident")
    CAMPAIGN = "campaign", _("Special campaign")
    REINSPECTION = "reinspection", _("Re-inspection of a rectification order")
    OTHER = "other", _("Other")


class InspectionState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class HeadSignature(models.TextChoices):
    PENDING = "", _("Not yet signed")
    SIGNED = "signed", _("Signed by the unit's head")
    REFUSED = "refused", _("The unit's head refused to sign")


class Inspection(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("inspected unit"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    origin_note = models.CharField(_("origin note"), max_length=255, blank=True)
    planned_visit = models.ForeignKey(
        "planning.PlannedVisit",
        verbose_name=_("planned inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    reinspection_of = models.ForeignKey(
        "rectification.RectificationOrder",
        verbose_name=_("re-inspection of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    checklist_versions = models.ManyToManyField(
        ChecklistVersion,
        verbose_name=_("checklist versions"),
        blank=True,
        related_name="inspections",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_certificate = models.CharField(_("lead officer's certificate"), max_length=32)
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_certificate = models.CharField(_("second officer's certificate"), max_length=32)
    place = models.CharField(_("place"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InspectionState.choices,
        default=InspectionState.IN_PROGRESS,
    )
    handling = models.TextField(_("handling"), blank=True)
    unit_head_name = models.CharField(_("unit's head"), max_length=64, blank=True)
    unit_head_signature = models.CharField(
        _("unit's head signature"),
        max_length=16,
        choices=HeadSignature.choices,
        blank=True,
        default=HeadSignature.PENDING,
    )
    unit_head_refusal_note = models.TextField(_("note on the refusal"), blank=True)
    officers_signed_at = models.DateTimeField(_("officers signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state"], name="inspection_scope_idx"),
            models.Index(fields=["enterprise", "started_at"], name="inspection_enterprise_idx"),
            # the inspections made for a plan's visits ("plan executed" on the dashboard)
            models.Index(
                fields=["planned_visit", "state"],
                name="inspection_planned_closed_idx",
                condition=models.Q(planned_visit__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lead_officer=models.F("second_officer")),
                name="inspection_two_officers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.started_at:%Y-%m-%d}"


class AnswerResult(models.TextChoices):
    UNANSWERED = "", _("Not answered")
    COMPLIANT = "compliant", _("Compliant")
    FINDING = "finding", _("Finding")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(models.Model):
    """One line of the inspection: a checklist item, or (re-inspection) an open finding."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    sort = models.PositiveSmallIntegerField(_("order"))
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prior_finding = models.ForeignKey(
        "Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    result = models.CharField(
        _("result"), max_length=16, choices=AnswerResult.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["inspection_id", "sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                condition=models.Q(item__isnull=False),
                name="answer_unique_item",
            ),
            models.UniqueConstraint(
                fields=["inspection", "prior_finding"],
                condition=models.Q(prior_finding__isnull=False),
                name="answer_unique_prior_finding",
            ),
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(prior_finding__isnull=False),
                name="answer_has_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(result="na") | ~models.Q(note=""),
                name="answer_na_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.sort} {self.result}"


class HazardGrade(models.TextChoices):
    GENERAL = "general", _("General hazard (一般隐患)")
    MAJOR = "major", _("Major accident hazard (重大事故隐患)")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified")
    CORRECTED_ON_SITE = "corrected", _("Corrected on the spot")


class Finding(models.Model):
    """A problem found (a hazard, 隐患), with its grade, the violated article and evidence."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="findings"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    description = models.TextField(_("description"))
    location = models.CharField(_("where"), max_length=255, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=HazardGrade.choices)
    violated_article = models.CharField(_("violated article"), max_length=255)
    criterion = models.CharField(_("major-hazard criterion"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    found_on = models.DateField(_("found on"))
    due_date = models.DateField(_("rectify by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    prior = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection_id", "id"]
        indexes = [
            # open hazards, most urgent first, of any subtree (the jurisdiction and grade are
            # in the index so that the page and the summary counts never read the table)
            models.Index(
                fields=["status", "due_date", "jurisdiction_code", "grade"],
                name="finding_open_due_idx",
            ),
            models.Index(fields=["enterprise", "status"], name="finding_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade="general") | ~models.Q(criterion=""),
                name="finding_major_has_criterion",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]


class FindingEvidence(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey("core.EvidenceFile", on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    metadata_source = models.CharField(_("time and place from"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("finding evidence")
        verbose_name_plural = _("finding evidence")
        constraints = [
            models.UniqueConstraint(fields=["finding", "file"], name="finding_evidence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.file_id}"


class MeasureKind(models.TextChoices):
    CORRECT_NOW = "correct_now", _("Correct on the spot")
    ORDER_RECTIFICATION = "rectify", _("Order rectification within a deadline")
    WITHDRAW_WORKERS = "withdraw", _("Withdraw workers from the danger area")
    STOP_EQUIPMENT = "stop_equipment", _("Stop the use of equipment")
    STOP_PRODUCTION = "stop_production", _("Suspend production or business")
    SEAL = "seal", _("Seal (查封)")
    SEIZE = "seize", _("Seize (扣押)")


class OnSiteMeasure(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=16, choices=MeasureKind.choices)
    findings = models.ManyToManyField(Finding, verbose_name=_("findings"), related_name="measures")
    description = models.TextField(_("details"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    items = models.JSONField(_("items sealed or seized"), default=list, blank=True)
    document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("on-site measure")
        verbose_name_plural = _("on-site measures")
        ordering = ["inspection_id", "decided_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
