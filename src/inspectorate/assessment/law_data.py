"""The national default assessment scheme, with its sources (seeded by a migration).

The four grades and the 优秀 quota come from 《公务员考核规定》 (中共中央组织部、人力资源
社会保障部, 2020): the annual assessment's result is one of 优秀、称职、基本称职、不称职, and
the number rated 优秀 is generally kept within 20% of those assessed in the office (more
only with approval, for an office whose work was outstanding). The point cut-offs (90 / 75
/ 60) and the weights and deductions are not set by any national text: they are this
system's default, which each province replaces with its own scheme (a ``Scheme`` row with
its province code), as provinces set their own 考核办法 for enforcement officers.
"""

from __future__ import annotations

from typing import Any

DEFAULT_SCHEME: dict[str, Any] = {
    "year": 2020,
    "name": "执法人员年度考核默认方案",
    "source": (
        "等次：《公务员考核规定》（2020年）年度考核结果分为优秀、称职、基本称职、不称职四个等次；"
        "优秀等次人数一般掌握在参加年度考核人数的20%以内。"
        "分数线、各项权重和扣分标准为本系统默认值，非国家规定，由省级部门发布本省方案替代。"
    ),
    "weight_training": 20,
    "weight_exams": 20,
    "weight_review": 30,
    "weight_overturned": 15,
    "weight_deadlines": 15,
    "overturned_points": "20.0",
    "missed_points": "10.0",
    "band_excellent": "90.0",
    "band_competent": "75.0",
    "band_basic": "60.0",
    "excellent_quota": "20.0",
}
