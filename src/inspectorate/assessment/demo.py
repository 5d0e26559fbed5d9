"""The assessment app's part of the demo (called by org.demo.load_demo, last: it reads the
training, exams, case-file reviews and the accountability scan's items of the demo).

* Two challenges of 天山区 decisions, through the cases services: a lawsuit against the
  archived case (decided 2026-04-01), filed 2026-05-20 at 天山区人民法院 and upheld on
  2026-08-14; and a reconsideration of the on-the-spot penalty (decided 2026-11-16),
  applied for on 2026-11-18 at 乌鲁木齐市天山区人民政府 — the late surcharge stops — and
  revoked on 2026-11-27 (the decision is overturned: the surcharge stays stopped).
* The 2026 assessment of every office of the demo province with enforcement officers,
  computed by the province's head on 2026-11-28 on the national default scheme; 天山区's
  confirmed by its head the same day.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.assessment import services
from inspectorate.assessment.selectors import ASSESSED_ROLES
from inspectorate.cases import services as cases
from inspectorate.cases.models import Case, CaseState, Procedure
from inspectorate.org.models import Agency, User

D = dt.date
DAY = D(2026, 11, 28)
YEAR = 2026


def _challenges(officer: User, head: User) -> None:
    county = "650102"
    archived = (
        Case.objects.filter(jurisdiction_code=county, state=CaseState.ARCHIVED)
        .order_by("id")
        .first()
    )
    if archived is not None:
        suit = cases.challenge_record(
            actor=officer,
            case_id=archived.pk,
            kind="lawsuit",
            body="乌鲁木齐市天山区人民法院",
            reference="（2026）新0102行初27号",
            filed_on=D(2026, 5, 20),
            today=D(2026, 5, 20),
        )
        cases.challenge_decide(
            actor=officer,
            case_id=archived.pk,
            challenge_id=suit.pk,
            result="upheld",
            result_on=D(2026, 8, 14),
            result_reference="（2026）新0102行初27号行政判决书",
            note="判决驳回原告诉讼请求，处罚决定认定事实清楚、适用法律正确。",
            today=D(2026, 8, 14),
        )
    spot = (
        Case.objects.filter(
            jurisdiction_code=county, procedure=Procedure.SIMPLE, decided_on__isnull=False
        )
        .order_by("id")
        .first()
    )
    if spot is not None:
        review = cases.challenge_record(
            actor=officer,
            case_id=spot.pk,
            kind="reconsideration",
            body="乌鲁木齐市天山区人民政府",
            reference="天政复受〔2026〕41号",
            filed_on=D(2026, 11, 18),
            today=D(2026, 11, 18),
        )
        cases.challenge_decide(
            actor=head,
            case_id=spot.pk,
            challenge_id=review.pk,
            result="revoked",
            result_on=D(2026, 11, 27),
            result_reference="天政复决〔2026〕41号",
            note="复议机关认为现场照片不能证明警示标志缺失的时间，事实不清，撤销原处罚决定。",
            today=D(2026, 11, 27),
        )


def load_assessment_demo() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["county_officer", "county_head", "prov_head"])
    }
    officer, head, prov_head = (
        users.get("county_officer"),
        users.get("county_head"),
        users.get("prov_head"),
    )
    if not (officer and head and prov_head and prov_head.agency):
        return
    _challenges(officer, head)
    offices = (
        Agency.objects.filter(prov_head.scope.q("jurisdiction_id"))
        .filter(
            members__is_active=True,
            members__roles__role__in=ASSESSED_ROLES,
        )
        .distinct()
        .order_by("jurisdiction_id", "code")
    )
    for agency in offices:
        services.assessment_compute(actor=prov_head, agency=agency, year=YEAR, today=DAY)
    if head.agency is not None:
        services.assessment_confirm(actor=head, agency=head.agency, year=YEAR, today=DAY)
