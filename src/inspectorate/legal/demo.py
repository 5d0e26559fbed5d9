"""The legal app's part of the demo (called by org.demo.load_demo).

The 17 real laws stay as migration 0002 loaded them. To show a new version and the study
it brings without inventing the text of a real law, the demo adds a **fictional** internal
policy document of the demo province, marked as demonstration text in its title, its
history, its version labels and the articles the revision changed or added:
《新疆维吾尔自治区应急管理厅安全生产行政执法工作规范（演示文本）》.

- Version 1, added on 2026-02-20 by the region's administrator (``prov_admin``), effective
  2026-03-01, 2 hours, 30 days: every enforcement officer of the region is assigned it;
  all but one completed it in March (``officer_650102_2`` of 天山区 did not: overdue since
  2026-03-23).
- Version 2, added on 2026-09-20, effective 2026-10-01, 3 hours, 90 days (due 2026-12-19):
  Arts. 4 and 6 changed, Art. 6之一 added. Several officers of 天山区 and 乌鲁木齐
  completed it with study notes in October and November 2026; the others (among them
  ``county_officer`` and ``county_head``) are pending, and become overdue after
  2026-12-19.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.legal import services
from inspectorate.legal.models import Law, StudyItem, StudyState
from inspectorate.org.models import User

D = dt.date
CODE = "xj-enforcement-rules-demo"
TITLE = "新疆维吾尔自治区应急管理厅安全生产行政执法工作规范（演示文本）"

_HEAD = f"# {TITLE}\n\n{{history}}\n\n<!-- INFO END -->\n\n"

V1 = (
    _HEAD.format(
        history="2026年2月20日 新疆维吾尔自治区应急管理厅印发，自2026年3月1日起施行"
        "（演示文本，非真实文件，仅用于系统演示）"
    )
    + """## 第一章 总则

第一条 为了规范全区应急管理部门安全生产行政执法行为，保障执法质量，根据《中华人民共和国安全生产法》《中华人民共和国行政处罚法》等法律法规，结合本区实际，制定本规范。

第二条 本规范适用于全区各级应急管理部门及其执法机构开展的安全生产行政执法工作。

第三条 安全生产行政执法应当坚持严格规范公正文明，做到事实清楚、证据确凿、程序合法、适用依据正确。

## 第二章 执法检查

第四条 执法检查应当按照年度监督检查计划进行，由两名以上持有行政执法证件的执法人员实施，并主动出示执法证件。

第五条 执法人员在检查中发现事故隐患的，应当当场制作现场检查记录，责令立即排除或者限期整改；发现重大事故隐患的，依法责令暂时停产停业或者停止使用相关设施、设备。

第六条 执法检查全过程应当使用执法记录仪进行音像记录。

## 第三章 附则

第七条 各地（州、市）应急管理部门可以结合本地实际制定实施细则，报自治区应急管理厅备案。

第八条 本规范由新疆维吾尔自治区应急管理厅负责解释。
"""
)

V2 = (
    _HEAD.format(
        history="2026年2月20日 新疆维吾尔自治区应急管理厅印发\n\n"
        "2026年9月20日 新疆维吾尔自治区应急管理厅修订，自2026年10月1日起施行"
        "（演示文本，非真实文件，仅用于系统演示）"
    )
    + """## 第一章 总则

第一条 为了规范全区应急管理部门安全生产行政执法行为，保障执法质量，根据《中华人民共和国安全生产法》《中华人民共和国行政处罚法》等法律法规，结合本区实际，制定本规范。

第二条 本规范适用于全区各级应急管理部门及其执法机构开展的安全生产行政执法工作。

第三条 安全生产行政执法应当坚持严格规范公正文明，做到事实清楚、证据确凿、程序合法、适用依据正确。

## 第二章 执法检查

第四条 执法检查应当按照年度监督检查计划，采取随机抽取检查对象、随机选派执法人员的方式进行，由两名以上持有有效行政执法证件的执法人员实施，并主动出示执法证件。

执法证件超过有效期或者被暂扣的人员，不得参与执法检查。（演示条文）

第五条 执法人员在检查中发现事故隐患的，应当当场制作现场检查记录，责令立即排除或者限期整改；发现重大事故隐患的，依法责令暂时停产停业或者停止使用相关设施、设备。

第六条 执法检查全过程应当使用执法记录仪进行音像记录。音像记录资料应当在检查结束后二十四小时内上传至执法信息系统，保存期限不少于六个月；作为证据使用的，随案卷归档保存。（演示条文）

第六条之一 执法人员应当在检查结束后五个工作日内将检查情况和处理结果录入执法信息系统；依法应当公开的行政处罚决定，按照有关规定向社会公开。（演示条文）

## 第三章 附则

第七条 各地（州、市）应急管理部门可以结合本地实际制定实施细则，报自治区应急管理厅备案。

第八条 本规范由新疆维吾尔自治区应急管理厅负责解释。
"""
)

V1_NOTES = [
    "学习了执法工作规范，明确执法检查须两人以上持证实施并主动出示证件，全程音像记录。",
    "通过学习，进一步掌握了发现事故隐患时现场检查记录的制作要求和重大隐患的处置措施。",
    "规范把严格规范公正文明落到检查的每个环节，今后检查前先核对年度计划和执法证件。",
    "重点学习了第五条，重大事故隐患应当依法责令暂时停产停业，不能以口头提醒代替文书。",
    "学习后认识到音像记录是证明程序合法的重要证据，检查中要做到执法记录仪全程开启。",
    "结合本单位实际，组织科室讨论了第四条、第六条的落实办法，已将要求纳入检查前准备清单。",
]

# v2: (username, completed on, note) - 天山区 and 乌鲁木齐 officers, October-November 2026
V2_DONE = [
    (
        "county_lead",
        D(2026, 10, 9),
        "修订后的第四条增加了随机抽取检查对象、随机选派执法人员的要求，并明确证件过期或被暂扣"
        "的人员不得参与检查。本队已在排班时核对每名队员的证件有效期。",
    ),
    (
        "pref_officer",
        D(2026, 10, 15),
        "第六条新增音像记录二十四小时内上传、保存不少于六个月的要求，作为证据使用的随案卷归档。"
        "以后每次检查结束当天就上传记录，避免遗漏。",
    ),
    (
        "county_reviewer",
        D(2026, 10, 20),
        "从法制审核角度看，新增的第六条之一要求五个工作日内录入检查情况，审核时将核对录入时间"
        "与检查记录是否一致，音像资料是否随卷归档。",
    ),
    (
        "pref_lead",
        D(2026, 10, 28),
        "组织支队学习了修订内容，对照第四条梳理了本支队持证情况，两名证件即将到期的同志已提前"
        "申请换证，检查安排中暂不派其参加。",
    ),
    (
        "officer_650102_1",
        D(2026, 11, 3),
        "学习了修订前后条文对照，最大的变化是检查结果要按时录入系统并依规公开，今后要把录入作为"
        "检查的最后一道工序。",
    ),
    (
        "officer_650100_1",
        D(2026, 11, 10),
        "通过对比两个版本，理解了随机抽查、证件有效和音像资料管理三方面的新要求，已在执法记录仪"
        "使用台账中增加上传时间一栏。",
    ),
    (
        "pref_head",
        D(2026, 11, 18),
        "修订稿把执法全过程记录和结果公开的要求写得更具体，局里将在年度考核中检查音像资料上传"
        "和检查结果录入的及时性。",
    ),
]
V1_OVERDUE = "officer_650102_2"  # did not complete version 1 (due 2026-03-22)


def load_legal_demo() -> None:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None or Law.objects.filter(code=CODE).exists():
        return
    services.law_save(
        actor=admin,
        code=CODE,
        title=TITLE,
        short_title="执法工作规范（演示）",
        kind="policy",
        issuer="新疆维吾尔自治区应急管理厅",
        sort=900,
    )
    v1 = services.version_add(
        actor=admin,
        law_code=CODE,
        label="2026年印发（演示）",
        promulgated_on=D(2026, 2, 20),
        effective_on=D(2026, 3, 1),
        text=V1,
        changes="首次印发（演示文本）。",
        study_hours="2.0",
        study_days=30,
        today=D(2026, 2, 20),
    )
    items = (
        StudyItem.objects.filter(law_version=v1, state=StudyState.ASSIGNED)
        .exclude(officer__username=V1_OVERDUE)
        .select_related("officer")
        .order_by("officer__username")
    )
    for n, item in enumerate(items):
        services.study_complete(
            actor=item.officer,
            item_id=item.pk,
            note=V1_NOTES[n % len(V1_NOTES)],
            today=D(2026, 3, 2 + n % 19),
        )
    v2 = services.version_add(
        actor=admin,
        law_code=CODE,
        label="2026年修订（演示）",
        promulgated_on=D(2026, 9, 20),
        effective_on=D(2026, 10, 1),
        text=V2,
        changes=(
            "修改第四条（随机抽查，持有效执法证件，证件过期或者被暂扣的人员不得参与检查）、"
            "第六条（音像记录上传和保存期限），增加第六条之一（检查情况录入和结果公开）。"
            "（演示文本）"
        ),
        study_hours="3.0",
        study_days=90,
        today=D(2026, 9, 20),
    )
    for username, day, note in V2_DONE:
        found = StudyItem.objects.filter(law_version=v2, officer__username=username).first()
        if found is not None:
            services.study_complete(actor=found.officer, item_id=found.pk, note=note, today=day)
