"""The permission matrix's rows for the assessment app (API and pages) and the objects they act on.

See tests/core/matrix_training.py for what tests/core/matrix.py reads from here:
TARGETS, MAKERS, path_keys(ctx), snapshot() and ENDPOINTS.

The "assess_office" target is 天山区's office (its pk in the paths) with its 2026
assessment computed by its head; "assess_result" the 2026 result of 天山区's officer. The
matrix's actors hold every staff role: in 天山区 they compute and confirm; the offices
above read and compute but do not confirm (only the office's own head, 403); 克拉玛依 gets
the same 404 as for a missing office. A scheme is published by a provincial office only.

The "challenged_case" target (``make_challenged_case``) and ``{challenge}`` of a path are
for the reconsideration rows of ``matrix_cases.py`` and ``matrix_case_pages.py``;
``snapshot`` covers the challenges, which those rows write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from inspectorate.assessment import services
from inspectorate.assessment.models import AssessmentResult, OfficeAssessment, Scheme
from inspectorate.cases import services as cases
from inspectorate.cases.models import Case, DecisionChallenge
from inspectorate.org.models import Agency
from tests.core.matrix import MISSING, Ctx, Endpoint, certify

DAY = dt.date(2026, 11, 20)  # the maker's computation day (the calls run on the real day)


def make_office(ctx: Ctx) -> Agency:
    world = ctx.world
    services.assessment_compute(
        actor=world.tianshan_head, agency=world.tianshan, year=2026, today=DAY
    )
    return world.tianshan


def make_result(ctx: Ctx) -> AssessmentResult:
    from tests.core.matrix import page_object

    page_object(ctx, "assess_office")
    return AssessmentResult.objects.get(officer=ctx.world.tianshan_officer, year=2026)


def make_challenged_case(ctx: Ctx) -> Case:
    """A 天山区 case against its second unit (whose user does not see it), decided (put
    straight into the state: the path to it is the flow's), with a reconsideration recorded
    by its officer (``{challenge}`` of a path)."""
    from tests.core.matrix_cases import CASE_DAY

    world = ctx.world
    certify(world.tianshan_officer, world.tianshan_lead)
    case = cases.case_open(
        actor=world.tianshan_officer,
        enterprise_id=world.ent_tianshan_2.pk,
        source="complaint",
        summary="未按规定设置安全警示标志",
        facts="经查，配电室未设置安全警示标志。",
        act_date=dt.date(2026, 1, 5),
        discovered_on=dt.date(2026, 2, 20),
        second_investigator_id=world.tianshan_lead.pk,
        today=CASE_DAY,
    )
    Case.objects.filter(pk=case.pk).update(
        state="decided", decided_on=CASE_DAY, decided_by=world.tianshan_head
    )
    ctx._pages["challenge"] = cases.challenge_record(
        actor=world.tianshan_officer,
        case_id=case.pk,
        kind="reconsideration",
        body="天山区人民政府",
        reference="天政复〔2026〕1号",
        filed_on=CASE_DAY,
        today=CASE_DAY,
    )
    return Case.objects.get(pk=case.pk)


TARGETS: frozenset[str] = frozenset({"assess_office", "assess_result", "challenged_case"})
MAKERS: dict[str, Callable[[Ctx], Any]] = {
    "assess_office": make_office,
    "assess_result": make_result,
    "challenged_case": make_challenged_case,
}


def path_keys(ctx: Ctx) -> dict[str, Any]:
    challenge = ctx._pages.get("challenge")
    office = ctx._pages.get("assess_office")
    result = ctx._pages.get("assess_result")
    case = ctx._pages.get("challenged_case")
    return {
        "challenged_case": case.pk if case is not None else MISSING,
        "challenge": challenge.pk if challenge is not None else MISSING,
        "assess_office": office.pk if office is not None else MISSING,
        "assess_result": result.pk if result is not None else MISSING,
    }


def snapshot() -> dict[str, Any]:
    return {
        "office_assessments": list(
            OfficeAssessment.objects.order_by("pk").values_list("pk", "version", "confirmed_on")
        ),
        "assessment_results": list(
            AssessmentResult.objects.order_by("pk").values_list("pk", "total", "grade")
        ),
        "assessment_schemes": list(Scheme.objects.order_by("pk").values_list("pk", "version")),
        "case_challenges": list(
            DecisionChallenge.objects.order_by("pk").values_list("pk", "result", "version")
        ),
    }


def _office(ctx: Ctx) -> Agency:
    from tests.core.matrix import page_object

    agency: Agency = page_object(ctx, "assess_office")
    return agency


_TS: Callable[[Ctx], str] = lambda ctx: ctx.world.tianshan.name  # noqa: E731
_OFFICE = "/api/v1/assessment/offices/{pk}/2026/"
_PAGE = "/assessment/office/{pk}/2026/"


def _scheme(ctx: Ctx) -> dict[str, Any]:
    return {
        "year": 2026,
        "name": "新疆执法人员年度考核方案",
        "source": "新应急〔2026〕1号",
        "weight_training": 20,
        "weight_exams": 20,
        "weight_review": 20,
        "weight_overturned": 20,
        "weight_deadlines": 20,
        "overturned_points": "20",
        "missed_points": "10",
        "band_excellent": "90",
        "band_competent": "75",
        "band_basic": "60",
        "excellent_quota": "20",
    }


ENDPOINTS: list[Endpoint] = [
    # --- API
    Endpoint(
        "api-assessment-offices",
        "GET",
        "/api/v1/assessment/offices/?year=2026",
        "api",
        setup=_office,
        contains=_TS,
    ),
    Endpoint("api-assessment-office", "GET", _OFFICE, "api", "assess_office"),
    Endpoint(
        "api-assessment-compute",
        "POST",
        _OFFICE + "compute/",
        "api",
        "assess_office",
        body=lambda ctx: {},
        writes=True,
    ),
    Endpoint(
        "api-assessment-confirm",
        "POST",
        _OFFICE + "confirm/",
        "api",
        "assess_office",
        upper_ok=403,  # only the office's own head confirms
        body=lambda ctx: {},
        writes=True,
    ),
    Endpoint(
        "api-assessment-result",
        "GET",
        "/api/v1/assessment/results/{pk}/",
        "api",
        "assess_result",
    ),
    Endpoint("api-assessment-schemes", "GET", "/api/v1/assessment/schemes/", "api"),
    Endpoint(
        "api-assessment-schemes",
        "POST",
        "/api/v1/assessment/schemes/",
        "api",
        ok=403,  # a county office publishes no scheme
        other_ok=403,
        by_actor={"prefecture": 403, "province": 201},
        body=_scheme,
        writes=True,
    ),
    # --- pages
    Endpoint("assessment:scheme", "GET", "/assessment/scheme/?year=2026", "page"),
    Endpoint(
        "assessment:scheme",
        "POST",
        "/assessment/scheme/",
        "page",
        ok=403,  # a county office publishes no scheme
        other_ok=403,
        by_actor={"prefecture": 403, "province": 302},
        body=_scheme,
        writes=True,
    ),
    Endpoint("assessment:report", "GET", "/assessment/", "page"),
    Endpoint(
        "assessment:offices",
        "GET",
        "/assessment/offices/?year=2026",
        "page",
        setup=_office,
        contains=_TS,
    ),
    Endpoint("assessment:office", "GET", _PAGE, "page", "assess_office"),
    Endpoint(
        "assessment:compute",
        "POST",
        _PAGE + "compute/",
        "page",
        "assess_office",
        ok=302,
        writes=True,
    ),
    Endpoint(
        "assessment:confirm",
        "POST",
        _PAGE + "confirm/",
        "page",
        "assess_office",
        ok=302,
        upper_ok=403,
        writes=True,
    ),
    Endpoint(
        "assessment:export",
        "GET",
        _PAGE + "export.csv",
        "page",
        "assess_office",
        contains=lambda ctx: ctx.world.tianshan_officer.get_full_name(),
    ),
    Endpoint("assessment:export-docx", "GET", _PAGE + "report.docx", "page", "assess_office"),
    Endpoint(
        "assessment:result",
        "GET",
        "/assessment/results/{pk}/",
        "page",
        "assess_result",
    ),
]
