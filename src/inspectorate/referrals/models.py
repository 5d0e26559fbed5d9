"""Transfer of suspected crimes to the police (涉嫌犯罪案件移送; CAPABILITIES §6;
LEGAL-RULES §1.3–§1.4).

* ``ReferralTrigger`` — the criminal standards a case is screened against, as data: the
  crime, its 刑法 article, the article of the 两高 interpretation, the numeric thresholds
  (any one reached meets the trigger), the listed conducts, the facts an officer must state,
  with effective dates.
* ``ReferralFlag`` — a case that met a trigger: the facts, who flagged it and when, and its
  state (open → referred, or dismissed by the head with written reasons).
* ``Referral`` — the transfer itself, run through the table in ``referrals.workflows``:
  the special team (≥ 2 certified officers, 国务院令310 Art. 5), the written report, the
  head's decision within 3 days, the transfer within 24 hours with the attachments of
  Art. 6, the police's receipt (Art. 7), decision (Art. 8), reconsideration and the
  procuratorate's supervision (Art. 9), the handover of items (Art. 12) and a return
  (Art. 13).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralTrigger(models.Model):
    """One criminal standard that makes a case a suspected crime to transfer.

    ``thresholds`` maps a numeric fact to the least value that meets the trigger (any one
    reached meets it: 2015 解释 Art. 6 "死亡一人以上，或者重伤三人以上" / "一百万元以上");
    ``conducts`` maps a conduct code to its text (one of them meets it); ``required_facts``
    lists the text facts an officer must state. A trigger without thresholds or conducts is
    met by its stated facts alone (e.g. 刑法 Art. 134-1: no consequence is needed).
    """

    code = models.CharField(_("code"), max_length=48)
    name = models.CharField(_("name"), max_length=128)
    crime = models.CharField(_("crime"), max_length=64)
    criminal_article = models.CharField(_("article of the Criminal Law"), max_length=128)
    citation = models.CharField(_("judicial interpretation"), max_length=255, blank=True)
    description = models.TextField(_("what meets it"))
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    conducts = models.JSONField(_("conducts"), default=dict, blank=True)
    required_facts = models.JSONField(_("facts to state"), default=list, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer trigger")
        verbose_name_plural = _("transfer triggers")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="referral_trigger_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="referral_trigger_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.criminal_article}）"


class FlagState(models.TextChoices):
    OPEN = "open", _("Open — transfer to be decided")
    REFERRED = "referred", _("Transfer report drafted")
    DISMISSED = "dismissed", _("Dismissed by the head")


class ReferralFlag(models.Model):
    """A case that met a transfer trigger (one flag per case and trigger).

    States: ``open`` (flagged; the case may not be closed with a fine alone), ``referred``
    (a transfer was opened on it), ``dismissed`` (the head found no suspected crime and
    wrote why).
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.ForeignKey(
        ReferralTrigger, verbose_name=_("trigger"), on_delete=models.PROTECT, related_name="+"
    )
    trigger_code = models.CharField(_("trigger code"), max_length=48)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    facts = models.JSONField(_("facts that met the trigger"), default=dict)
    automatic = models.BooleanField(_("flagged automatically"), default=False)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_on = models.DateField(_("flagged on"))
    flagged_at = models.DateTimeField(_("flagged at"))
    state = models.CharField(
        _("state"), max_length=16, choices=FlagState.choices, default=FlagState.OPEN
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_on = models.DateField(_("dismissed on"), null=True, blank=True)
    dismissal_reasons = models.TextField(_("reasons for the dismissal"), blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("transfer flag")
        verbose_name_plural = _("transfer flags")
        ordering = ["-flagged_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "trigger_code"], name="referral_flag_once"),
        ]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state"], name="referral_flag_scope_idx"),
            models.Index(fields=["agency", "state"], name="referral_flag_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.trigger_code}"


class ReferralState(models.TextChoices):
    DRAFTING = "drafting", _("Special team drafting the report")
    SUBMITTED = "submitted", _("Awaiting the head's decision")
    REFUSED = "refused", _("Transfer not approved")
    APPROVED = "approved", _("Approved — to transfer within 24 hours")
    TRANSFERRED = "transferred", _("Transferred — awaiting the police's receipt")
    RECEIVED = "received", _("Received by the police — awaiting their decision")
    ACCEPTED = "accepted", _("Police filed a criminal case")
    HANDED_OVER = "handed_over", _("Items and materials handed over")
    POLICE_REFUSED = "police_refused", _("Police refused to file")
    RECONSIDERATION = "reconsideration", _("Reconsideration requested")
    RECONSIDERATION_REFUSED = "reconsideration_refused", _("Refusal upheld on reconsideration")
    SUPERVISION = "supervision", _("Procuratorate asked to supervise")
    CONCLUDED = "concluded", _("Concluded — police finally refused")
    RETURNED = "returned", _("Returned by the police for administrative handling")


#: The states in which a transfer is still pending: the case may not be closed with a fine
#: alone (国务院令310 Art. 11).
PENDING_STATES = (
    ReferralState.DRAFTING,
    ReferralState.SUBMITTED,
    ReferralState.APPROVED,
    ReferralState.TRANSFERRED,
    ReferralState.RECEIVED,
    ReferralState.POLICE_REFUSED,
    ReferralState.RECONSIDERATION,
    ReferralState.RECONSIDERATION_REFUSED,
    ReferralState.SUPERVISION,
)
#: The states from which nothing more happens.
FINAL_STATES = (
    ReferralState.REFUSED,
    ReferralState.HANDED_OVER,
    ReferralState.CONCLUDED,
    ReferralState.RETURNED,
)


class Referral(models.Model):
    """The transfer of one flagged case to the police at the same level."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    flag = models.ForeignKey(
        ReferralFlag, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("flag")
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    state = models.CharField(
        _("state"), max_length=32, choices=ReferralState.choices, default=ReferralState.DRAFTING
    )
    suspected_crime = models.CharField(_("suspected crime"), max_length=64)
    police = models.CharField(_("public security organ"), max_length=128)
    report = models.TextField(_("written transfer report"))
    items = models.JSONField(_("items involved"), default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reasons = models.TextField(_("reasons for not approving"), blank=True)
    transfer_due_at = models.DateTimeField(_("to transfer by"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    received_on = models.DateField(_("receipt signed on"), null=True, blank=True)
    receipt_signed_by = models.CharField(_("receipt signed by"), max_length=64, blank=True)
    forwarded_to = models.CharField(_("forwarded to (Art. 7)"), max_length=128, blank=True)
    police_decision = models.CharField(_("police decision"), max_length=16, blank=True)
    police_document = models.CharField(_("police notice number"), max_length=64, blank=True)
    police_decided_on = models.DateField(_("police decided on"), null=True, blank=True)
    police_notice_received_on = models.DateField(
        _("police notice received on"), null=True, blank=True
    )
    police_reasons = models.TextField(_("police reasons"), blank=True)
    reconsideration_requested_on = models.DateField(
        _("reconsideration requested on"), null=True, blank=True
    )
    reconsideration_document = models.CharField(
        _("reconsideration decision number"), max_length=64, blank=True
    )
    reconsideration_decided_on = models.DateField(
        _("reconsideration decided on"), null=True, blank=True
    )
    reconsideration_notice_received_on = models.DateField(
        _("reconsideration decision received on"), null=True, blank=True
    )
    supervision_requested_on = models.DateField(
        _("supervision requested on"), null=True, blank=True
    )
    procuratorate = models.CharField(_("procuratorate"), max_length=128, blank=True)
    supervision_outcome = models.TextField(_("outcome of the supervision"), blank=True)
    supervision_concluded_on = models.DateField(
        _("supervision concluded on"), null=True, blank=True
    )
    handed_over_on = models.DateField(_("items handed over on"), null=True, blank=True)
    handover_list = models.JSONField(_("handover list"), default=list, blank=True)
    handover_receiver = models.CharField(_("received by (police)"), max_length=64, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_document = models.CharField(_("return letter number"), max_length=64, blank=True)
    return_reasons = models.TextField(_("reasons for the return"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        verbose_name = _("crime transfer")
        verbose_name_plural = _("crime transfers")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "state"], name="referral_scope_idx"),
            models.Index(fields=["agency", "state"], name="referral_agency_idx"),
            models.Index(fields=["case", "state"], name="referral_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class ReferralMember(models.Model):
    """A member of the special team (专案组, Art. 5) with the certificate valid that day."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="members")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.CharField(_("enforcement certificate"), max_length=32)

    class Meta:
        verbose_name = _("special team member")
        verbose_name_plural = _("special team members")
        ordering = ["referral_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "officer"], name="referral_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.officer_id}"


class AttachmentKind(models.TextChoices):
    """国务院令310 Art. 6: what a transfer carries."""

    LETTER = "letter", _("Letter transferring the case (涉嫌犯罪案件移送书)")
    REPORT = "report", _("Investigation report on the suspected crime")
    ITEM_LIST = "item_list", _("List of items involved (涉案物品清单)")
    EXPERT = "expert", _("Inspection report or expert opinion")
    OTHER = "other", _("Other materials on the suspected crime")


class ReferralAttachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(
        "core.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_on = models.DateField(_("added on"))

    class Meta:
        verbose_name = _("transfer attachment")
        verbose_name_plural = _("transfer attachments")
        ordering = ["referral_id", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"
