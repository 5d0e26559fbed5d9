"""The legal rules of rectification and escalation, as data with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from inspectorate.core.deadlines import DeadlineRule
from inspectorate.core.models import DayCount

#: The office re-inspects within 10 days of the unit's report or of the deadline
#: (原《安全生产违法行为行政处罚办法》总局令第15号; LEGAL-RULES §1.8 marks the number as
#: not confirmed against the text, so it is data here, not code).
REINSPECTION = DeadlineRule(
    kind="reinspection",
    days=10,
    day_count=DayCount.CALENDAR,
    legal_basis="原《安全生产违法行为行政处罚办法》（总局令第15号）：收到申请或期限届满之日起10日内复查（待核）",
)

RECTIFICATION_KIND = "rectification"

#: Refusing to rectify a 重大事故隐患 after an order is suspected 危险作业罪.
CRIME_BASIS = "《刑法》第一百三十四条之一第（二）项；两高《解释（二）》第三条"

#: What a proposal for a hazard not removed cites (安全生产法 Art. 102).
HAZARD_NOT_REMOVED = "《安全生产法》第一百零二条"


@dataclass(frozen=True)
class ClosureWindow:
    days: int
    penalties: int


#: 安全生产法 Art. 113 (1): a unit with a major accident hazard penalised 3 times within
#: 180 days or 4 times within one year is proposed for closure.
CLOSURE_WINDOWS = (ClosureWindow(180, 3), ClosureWindow(365, 4))
CLOSURE_BASIS = "《安全生产法》第一百一十三条第（一）项"
