"""Models of the training app: the case library (典型案例库).

A ``LibraryCase`` is a de-identified copy of a closed or archived penalty case made for case
teaching. It keeps no name, identity number, credit code or address of the party: only the
derived label (``party_label``, e.g. "某危险化学品生产企业" or "王某") and the facts with
those strings replaced, and how many replacements were made (``replacements``).

Visibility (one rule): an entry is visible to a user whose scope covers the case's
jurisdiction (the case's office and every office above it), and to every office under
``share_prefix`` — the author's office subtree, or the whole province when the entry was
published to the province.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LibraryCase(models.Model):
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    share_prefix = models.CharField(_("shared with the subtree of"), max_length=6)
    province_wide = models.BooleanField(_("published to the province"), default=False)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    party_kind = models.CharField(_("party"), max_length=16)
    party_label = models.CharField(_("party (de-identified)"), max_length=64)
    sector_name = models.CharField(_("sector"), max_length=64, blank=True)
    summary = models.CharField(_("cause of action"), max_length=255)
    facts = models.TextField(_("facts (de-identified)"))
    replacements = models.JSONField(_("replacements made"), default=dict)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    fine = models.BigIntegerField(_("fine decided (yuan)"), null=True, blank=True)
    tags = models.JSONField(_("tags"), default=list)
    provisions = models.ManyToManyField(
        "cases.Provision", verbose_name=_("articles"), related_name="+", blank=True
    )
    teaching_notes = models.TextField(_("teaching notes"))
    created_on = models.DateField(_("added on"))

    class Meta:
        verbose_name = _("case library entry")
        verbose_name_plural = _("case library entries")
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "id"], name="library_scope_idx"),
            models.Index(fields=["share_prefix", "id"], name="library_share_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class LibraryComment(models.Model):
    entry = models.ForeignKey(
        LibraryCase, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("name"), max_length=64)
    agency_name = models.CharField(_("office"), max_length=128, blank=True)
    text = models.TextField(_("comment"))
    created_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")
        ordering = ["entry_id", "created_on", "id"]

    def __str__(self) -> str:
        return f"{self.author_name} {self.created_on}"
