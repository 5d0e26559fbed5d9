"""Oversight of lower levels (CAPABILITIES §8): supervision orders (督办) and case-file
review (案卷评查) with a configurable scoring sheet.

The dashboard, the missed-detection report and the inaction indicators are reads over
the other apps' tables (``oversight.selectors``); they store nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupervisionState(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("supervision state", "Issued — awaiting the reply")
    REPLIED = "replied", pgettext_lazy("supervision state", "Replied — awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("supervision state", "Accepted (closed)")
    WITHDRAWN = "withdrawn", pgettext_lazy("supervision state", "Withdrawn")


class SubjectKind(models.TextChoices):
    CASE = "case", _("A penalty case")
    FINDING = "finding", _("A hazard (finding)")
    ENTERPRISE = "enterprise", _("An enterprise")
    OTHER = "other", _("Other matter (free text)")


class SupervisionOrder(models.Model):
    """A supervision order (督办) from an upper office to a lower office.

    States (workflow ``oversight.workflows.SUPERVISION``): issued → replied → accepted;
    replied → issued when the issuer returns the reply with its reasons; issued or
    replied → withdrawn by the issuer. ``jurisdiction_code`` is the addressed office's
    (it scopes who sees the order: the addressed office and every level above it);
    ``issuer_code`` the issuing office's. The reply deadline is a ``core.Deadline``
    (kind ``supervision_reply``) with the date the issuer set.
    """

    issuing_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("issuing office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_code = models.CharField(_("issuing jurisdiction"), max_length=6)
    addressee = models.ForeignKey(
        "org.Agency",
        verbose_name=_("supervised office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        "inspections.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_text = models.CharField(_("matter"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=128)
    requirements = models.TextField(_("requirements"))
    due_date = models.DateField(_("reply due"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SupervisionState.choices,
        default=SupervisionState.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state", "id"], name="supervision_scope_idx"),
            models.Index(fields=["issuer_code", "state", "id"], name="supervision_issuer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(issuer_code=models.F("jurisdiction_code")),
                name="supervision_to_a_lower_office",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(subject_kind="case", case__isnull=False)
                    | models.Q(subject_kind="finding", finding__isnull=False)
                    | models.Q(subject_kind="enterprise", enterprise__isnull=False)
                    | (models.Q(subject_kind="other") & ~models.Q(subject_text=""))
                ),
                name="supervision_subject_given",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReplyOutcome(models.TextChoices):
    PENDING = "", _("Awaiting the issuer")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class SupervisionReply(models.Model):
    """One reply of the supervised office and the issuer's answer to it."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"))
    measures = models.TextField(_("measures taken"))
    result = models.TextField(_("result"))
    attachments = models.ManyToManyField(
        "core.EvidenceFile", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replied_on = models.DateField(_("replied on"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ReplyOutcome.choices, blank=True, default=""
    )
    outcome_reason = models.TextField(_("reasons"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision reply")
        verbose_name_plural = _("supervision replies")
        ordering = ["order_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="supervision_reply_round"),
            models.CheckConstraint(
                condition=~models.Q(outcome="returned") | ~models.Q(outcome_reason=""),
                name="supervision_return_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.round}"


class SheetState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("sheet state", "Draft")
    PUBLISHED = "published", pgettext_lazy("sheet state", "Published")
    RETIRED = "retired", pgettext_lazy("sheet state", "Retired")


def default_grade_bands() -> list[dict[str, object]]:
    return [
        {"grade": "excellent", "label": "优秀", "label_en": "Excellent", "min": 90},
        {"grade": "pass", "label": "合格", "label_en": "Pass", "min": 70},
        {"grade": "fail", "label": "不合格", "label_en": "Fail", "min": 0},
    ]


class ScoringSheet(models.Model):
    """A case-file scoring sheet (案卷评查评分表), versioned per province.

    ``jurisdiction_code`` is the province's code (e.g. 650000) or empty for the system's
    default. A published version never changes; a province admin publishes a new one,
    which retires the one before. ``grade_bands`` are data: ``[{"grade", "label", "min"}]``
    from the highest minimum down, the first band whose minimum the total reaches wins.
    """

    jurisdiction_code = models.CharField(_("province"), max_length=6, blank=True)
    name = models.CharField(_("name"), max_length=128)
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=16, choices=SheetState.choices, default=SheetState.DRAFT
    )
    source = models.TextField(_("source"))
    grade_bands = models.JSONField(_("grade bands"), default=default_grade_bands)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["jurisdiction_code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "number"], name="scoring_sheet_unique_version"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction_code"],
                condition=models.Q(state="published"),
                name="scoring_sheet_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def max_total(self) -> int:
        return sum(i.max_points for i in self.items.all())


class ScoringItem(models.Model):
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=16)
    sort = models.PositiveSmallIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=32)
    text = models.CharField(_("what is scored"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    basis = models.CharField(_("basis"), max_length=255)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["sheet_id", "sort"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="scoring_item_unique_code"),
            models.CheckConstraint(
                condition=models.Q(max_points__gt=0), name="scoring_item_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"


class CaseFileReview(models.Model):
    """The review of one closed or archived case file against a scoring sheet.

    ``jurisdiction_code`` is the reviewed case's office (the results are that office's);
    ``reviewer_code`` the reviewing office's (the office itself or one above it).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.PROTECT, related_name="reviews")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    reviewed_agency = models.ForeignKey(
        "org.Agency", verbose_name=_("reviewed office"), on_delete=models.PROTECT, related_name="+"
    )
    reviewing_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("reviewing office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_code = models.CharField(_("reviewing jurisdiction"), max_length=6)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("reviewed on"))
    total = models.PositiveSmallIntegerField(_("total points"))
    max_total = models.PositiveSmallIntegerField(_("maximum points"))
    grade = models.CharField(_("grade"), max_length=16)
    grade_label = models.CharField(_("grade label"), max_length=32)
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case-file review")
        verbose_name_plural = _("case-file reviews")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reviewing_agency", "sheet"], name="case_file_review_once"
            ),
            models.CheckConstraint(
                condition=models.Q(total__lte=models.F("max_total")),
                name="case_file_review_total_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction_code", "reviewed_on"], name="case_review_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.total}"


class ReviewScore(models.Model):
    review = models.ForeignKey(CaseFileReview, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))
    note = models.CharField(_("reason for a deduction"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        ordering = ["review_id", "item__sort"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="review_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}:{self.item_id}={self.points}"
