"""Models of the training app: the case library (典型案例库).

A ``LibraryCase`` is a de-identified copy of a closed or archived penalty case made for case
teaching. It keeps no name, identity number, credit code or address of the party: only the
derived label (``party_label``, e.g. "某危险化学品生产企业" or "王某") and the facts with
those strings replaced, and how many replacements were made (``replacements``).

Training (培训, the second half of this module): ``Course`` (a course in a category, of an
organising office), ``Session`` (a class of a course: date, time, place, hours, lecturer,
invited officers; planned → held, or cancelled), ``Attendance`` (one officer at one held
session, with the hours credited), ``StudyNote`` (an attendee's study note or anyone's
discussion comment on a session), ``TrainingPlan`` and ``PlanLine`` (the yearly required
hours per post of an office; a plan of an office applies to every office under it that has
none of its own).

Visibility of the case library (one rule): an entry is visible to a user whose scope covers the case's
jurisdiction (the case's office and every office above it), and to every office under
``share_prefix`` — the author's office subtree, or the whole province when the entry was
published to the province.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
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


# --- training (培训) ---------------------------------------------------------------------------


class CourseCategory(models.TextChoices):
    LAW = "law", _("Laws and regulations")  # 法律法规
    POLICY = "policy", _("New policy")  # 新政策
    SPECIAL_POST = "special_post", _("Special posts")  # 特殊岗位
    SKILLS = "skills", _("Practical skills")  # 业务技能
    POLITICAL = "political", _("Political study")  # 政治理论


class Course(models.Model):
    """A training course of an organising office. ``jurisdiction_code`` is the office's
    code (the office and the offices above it manage the course); ``share_prefix`` the
    office's subtree (every office under it sees the course and its sessions)."""

    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("category"), max_length=16, choices=CourseCategory.choices)
    description = models.TextField(_("description"), blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("organising office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    share_prefix = models.CharField(_("shared with the subtree of"), max_length=6)
    default_hours = models.DecimalField(_("default hours"), max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_on = models.DateField(_("created on"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "id"], name="course_scope_idx"),
            models.Index(fields=["share_prefix", "id"], name="course_share_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_hours__gt=0), name="course_default_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class LecturerKind(models.TextChoices):
    INTERNAL = "internal", _("Internal (an officer)")
    EXTERNAL = "external", _("External (judge, lawyer, expert)")


class Session(models.Model):
    """A class (培训班次) of a course. States: planned → held, planned → cancelled
    (``training.workflows.SESSION``). An internal lecturer is an officer (``lecturer``);
    an external one is a name, an organisation and a title."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=128)
    hours = models.DecimalField(_("hours credited"), max_digits=5, decimal_places=1)
    lecturer_kind = models.CharField(_("lecturer"), max_length=16, choices=LecturerKind.choices)
    lecturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("internal lecturer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lecturer_name = models.CharField(_("lecturer's name"), max_length=64, blank=True)
    lecturer_org = models.CharField(_("lecturer's organisation"), max_length=128, blank=True)
    lecturer_title = models.CharField(_("lecturer's title"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=SessionState.choices, default=SessionState.PLANNED
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited officers"),
        related_name="+",
        blank=True,
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["date", "state"], name="session_date_state_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_positive"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_end_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(lecturer_kind="internal") & Q(lecturer__isnull=False))
                | (Q(lecturer_kind="external") & Q(lecturer__isnull=True) & ~Q(lecturer_name="")),
                name="session_lecturer_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "held", "cancelled"]),
                name="session_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} {self.date}"

    @property
    def lecturer_label(self) -> str:
        if self.lecturer_kind == LecturerKind.INTERNAL and self.lecturer is not None:
            return self.lecturer.get_full_name()
        parts = [self.lecturer_org, self.lecturer_title, self.lecturer_name]
        return " ".join(p for p in parts if p)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    PARTIAL = "partial", _("Partly present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """One officer at one held session; ``hours`` is what counts towards the year."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    hours = models.DecimalField(_("hours"), default=Decimal("0"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session_id", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_nonneg"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "partial"]) | Q(hours=0),
                name="attendance_absent_no_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.status}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Study note")  # 学习心得
    COMMENT = "comment", _("Discussion")


class StudyNote(models.Model):
    """An attendee's study note (学习心得) on a held session, or a discussion comment."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("name"), max_length=64)
    agency_name = models.CharField(_("office"), max_length=128, blank=True)
    text = models.TextField(_("text"))
    created_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("study note or comment")
        verbose_name_plural = _("study notes and comments")
        ordering = ["session_id", "created_on", "id"]

    def __str__(self) -> str:
        return f"{self.author_name} {self.created_on}"


class TrainingPlan(models.Model):
    """The yearly training plan (年度培训计划) of an office: the hours each post requires.

    It applies to the office and to every office under it (``prefix``: the office's
    subtree) that has no plan of its own for the year; the nearest plan wins."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    prefix = models.CharField(_("applies to the subtree of"), max_length=6)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.TextField(_("basis"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_on = models.DateField(_("saved on"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("yearly training plan")
        verbose_name_plural = _("yearly training plans")
        ordering = ["-year", "prefix", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="training_plan_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="training_plan_year_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class PlanLine(models.Model):
    """The hours one post requires in a year: ``required_hours`` in total and, in
    ``minimums`` ({category: hours}), the least hours of some categories."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    post = models.ForeignKey(
        "accountability.Post",
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    required_hours = models.DecimalField(_("required hours"), max_digits=5, decimal_places=1)
    minimums = models.JSONField(_("minimum hours per category"), default=dict, blank=True)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan_id", "post__sort", "post__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "post"], name="plan_line_unique"),
            models.CheckConstraint(
                condition=Q(required_hours__gte=0), name="plan_line_hours_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.required_hours}"
