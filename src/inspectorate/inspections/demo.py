"""Inspections for the demo province, through the same services officers use. Deterministic.

* The unit of the demo enterprise user (天山区), inspected on 2026-09-15 by ``county_officer``
  and ``county_lead`` in a special campaign: one hazard corrected on the spot, two ordered
  (one a 重大事故隐患 where the unit's sector has an official criterion). The unit reported
  completion on 2026-10-20; the re-inspection on 2026-10-26 found one line rectified and one
  not, and the head extended it by 15 working days (to 2026-11-23), so on the demo's
  "today" it is overdue: it appears in the open-hazards list and may be escalated.
* A second 天山区 unit is being inspected (started 2026-11-27, half the items answered),
  for the workbench.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from inspectorate.inspections import services
from inspectorate.inspections.models import AnswerResult, Inspection, MeasureKind, Origin
from inspectorate.org.models import User
from inspectorate.registry.models import Enterprise


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _photo(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def load_inspections_demo() -> None:
    officer = User.objects.filter(username="county_officer").first()
    lead = User.objects.filter(username="county_lead").first()
    head = User.objects.filter(username="county_head").first()
    ent_user = User.objects.filter(username="enterprise_user").select_related("enterprise").first()
    if not (officer and lead and head and ent_user and ent_user.enterprise):
        return
    _closed_inspection(officer, lead, head, ent_user)
    other = (
        Enterprise.objects.filter(jurisdiction_id="650102", status="operating")
        .exclude(pk=int(ent_user.enterprise_id or 0))
        .order_by("id")
        .first()
    )
    if other is not None:
        _inspection_in_progress(officer, lead, other)


# The hazard found on the unit's major-hazard criterion, by the criterion the sector has.
MAJOR_FINDINGS = {
    "HC-12": ("罐区可燃气体检测报警装置停用，控制室无报警显示", "储罐区"),
    "GMT-SP-4": ("有限空间作业未经审批，未检测即进入污水池作业", "污水处理站"),
    "MN-O-4": ("边坡在线监测系统停用，监测数据中断", "采场边坡"),
    "FW-03": ("药物总库防雷设施检测不合格", "药物总库"),
    "GEN-09": ("可燃气体报警装置被关闭，控制室无报警显示", "储存区"),
}


def _pick_lines(inspection: Inspection) -> tuple[int, int, int, tuple[str, str]]:
    """A general line to correct on the spot, one to order, and a major criterion where the
    sector has one (else the general duty on monitoring and alarms)."""
    by_code = {
        a.item.code: a.pk for a in inspection.answers.select_related("item") if a.item is not None
    }
    code = next(c for c in MAJOR_FINDINGS if c in by_code)
    return by_code["GEN-13"], by_code["GEN-12"], by_code[code], MAJOR_FINDINGS[code]


def _closed_inspection(officer: User, lead: User, head: User, ent_user: User) -> None:
    from inspectorate.rectification.services import (
        order_extend,
        reinspection_start,
        submission_add,
    )

    enterprise = ent_user.enterprise
    if enterprise is None:
        return
    day = dt.date(2026, 9, 15)
    now = _at(day, 9)
    inspection = services.inspection_start(
        actor=officer,
        enterprise_id=enterprise.pk,
        second_officer_id=lead.pk,
        origin=Origin.CAMPAIGN,
        origin_note="2026年安全生产治本攻坚三年行动专项检查",
        started_at=now,
    )
    spot, ordered, third, major = _pick_lines(inspection)
    texts = {
        spot: ("二号仓库疏散通道堆放原料桶，安全出口被占用", "二号仓库"),
        ordered: ("隐患排查治理台账自2026年6月起未记录，未向从业人员通报", "安全管理办公室"),
        third: major,
    }
    result = services.answers_save(
        actor=officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a, AnswerResult.FINDING, "", 0) for a in texts],
        findings=[
            {"answer_id": a, "description": text, "location": where}
            for a, (text, where) in texts.items()
        ],
        now=_at(day, 10),
    )
    found = {f.answer_id: f for f in result.findings}
    for finding, colour in ((found[third], (170, 40, 40)), (found[spot], (60, 60, 160))):
        services.finding_evidence_add(
            actor=officer,
            finding_id=finding.pk,
            content=_photo(colour),
            name=f"现场照片-{finding.pk}.jpg",
            content_type="image/jpeg",
            taken_at=_at(day, 10),
            latitude="43.793000",
            longitude="87.627000",
        )
    rest = [
        services.AnswerChange(a.pk, AnswerResult.COMPLIANT, "", a.revision)
        for a in inspection.answers.filter(result="")
    ]
    services.answers_save(actor=lead, inspection_id=inspection.pk, changes=rest, now=_at(day, 11))
    services.measure_decide(
        actor=officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.CORRECT_NOW,
        finding_ids=[found[spot].pk],
        description="责令当场清理疏散通道内堆放的原料桶，已清理完毕",
        now=_at(day, 11),
    )
    services.measure_decide(
        actor=officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.ORDER_RECTIFICATION,
        finding_ids=[found[ordered].pk, found[third].pk],
        now=_at(day, 11),
    )
    services.record_sign(
        actor=officer,
        inspection_id=inspection.pk,
        handling="当场改正1项；责令限期整改2项，已送达责令限期整改指令书",
        unit_head_name=enterprise.legal_representative or "单位负责人",
        signature="signed",
        now=_at(day, 12),
    )
    services.inspection_close(actor=officer, inspection_id=inspection.pk, now=_at(day, 12))
    order = inspection.orders.get()
    submission_add(
        actor=ent_user,
        order_id=order.pk,
        kind="completion",
        note="已恢复隐患排查台账并组织全员通报；报警装置已送检，待更换",
        files=[("整改照片.jpg", "image/jpeg", _photo((40, 140, 60)))],
        now=_at(dt.date(2026, 10, 20), 15),
    )
    review_day = dt.date(2026, 10, 26)
    review = reinspection_start(
        actor=lead, order_id=order.pk, second_officer_id=officer.pk, now=_at(review_day, 9)
    )
    outcome = {found[ordered].pk: AnswerResult.COMPLIANT, found[third].pk: AnswerResult.FINDING}
    services.answers_save(
        actor=lead,
        inspection_id=review.pk,
        changes=[
            services.AnswerChange(a.pk, outcome[a.prior_finding_id or 0], "", 0)
            for a in review.answers.all()
        ],
        now=_at(review_day, 10),
    )
    services.record_sign(
        actor=lead,
        inspection_id=review.pk,
        handling="隐患排查台账已整改；报警装置仍未恢复",
        unit_head_name=enterprise.legal_representative or "单位负责人",
        signature="signed",
        now=_at(review_day, 10),
    )
    services.inspection_close(actor=lead, inspection_id=review.pk, now=_at(review_day, 11))
    order_extend(
        actor=head,
        order_id=order.pk,
        working_days=15,
        reason="报警装置需厂家返修，企业已提交采购合同",
        now=_at(review_day, 16),
    )


def _inspection_in_progress(officer: User, lead: User, enterprise: Enterprise) -> None:
    day = dt.date(2026, 11, 27)
    inspection = services.inspection_start(
        actor=officer,
        enterprise_id=enterprise.pk,
        second_officer_id=lead.pk,
        origin=Origin.COMPLAINT,
        origin_note="12350举报：夜间违规动火作业",
        started_at=_at(day, 9),
    )
    answers = list(inspection.answers.order_by("sort"))
    half = answers[: len(answers) // 2]
    services.answers_save(
        actor=officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, AnswerResult.COMPLIANT, "", 0) for a in half],
        now=_at(day, 10),
    )
