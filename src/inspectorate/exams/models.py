"""Models of the exams app: the question bank (题库) and exams composed by rule.

A ``Question`` cites one or more ``legal.Article`` rows (the article of the version it was
written against); its topic is the law of the first cited article, plus optional tags. Kinds:
single choice (单选), multiple choice (多选), true/false (判断) and case analysis (案例分析,
with a model answer and a marking rubric whose points sum to the question's points).

Visibility of a question (one rule): the offices whose scope covers the owner office (the
office and every office above it) and every office under the owner office (its subtree): a
province's bank serves all its offices.

An ``Exam`` is organised by an office; its ``ExamRule`` lines say how many questions of which
law or tag, kind and difficulty each paper holds and what each is worth. States of an exam:
draft → published → closed (``workflows.EXAM``). Its candidates (``ExamCandidate``) are fixed
at publication.

An ``Attempt`` is one candidate's timed sitting: in_progress → marking (a case analysis
awaits a marker) → finished. Its ``AttemptItem`` rows are the paper: each a snapshot of the
question's text, options, correct answer, explanation and rubric as drawn, so that a later
edit of the question changes nothing in the attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")  # 单选
    MULTIPLE = "multiple", _("Multiple choice")  # 多选
    TRUE_FALSE = "true_false", _("True or false")  # 判断
    CASE = "case", _("Case analysis")  # 案例分析


OBJECTIVE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Question(models.Model):
    """One question of the bank. ``correct`` lists the indexes (0-based) of the correct
    options; a true/false question has the options 正确/错误. ``rubric`` is a list of
    ``{"criterion": str, "points": int}`` (case analysis only)."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("owner office"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    share_prefix = models.CharField(_("serves the subtree of"), max_length=6)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    correct = models.JSONField(_("correct answer"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    model_answer = models.TextField(_("model answer"), blank=True)
    rubric = models.JSONField(_("marking rubric"), default=list, blank=True)
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices)
    law = models.ForeignKey(
        "legal.Law", verbose_name=_("topic (law)"), on_delete=models.PROTECT, related_name="+"
    )
    articles = models.ManyToManyField(
        "legal.Article", verbose_name=_("articles cited"), related_name="+"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    points = models.PositiveSmallIntegerField(_("points"))
    state = models.CharField(
        _("state"), max_length=8, choices=QuestionState.choices, default=QuestionState.ACTIVE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["law__sort", "id"]
        indexes = [
            models.Index(fields=["jurisdiction_code", "id"], name="question_scope_idx"),
            models.Index(fields=["share_prefix", "state"], name="question_share_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=1), name="question_points_pos")
        ]

    def __str__(self) -> str:
        return self.stem[:40]


class ExamState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Counting(models.TextChoices):
    BEST = "best", _("Best attempt counts")
    LAST = "last", _("Last attempt counts")


class Exam(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("organising office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction_code = models.CharField(_("jurisdiction code"), max_length=6)
    title = models.CharField(_("title"), max_length=255)
    time_limit = models.PositiveSmallIntegerField(_("time limit (minutes)"))
    opens_at = models.DateTimeField(_("window opens"))
    closes_at = models.DateTimeField(_("window closes"))
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=1)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=1)
    counting = models.CharField(
        _("attempt that counts"), max_length=8, choices=Counting.choices, default=Counting.BEST
    )
    candidate_roles = models.JSONField(_("candidates by role"), default=list, blank=True)
    candidate_ids = models.JSONField(_("candidates by name"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ExamState.choices, default=ExamState.DRAFT
    )
    frozen_rules = models.JSONField(_("rules as published"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction_code", "id"], name="exam_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="exam_window_order"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=0, pass_mark__lte=100), name="exam_pass_mark"
            ),
            models.CheckConstraint(condition=models.Q(time_limit__gte=1), name="exam_time_limit"),
            models.CheckConstraint(condition=models.Q(max_attempts__gte=1), name="exam_attempts"),
        ]

    def __str__(self) -> str:
        return self.title


class ExamRule(models.Model):
    """One rule line: ``count`` active questions of ``kind`` (and of ``law``, ``tag`` and
    ``difficulty`` when given), each worth ``points`` in this exam."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="rules"
    )
    position = models.PositiveSmallIntegerField(_("line"))
    law = models.ForeignKey(
        "legal.Law",
        verbose_name=_("law"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    tag = models.CharField(_("tag"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    difficulty = models.CharField(
        _("difficulty"), max_length=8, choices=Difficulty.choices, blank=True
    )
    count = models.PositiveSmallIntegerField(_("number of questions"))
    points = models.PositiveSmallIntegerField(_("points per question"))

    class Meta:
        verbose_name = _("rule line")
        verbose_name_plural = _("rule lines")
        ordering = ["exam_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "position"], name="exam_rule_position"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="exam_rule_count"),
            models.CheckConstraint(condition=models.Q(points__gte=1), name="exam_rule_points"),
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.position}"


class ExamCandidate(models.Model):
    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="candidates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["exam_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "user"], name="exam_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.user_id}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    MARKING = "marking", _("Awaiting marking")
    FINISHED = "finished", _("Finished")


class Attempt(models.Model):
    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="attempts"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    seed = models.CharField(_("draw seed"), max_length=32)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late_submit_at = models.DateTimeField(_("late submission received at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["exam_id", "candidate_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "candidate", "number"], name="attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.candidate_id}#{self.number}"


class AttemptItem(models.Model):
    """One question of a paper, snapshotted when drawn. ``answer`` holds the chosen option
    indexes (objective kinds) and ``answer_text`` the written answer (case analysis);
    ``marks`` the marker's points per rubric criterion."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    rule_position = models.PositiveSmallIntegerField(_("rule line"))
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    question_version = models.PositiveIntegerField(_("question version"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list)
    correct = models.JSONField(_("correct answer"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    model_answer = models.TextField(_("model answer"), blank=True)
    rubric = models.JSONField(_("marking rubric"), default=list)
    citations = models.JSONField(_("articles cited"), default=list)
    question_points = models.PositiveSmallIntegerField(_("points of the question"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    answer = models.JSONField(_("answer"), default=list)
    answer_text = models.TextField(_("written answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    marks = models.JSONField(_("marks per criterion"), default=list, blank=True)
    comment = models.TextField(_("marker's comment"), blank=True)
    marker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marker"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper item")
        verbose_name_plural = _("paper items")
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"
