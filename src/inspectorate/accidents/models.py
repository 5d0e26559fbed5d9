"""Models of the accidents app: accident reports (生产安全事故报告), their grade rules, the
reporting chain, casualty updates, and responsibility findings that open penalty cases.

``Accident.state`` (the investigation timeline, ``workflows.ACCIDENT``):
reported → investigating → submitted → replied → closed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccidentGrade(models.TextChoices):
    """Art. 3 of 国务院令493; the codes are the discretion engine's ``accident_grade``."""

    GENERAL = "general", _("General accident")  # 一般事故
    LARGER = "larger", _("Larger accident")  # 较大事故
    MAJOR = "major", _("Major accident")  # 重大事故
    ESPECIALLY_MAJOR = "especially_major", _("Especially major accident")  # 特别重大事故


class AccidentKind(models.TextChoices):
    """The industry category. Road and fire accidents have the 7-day update window (Art. 13)."""

    ROAD = "road", _("Road traffic")
    FIRE = "fire", _("Fire")
    MINING = "mining", _("Mining")
    HAZCHEM = "hazchem", _("Hazardous chemicals")
    FIREWORKS = "fireworks", _("Fireworks")
    CONSTRUCTION = "construction", _("Construction")
    INDUSTRY = "industry", _("Industry and trade")
    OTHER = "other", _("Other")


class AccidentState(models.TextChoices):
    REPORTED = "reported", _("Accident reported")
    INVESTIGATING = "investigating", _("Being investigated")
    SUBMITTED = "submitted", _("Investigation report submitted")
    REPLIED = "replied", _("Government reply received")
    CLOSED = "closed", _("Accident closed")


class ChainLevel(models.TextChoices):
    UNIT = "unit", _("The unit")
    COUNTY = "county", _("County department")
    PREFECTURE = "prefecture", _("Prefecture department")
    PROVINCE = "province", _("Province department")
    MINISTRY = "ministry", _("Ministry of Emergency Management")


class InvestigatingLevel(models.TextChoices):
    UNIT = "unit", _("The unit (entrusted by the county)")
    COUNTY = "county", _("County government")
    PREFECTURE = "prefecture", _("Prefecture government")
    PROVINCE = "province", _("Province government")
    STATE_COUNCIL = "state_council", _("The State Council")


class InformParty(models.TextChoices):
    """Art. 10 ¶1: informed by each department that receives the report."""

    POLICE = "police", _("Public security")
    LABOUR = "labour", _("Labour and social security")
    UNION = "union", _("Trade union")
    PROCURATORATE = "procuratorate", _("People's procuratorate")


class FindingParty(models.TextChoices):
    UNIT = "unit", _("The unit")
    PRINCIPAL = "principal", _("Principal head")
    OTHER_PERSON = "other_person", _("Other responsible person")


class AccidentGradeRule(models.Model):
    """One grade's "以上" thresholds (Art. 3). The highest rank one of whose thresholds is
    reached decides; the lowest rank has all thresholds at 0."""

    grade = models.CharField(_("accident grade"), max_length=24, choices=AccidentGrade.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    min_deaths = models.PositiveIntegerField(_("deaths from"))
    min_serious_injuries = models.PositiveIntegerField(_("serious injuries from"))
    min_direct_loss = models.PositiveBigIntegerField(_("direct loss from (yuan)"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        verbose_name = _("accident grade rule")
        verbose_name_plural = _("accident grade rules")
        ordering = ["-effective_from", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "effective_from"], name="accident_grade_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ({self.effective_from})"


class Accident(models.Model):
    """An accident as reported (Art. 12) and as it stands after updates."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("recording office"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code of the place"), max_length=6)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    unit_name = models.CharField(_("unit"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=255)
    kind = models.CharField(_("accident kind"), max_length=24, choices=AccidentKind.choices)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(
        _("serious injuries (incl. acute poisoning)"), default=0
    )
    missing = models.PositiveIntegerField(_("missing"), default=0)
    direct_loss = models.PositiveBigIntegerField(_("direct economic loss (yuan)"), default=0)
    brief = models.TextField(_("brief account"))
    measures = models.TextField(_("measures taken"), blank=True)
    unit_reported_at = models.DateTimeField(_("the unit reported at"), null=True, blank=True)
    grade = models.CharField(_("accident grade"), max_length=24, choices=AccidentGrade.choices)
    grade_basis = models.CharField(_("grade basis"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=AccidentState.choices, default=AccidentState.REPORTED
    )
    # the investigation (Arts. 19–31)
    investigating_level = models.CharField(
        _("investigated by"), max_length=16, choices=InvestigatingLevel.choices, blank=True
    )
    group_leader = models.CharField(_("group leader"), max_length=100, blank=True)
    group_members = models.TextField(_("group members"), blank=True)
    group_set_up_on = models.DateField(_("group set up on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=200, blank=True)
    report_received_on = models.DateField(_("report received on"), null=True, blank=True)
    report_summary = models.TextField(_("investigation report"), blank=True)
    reply_extension_days = models.PositiveSmallIntegerField(_("reply extension (days)"), default=0)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_authority = models.CharField(_("replying government"), max_length=200, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "occurred_at"], name="accident_scope_idx"),
            models.Index(fields=["state", "jurisdiction_code"], name="accident_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit_name=""), name="accident_unit_name_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.unit_name}"

    @property
    def occurred_on(self) -> dt.date:
        from django.utils import timezone

        return timezone.localtime(self.occurred_at).date()


class ChainStep(models.Model):
    """One report up the chain (Arts. 9–11): from one level to the next. ``due_at`` is known
    once the sending level has received the report; overdue is computed when read."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("accident"), on_delete=models.CASCADE, related_name="chain"
    )
    seq = models.PositiveSmallIntegerField(_("step"))
    from_level = models.CharField(_("from"), max_length=16, choices=ChainLevel.choices)
    to_level = models.CharField(_("to"), max_length=16, choices=ChainLevel.choices)
    from_code = models.CharField(_("from jurisdiction"), max_length=6, blank=True)
    to_code = models.CharField(_("to jurisdiction"), max_length=6, blank=True)
    to_name = models.CharField(_("receiving department"), max_length=128)
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    hours = models.PositiveSmallIntegerField(_("hours allowed"))
    opened_at = models.DateTimeField(
        _("required since"),
        help_text=_("the accident, or the update whose new grade required this report"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    required = models.BooleanField(_("required by the grade"), default=True)

    class Meta:
        verbose_name = _("reporting step")
        verbose_name_plural = _("reporting steps")
        ordering = ["accident_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "seq"], name="accident_chain_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.accident_id}: {self.from_level} → {self.to_level}"

    def is_overdue(self, now: dt.datetime) -> bool:
        return (
            self.required
            and self.reported_at is None
            and self.due_at is not None
            and now > self.due_at
        )

    @property
    def is_late(self) -> bool:
        return (
            self.reported_at is not None
            and self.due_at is not None
            and self.reported_at > self.due_at
        )


class ChainNotice(models.Model):
    """Art. 10 ¶1: the receiving department informed police, labour, union, procuratorate."""

    step = models.ForeignKey(
        ChainStep,
        verbose_name=_("reporting step"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    party = models.CharField(_("informed"), max_length=16, choices=InformParty.choices)
    notified_at = models.DateTimeField(_("informed at"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("notice to another authority")
        verbose_name_plural = _("notices to other authorities")
        constraints = [
            models.UniqueConstraint(fields=["step", "party"], name="accident_notice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.party}"


class CasualtyUpdate(models.Model):
    """A change of the casualties or the loss reported after the first report (Art. 13)."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("accident"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_at = models.DateTimeField(_("reported at"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    grade_before = models.CharField(_("grade before"), max_length=24, choices=AccidentGrade.choices)
    grade_after = models.CharField(_("grade after"), max_length=24, choices=AccidentGrade.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("casualty update")
        verbose_name_plural = _("casualty updates")
        ordering = ["accident_id", "reported_at", "id"]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.reported_at}"


class ResponsibilityFinding(models.Model):
    """A party found responsible (Art. 25 (2), Art. 32 ¶2) and the penalty case it opened."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("accident"), on_delete=models.CASCADE, related_name="findings"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    party = models.CharField(_("party"), max_length=16, choices=FindingParty.choices)
    person_name = models.CharField(_("name"), max_length=100, blank=True)
    person_position = models.CharField(_("position"), max_length=100, blank=True)
    person_id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    provision_code = models.CharField(_("provision"), max_length=48)
    citation = models.CharField(_("article"), max_length=255)
    facts = models.TextField(_("facts found"))
    previous_year_income = models.PositiveBigIntegerField(
        _("previous year's income (yuan)"), null=True, blank=True
    )
    especially_serious = models.BooleanField(
        _("especially serious circumstances (Art. 114 ¶2)"), default=False
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("penalty case"), on_delete=models.PROTECT, related_name="+"
    )
    violation = models.ForeignKey(
        "cases.CaseViolation",
        verbose_name=_("violation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    crime_screened = models.BooleanField(_("flagged for transfer screening"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("responsibility finding")
        verbose_name_plural = _("responsibility findings")
        ordering = ["accident_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party="unit") | ~models.Q(person_name=""),
                name="accident_finding_person_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accident_id}: {self.party} {self.provision_code}"
