"""Jurisdictions (行政区划), agencies (执法机构), users, roles and enforcement certificates."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspectorate.core.scoping import NOTHING, Scope, prefix_for
from inspectorate.org.roles import STAFF_ROLES, Role


class JurisdictionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")


class Jurisdiction(models.Model):
    """An administrative division by its GB/T 2260 code. The subtree is a code prefix."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["province", "prefecture", "county"]),
                name="jurisdiction_level_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return prefix_for(self.code, self.level)

    def full_name(self) -> str:
        parts = []
        node: Jurisdiction | None = self
        while node is not None:
            if not node.name.endswith(("市辖区", "县级行政区划", "县")) or node is self:
                parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


class AgencyKind(models.TextChoices):
    BUREAU = "bureau", _("Emergency management bureau")  # 应急管理厅/局
    CORPS = "corps", _("Enforcement corps")  # 执法总队 (province)
    DETACHMENT = "detachment", _("Enforcement detachment")  # 执法支队 (prefecture)
    BRIGADE = "brigade", _("Enforcement brigade")  # 执法大队 (county)


class Agency(models.Model):
    """An enforcement office. It belongs to exactly one jurisdiction."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(
        _("short name for document numbers"), max_length=16, help_text=_("e.g. 新乌")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["jurisdiction_id", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: an officer or staff member of an agency, or an enterprise user."""

    name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True) | models.Q(enterprise__isnull=True),
                name="user_agency_or_enterprise",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or super().get_full_name()

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_staff_member(self) -> bool:
        return self.agency_id is not None and bool(self.role_set & STAFF_ROLES)

    @cached_property
    def scope(self) -> Scope:
        """The jurisdiction subtree this user may see (ARCHITECTURE rule 1)."""
        if not self.is_active:
            return NOTHING
        if self.agency is not None and self.role_set & STAFF_ROLES:
            return Scope(prefix=self.agency.jurisdiction.prefix)
        if self.enterprise_id is not None and Role.ENTERPRISE in self.role_set:
            return Scope(prefix=None, enterprise_ids=frozenset({self.enterprise_id}))
        if self.is_superuser and self.agency_id is None:
            return Scope(prefix="")
        return NOTHING

    def valid_certificate(self, on: dt.date | None = None) -> Certificate | None:
        """The certificate valid on ``on`` (today by default), read from its history: one query."""
        day = on or timezone.localdate()
        return (
            Certificate.objects.valid_on(day).filter(officer=self).order_by("-valid_until").first()
        )


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    SUSPENDED = "suspended", pgettext_lazy("certificate status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")


_STATUS_EVENT_KINDS = ("suspended", "reinstated", "revoked")
_PERIOD_EVENT_KINDS = ("issued", "renewed")


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid_on(self, day: dt.date) -> CertificateQuerySet:
        """Certificates valid on ``day`` as their history says, in one query.

        Valid = ``day`` lies in the current validity period (the row) or in a period an
        ``issued``/``renewed`` event recorded, and the last suspension, reinstatement or
        revocation dated on or before ``day`` is not a suspension or revocation. A
        certificate without status events (made before the history existed) answers with
        its row status.
        """
        events = CertificateEvent.objects.filter(certificate=models.OuterRef("pk"))
        last_status = (
            events.filter(kind__in=_STATUS_EVENT_KINDS, on__lte=day)
            .order_by("-on", "-id")
            .values("kind")[:1]
        )
        in_period = models.Q(valid_from__lte=day, valid_until__gte=day) | models.Exists(
            events.filter(kind__in=_PERIOD_EVENT_KINDS, valid_from__lte=day, valid_until__gte=day)
        )
        return (
            self.annotate(
                _last_status=models.Subquery(last_status),
                _has_status_events=models.Exists(events.filter(kind__in=_STATUS_EVENT_KINDS)),
            )
            .filter(in_period)
            .filter(
                models.Q(_last_status="reinstated")
                | models.Q(_last_status__isnull=True, _has_status_events=True)
                | models.Q(
                    _last_status__isnull=True,
                    _has_status_events=False,
                    status=CertificateStatus.VALID,
                )
            )
        )


class Certificate(models.Model):
    """An enforcement certificate (行政执法证): number, validity and sectors of competence.

    The row holds the current state (number, validity period, status); ``CertificateEvent``
    rows hold its history, from which ``is_valid_on`` answers for any day.
    """

    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=128)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    sectors = models.ManyToManyField(
        "registry.Sector", verbose_name=_("sectors of competence"), blank=True
    )
    legal_qualification = models.BooleanField(_("legal qualification"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="certificate_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the certificate was (or will be) valid on ``day``, from its history."""
        events = sorted(self.events.all(), key=lambda e: (e.on, e.pk))
        in_period = self.valid_from <= day <= self.valid_until or any(
            e.kind in _PERIOD_EVENT_KINDS
            and e.valid_from is not None
            and e.valid_until is not None
            and e.valid_from <= day <= e.valid_until
            for e in events
        )
        if not in_period:
            return False
        status_events = [e for e in events if e.kind in _STATUS_EVENT_KINDS]
        if not status_events:
            return self.status == CertificateStatus.VALID
        before = [e for e in status_events if e.on <= day]
        return not before or before[-1].kind == CertificateEventKind.REINSTATED


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("certificate event", "Issued")
    RENEWED = "renewed", pgettext_lazy("certificate event", "Renewed")
    SUSPENDED = "suspended", pgettext_lazy("certificate event", "Suspended")
    REINSTATED = "reinstated", pgettext_lazy("certificate event", "Reinstated")
    REVOKED = "revoked", pgettext_lazy("certificate event", "Revoked")


class CertificateEvent(models.Model):
    """One step of a certificate's history, effective from ``on``.

    ``issued`` and ``renewed`` carry the number and validity period they granted; the
    others carry a reason. Rows are only added, never changed.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateEventKind.choices)
    on = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"), blank=True)
    number = models.CharField(_("certificate number"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    jurisdiction_code = models.CharField(max_length=6, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["certificate", "kind", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=_PERIOD_EVENT_KINDS)
                | models.Q(valid_from__isnull=False, valid_until__isnull=False),
                name="certificate_event_period_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.on}"
