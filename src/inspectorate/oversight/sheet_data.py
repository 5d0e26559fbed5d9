"""The system's default case-file scoring sheet (案卷评查评分表), as data.

Modelled on the common provincial 行政执法案卷评查标准 (实体、程序、文书、归档): the items and
their legal bases are those of the 行政处罚法 (2021); the points and the grade bands are
the system's default, not a published standard, and each province replaces them by
publishing its own sheet (``oversight.services.scoring_sheet_create`` / ``_publish``).
Loaded by migration 0002.
"""

from __future__ import annotations

from typing import Any

LAW = "《行政处罚法》（2021）"

DEFAULT_SHEET: dict[str, Any] = {
    "jurisdiction_code": "",
    "name": "行政处罚案卷评查评分表（系统默认）",
    "number": 1,
    "source": (
        "参照各地行政执法案卷评查标准通行的结构（实体、程序、文书、归档）编制；评查项目的依据为"
        "《行政处罚法》（2021年1月22日修订）有关条款。各项分值和等次划分（优秀≥90分、合格≥70分、"
        "不合格<70分）为本系统默认设置，并非任何机关发布的标准，可由省级管理员发布本省评分表替换。"
    ),
    "grade_bands": [
        {"grade": "excellent", "label": "优秀", "label_en": "Excellent", "min": 90},
        {"grade": "pass", "label": "合格", "label_en": "Pass", "min": 70},
        {"grade": "fail", "label": "不合格", "label_en": "Fail", "min": 0},
    ],
    "items": [
        # 实体 (40)
        ("E1", "实体", "违法事实认定清楚，当事人认定准确", 10, f"{LAW}第四十条"),
        (
            "E2",
            "实体",
            "证据确凿充分，取证合法，证据之间能相互印证",
            10,
            f"{LAW}第四十条、第四十六条",
        ),
        (
            "E3",
            "实体",
            "适用法律、法规、规章正确，引用条款具体到项",
            10,
            f"{LAW}第五十九条第一款第（三）项",
        ),
        (
            "E4",
            "实体",
            "行使裁量权符合裁量基准，过罚相当，偏离基准的有说明",
            10,
            f"{LAW}第五条、第三十四条",
        ),
        # 程序 (35)
        ("P1", "程序", "立案经负责人批准，立案及时", 5, f"{LAW}第五十四条"),
        (
            "P2",
            "程序",
            "调查取证执法人员不少于两人并出示执法证件",
            5,
            f"{LAW}第四十二条、第五十五条",
        ),
        (
            "P3",
            "程序",
            "作出决定前告知拟处罚内容、事实、理由、依据及陈述申辩权利",
            5,
            f"{LAW}第四十四条、第四十五条",
        ),
        (
            "P4",
            "程序",
            "依法告知听证权利，当事人要求听证的依法组织听证",
            5,
            f"{LAW}第六十三条、第六十四条",
        ),
        (
            "P5",
            "程序",
            "应当法制审核的案件经法制审核，应当集体讨论的经集体讨论",
            5,
            f"{LAW}第五十七条第二款、第五十八条",
        ),
        ("P6", "程序", "决定书依法送达，送达回证完整", 5, f"{LAW}第六十一条"),
        ("P7", "程序", "在法定期限内作出决定，延期的经批准", 5, f"{LAW}第六十条"),
        # 文书 (15)
        ("D1", "文书", "执法文书齐全，种类使用正确", 5, f"{LAW}第五十九条"),
        ("D2", "文书", "文书编号规范、连续，内容填写完整", 5, f"{LAW}第五十九条"),
        ("D3", "文书", "签名、盖章、日期齐全", 5, f"{LAW}第五十九条第二款"),
        # 归档 (10)
        ("A1", "归档", "全过程记录完整，案卷按规定顺序装订归档", 10, f"{LAW}第四十七条"),
    ],
}


def load(apps: Any, schema_editor: Any) -> None:
    sheet_model = apps.get_model("oversight", "ScoringSheet")
    item_model = apps.get_model("oversight", "ScoringItem")
    data = DEFAULT_SHEET
    if sheet_model.objects.filter(jurisdiction_code="", number=data["number"]).exists():
        return
    from django.utils import timezone

    sheet = sheet_model.objects.create(
        jurisdiction_code=data["jurisdiction_code"],
        name=data["name"],
        number=data["number"],
        state="published",
        source=data["source"],
        grade_bands=data["grade_bands"],
        published_at=timezone.now(),
    )
    item_model.objects.bulk_create(
        item_model(
            sheet=sheet, code=code, sort=n, section=section, text=text, max_points=pts, basis=basis
        )
        for n, (code, section, text, pts, basis) in enumerate(data["items"], start=1)
    )


def unload(apps: Any, schema_editor: Any) -> None:
    sheet_model = apps.get_model("oversight", "ScoringSheet")
    sheet_model.objects.filter(jurisdiction_code="", number=DEFAULT_SHEET["number"]).delete()
