"""The demo data of the oversight app (loaded by ``make run`` through org.demo).

* A supervision order (督办) of 乌鲁木齐市 (650100) to 天山区 (650102), issued on 2026-11-02
  about a unit of 天山区 with a reply due on 2026-11-20, answered by 天山区 on 2026-11-17
  (its measures and result) and accepted by 乌鲁木齐市 on 2026-11-19; and a second order,
  issued on 2026-11-23 and due on 2026-12-10, still waiting for the reply.
* A hazard found on 2026-11-05 by 乌鲁木齐市 (``pref_lead`` and ``pref_officer``) at the
  demo enterprise user's unit, which 天山区 inspected on 2026-09-15 (51 days before) without
  a similar finding: a row of the missed-detection report (90-day window).
* The review (案卷评查) by 乌鲁木齐市's supervisor of 天山区's archived case on the
  system's default scoring sheet: 93 of 100 points, 优秀.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.cases.models import Case, CaseState
from inspectorate.org.models import Agency, User
from inspectorate.oversight import services
from inspectorate.registry.models import Enterprise

D = dt.date


def load_oversight_demo() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["pref_head", "pref_supervisor", "county_officer", "county_head"]
        )
    }
    pref_head, pref_supervisor = users.get("pref_head"), users.get("pref_supervisor")
    county_officer = users.get("county_officer")
    county = Agency.objects.filter(jurisdiction_id="650102").order_by("id").first()
    if not (pref_head and pref_supervisor and county_officer and county):
        return
    units = list(
        Enterprise.objects.filter(jurisdiction_id="650102", status="operating").order_by("id")[:6]
    )
    if len(units) < 2:
        return
    order = services.supervision_issue(
        actor=pref_head,
        addressee_id=county.pk,
        subject_kind="enterprise",
        enterprise_id=units[-1].pk,
        title="督促整改液氨储罐区重大事故隐患",
        requirements=(
            "市局专项检查发现该单位液氨储罐区可燃气体检测报警装置停用，属重大事故隐患。"
            "请你局立即组织复查，督促企业停用相关设施并限期整改，依法立案查处，"
            "并将整改和查处情况书面报告市局。"
        ),
        due_date=D(2026, 11, 20),
        today=D(2026, 11, 2),
    )
    replied = services.supervision_reply(
        actor=county_officer,
        order_id=order.pk,
        version=order.version,
        measures=(
            "11月3日会同企业复查，责令储罐区停止使用，11月10日恢复报警装置并经检测合格；"
            "对企业关闭报警装置的行为已立案调查。"
        ),
        result="隐患已整改完毕，经复查合格；案件正在调查中。",
        today=D(2026, 11, 17),
    )
    services.supervision_accept(
        actor=pref_head,
        order_id=order.pk,
        version=replied.version,
        opinion="整改到位，同意办结；立案查处情况另行报送。",
        today=D(2026, 11, 19),
    )
    services.supervision_issue(
        actor=pref_head,
        addressee_id=county.pk,
        subject_kind="other",
        subject_text="冬季危险化学品企业安全检查",
        title="督办冬季危险化学品企业安全检查",
        requirements="请于12月10日前完成辖区危险化学品企业冬季安全检查，报送检查及整改情况。",
        due_date=D(2026, 12, 10),
        today=D(2026, 11, 23),
    )
    _upper_finding()
    archived = (
        Case.objects.filter(jurisdiction_code="650102", state=CaseState.ARCHIVED)
        .order_by("id")
        .first()
    )
    if archived is None:
        return
    sheet = services.sheet_in_force(archived.jurisdiction_code)
    scores = {i.code: {"points": i.max_points, "note": ""} for i in sheet.items.all()}
    scores["E4"] = {"points": 7, "note": "裁量说明较简略，未逐项对照裁量基准"}
    scores["D2"] = {"points": 3, "note": "询问笔录页码未连续编写"}
    scores["A1"] = {"points": 8, "note": "卷内目录未注明页数"}
    services.case_file_review_create(
        actor=pref_supervisor,
        case_id=archived.pk,
        scores=scores,
        conclusion="事实清楚、程序合法、文书基本规范，评为优秀；文书编号和归档细节需改进。",
        today=D(2026, 11, 25),
    )


def _upper_finding() -> None:
    """乌鲁木齐市 inspects the demo enterprise user's unit and finds a hazard that 天山区's
    inspection of 2026-09-15 did not (another checklist item, another article)."""
    from inspectorate.inspections import services as inspecting
    from inspectorate.inspections.models import AnswerResult, Finding, MeasureKind, Origin

    lead = User.objects.filter(username="pref_lead").first()
    officer = User.objects.filter(username="pref_officer").first()
    ent_user = User.objects.filter(username="enterprise_user").select_related("enterprise").first()
    if not (lead and officer and ent_user and ent_user.enterprise):
        return
    unit = ent_user.enterprise
    found_before = set(
        Finding.objects.filter(enterprise=unit).values_list("violated_article", flat=True)
    )
    day = D(2026, 11, 5)
    inspection = inspecting.inspection_start(
        actor=lead,
        enterprise_id=unit.pk,
        second_officer_id=officer.pk,
        origin=Origin.CAMPAIGN,
        origin_note="市局危险化学品企业专项执法检查",
        started_at=_at(day, 9),
    )
    answers = list(inspection.answers.select_related("item").order_by("sort"))
    target = next(
        a
        for a in answers
        if a.item is not None
        and not a.item.major_hazard
        and a.item.legal_basis not in found_before
        and a.item.code not in ("GEN-12", "GEN-13")
    )
    result = inspecting.answers_save(
        actor=lead,
        inspection_id=inspection.pk,
        changes=[inspecting.AnswerChange(target.pk, AnswerResult.FINDING, "", 0)],
        findings=[
            {
                "answer_id": target.pk,
                "description": "应急预案未按规定组织演练，演练记录缺失",
                "location": "安全管理办公室",
            }
        ],
        now=_at(day, 10),
    )
    rest = [
        inspecting.AnswerChange(a.pk, AnswerResult.COMPLIANT, "", a.revision)
        for a in inspection.answers.filter(result="")
    ]
    inspecting.answers_save(actor=lead, inspection_id=inspection.pk, changes=rest, now=_at(day, 11))
    inspecting.measure_decide(
        actor=lead,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[f.pk for f in result.findings],
        now=_at(day, 11),
    )
    inspecting.record_sign(
        actor=lead,
        inspection_id=inspection.pk,
        handling="责令限期整改1项，已送达责令限期整改指令书",
        unit_head_name=unit.legal_representative or "单位负责人",
        signature="signed",
        now=_at(day, 12),
    )
    inspecting.inspection_close(actor=lead, inspection_id=inspection.pk, now=_at(day, 12))


def _at(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
