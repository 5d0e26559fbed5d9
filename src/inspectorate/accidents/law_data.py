"""The numbers of 生产安全事故报告和调查处理条例 (国务院令第493号, in force 2007-06-01) and of
the 2015 两高解释 that the accidents app applies, with their citations.

Pure data. The grade thresholds (Art. 3) are rows of :class:`AccidentGradeRule`, seeded by
the data migration ``0002_seed_grade_rules``, so that a later supplementary rule (Art. 3 ¶2)
is a new row with its own effective dates. Every other time limit is read from here by the
services; code holds no bare number of the law.
"""

from __future__ import annotations

REGULATION = "《生产安全事故报告和调查处理条例》（国务院令第493号）"
EFFECTIVE_FROM = "2007-06-01"

#: Art. 3's grade thresholds are rows of ``AccidentGradeRule`` (seeded by the data migration
#: ``0002_seed_grade_rules`` with their citation and effective date).

#: Art. 9: the unit's head reports to the county-level department within 1 hour.
UNIT_REPORT_HOURS = 1
UNIT_REPORT_BASIS = REGULATION + "第九条"
#: Art. 11: each level reports up within 2 hours of receiving the report.
LEVEL_REPORT_HOURS = 2
LEVEL_REPORT_BASIS = REGULATION + "第十一条"

#: Art. 10: how far up the chain the report goes, by grade (the last receiving level).
#: "ministry" = the State Council's work-safety department, today 应急管理部.
CHAIN_TOP = {
    "general": "prefecture",
    "larger": "province",
    "major": "ministry",
    "especially_major": "ministry",
}
CHAIN_TOP_BASIS = REGULATION + "第十条第一款"
#: Art. 10 ¶1: who each receiving department informs.
INFORM_PARTIES_BASIS = REGULATION + "第十条第一款"

#: Art. 13 ¶2: casualty changes are reported within 30 days of the accident; road traffic
#: and fire accidents within 7 days. The day of the accident is not counted.
UPDATE_WINDOW_DAYS = 30
UPDATE_WINDOW_SHORT_DAYS = 7
UPDATE_WINDOW_SHORT_KINDS = frozenset({"road", "fire"})
UPDATE_WINDOW_BASIS = REGULATION + "第十三条第二款"

#: Art. 19: the level of government that investigates, by grade. 特别重大: the State
#: Council (its group is recorded by the province office, the highest level here).
INVESTIGATING_LEVEL = {
    "general": "county",
    "larger": "prefecture",
    "major": "province",
    "especially_major": "state_council",
}
INVESTIGATING_LEVEL_BASIS = REGULATION + "第十九条第一款、第二款"
#: Art. 19 ¶3: a county may entrust a 一般 accident without casualties to the unit.
ENTRUST_BASIS = REGULATION + "第十九条第三款"

#: Art. 29: the investigation report within 60 days of the accident; extendable with the
#: approval of the investigating government by at most 60 days (once, here).
INVESTIGATION = "accident_investigation"
INVESTIGATION_DAYS = 60
INVESTIGATION_EXTENSION_MAX_DAYS = 60
INVESTIGATION_BASIS = REGULATION + "第二十九条"

#: Art. 32 ¶1: the government's reply (批复) within 15 days of receiving the report;
#: 特别重大: 30 days, extendable by at most 30.
REPLY = "accident_reply"
REPLY_DAYS = 15
REPLY_DAYS_ESPECIALLY_MAJOR = 30
REPLY_EXTENSION_MAX_DAYS = 30
REPLY_EXTENSION_GRADES = frozenset({"especially_major"})
REPLY_BASIS = REGULATION + "第三十二条第一款"

#: The transfer screening of an accident's consequences (2015 两高解释 Art. 6: ≥1 death, ≥3
#: serious injuries or ≥100万 direct loss) is the referrals app's trigger of this code; its
#: thresholds live there (referrals.law_data), read through referrals.rules.
CRIME_TRIGGER = "accident_consequence"

#: The provisions of 安全生产法 (2021) a responsibility finding may name, by party (the
#: codes of :mod:`inspectorate.cases.law_data`).
FINDING_PROVISIONS: dict[str, tuple[str, ...]] = {
    "unit": ("114-0-unit-accident",),
    "principal": (
        "95-0-principal-accident",
        "110-1-principal-accident",
        "110-2-principal-accident",
    ),
    "other_person": ("96-0-person-accident",),
}
