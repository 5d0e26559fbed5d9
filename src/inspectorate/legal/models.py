"""The law library (法律法规库): laws, their versions, and the articles of each version.

A ``Law`` is one statute, regulation or judicial interpretation (安全生产法, 国务院令493 …).
Each amendment or revision is a ``LawVersion`` with its promulgation and effective dates;
the version in force on a day is the latest whose ``effective_on`` is not after it. The
articles of a version are ``Article`` rows ("第一百一十二条", number 112, suffix "" or
"之一"), kept per version, so a question or a citation tied to an article names the text
the officer actually read.

``concerns_roles`` names the roles (岗位) whose officers must study a new version (empty:
every enforcement role); ``concerns_sectors`` narrows it to officers whose certificate
covers one of those sectors (empty: every sector).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LawKind(models.TextChoices):
    LAW = "law", _("Law")  # 法律
    CRIMINAL_LAW = "criminal_law", _("Criminal Law (extract)")  # 刑法（节选）
    REGULATION = "regulation", _("Administrative regulation")  # 行政法规
    INTERPRETATION = "interpretation", _("Judicial interpretation")  # 司法解释
    RULE = "rule", _("Departmental rule")  # 部门规章
    LOCAL = "local", _("Local regulation")  # 地方性法规
    POLICY = "policy", _("Policy document")  # 规范性文件


class Law(models.Model):
    code = models.CharField(_("code"), max_length=48, unique=True)
    title = models.CharField(_("title"), max_length=255)
    short_title = models.CharField(_("short title"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=LawKind.choices)
    issuer = models.CharField(_("Issuing body"), max_length=128)
    # empty: national; a province's code (e.g. 650000): that province's own law
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6, blank=True)
    concerns_roles = models.JSONField(_("roles concerned"), default=list, blank=True)
    concerns_sectors = models.ManyToManyField(
        "registry.Sector", verbose_name=_("sectors concerned"), related_name="+", blank=True
    )
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.short_title or self.title

    def version_on(self, day: datetime.date) -> LawVersion | None:
        return self.versions.filter(effective_on__lte=day).order_by("-effective_on").first()


class LawVersion(models.Model):
    law = models.ForeignKey(
        Law, verbose_name=_("law"), on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(_("version"), max_length=128)
    promulgated_on = models.DateField(_("promulgated on"))
    effective_on = models.DateField(_("effective on"))
    history = models.TextField(_("promulgation history"), blank=True)
    changes = models.TextField(_("what changed"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    added_on = models.DateField(_("added to the library on"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the study of this version (学法任务): hours credited, days given to complete it
    study_hours = models.DecimalField(
        _("hours credited for study"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    study_days = models.PositiveSmallIntegerField(_("study period (days)"), default=30)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")
        ordering = ["law_id", "-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["law", "effective_on"], name="law_version_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.label}"


class Article(models.Model):
    law_version = models.ForeignKey(
        LawVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveSmallIntegerField(_("article number"))
    suffix = models.CharField(_("suffix"), max_length=8, blank=True)  # "之一"
    label = models.CharField(_("article"), max_length=32)  # "第一百三十四条之一"
    chapter = models.CharField(_("chapter"), max_length=128, blank=True)
    text = models.TextField(_("text"))
    sort = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["law_version_id", "sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["law_version", "number", "suffix"], name="article_unique_in_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.law_version.law} {self.label}"


class StudyState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("study item state", "Assigned")
    COMPLETED = "completed", pgettext_lazy("study item state", "Completed")


class StudyItem(models.Model):
    """One officer's study of one new version of a law (学法任务).

    Made in the transaction that adds the version; ``agency`` and ``jurisdiction_code``
    are the officer's office at assignment (the scope of the completion reports).
    """

    law_version = models.ForeignKey(
        LawVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="study_items"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="law_study_items",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    state = models.CharField(
        _("state"), max_length=16, choices=StudyState.choices, default=StudyState.ASSIGNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("study note"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("study item")
        verbose_name_plural = _("study items")
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["law_version", "officer"], name="study_item_unique_officer"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("assigned_on")),
                name="study_item_due_after_assigned",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(state="assigned", completed_on__isnull=True)
                    | models.Q(state="completed", completed_on__isnull=False)
                ),
                name="study_item_completed_on_state",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction_code"], name="study_item_jurisdiction")]

    def __str__(self) -> str:
        return f"{self.law_version} · {self.officer}"

    def is_overdue(self, day: datetime.date) -> bool:
        """Not completed and ``day`` is after the due date (the day after it, overdue)."""
        return self.state == StudyState.ASSIGNED and day > self.due_on
