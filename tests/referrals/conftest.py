"""A transfer world on top of the penalty-case world (``cw``, tests/cases/conftest.py).

天山区's officer and team lead are the certified investigators (and the special team), its
head decides. ``flagged`` files a case on 2026-01-20 and flags it on ``FLAG_DAY`` for an
accident with one death (2015 解释 Art. 6); ``referral`` opens the transfer on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from inspectorate.cases.models import Case
from inspectorate.referrals import services
from inspectorate.referrals.models import Referral, ReferralFlag
from tests.cases.conftest import CaseWorld, _english, filed  # noqa: F401  (the autouse fixture)
from tests.cases.conftest import cw as cw  # noqa: F401  (the fixture)

FLAG_DAY = dt.date(2026, 11, 30)  # a Monday
ACCIDENT = {"deaths": 1, "serious_injuries": 0, "direct_loss": 0, "accident": "2026-11-28 罐区爆燃"}


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def flag(w: CaseWorld, case: Case | None = None, **facts: Any) -> ReferralFlag:
    case = case or filed(w)
    return services.screening_flag(
        actor=w.officer,
        case_id=case.pk,
        trigger_code="accident_consequence",
        facts={**ACCIDENT, **facts},
        today=FLAG_DAY,
    )


def referral(w: CaseWorld, the_flag: ReferralFlag | None = None) -> Referral:
    the_flag = the_flag or flag(w)
    return services.referral_open(
        actor=w.officer,
        flag_id=the_flag.pk,
        team_ids=[w.officer.pk, w.lead.pk],
        report="经核实，该单位违章作业致1人死亡，涉嫌重大责任事故罪。",
        police="乌鲁木齐市公安局天山区分局",
        items=[{"name": "破损压力表", "quantity": "1只", "note": "已封存"}],
        today=FLAG_DAY,
    )
