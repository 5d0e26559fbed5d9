"""Enterprises (生产经营单位) under supervision, with licences and major hazard sources."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inspectorate.registry.credit_code import validate_credit_code


class SectorCategory(models.TextChoices):
    HAZCHEM = "hazchem", _("Hazardous chemicals")
    MINING = "mining", _("Non-coal mining")
    FIREWORKS = "fireworks", _("Fireworks")
    INDUSTRY_TRADE = "industry_trade", _("Industry and trade")
    PETROLEUM = "petroleum", _("Petroleum")
    OTHER = "other", _("Other")


class Sector(models.Model):
    """A supervised-sector class (监管行业). Reference data, loaded by a data migration."""

    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    category = models.CharField(_("category"), max_length=16, choices=SectorCategory.choices)
    high_risk = models.BooleanField(_("high-risk sector"), default=False)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class Size(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class StandardisationLevel(models.TextChoices):
    LEVEL1 = "level1", _("Level 1")
    LEVEL2 = "level2", _("Level 2")
    LEVEL3 = "level3", _("Level 3")
    NONE = "none", _("Not graded")


class RiskClass(models.TextChoices):
    """Risk colours of the dual prevention mechanism (双重预防): red, orange, yellow, blue."""

    MAJOR = "major", _("Major (red)")
    SIGNIFICANT = "significant", _("Significant (orange)")
    GENERAL = "general", _("General (yellow)")
    LOW = "low", _("Low (blue)")


class CreditClass(models.TextChoices):
    """Work-safety credit class, used by some provinces to set random-draw frequencies."""

    A = "A", _("A (trustworthy)")
    B = "B", _("B (ordinary)")
    C = "C", _("C (poor)")
    D = "D", _("D (seriously untrustworthy)")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Enterprise(models.Model):
    """A production or business unit under supervision.

    States (``status``, workflow ``registry.workflows.ENTERPRISE_STATUS``): operating,
    suspended, closed. ``jurisdiction`` is where the unit is (it scopes who sees it);
    ``supervising_agency`` is the one office responsible for it ("不错位").
    """

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    # Both are served by the composite indexes in Meta, whose first column they are; a
    # single-column index each would only slow down writes and imports.
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    supervising_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("supervising office"),
        on_delete=models.PROTECT,
        related_name="supervised_enterprises",
        db_index=False,
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    industry_code = models.CharField(_("industry code (GB/T 4754)"), max_length=5, blank=True)
    size = models.CharField(_("size"), max_length=16, choices=Size.choices)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    standardisation_level = models.CharField(
        _("safety standardisation level"),
        max_length=16,
        choices=StandardisationLevel.choices,
        default=StandardisationLevel.NONE,
    )
    risk_class = models.CharField(_("risk class"), max_length=16, choices=RiskClass.choices)
    credit_class = models.CharField(
        _("credit class"), max_length=1, choices=CreditClass.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["jurisdiction_id", "name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "name", "id"], name="enterprise_scope_name_idx"),
            models.Index(
                fields=["jurisdiction", "sector", "risk_class", "status"],
                name="enterprise_filter_idx",
            ),
            models.Index(fields=["supervising_agency"], name="enterprise_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["operating", "suspended", "closed"]),
                name="enterprise_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_class__in=["major", "significant", "general", "low"]),
                name="enterprise_risk_class_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("Safety production licence")  # 安全生产许可证
    HAZCHEM_BUSINESS = "hazchem_business", _("Hazardous chemicals business licence")
    HAZCHEM_USE = "hazchem_use", _("Hazardous chemicals use licence")
    FIREWORKS_BUSINESS = "fireworks_business", _("Fireworks business licence")
    OTHER = "other", _("Other licence")


class Licence(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="licences")
    kind = models.CharField(_("kind"), max_length=32, choices=LicenceKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issued_by = models.CharField(_("issued by"), max_length=128)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="licence_unique_number"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="licence_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def expiry_state(self, today: dt.date) -> str:
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= settings.LICENCE_EXPIRY_WARNING_DAYS:
            return "expiring"
        return "valid"


class HazardLevel(models.IntegerChoices):
    ONE = 1, _("Level 1")
    TWO = 2, _("Level 2")
    THREE = 3, _("Level 3")
    FOUR = 4, _("Level 4")


class MajorHazardSource(models.Model):
    """A major hazard source (重大危险源, GB 18218-2018), graded 1 (highest) to 4."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="hazard_sources"
    )
    name = models.CharField(_("name"), max_length=128)
    level = models.PositiveSmallIntegerField(_("level"), choices=HazardLevel.choices)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("major hazard source")
        verbose_name_plural = _("major hazard sources")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Validated")
    COMMITTED = "committed", _("Committed")
    REJECTED = "rejected", _("Rejected")


class ImportBatch(models.Model):
    """One uploaded file of enterprises: its report, and what was committed from it."""

    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.VALIDATED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    good_rows = models.PositiveIntegerField(_("good rows"), default=0)
    committed_rows = models.PositiveIntegerField(_("committed rows"), default=0)
    errors = models.JSONField(_("errors"), default=list)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
