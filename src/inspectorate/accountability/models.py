"""Accountability (行政执法责任制, CAPABILITIES §10): the responsibility matrix by post, and
the accountability items raised when a deadline was missed, a transfer omitted or an act
done without a valid enforcement certificate.

The law is data here. LEGAL-RULES §4 marks the details of 行政执法责任制 as not
researched: the posts, their duties (with the legal basis each answers to and the deadline
kind it is accountable for) and the outcomes of a review are rows with their source, not
constants in the code. A province edits its own duties (``Duty.jurisdiction_code``).

An item's states (``ItemState``): raised → under_review → concluded (see
``accountability.workflows``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.org.roles import Role


class Post(models.Model):
    """A post (岗位) of an enforcement office, mapped to the role that holds it."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    description = models.TextField(_("description"), blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Duty(models.Model):
    """One cell of the responsibility matrix: what one post answers for in one act.

    ``jurisdiction_code`` empty: the national default; a province's code (e.g. ``650000``):
    that province's own row, which replaces the default of the same act and post in that
    province. ``active`` false on a province's row takes the default's duty away there.
    ``deadline_kind``: the ``core.Deadline.kind`` the post answers for when it runs out
    (empty: none); only the deadline kinds named here raise accountability items, so a
    party's own period (the statement period, the payment period, the unit's rectification
    period) raises nothing.
    """

    jurisdiction_code = models.CharField(
        _("jurisdiction code"), max_length=6, blank=True, help_text=_("empty: national default")
    )
    act = models.CharField(_("act"), max_length=32)
    act_name = models.CharField(_("act name"), max_length=128)
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT)
    responsibility = models.TextField(_("responsibility"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    deadline_kind = models.CharField(_("deadline kind answered for"), max_length=64, blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in force"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["sort", "act", "post__sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "act", "post"], name="duty_unique_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_name} · {self.post}"


class OutcomeKind(models.Model):
    """A possible conclusion of an accountability review, with its source."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"))
    is_fault = models.BooleanField(_("fault found"), default=True)
    concerns_certificate = models.BooleanField(
        _("concerns the enforcement certificate"),
        default=False,
        help_text=_("the certificate office acts on it; the conclusion does not change it"),
    )
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("accountability outcome")
        verbose_name_plural = _("accountability outcomes")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
    TRANSFER_OMITTED = "transfer_omitted", _("Transfer to the police omitted")
    NO_CERTIFICATE = "no_certificate", _("Act without a valid enforcement certificate")


class ItemState(models.TextChoices):
    RAISED = "raised", _("Raised")
    UNDER_REVIEW = "under_review", _("Under review")
    CONCLUDED = "concluded", _("Concluded")


class AccountabilityItem(models.Model):
    """One breach attributed to one person, raised by the scan, reviewed and concluded.

    The breach is ``kind`` + subject (``subject_type``/``subject_id``: the case, order,
    inspection or officer concerned) + ``ref`` (what in the subject was breached: a
    deadline's id, a day) + ``person``: unique, so that scanning again never raises the
    same breach twice.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64)
    ref = models.CharField(_("breach reference"), max_length=64, blank=True)
    subject_label = models.CharField(_("subject"), max_length=255)
    subject_url = models.CharField(_("subject link"), max_length=255, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    detected_on = models.DateField(_("detected on"))
    facts = models.JSONField(_("facts"), default=dict)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=ItemState.choices, default=ItemState.RAISED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_started_on = models.DateField(_("review started on"), null=True, blank=True)
    outcome = models.ForeignKey(
        OutcomeKind,
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finding = models.TextField(_("written finding"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("accountability item")
        verbose_name_plural = _("accountability items")
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "ref", "person"],
                name="accountability_item_unique_breach",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="concluded") | models.Q(outcome__isnull=False),
                name="accountability_item_concluded_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state"], name="acc_item_scope_idx"),
            models.Index(fields=["person", "state"], name="acc_item_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_label}"
