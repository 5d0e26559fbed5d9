"""The criminal standards a case is screened against (LEGAL-RULES §1.4), loaded into
``ReferralTrigger`` by migration 0002. Each row carries its crime, its 刑法 article, the
article of the 两高 interpretation that sets the standard and the date it took effect.

Sources (full texts in shared/legal/texts/):
* 刑法 Arts. 134, 134之一 (修正案（十一）, in force 2021-03-01), 135, 136, 139之一;
* 最高人民法院、最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释
  (法释〔2015〕22号, in force 2015-12-16), Arts. 6 and 8;
* the same （二） (法释〔2022〕19号, in force 2022-12-19), Arts. 3 and 4.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

INTERPRETATION_2015 = "最高人民法院、最高人民检察院《关于办理危害生产安全刑事案件适用法律若干问题的解释》（法释〔2015〕22号）"
INTERPRETATION_2022 = "最高人民法院、最高人民检察院《关于办理危害生产安全刑事案件适用法律若干问题的解释（二）》（法释〔2022〕19号）"

TRIGGERS: list[dict[str, Any]] = [
    {
        "code": "accident_consequence",
        "name": "生产安全事故造成严重后果",
        "crime": "重大责任事故罪、重大劳动安全事故罪、危险物品肇事罪",
        "criminal_article": "《刑法》第一百三十四条、第一百三十五条、第一百三十六条",
        "citation": INTERPRETATION_2015 + "第六条第一款第（一）（二）项",
        "description": "因而发生安全事故，造成死亡一人以上，或者重伤三人以上，"
        "或者造成直接经济损失一百万元以上的。",
        "thresholds": {"deaths": 1, "serious_injuries": 3, "direct_loss": 1_000_000},
        "conducts": {},
        "required_facts": ["accident"],
        "effective_from": dt.date(2015, 12, 16),
    },
    {
        "code": "refused_major_hazard",
        "name": "因重大事故隐患被责令整改而拒不执行",
        "crime": "危险作业罪",
        "criminal_article": "《刑法》第一百三十四条之一第（二）项",
        "citation": INTERPRETATION_2022 + "第三条、第四条",
        "description": "因存在重大事故隐患被依法责令停产停业、停止施工、停止使用有关设备、设施、"
        "场所或者立即采取排除危险的整改措施，而拒不执行的。",
        "thresholds": {},
        "conducts": {
            "no_reason": "无正当理由故意不执行",
            "faked": "虚构重大事故隐患已经排除的事实，规避、干扰执行",
            "bribery": "以行贿等不正当手段，规避、干扰执行",
        },
        "required_facts": ["order"],
        "effective_from": dt.date(2022, 12, 19),
    },
    {
        "code": "tampered_monitoring",
        "name": "关闭、破坏监控报警等设备设施或者篡改其数据",
        "crime": "危险作业罪",
        "criminal_article": "《刑法》第一百三十四条之一第（一）项",
        "citation": "",
        "description": "关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，"
        "或者篡改、隐瞒、销毁其相关数据、信息的。",
        "thresholds": {},
        "conducts": {},
        "required_facts": ["equipment", "conduct_description"],
        "effective_from": dt.date(2021, 3, 1),
    },
    {
        "code": "unlicensed_high_risk",
        "name": "未经批准或者许可擅自从事高度危险的生产作业活动",
        "crime": "危险作业罪",
        "criminal_article": "《刑法》第一百三十四条之一第（三）项",
        "citation": INTERPRETATION_2022
        + "第四条第二款（危险物品依照安全生产法第一百一十七条确定）",
        "description": "涉及安全生产的事项未经依法批准或者许可，擅自从事矿山开采、金属冶炼、"
        "建筑施工，以及危险物品生产、经营、储存等高度危险的生产作业活动的。",
        "thresholds": {},
        "conducts": {
            "mining": "矿山开采",
            "metal_smelting": "金属冶炼",
            "construction": "建筑施工",
            "dangerous_goods": "危险物品生产、经营、储存",
        },
        "required_facts": ["licence"],
        "effective_from": dt.date(2021, 3, 1),
    },
    {
        "code": "false_accident_report",
        "name": "事故发生后不报、谎报事故情况，贻误事故抢救",
        "crime": "不报、谎报安全事故罪",
        "criminal_article": "《刑法》第一百三十九条之一",
        "citation": INTERPRETATION_2015 + "第八条第一款",
        "description": "负有报告职责的人员不报或者谎报事故情况，贻误事故抢救，导致事故后果扩大，"
        "增加死亡一人以上，或者增加重伤三人以上，或者增加直接经济损失一百万元以上的；"
        "或者决定不报、迟报、谎报，擅离职守或者逃匿，伪造、破坏事故现场，"
        "毁灭、伪造、隐匿证据，致使不能及时有效开展事故抢救的。",
        "thresholds": {
            "added_deaths": 1,
            "added_serious_injuries": 3,
            "added_direct_loss": 1_000_000,
        },
        "conducts": {
            "decided_not_to_report": "决定不报、迟报、谎报事故情况或者指使、串通有关人员不报、迟报、谎报",
            "absconded": "在事故抢救期间擅离职守或者逃匿",
            "destroyed_scene": "伪造、破坏事故现场，或者转移、藏匿、毁灭遇难人员尸体，或者转移、藏匿受伤人员",
            "destroyed_evidence": "毁灭、伪造、隐匿与事故有关的图纸、记录、计算机数据等资料以及其他证据",
        },
        "required_facts": ["accident"],
        "effective_from": dt.date(2015, 12, 16),
    },
]
