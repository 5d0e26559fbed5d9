"""The shared kernel's data: the enforcement record, evidence files and deadlines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspectorate.core.record_kinds import RecordKind


class RecordChainHead(models.Model):
    """The last link of one jurisdiction's chain. Locked while an event is appended."""

    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6, primary_key=True)
    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("record chain head")
        verbose_name_plural = _("record chain heads")

    def __str__(self) -> str:
        return f"{self.jurisdiction_code}#{self.last_seq}"


class RecordEvent(models.Model):
    """One entry of the enforcement record (执法全过程记录). Append-only.

    ``hash`` is SHA-256 over the canonical JSON of every other field and ``prev_hash``,
    so any later change, deletion, insertion or reordering breaks the chain
    (see ``inspectorate.core.record.verify_chain``).
    """

    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    seq = models.PositiveBigIntegerField(_("sequence number"))
    kind = models.CharField(_("kind"), max_length=64, choices=RecordKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict)
    evidence = models.JSONField(_("evidence hashes"), default=list)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("record event")
        verbose_name_plural = _("record events")
        ordering = ["jurisdiction_code", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_code", "seq"], name="record_event_unique_seq"
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "seq"], name="record_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_code}#{self.seq} {self.kind}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(models.Model):
    """A stored file (photo, scan, document) identified by its SHA-256."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name or self.sha256


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class Deadline(models.Model):
    """A statutory or administrative time limit attached to one subject.

    The due date is derived from ``start_date``, ``days`` and ``day_count``, pushed back
    by every pause and extended by every approved extension. Whether it is overdue is
    computed when read (``inspectorate.core.deadlines``), so no job has to run.
    """

    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64)
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    kind = models.CharField(_("kind"), max_length=64)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    day_count = models.CharField(
        _("day count"), max_length=16, choices=DayCount.choices, default=DayCount.CALENDAR
    )
    days = models.PositiveIntegerField(_("days"))
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("counted before the holiday calendar of a year it reaches was published"),
    )
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            models.Index(fields=["jurisdiction_code", "due_date"], name="deadline_due_idx"),
            # the running deadlines of a kind by due date (the oversight dashboard's "cases
            # near their limits"), without reading the met and cancelled ones
            models.Index(
                fields=["kind", "due_date", "jurisdiction_code"],
                name="deadline_open_kind_due_idx",
                condition=models.Q(met_at=None, cancelled_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class DeadlinePause(models.Model):
    """A suspension of the clock (e.g. hearing, expert appraisal). Open while ``ended_on`` is null."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=255)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline pause")
        verbose_name_plural = _("deadline pauses")
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"{self.started_on}–{self.ended_on or ''}"

    def length_days(self, today: dt.date) -> int:
        end = self.ended_on or today
        return max((end - self.started_on).days, 0)


class DeadlineExtension(models.Model):
    """An approved extension; it records who approved it and why."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("days"))
    reason = models.CharField(_("reason"), max_length=255)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["approved_at"]

    def __str__(self) -> str:
        return f"+{self.days}"


def document_upload_to(instance: IssuedDocument, filename: str) -> str:
    return f"documents/{instance.year}/{instance.agency_id}/{filename}"


class DocumentCounter(models.Model):
    """The last number an office gave to one kind of document in one year (locked to number)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year"], name="document_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """An official document (执法文书) as issued: its number, its files and their hashes.

    The PDF and the DOCX are rendered once, when the document is issued, and never again:
    what was handed to the party is what is kept. Both hashes go into the record.
    """

    kind = models.CharField(_("kind"), max_length=32)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("document number"), max_length=64)
    title = models.CharField(_("title"), max_length=64)
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.CharField(_("subject id"), max_length=64)
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    pdf = models.FileField(_("PDF"), upload_to=document_upload_to, max_length=200)
    docx = models.FileField(_("DOCX"), upload_to=document_upload_to, max_length=200)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64)
    content = models.JSONField(_("content"), default=dict)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "seq"], name="issued_document_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="issued_document_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class IdempotencyRecord(models.Model):
    """The answer given to one request carrying an ``Idempotency-Key``.

    A retried or duplicated request with the same key gets the same answer and changes
    nothing; the same key with a different request is refused. Stored in the transaction
    that made the change, so a change is never kept without its answer, or the reverse.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=64)
    endpoint = models.CharField(_("endpoint"), max_length=200)
    request_sha256 = models.CharField(_("request SHA-256"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("body"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


class CalendarYear(models.Model):
    """A year's statutory holiday arrangement (国务院办公厅关于某年部分节假日安排的通知),
    entered by an administrator for a year the ``chinese-calendar`` package does not know
    yet. Its days are the exceptions to the Monday–Friday week. Never edited: a mistaken
    entry is withdrawn (``withdrawn_at``) and the year entered again."""

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source (the State Council notice)"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="calendar_year_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.source}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday or rest day (放假)")
    WORKDAY = "workday", _("Make-up working day (调休上班)")


class CalendarDay(models.Model):
    calendar = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="calendar_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"
