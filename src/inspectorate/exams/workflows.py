"""The exam's workflow as a table (ARCHITECTURE rule 4): draft → published → closed.

Publishing checks that the bank holds enough active questions for every rule line and
that the exam has candidates (guards in ``services``), then freezes the rules and the list
of candidates. Closing ends the exam before or after its window: attempts still in
progress are submitted at their due time or at the closing moment, whichever is earlier.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inspectorate.core.record_kinds import RecordKind
from inspectorate.core.workflow import Transition, Workflow
from inspectorate.exams.models import ExamState
from inspectorate.exams.selectors import WRITERS

ORGANISERS = frozenset(WRITERS)

EXAM = Workflow(
    name="exam",
    state_field="state",
    states=(ExamState.DRAFT, ExamState.PUBLISHED, ExamState.CLOSED),
    transitions=(
        Transition(
            ExamState.DRAFT,
            "publish",
            ExamState.PUBLISHED,
            _("Publish"),
            ORGANISERS,
            RecordKind.EXAM_PUBLISHED,
        ),
        Transition(
            ExamState.PUBLISHED,
            "close",
            ExamState.CLOSED,
            _("Close"),
            ORGANISERS,
            RecordKind.EXAM_CLOSED,
        ),
    ),
)
