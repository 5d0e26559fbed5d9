"""Rectification orders, the enterprise's reports, escalation (CAPABILITIES §4).

An order (责令限期整改指令书) is issued per inspection for its open findings, one line
per finding with a targeted measure and a due date counted in working days. The
enterprise reports on its portal; a re-inspection (整改复查) reviews only the lines still
open. What is left unrectified is extended with the head's approval or escalated: a
penalty case is proposed, and a refusal on a 重大事故隐患 is flagged as suspected
危险作业罪 for transfer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    ISSUED = "issued", _("Issued — rectifying")
    REPORTED = "reported", _("Completion reported")
    REINSPECTING = "reinspecting", _("Re-inspection under way")
    UNRECTIFIED = "unrectified", _("Re-inspected — not rectified")
    CLOSED = "closed", _("Closed — rectified")
    ESCALATED = "escalated", _("Escalated")


class RectificationOrder(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    # usually one per inspection; a finding recorded after the order gets an order of its own
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="rectification_orders"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    state = models.CharField(
        _("state"), max_length=16, choices=OrderState.choices, default=OrderState.ISSUED
    )
    issued_on = models.DateField(_("issued on"))
    due_date = models.DateField(_("rectify by"))
    document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state", "due_date"], name="order_scope_idx"),
            models.Index(fields=["enterprise", "state"], name="order_enterprise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.issued_on}"


class LineState(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified")
    ESCALATED = "escalated", _("Escalated")


class OrderLine(models.Model):
    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="lines")
    finding = models.OneToOneField(
        "inspections.Finding", on_delete=models.PROTECT, related_name="order_line"
    )
    measure = models.TextField(_("required measure"))
    due_date = models.DateField(_("rectify by"))
    state = models.CharField(
        _("state"), max_length=16, choices=LineState.choices, default=LineState.OPEN
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.measure[:30]}"


class SubmissionKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    COMPLETION = "completion", _("Completion report")
    EXTENSION = "extension", _("Request for more time")


class Submission(models.Model):
    """What the enterprise sends: progress, completion (with evidence) or a request for time."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubmissionKind.choices)
    note = models.TextField(_("what was done"))
    files = models.ManyToManyField("core.EvidenceFile", verbose_name=_("evidence"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("enterprise submission")
        verbose_name_plural = _("enterprise submissions")
        ordering = ["order_id", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class Extension(models.Model):
    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="extensions"
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), help_text=_("0 when the head set the date itself")
    )
    reason = models.TextField(_("reason"))
    previous_due = models.DateField(_("previous due date"))
    new_due = models.DateField(_("new due date"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["order_id", "approved_at"]

    def __str__(self) -> str:
        return f"{self.order_id} +{self.working_days}"


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", _("Not rectified by the deadline")
    REFUSED = "refused", _("Refused to rectify")


class RefusalKind(models.TextChoices):
    """两高解释（二）Art. 3: what counts as 拒不执行."""

    NO_GOOD_REASON = "no_reason", _("Did not comply without a good reason")
    FAKED = "faked", _("Faked that the hazard was removed")
    BRIBERY = "bribery", _("Offered bribes to evade the order")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed — awaiting a case")
    TAKEN = "taken", _("Taken up as a case")
    DISMISSED = "dismissed", _("Dismissed")


class PenaltyProposal(models.Model):
    """A proposed penalty case, for the case workflow to pick up (立案)."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="proposals"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="penalty_proposals"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    reason = models.CharField(_("reason"), max_length=16, choices=EscalationReason.choices)
    refusal_kind = models.CharField(
        _("kind of refusal"), max_length=16, choices=RefusalKind.choices, blank=True
    )
    findings = models.ManyToManyField("inspections.Finding", related_name="proposals")
    major_hazard = models.BooleanField(_("concerns a major accident hazard"), default=False)
    articles = models.JSONField(_("articles"), default=list)
    suspected_crime = models.BooleanField(
        _("suspected crime of dangerous operation"), default=False
    )
    crime_basis = models.CharField(_("basis of the suspicion"), max_length=255, blank=True)
    statement = models.TextField(_("statement of facts"))
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("proposed on"))

    class Meta:
        verbose_name = _("penalty proposal")
        verbose_name_plural = _("penalty proposals")
        ordering = ["-proposed_on", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "proposed_on"], name="proposal_enterprise_idx"),
            models.Index(fields=["jurisdiction_code", "state"], name="proposal_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.proposed_on}"


class ClosureCheckState(models.TextChoices):
    OPEN = "open", _("Open — to be examined")
    PROPOSED = "proposed", _("Closure proposed to the government")
    DISMISSED = "dismissed", _("Examined — no closure")


class ClosureCheck(models.Model):
    """安全生产法 Art. 113: a unit with a major hazard penalised 3 times in 180 days or 4
    times in a year is examined for closure (提请地方人民政府予以关闭)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="closure_checks"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    opened_on = models.DateField(_("opened on"))
    window_days = models.PositiveSmallIntegerField(_("window in days"))
    count = models.PositiveSmallIntegerField(_("penalties in the window"))
    basis = models.CharField(_("basis"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=ClosureCheckState.choices, default=ClosureCheckState.OPEN
    )

    class Meta:
        verbose_name = _("closure check")
        verbose_name_plural = _("closure checks")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(state="open"),
                name="closure_check_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.opened_on}"
