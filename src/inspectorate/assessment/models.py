"""The annual assessment of officers (年度考核, CAPABILITIES §9; issue 7 capability 6).

``Scheme`` is the assessment scheme as data (考核方案): the weights of the five components
(training hours, exams, case-file review, decisions overturned, missed deadlines) summing
to 100, the points deducted per overturned decision and per missed deadline, the grade
cut-offs and the 优秀 quota; a national default (empty ``jurisdiction_code``) seeded by a
migration, and a province's own from a year on. ``OfficeAssessment`` is one office's
assessment of one year (computed, then confirmed by its head: immutable), and
``AssessmentResult`` one officer's row in it, with each component's inputs and score.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COMPONENTS = ("training", "exams", "review", "overturned", "deadlines")


class Grade(models.TextChoices):
    """The four grades (等次) of the annual assessment, 《公务员考核规定》(2020)."""

    EXCELLENT = "excellent", pgettext_lazy("assessment grade", "Excellent (优秀)")
    COMPETENT = "competent", pgettext_lazy("assessment grade", "Competent (称职)")
    BASIC = "basic", pgettext_lazy("assessment grade", "Basically competent (基本称职)")
    INCOMPETENT = "incompetent", pgettext_lazy("assessment grade", "Incompetent (不称职)")


class Scheme(models.Model):
    """An assessment scheme: the national default (empty code) or a province's, in force
    from ``year`` until a later one of the same province replaces it."""

    jurisdiction_code = models.CharField(
        _("province code"), max_length=6, blank=True, help_text=_("empty: national default")
    )
    year = models.PositiveSmallIntegerField(_("in force from the year"))
    name = models.CharField(_("name"), max_length=128)
    source = models.TextField(_("source"))
    weight_training = models.PositiveSmallIntegerField(_("weight of training hours"))
    weight_exams = models.PositiveSmallIntegerField(_("weight of exams"))
    weight_review = models.PositiveSmallIntegerField(_("weight of case-file review"))
    weight_overturned = models.PositiveSmallIntegerField(_("weight of decisions overturned"))
    weight_deadlines = models.PositiveSmallIntegerField(_("weight of missed deadlines"))
    overturned_points = models.DecimalField(
        _("points off per decision overturned"), max_digits=5, decimal_places=1
    )
    missed_points = models.DecimalField(
        _("points off per missed deadline"), max_digits=5, decimal_places=1
    )
    band_excellent = models.DecimalField(
        _("优秀 from"), max_digits=4, decimal_places=1, default=Decimal("90.0")
    )
    band_competent = models.DecimalField(
        _("称职 from"), max_digits=4, decimal_places=1, default=Decimal("75.0")
    )
    band_basic = models.DecimalField(
        _("基本称职 from"), max_digits=4, decimal_places=1, default=Decimal("60.0")
    )
    excellent_quota = models.DecimalField(
        _("优秀 quota (per cent of those assessed)"), max_digits=4, decimal_places=1
    )
    # the least share of the weights that must rest on data for a grade: below it (e.g. an
    # officer with training hours only, no exam, no reviewed case) the total is shown but no
    # grade is given, and the office decides (the system's default, not a national rule)
    min_basis = models.DecimalField(
        _("least share of the weights with data for a grade (per cent)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("60.0"),
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    saved_on = models.DateField(_("saved on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["jurisdiction_code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction_code", "year"], name="scheme_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    weight_training=100
                    - models.F("weight_exams")
                    - models.F("weight_review")
                    - models.F("weight_overturned")
                    - models.F("weight_deadlines")
                ),
                name="scheme_weights_sum_100",
            ),
            models.CheckConstraint(
                condition=models.Q(band_excellent__gt=models.F("band_competent"))
                & models.Q(band_competent__gt=models.F("band_basic")),
                name="scheme_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.jurisdiction_code or '—'} {self.year})"

    def weights(self) -> dict[str, int]:
        return {c: int(getattr(self, f"weight_{c}")) for c in COMPONENTS}


class OfficeAssessment(models.Model):
    """One office's assessment of one year: computed (and recomputed) until its head
    confirms it; confirmed results never change."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    computed_on = models.DateField(_("computed on"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("office assessment")
        verbose_name_plural = _("office assessments")
        ordering = ["jurisdiction_code", "agency_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="office_assessment_unique"),
        ]
        indexes = [
            models.Index(fields=["jurisdiction_code", "year"], name="office_assessment_scope_idx")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_on is not None


class AssessmentResult(models.Model):
    """One officer's annual assessment: per component the inputs (``inputs``), the score
    0–100 (None: no data, the component dropped out) and the weight used
    (``weights_used``, the scheme's weights shared out among the components with data)."""

    office = models.ForeignKey(OfficeAssessment, on_delete=models.CASCADE, related_name="results")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    training_score = models.DecimalField(
        _("training score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    exams_score = models.DecimalField(
        _("exams score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    review_score = models.DecimalField(
        _("case-file review score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    overturned_score = models.DecimalField(
        _("overturned decisions score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    deadlines_score = models.DecimalField(
        _("missed deadlines score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    inputs = models.JSONField(_("inputs"), default=dict)
    weights_used = models.JSONField(_("weights used"), default=dict)
    redistributed = models.BooleanField(_("weights shared out"), default=False)
    total = models.DecimalField(_("total"), max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField(
        pgettext_lazy("assessment", "grade"), max_length=16, choices=Grade.choices, blank=True
    )

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["office_id", "-total", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "officer"], name="assessment_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.year} {self.total}"

    def score(self, component: str) -> Decimal | None:
        value: Decimal | None = getattr(self, f"{component}_score")
        return value
