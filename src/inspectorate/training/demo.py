"""The demo data of the training app (loaded by ``make run`` through org.demo).

The archived 天山区 case of the cases demo (no hazard-screening records, 安全生产法
Art. 97 (5)) enters the case library, published to the province, with teaching notes by
天山区's officer and a discussion comment by 乌鲁木齐's officer.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.cases.models import Case, CaseState
from inspectorate.org.models import User
from inspectorate.training import services


def load_training_demo() -> None:
    author = User.objects.filter(username="county_officer").first()
    commenter = User.objects.filter(username="pref_officer").first()
    case = (
        Case.objects.filter(jurisdiction_code="650102", state=CaseState.ARCHIVED)
        .order_by("id")
        .first()
    )
    if author is None or commenter is None or case is None:
        return
    entry = services.library_case_add(
        actor=author,
        case_id=case.pk,
        title="事故隐患排查治理情况未如实记录案",
        teaching_notes=(
            "1. 定性：未将事故隐患排查治理情况如实记录，适用《安全生产法》第九十七条第（五）项，"
            "对单位处十万元以下罚款。\n"
            "2. 取证：台账复印件须加盖单位公章，询问笔录应载明台账中断的起止时间和原因。\n"
            "3. 程序：拟罚款达到法制审核和集体讨论标准，两个环节均不可省略。"
        ),
        tags=["隐患排查治理", "举报线索"],
        province_wide=True,
        today=dt.date(2026, 5, 8),
    )
    services.library_comment_add(
        actor=commenter,
        entry_id=entry.pk,
        text="本案从举报线索到结案归档仅用四十天，询问笔录的问题设计可供基层参考。",
        today=dt.date(2026, 5, 12),
    )
