"""The case-library world: the ``cw`` case world and a closed 天山区 case whose facts name
the party and its credit code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.cases.models import Case, CaseState
from inspectorate.registry.models import Enterprise, Sector
from tests.cases.conftest import CaseWorld, _english, cw, investigated  # noqa: F401

CLOSED_ON = dt.date(2026, 6, 30)


def closed_case(cw: CaseWorld, **kw: Any) -> Case:  # noqa: F811
    """An investigated case of 乌鲁木齐天山化工有限公司 (危险化学品生产), put straight into the
    closed state: the library only reads a closed case, the path to it is the cases app's."""
    ent = cw.w.ent_tianshan
    Enterprise.objects.filter(pk=ent.pk).update(
        sector=Sector.objects.get(code="hazchem_production"), legal_representative="张建国"
    )
    ent.refresh_from_db()
    facts = (
        f"经查，{ent.name}（统一社会信用代码{ent.credit_code}）2025年未建立事故隐患排查治理台账，"
        f"法定代表人张建国对此知情。{ent.name}已整改。"
    )
    case = investigated(cw, **kw)
    Case.objects.filter(pk=case.pk).update(
        facts=facts, state=CaseState.CLOSED, closed_on=CLOSED_ON, fine=50000
    )
    case.refresh_from_db()
    return case
