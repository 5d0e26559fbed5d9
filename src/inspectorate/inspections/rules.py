"""The legal rules inspections apply, as data with their sources (ARCHITECTURE rule 6).

The articles are those of 《安全生产法》 (2021) and 《行政强制法》 (2011); LEGAL-RULES §1.2.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inspectorate.inspections.models import HazardGrade, MeasureKind

#: The legal basis of each on-site measure (安全生产法 Art. 65 ¶1).
MEASURE_BASIS: dict[str, str] = {
    MeasureKind.CORRECT_NOW: "《安全生产法》第六十五条第一款第二项",
    MeasureKind.ORDER_RECTIFICATION: "《安全生产法》第六十五条第一款第二项、第一百零二条",
    MeasureKind.WITHDRAW_WORKERS: "《安全生产法》第六十五条第一款第三项",
    MeasureKind.STOP_EQUIPMENT: "《安全生产法》第六十五条第一款第三项",
    MeasureKind.STOP_PRODUCTION: "《安全生产法》第六十五条第一款第三项",
    MeasureKind.SEAL: "《安全生产法》第六十五条第一款第四项；《行政强制法》第二十四条",
    MeasureKind.SEIZE: "《安全生产法》第六十五条第一款第四项；《行政强制法》第二十四条",
}

#: Measures that take effect through the order, not a decision of their own.
MEASURES_WITHOUT_DECISION = frozenset({MeasureKind.ORDER_RECTIFICATION})

#: Measures that are 行政强制 (seal, seize) and need the list of what is sealed or seized.
COERCIVE_MEASURES = frozenset({MeasureKind.SEAL, MeasureKind.SEIZE})

#: A 查封、扣押 lasts at most 30 days (行政强制法 Art. 25 ¶1).
SEAL_SEIZE_DAYS = 30
SEAL_SEIZE_BASIS = "《行政强制法》第二十五条第一款"

#: Default rectification periods in working days, when the checklist item sets none.
#: This system's defaults: no national figure exists (LEGAL-RULES §4). A 重大事故隐患
#: needs a 治理方案 (安全生产法 Art. 41), hence the longer period.
DEFAULT_RECTIFICATION_DAYS: dict[str, int] = {
    HazardGrade.GENERAL: 10,
    HazardGrade.MAJOR: 30,
}
RECTIFICATION_BASIS = "《安全生产法》第六十五条第一款第二项"

#: The inspection record (安全生产法 Art. 68) and why a refusal to sign is noted.
RECORD_BASIS = "《安全生产法》第六十八条"

GRADE_HELP = _(
    "A finding is a major accident hazard (重大事故隐患) only where an official criterion "
    "says so; name the standard and item."
)
