"""The procedural law of a penalty case, as data and small pure functions.

Every number here is either statutory (with its article) or a province's setting kept in
``ProcedureRules`` (with its source); the defaults below seed the national row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from inspectorate.core.calendar import add_calendar_days, add_working_days
from inspectorate.core.errors import ValidationFailed
from inspectorate.core.models import DayCount

#: Deadline kinds of a case (core.Deadline.kind), each with its legal basis.
DECISION = "case_decision"
STATEMENT = "case_statement"
HEARING_REQUEST = "case_hearing_request"
SERVICE = "case_service"
PAYMENT = "case_payment"

LEGAL_BASIS = {
    DECISION: "《行政处罚法》第六十条",
    STATEMENT: "《行政处罚法》第四十四条、第四十五条",
    HEARING_REQUEST: "《行政处罚法》第六十四条第（一）项",
    SERVICE: "《行政处罚法》第六十一条",
    PAYMENT: "《行政处罚法》第六十七条第三款",
}

#: Penalties other than a fine that give the party the right to a hearing (Art. 63).
HEARING_PENALTY_WORDS = ("停产停业", "停产整顿", "吊销", "关闭", "限制从业", "降级", "撤销")

#: The national default of ``ProcedureRules`` (loaded by migration 0002).
DEFAULT_RULES: dict[str, Any] = {
    "jurisdiction_code": "",
    "effective_from": dt.date(2021, 7, 15),
    "source": (
        "行政处罚法（2021）第51条（简易程序：个人200元、单位3000元）、第60条（90日）、"
        "第61条（送达7日）、第64条（听证申请5日、通知7日）、第67条（缴纳15日）、"
        "第72条（每日3%，不超过罚款数额）；行政强制法第35条、第54条（催告后10日）、"
        "行政诉讼法第46条（起诉期限6个月）。"
        "听证与法制审核数额取旧《安全生产违法行为行政处罚办法》（总局令第15号、第77号修正）"
        "“没有规定数额的，个人1万元以上、生产经营单位3万元以上”；集体讨论数额取某应急管理局"
        "“个人2万元以上、生产经营单位5万元以上”的做法。⚠ 应急管理部令第18号（2026-02-01施行）"
        "条文未核实：听证、法制审核、集体讨论数额和办案期限延长的层级均为可配置数据，"
        "各省按其规定另行设置。陈述申辩期限法律未规定，默认与听证申请期限相同（5个工作日）。"
    ),
    "hearing_unit": 30_000,
    "hearing_person": 10_000,
    "review_unit": 30_000,
    "review_person": 10_000,
    "discussion_unit": 50_000,
    "discussion_person": 20_000,
    "simple_unit": 3_000,
    "simple_person": 200,
    "decision_days": 90,
    "extension_levels": [{"level": "head", "days": 30}, {"level": "upper", "days": 60}],
    "statement_days": 5,
    "hearing_request_days": 5,
    "hearing_notice_days": 7,
    "service_days": 7,
    "payment_days": 15,
    "surcharge_rate": Decimal("0.0300"),
    "reminder_days": 10,
    "appeal_months": 6,
}


def rules_for(code: str, on: dt.date) -> Any:
    """The procedural rules in force on ``on`` for jurisdiction ``code``: the province's own
    row when it has one, else the national default."""
    from inspectorate.cases.models import ProcedureRules

    rows = (
        ProcedureRules.objects.filter(jurisdiction_code__in=[code[:2], ""], effective_from__lte=on)
        .filter(Q(effective_until=None) | Q(effective_until__gte=on))
        .order_by("-jurisdiction_code", "-effective_from")
    )
    found = rows.first()
    if found is None:
        raise LookupError(f"No procedural rules in force on {on} for {code}")
    return found


def threshold(rules: Any, name: str, party_kind: str) -> int:
    value: int = getattr(rules, f"{name}_{'unit' if party_kind == 'unit' else 'person'}")
    return value


def heavy_other_penalty(text: str) -> bool:
    return any(word in text for word in HEARING_PENALTY_WORDS)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def limitation_years(endangered_life: bool) -> int:
    """行政处罚法 Art. 36: 2 years; 5 where life and health were endangered and harm followed."""
    return 5 if endangered_life else 2


def limitation_check(
    *, act_date: dt.date, act_end_date: dt.date | None, discovered_on: dt.date, endangered: bool
) -> None:
    """Raise a field error when the act was discovered after the limitation period."""
    errors: dict[str, list[str]] = {}
    if act_end_date is not None and act_end_date < act_date:
        errors["act_end_date"] = [_("A continuing act cannot end before it began.")]
    if discovered_on < act_date:
        errors["discovered_on"] = [_("An act cannot be discovered before it happened.")]
    if errors:
        raise ValidationFailed.of_fields(errors)
    start = act_end_date or act_date
    years = limitation_years(endangered)
    last = _add_years(start, years)
    if discovered_on > last:
        raise ValidationFailed.of_fields(
            {
                "act_date": [
                    _(
                        "The limitation period of %(years)s years (行政处罚法 Art. 36) ended on "
                        "%(last)s, before the act was discovered on %(found)s: it may not be "
                        "penalised."
                    )
                    % {"years": years, "last": last.isoformat(), "found": discovered_on.isoformat()}
                ]
            }
        )


def due(start: dt.date, days: int, count: str) -> dt.date:
    if count == DayCount.WORKING:
        return add_working_days(start, days)
    return add_calendar_days(start, days)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


CENT = Decimal("0.01")


def surcharge(
    *,
    fine: int,
    schedule: Iterable[tuple[dt.date, Decimal]],
    payments: Iterable[tuple[dt.date, Decimal]],
    suspensions: Iterable[tuple[dt.date, dt.date | None]],
    on: dt.date,
    rate: Decimal,
) -> Decimal:
    """The late surcharge (加处罚款) on ``on``: 行政处罚法 Art. 72 ¶1 (3 % of the fine a day
    while a part that is due stays unpaid, never more than the fine) and Art. 73 ¶3 (not
    counted while reconsideration or litigation runs).

    Each day after a due date counts on the part then due and unpaid; a payment made on a
    day counts from the next day. Payments go to the fine first.
    """
    plan = sorted(schedule)
    if not plan:
        return Decimal("0.00")
    paid = sorted(payments)
    stops = list(suspensions)
    cap = Decimal(fine)
    total = Decimal(0)
    day = plan[0][0] + dt.timedelta(days=1)
    while day <= on:
        if not any(start <= day and (end is None or day < end) for start, end in stops):
            overdue = sum((a for d, a in plan if d < day), Decimal(0))
            settled = sum((a for d, a in paid if d < day), Decimal(0))
            unpaid = min(overdue - settled, cap)
            if unpaid > 0:
                total += unpaid * rate
                if total >= cap:
                    return cap.quantize(CENT)
        day += dt.timedelta(days=1)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def outstanding(
    *,
    fine: int,
    schedule: Iterable[tuple[dt.date, Decimal]],
    payments: Iterable[tuple[dt.date, Decimal]],
    suspensions: Iterable[tuple[dt.date, dt.date | None]],
    on: dt.date,
    rate: Decimal,
) -> tuple[Decimal, Decimal, Decimal]:
    """(surcharge, paid, still owed) on ``on``."""
    paid_list = list(payments)
    extra = surcharge(
        fine=fine, schedule=schedule, payments=paid_list, suspensions=suspensions, on=on, rate=rate
    )
    paid = sum((a for d, a in paid_list if d <= on), Decimal(0))
    return extra, paid.quantize(CENT), (Decimal(fine) + extra - paid).quantize(CENT)
