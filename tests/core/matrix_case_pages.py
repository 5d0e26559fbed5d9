"""The permission matrix's rows for the penalty case pages (/cases/ and the portal's cases).

To be merged into ``tests/core/matrix.py`` (``ENDPOINTS``): the rows assume

* ``"case"`` in ``PAGE_TARGETS`` and a ``"case"`` maker in ``page_object`` — ``build_case``
  below: a case of 天山区 against ``world.ent_tianshan``, proposed by its officer with the team
  lead as second investigator and filed by its head on ``CASE_DAY``, so it is
  ``investigating`` with its 90-day decision limit running;
* ``page_path_keys`` giving ``case`` (the case's pk), ``violation``, ``flag`` and
  ``notice`` (what ``_violation``, ``_flag`` and ``_notified`` made before the snapshot,
  else ``MISSING``): ``**case_path_keys(ctx)`` below does that;
* the case tables in ``pages_snapshot``: ``case_snapshot()`` below.

The matrix's actors hold every staff role but investigate nothing: in their own office they
decide (the head's steps succeed), but the investigators' acts are refused (403), and the
steps of a later state are refused as illegal (409). The levels above see the case and act
on it only through the head's extension at its own level (403 otherwise); another
jurisdiction gets the very same 404 as for a missing case.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from inspectorate.cases import services as cases
from inspectorate.cases.models import (
    Case,
    CaseEvidence,
    CaseExtension,
    CaseSource,
    CaseViolation,
    ConsistencyFlag,
    Hearing,
    Interview,
    Payment,
    PaymentArrangement,
    PaymentSuspension,
    Statement,
)
from inspectorate.core.models import IssuedDocument
from tests.conftest import World
from tests.core.matrix import MISSING, Body, Ctx, Endpoint, _certify_actors, certify, page_object

# The day the case rows act on: the case was filed that day; the calendar knows the year.
CASE_DAY = dt.date(2026, 3, 2)


def build_case(world: World, *, day: dt.date = CASE_DAY) -> Case:
    """天山区's officer proposes a case against ``world.ent_tianshan`` (the team lead second
    investigator); its head approves the filing on ``day``: ``investigating``."""
    certify(world.tianshan_officer, world.tianshan_lead)
    case = cases.case_open(
        actor=world.tianshan_officer,
        enterprise_id=world.ent_tianshan.pk,
        source=CaseSource.COMPLAINT,
        summary="未如实记录事故隐患排查治理情况",
        facts="经查，该单位未建立事故隐患排查治理台账。",
        act_date=day - dt.timedelta(days=30),
        discovered_on=day - dt.timedelta(days=5),
        second_investigator_id=world.tianshan_lead.pk,
        today=day,
    )
    return cases.filing_approve(actor=world.tianshan_head, case_id=case.pk, today=day)


def _case(ctx: Ctx) -> Case:
    case: Case = page_object(ctx, "case")
    return case


def _violation(ctx: Ctx) -> CaseViolation:
    """A violation of the case, recorded by its investigator (made once per test)."""
    if "violation" not in ctx._pages:
        case = _case(ctx)
        ctx._pages["violation"] = cases.violation_add(
            actor=ctx.world.tianshan_officer,
            case_id=case.pk,
            provision_code="97-5-unit-base",
            description="未如实记录事故隐患排查治理情况",
            facts={},
            today=CASE_DAY,
        )
    violation: CaseViolation = ctx._pages["violation"]
    return violation


def _flag(ctx: Ctx) -> ConsistencyFlag:
    """An outlier flag on that violation (test data, as ``consistency_check`` writes it)."""
    if "flag" not in ctx._pages:
        violation = _violation(ctx)
        ctx._pages["flag"] = ConsistencyFlag.objects.create(
            violation=violation,
            case=violation.case,
            jurisdiction_code=violation.case.jurisdiction_code,
            amount=95_000,
            median=50_000,
            low=30_000,
            high=70_000,
            sample=12,
            direction="high",
            flagged_on=CASE_DAY,
        )
    flag: ConsistencyFlag = ctx._pages["flag"]
    return flag


def _notified(ctx: Ctx) -> Case:
    """The case taken on to the notice (made once per test), so that its party sees it on
    the portal: one violation with a mitigating circumstance (the lighter tier, 15,000
    yuan: under every threshold), the report, and the head's review straight to the notice."""
    if "notified" not in ctx._pages:
        case = _case(ctx)
        officer, head = ctx.world.tianshan_officer, ctx.world.tianshan_head
        cases.violation_add(
            actor=officer,
            case_id=case.pk,
            provision_code="97-5-unit-base",
            description="未如实记录事故隐患排查治理情况",
            facts={"eliminated_harm": True},
            today=CASE_DAY,
        )
        cases.report_submit(actor=officer, case_id=case.pk, report="事实清楚。", today=CASE_DAY)
        ctx._pages["notified"] = cases.review_conclude(
            actor=head, case_id=case.pk, action="notify", opinion="同意", today=CASE_DAY
        )
    notified: Case = ctx._pages["notified"]
    return notified


def case_path_keys(ctx: Ctx) -> dict[str, Any]:
    """{case}, {violation}, {flag} and {notice} (the case's notice of the intended penalty)
    of a path: what was made before (read only)."""
    case = ctx._pages.get("case")
    violation = ctx._pages.get("violation")
    flag = ctx._pages.get("flag")
    notice = (
        IssuedDocument.objects.filter(
            subject_type="cases.case", subject_id=str(case.pk), kind="penalty_notice"
        )
        .values_list("pk", flat=True)
        .first()
        if case is not None
        else None
    )
    return {
        "case": case.pk if case is not None else MISSING,
        "violation": violation.pk if violation is not None else MISSING,
        "flag": flag.pk if flag is not None else MISSING,
        "notice": notice or MISSING,
    }


def case_snapshot() -> dict[str, Any]:
    """The tables the case pages write (for ``pages_snapshot``)."""
    return {
        "cases": list(Case.objects.order_by("pk").values_list("pk", "state", "version")),
        "case_violations": CaseViolation.objects.count(),
        "case_evidence": CaseEvidence.objects.count(),
        "case_interviews": Interview.objects.count(),
        "case_statements": Statement.objects.count(),
        "case_hearings": list(Hearing.objects.order_by("pk").values_list("pk", "date")),
        "case_extensions": CaseExtension.objects.count(),
        "case_payments": Payment.objects.count(),
        "case_arrangements": PaymentArrangement.objects.count(),
        "case_suspensions": list(
            PaymentSuspension.objects.order_by("pk").values_list("pk", "ended_on")
        ),
        "case_flags": list(
            ConsistencyFlag.objects.order_by("pk").values_list("pk", "acknowledged_by")
        ),
    }


def _version(**more: Any) -> Body:
    """The case's version as it is now (read only, like every body: the case is made
    before), and the form's fields."""

    def body(ctx: Ctx) -> dict[str, Any]:
        made = ctx._pages.get("case")
        version = (
            Case.objects.filter(pk=made.pk).values_list("version", flat=True).first()
            if made is not None
            else None
        )
        return {"version": version or 1, **more}

    return body


def _filing_form(ctx: Ctx) -> dict[str, Any]:
    return {
        "enterprise": ctx.world.ent_tianshan.credit_code,
        "source": "complaint",
        "source_reference": "12350-0001",
        "summary": "未如实记录事故隐患排查治理情况",
        "facts": "经查，该单位未建立事故隐患排查治理台账。",
        "act_date": "2026-02-01",
        "discovered_on": "2026-02-25",
        "party_kind": "unit",
        "second_investigator": ctx.world.tianshan_officer.pk,
    }


def _simple_form(ctx: Ctx) -> dict[str, Any]:
    return {
        "enterprise": ctx.world.ent_tianshan.credit_code,
        "party_kind": "unit",
        "provision": "99-5-unit-base",
        "description": "未为从业人员提供符合国家标准的劳动防护用品",
        "act_date": CASE_DAY.isoformat(),
        "place": "该单位生产车间",
        "amount": "1000",
        "second_officer": ctx.world.tianshan_officer.pk,
    }


def _evidence(ctx: Ctx) -> dict[str, Any]:
    upload = io.BytesIO(b"\xff\xd8\xff evidence")
    upload.name = "evidence.jpg"
    return _version(
        kind="document",
        description="隐患排查台账（空白）",
        collected_on=CASE_DAY.isoformat(),
        second_officer=ctx.world.tianshan_officer.pk,
        file=upload,
    )(ctx)


def _ent_name(ctx: Ctx) -> str:
    return ctx.world.ent_tianshan.name


_CASE = "/cases/{pk}/"
# A refused write of the office's own staff: an act for the investigators (403).
_INVESTIGATORS_ONLY: dict[str, Any] = {"ok": 403, "upper_ok": 403, "writes": True}
# A write of a later state: refused as an illegal step in its own office (409), by the levels
# above as not their case to act on (403).
_LATER_STATE: dict[str, Any] = {"ok": 409, "upper_ok": 403, "writes": True}


CASE_PAGE_ENDPOINTS = [
    # --- reconsideration and lawsuits (the challenge is made by _challenged)
    Endpoint(
        "cases:case-challenge-record",
        "POST",
        "/cases/{pk}/challenges/",
        "page",
        "case",
        ok=409,  # the case is being investigated: nothing is decided yet
        upper_ok=403,
        body=_version(
            kind="lawsuit",
            body="天山区人民法院",
            reference="（2026）行初1号",
            filed_on="2026-03-02",
        ),
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "cases:case-challenge-decide",
        "POST",
        "/cases/{pk}/challenges/{challenge}/decide/",
        "page",
        "challenged_case",
        ok=302,
        upper_ok=403,
        body=lambda ctx: {
            "result": "revoked",
            "result_on": "2026-03-02",
            "result_reference": "天政复决〔2026〕1号",
        },
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint("cases:workbench", "GET", "/cases/", "page", setup=_case, contains=_ent_name),
    Endpoint("cases:case-list", "GET", "/cases/list/", "page", setup=_case, contains=_ent_name),
    Endpoint("cases:case-new", "GET", "/cases/new/", "page"),
    Endpoint(
        "cases:case-new",
        "POST",
        "/cases/new/",
        "page",
        ok=302,
        body=_filing_form,
        setup=_certify_actors,
        other_ok=400,  # not a unit in its scope, not a colleague
        upper_ok=400,  # 天山区's officer is not of its office
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint("cases:case-detail", "GET", _CASE, "page", "case", contains=_ent_name),
    Endpoint(
        "cases:case-action",
        "POST",
        _CASE + "action/terminate/",
        "page",
        "case",
        ok=302,  # the head of the office (not an investigator) terminates
        body=_version(reason="违法事实不能成立"),
        upper_ok=403,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "cases:case-violation-add",
        "POST",
        _CASE + "violations/",
        "page",
        "case",
        body=_version(provision="97-5-unit-base", act="1", description="未如实记录隐患排查"),
        today=CASE_DAY,
        **_INVESTIGATORS_ONLY,
    ),
    Endpoint(
        "cases:case-violation-remove",
        "POST",
        _CASE + "violations/{violation}/delete/",
        "page",
        "case",
        body=_version(),
        setup=_violation,
        today=CASE_DAY,
        **_INVESTIGATORS_ONLY,
    ),
    Endpoint(
        "cases:case-evidence-add",
        "POST",
        _CASE + "evidence/",
        "page",
        "case",
        body=_evidence,
        multipart=True,
        setup=_certify_actors,
        today=CASE_DAY,
        **_INVESTIGATORS_ONLY,
    ),
    Endpoint(
        "cases:case-interview-add",
        "POST",
        _CASE + "interviews/",
        "page",
        "case",
        body=lambda ctx: _version(
            person="王经理",
            position="安全管理员",
            place="该单位会议室",
            started_at=f"{CASE_DAY.isoformat()}T09:00",
            ended_at=f"{CASE_DAY.isoformat()}T09:40",
            second_officer=ctx.world.tianshan_officer.pk,
            record="问：是否建立隐患排查台账？\n答：没有。",
        )(ctx),
        setup=_certify_actors,
        today=CASE_DAY,
        **_INVESTIGATORS_ONLY,
    ),
    Endpoint(
        "cases:case-hearing-schedule",
        "POST",
        _CASE + "hearing/",
        "page",
        "case",
        body=lambda ctx: _version(
            chair=ctx.world.tianshan_reviewer.pk,
            notice_on=CASE_DAY.isoformat(),
            date="2026-03-20",
            place="局三楼会议室",
            public="on",
        )(ctx),
        today=CASE_DAY,
        **_LATER_STATE,  # the case has no hearing
    ),
    Endpoint(
        "cases:case-statement-add",
        "POST",
        _CASE + "statements/",
        "page",
        "case",
        body=_version(text="当事人口头陈述：已整改。"),
        today=CASE_DAY,
        **_LATER_STATE,  # not notified yet
    ),
    Endpoint(
        "cases:case-payment-add",
        "POST",
        _CASE + "payments/",
        "page",
        "case",
        body=_version(
            paid_on=CASE_DAY.isoformat(), amount="1000", receipt_number="BANK-9", channel="工行"
        ),
        today=CASE_DAY,
        **_LATER_STATE,  # nothing decided
    ),
    Endpoint(
        "cases:case-arrangement",
        "POST",
        _CASE + "arrangement/",
        "page",
        "case",
        body=_version(kind="deferral", schedule="2026-06-30 1000", reason="资金困难"),
        today=CASE_DAY,
        **_LATER_STATE,
    ),
    Endpoint(
        "cases:case-suspension-start",
        "POST",
        _CASE + "suspension/",
        "page",
        "case",
        body=_version(
            kind="review", reference="新政复〔2026〕1号", started_on=CASE_DAY.isoformat()
        ),
        today=CASE_DAY,
        **_LATER_STATE,
    ),
    Endpoint(
        "cases:case-suspension-end",
        "POST",
        _CASE + "suspension/end/",
        "page",
        "case",
        body=_version(ended_on=CASE_DAY.isoformat()),
        today=CASE_DAY,
        **_LATER_STATE,  # no reconsideration or suit runs
    ),
    Endpoint(
        "cases:case-remind",
        "POST",
        _CASE + "remind/",
        "page",
        "case",
        body=_version(),
        today=CASE_DAY,
        **_LATER_STATE,
    ),
    Endpoint(
        "cases:case-extend",
        "POST",
        _CASE + "extend/",
        "page",
        "case",
        ok=302,  # the head of the office, at its own level
        body=_version(level="head", days="10", reason="案情复杂，需补充鉴定"),
        upper_ok=403,  # the upper level extends only after the office's own head
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint(
        "cases:case-decision-pause",
        "POST",
        _CASE + "decision-pause/",
        "page",
        "case",
        ok=302,  # the head of the office that runs the case
        body=lambda ctx: {"reason": "委托司法鉴定"},
        upper_ok=403,
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint("cases:calculator", "GET", "/cases/calculator/?provision=97-5-unit-base", "page"),
    Endpoint("cases:simple-new", "GET", "/cases/simple/", "page"),
    Endpoint(
        "cases:simple-new",
        "POST",
        "/cases/simple/",
        "page",
        ok=302,
        body=_simple_form,
        setup=_certify_actors,
        other_ok=400,  # not a unit in its scope
        upper_ok=400,  # 天山区's officer is not of its office
        today=CASE_DAY,
        writes=True,
    ),
    Endpoint("cases:outliers", "GET", "/cases/outliers/", "page", setup=_flag),
    Endpoint(
        "cases:outlier-acknowledge",
        "POST",
        "/cases/outliers/{flag}/acknowledge/",
        "page",
        body=lambda ctx: {"text": "该单位此前两次违法，从重处罚适当。"},
        setup=_flag,
        other_ok=404,  # not a flag of its jurisdiction
        ok=302,  # the legal reviewer, the head and the upper levels answer a flag
        today=CASE_DAY,
        writes=True,
    ),
    # --- the enterprise portal: staff are refused; the unit's own user is served (the case
    # notified: tests/rectification/test_pages.py and tests/cases/test_pages.py)
    Endpoint("portal:case", "GET", "/portal/cases/{case}/", "portal", ok=403, setup=_notified),
    Endpoint(
        "portal:case",
        "POST",
        "/portal/cases/{case}/",
        "portal",
        ok=403,
        body=lambda ctx: {"form": "statement", "text": "已整改。"},
        setup=_notified,
        writes=True,
    ),
    Endpoint(
        "portal:case-document",
        "GET",
        "/portal/cases/{case}/documents/{notice}.pdf",
        "portal",
        ok=403,
        setup=_notified,
    ),
]
