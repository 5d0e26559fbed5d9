"""Penalty case pages: the workbench, the list, filing, the case page and its forms from
filing to the archive, the discretion calculator, the simple procedure, the outliers, and
the party's case on the enterprise portal.

The world is ``tests/cases/conftest.py``'s (天山区: ``officer`` and ``lead`` investigate,
``head`` decides, ``reviewer`` holds the legal qualification). ``clock`` sets the day the
pages and the services they call run on (``timezone.localdate`` and ``timezone.now``), so
that the statutory periods fall as in ``test_flow``: notice on 2026-02-12, the statement
and hearing periods ending on 02-26 across the Spring Festival. Texts are compared with
``zh()``, so the assertions hold before and after the catalogue has these pages' strings.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from inspectorate.cases import services
from inspectorate.cases.models import (
    Case,
    CaseEvidence,
    CaseSource,
    CaseState,
    CaseViolation,
    ConsistencyFlag,
    Interview,
    Procedure,
)
from inspectorate.core.models import IssuedDocument
from inspectorate.org.models import User
from tests.cases.conftest import FILED, CaseWorld, filed, investigated, open_case
from tests.core.matrix import MISSING
from tests.inspections.test_pages import assert_chinese, field_errors, html, zh

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
D = dt.date


class Clock:
    """The day the pages (and the services they call) run on."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    original = timezone.localdate
    c = Clock(FILED)

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return c.day if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    monkeypatch.setattr("django.utils.timezone.now", c.now)
    return c


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class Fresh:
    """A client that signs in anew for each request (the clock moves by weeks)."""

    def __init__(self, client_for: ClientFor, user: User) -> None:
        self.client_for, self.user = client_for, user

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.client_for(self.user).get(*args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.client_for(self.user).post(*args, **kwargs)


def detail(client: Client | Fresh, case: Case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return html(response)


def step(client: Client | Fresh, case: Case, action: str, **data: Any) -> Any:
    version = Case.objects.get(pk=case.pk).version
    return client.post(f"/cases/{case.pk}/action/{action}/", {"version": version, **data})


def state(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state


def notified(cw: CaseWorld) -> Case:
    """Investigated (one Art. 97 (5) violation, 50,000 yuan recommended), through legal
    review and collective discussion, notified on 2026-02-12 with the right to a hearing."""
    case = investigated(cw)
    services.review_conclude(
        actor=cw.head,
        case_id=case.pk,
        action="to_legal_review",
        opinion="事实清楚",
        today=D(2026, 2, 2),
    )
    services.legal_review_conclude(
        actor=cw.reviewer,
        case_id=case.pk,
        action="legal_to_discussion",
        opinion="同意",
        today=D(2026, 2, 10),
    )
    return services.discussion_conclude(
        actor=cw.head,
        case_id=case.pk,
        action="discussion_notify",
        participants="局长、副局长",
        record="同意罚款五万元。",
        today=D(2026, 2, 12),
    )


def _filing_form(cw: CaseWorld, **more: Any) -> dict[str, Any]:
    return {
        "enterprise": cw.w.ent_tianshan.credit_code,
        "source": CaseSource.COMPLAINT,
        "source_reference": "12350-0001",
        "summary": "未如实记录事故隐患排查治理情况",
        "facts": "经查，该单位2025年未建立事故隐患排查治理台账。",
        "act_date": "2025-12-01",
        "act_end_date": "",
        "discovered_on": "2026-01-15",
        "party_kind": "unit",
        "party_name": "",
        "party_id_number": "",
        "party_position": "",
        "second_investigator": cw.lead.pk,
        **more,
    }


# --- every page in Chinese by default, and in English ---------------------------------------------


def test_every_page_renders_in_chinese_by_default_and_in_english(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = notified(cw)
    clock.day = D(2026, 2, 13)
    officer = client_for(cw.officer)
    pages = {
        "/cases/": "My penalty cases",
        "/cases/list/": "All penalty cases",
        "/cases/new/": "Propose a case for filing",
        f"/cases/{case.pk}/": "Violations and discretion",
        "/cases/calculator/": "Discretion calculator",
        "/cases/simple/": "On-the-spot penalty (simple procedure)",
        "/cases/outliers/": "Outlier decisions (同案同罚)",
    }
    for url, title in pages.items():
        response = officer.get(url)
        assert_chinese(response)
        page = html(response)
        assert "安全生产执法监察管理系统" in page
        assert "行政处罚" in page  # the module in the navigation
        assert escape(zh(title)) in page, url
        response = english(client_for(cw.officer)).get(url)
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert escape(title) in html(response), url
    party = client_for(cw.w.enterprise_user)
    response = party.get(f"/portal/cases/{case.pk}/")
    assert_chinese(response)
    assert escape(zh("Statement and defence")) in html(response)
    assert escape("Statement and defence") in html(
        english(client_for(cw.w.enterprise_user)).get(f"/portal/cases/{case.pk}/")
    )
    home = html(party.get("/portal/"))
    assert f'href="/portal/cases/{case.pk}/"' in home
    assert case.number in home


def test_the_navigation_leads_to_the_workbench(cw: CaseWorld, client_for: ClientFor) -> None:
    page = html(client_for(cw.officer).get("/"))
    assert 'href="/cases/"' in page


def test_an_enterprise_user_is_refused_the_staff_pages(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = filed(cw)
    party = client_for(cw.w.enterprise_user)
    for url in ("/cases/", "/cases/list/", f"/cases/{case.pk}/", "/cases/calculator/"):
        assert party.get(url).status_code == 403
    assert client_for(cw.officer).get("/portal/").status_code == 403


# --- the workbench and the list -----------------------------------------------------------------


def test_workbench_shows_the_next_step_and_the_nearest_time_limit(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    proposed = open_case(cw)
    running = filed(cw)
    clock.day = D(2026, 4, 18)  # the decision limit of 2026-04-20 is two days away
    page = html(client_for(cw.officer).get("/cases/"))
    soon = page.split('data-testid="group-soon"')[1].split("</section>")[0]
    assert f'data-case="{running.pk}"' in soon
    row = soon.split(f'data-case="{running.pk}"')[1].split("</tr>")[0]
    assert escape(zh("Record violations, evidence and interviews")) in row
    assert escape(zh("Decision limit")) in row
    assert "2026-04-20" in row
    assert 'data-testid="days-left"' in row
    # not filed yet: no time limit runs; the officer waits for the head
    none = page.split('data-testid="group-none"')[1].split("</section>")[0]
    assert f'data-case="{proposed.pk}"' in none
    assert escape(zh("Waiting for others")) in none
    # the head sees what it may decide
    head = html(client_for(cw.head).get("/cases/"))
    row = head.split(f'data-case="{proposed.pk}"')[1].split("</tr>")[0]
    assert escape(zh("Approve filing")) in row
    clock.day = D(2026, 4, 22)
    late = html(client_for(cw.officer).get("/cases/"))
    overdue = late.split('data-testid="group-overdue"')[1].split("</section>")[0]
    assert f'data-case="{running.pk}"' in overdue


def test_workbench_lists_the_proposals_awaiting_a_case_and_filing_prefills_from_one(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    from inspectorate.rectification import services as rectifying
    from tests.core.matrix import build_order

    order = build_order(cw.w, day=D(2026, 3, 2))
    clock.day = D(2026, 6, 1)
    proposal = rectifying.order_escalate(
        actor=cw.lead, order_id=order.pk, refused=False, statement="逾期未整改，隐患仍在。"
    )
    officer = client_for(cw.officer)
    page = html(officer.get("/cases/"))
    assert f'data-proposal="{proposal.pk}"' in page
    assert f'href="/cases/new/?proposal={proposal.pk}"' in page
    form = html(officer.get(f"/cases/new/?proposal={proposal.pk}"))
    assert f'value="{cw.w.ent_tianshan.credit_code}"' in form
    assert "逾期未整改，隐患仍在。" in form
    assert f'<option value="{proposal.pk}" selected>' in form
    response = officer.post(
        "/cases/new/",
        _filing_form(
            cw,
            proposal=proposal.pk,
            source="inspection",
            act_date="2026-03-20",
            discovered_on="2026-06-01",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "taken"
    assert f'data-proposal="{proposal.pk}"' not in html(officer.get("/cases/"))
    assert case.state == CaseState.FILING


def test_the_list_is_scoped_filtered_and_paged_without_counting(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    first = open_case(cw)
    fields = {
        f.attname: getattr(first, f.attname)
        for f in Case._meta.fields
        if f.attname not in ("id", "uuid")
    }
    Case.objects.bulk_create(  # test data: 54 more cases of 天山区, written directly
        Case(
            **{
                **fields,
                "uuid": uuid.uuid4(),
                "summary": f"批量案件{n:02d}",
                "state": CaseState.INVESTIGATING if n % 2 else CaseState.FILING,
            }
        )
        for n in range(54)
    )
    client = client_for(cw.officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cases/list/")
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    page = html(response)
    ids = [int(i) for i in re.findall(r'data-case="(\d+)"', page)]
    assert len(ids) == 50
    assert ids == sorted(ids, reverse=True)
    older = re.search(r'href="\?before=(\d+)"', page)
    assert older is not None
    assert 'data-testid="previous"' not in page
    second = html(client.get(f"/cases/list/?before={older.group(1)}"))
    rest = [int(i) for i in re.findall(r'data-case="(\d+)"', second)]
    assert len(rest) == 5
    assert max(rest) < min(ids)
    newer = re.search(r'href="\?after=(\d+)"', second)
    assert newer is not None
    back = html(client.get(f"/cases/list/?after={newer.group(1)}"))
    assert [int(i) for i in re.findall(r'data-case="(\d+)"', back)] == ids
    # the query count does not grow with the rows shown
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/list/?before={older.group(1)}")
    assert len(few.captured_queries) == len(queries.captured_queries)
    # the state filter
    investigating = html(client.get("/cases/list/?state=investigating"))
    shown = re.findall(r'data-case="(\d+)"', investigating)
    assert len(shown) == 27
    # another jurisdiction sees none of them
    other = html(client_for(cw.w.karamay_officer).get("/cases/list/"))
    assert "data-case=" not in other


# --- filing -----------------------------------------------------------------------------------------


def test_filing_form_shows_field_errors_and_keeps_the_input(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    client = client_for(cw.officer)
    empty = client.post("/cases/new/", {"source": "", "party_kind": "unit"})
    assert empty.status_code == 400
    page = html(empty)
    for name in ("enterprise", "source", "summary", "facts", "act_date", "second_investigator"):
        assert field_errors(page, name), name
    # the limitation period (Art. 36): the act of 2023 discovered in 2026
    late = client.post("/cases/new/", _filing_form(cw, act_date="2023-12-01"))
    assert late.status_code == 400
    page = html(late)
    assert "2025-12-01" in " ".join(field_errors(page, "act_date"))
    assert "未如实记录事故隐患排查治理情况" in page  # the input is kept
    assert 'value="2026-01-15"' in page
    # the second investigator must be another officer with a certificate
    head = client.post("/cases/new/", _filing_form(cw, second_investigator=cw.head.pk))
    assert head.status_code == 400
    assert field_errors(html(head), "second_investigator")
    # a unit outside the jurisdiction
    outside = client.post("/cases/new/", _filing_form(cw, enterprise=cw.w.ent_karamay.credit_code))
    assert outside.status_code == 400
    assert field_errors(html(outside), "enterprise")
    # a natural person needs a name
    person = client.post("/cases/new/", _filing_form(cw, party_kind="person"))
    assert person.status_code == 400
    assert field_errors(html(person), "party_name")
    assert not Case.objects.exists()


# --- a case from filing to the archive, through the pages -----------------------------------------


def test_from_filing_to_the_archive_through_the_pages(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    # a fresh sign-in for every request: the sessions would expire as the clock moves on
    officer, head, reviewer, party = (
        Fresh(client_for, user) for user in (cw.officer, cw.head, cw.reviewer, cw.w.enterprise_user)
    )

    # 1. the officer proposes the case; the head approves the filing
    response = officer.post("/cases/new/", _filing_form(cw))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.state == CaseState.FILING
    page = detail(officer, case)
    assert 'data-testid="step-approve_filing"' not in page
    assert escape(zh("Nothing for you to do on this case now.")) in page
    page = detail(head, case)
    assert 'data-testid="step-approve_filing"' in page
    assert f'name="version" value="{case.version}"' in page
    assert step(head, case, "approve_filing").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert "应急立〔2026〕1号" in case.number
    page = detail(officer, case)
    assert case.number in page
    assert escape(zh("Decision limit")) in page
    assert "2026-04-20" in page  # 90 days (行政处罚法 Art. 60)
    assert "《行政处罚法》第六十条" in page
    assert 'data-testid="violation-form"' in page
    assert 'data-testid="evidence-form"' in page
    assert 'data-testid="interview-form"' in page
    assert escape(zh("Case filing approval form")) in page or "立案审批表" in page
    assert 'data-kind="cases.case_opened"' in page  # the timeline
    assert 'data-kind="core.document_issued"' in page
    # the head decides; it does not investigate
    assert 'data-testid="violation-form"' not in detail(head, case)

    # 2. investigation: a violation with the engine's recommendation, evidence, an interview
    response = officer.post(
        f"/cases/{case.pk}/violations/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "provision": "97-5-unit-base",
            "act": "1",
            "description": "2025年未如实记录事故隐患排查治理情况",
            "proposed": "",
            "justification": "",
        },
    )
    assert response.status_code == 302
    violation = CaseViolation.objects.get(case=case)
    assert (violation.tier, violation.recommended, violation.proposed) == (
        "general",
        50_000,
        50_000,
    )
    page = detail(officer, case)
    assert "30,000–70,000" in page
    assert 'data-testid="recommended">50,000' in page
    assert "一般" in page
    assert violation.reasons[0] in page
    photo = SimpleUploadedFile("台账照片.jpg", b"\xff\xd8\xff photo bytes", "image/jpeg")
    response = officer.post(
        f"/cases/{case.pk}/evidence/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "kind": "document",
            "description": "隐患排查台账（空白）",
            "collected_on": "2026-01-20",
            "second_officer": cw.lead.pk,
            "file": photo,
        },
    )
    assert response.status_code == 302
    evidence = CaseEvidence.objects.get(case=case)
    assert evidence.file is not None
    assert evidence.file.original_name == "台账照片.jpg"
    response = officer.post(
        f"/cases/{case.pk}/interviews/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "person": "王经理",
            "position": "安全管理员",
            "place": "该单位会议室",
            "started_at": "2026-01-20T09:00",
            "ended_at": "2026-01-20T09:40",
            "second_officer": cw.lead.pk,
            "record": "问：你单位是否建立隐患排查台账？\n答：没有建立。\n问：为什么？\n答：人手不足，\n疏忽了。",
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get(case=case)
    assert interview.record == [
        {"q": "你单位是否建立隐患排查台账？", "a": "没有建立。"},
        {"q": "为什么？", "a": "人手不足，\n疏忽了。"},
    ]
    page = detail(officer, case)
    assert 'data-testid="evidence-file"' in page
    assert "王经理" in page
    # the report
    assert step(officer, case, "submit_report", report="").status_code == 400
    assert step(officer, case, "submit_report", report="事实清楚，证据确凿。").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWING
    assert (case.hearing_right, case.legal_review_required, case.discussion_required) == (
        True,
        True,
        True,
    )

    # 3. review, legal review, collective discussion, notice
    assert 'data-testid="step-to_legal_review"' not in detail(officer, case)  # investigated it
    page = detail(head, case)
    assert 'data-testid="step-to_legal_review"' in page
    assert 'data-testid="step-notify"' in page  # offered, but the rules refuse it
    refused = step(head, case, "notify", opinion="同意")
    assert refused.status_code == 409
    assert "第五十八条" in html(refused)  # 行政处罚法 Art. 58, in Chinese
    assert state(case) == CaseState.REVIEWING
    clock.day = D(2026, 2, 2)
    assert step(head, case, "to_legal_review", opinion="事实清楚").status_code == 302
    clock.day = D(2026, 2, 10)
    assert 'data-testid="step-legal_to_discussion"' in detail(reviewer, case)
    assert step(reviewer, case, "legal_to_discussion", opinion="同意").status_code == 302
    clock.day = D(2026, 2, 12)
    response = step(
        head, case, "discussion_notify", participants="局长、副局长", record="同意罚款五万元。"
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED
    page = detail(officer, case)
    assert 'data-testid="notified-amount">50,000' in page
    assert page.count("2026-02-26") >= 2  # statement and hearing request periods
    assert 'data-testid="statement-form"' in page

    # 4. the party states its case and asks for a hearing on the portal
    clock.day = D(2026, 2, 24)
    portal = html(party.get(f"/portal/cases/{case.pk}/"))
    assert 'data-testid="hearing-request-form"' in portal
    response = party.post(
        f"/portal/cases/{case.pk}/",
        {"form": "statement", "version": case.version, "text": "我单位已立即整改，请求从轻处罚。"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    response = party.post(f"/portal/cases/{case.pk}/", {"form": "hearing", "version": case.version})
    assert response.status_code == 302
    assert state(case) == CaseState.HEARING
    assert "我单位已立即整改" in detail(officer, case)

    # 5. the hearing: its chair may not have investigated; 7 working days' notice
    clock.day = D(2026, 2, 25)
    page = detail(head, case)
    assert 'data-testid="hearing-form"' in page
    assert f'<option value="{cw.lead.pk}"' not in page.split('data-testid="hearing-form"')[1]
    early = head.post(
        f"/cases/{case.pk}/hearing/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "chair": cw.reviewer.pk,
            "notice_on": "2026-02-25",
            "date": "2026-03-04",
            "place": "局三楼会议室",
            "public": "on",
        },
    )
    assert early.status_code == 400
    assert "2026-03-05" in " ".join(field_errors(html(early), "date"))
    response = head.post(
        f"/cases/{case.pk}/hearing/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "chair": cw.reviewer.pk,
            "notice_on": "2026-02-25",
            "date": "2026-03-05",
            "place": "局三楼会议室",
            "public": "on",
        },
    )
    assert response.status_code == 302
    clock.day = D(2026, 3, 5)
    assert 'data-testid="step-hold_hearing"' not in detail(head, case)  # only the chair
    assert 'data-testid="step-hold_hearing"' in detail(reviewer, case)
    assert (
        step(
            reviewer, case, "hold_hearing", record="当事人陈述了整改情况。", party_present="on"
        ).status_code
        == 302
    )
    assert state(case) == CaseState.DECIDING

    # 6. the decision: never above the amount notified (Art. 45), the input kept
    clock.day = D(2026, 3, 10)
    page = detail(head, case)
    assert f'name="amount_{violation.pk}"' in page
    assert f'name="amount_{violation.pk}" value="50000"' in page  # the amount notified
    too_much = step(head, case, "decide", **{f"amount_{violation.pk}": "60000"})
    assert too_much.status_code == 400
    errors = field_errors(html(too_much), f"amount_{violation.pk}")
    assert errors
    assert "50,000" in errors[0]
    assert "第四十五条" in errors[0]  # 行政处罚法 Art. 45
    assert f'name="amount_{violation.pk}" value="60000"' in html(too_much)
    assert state(case) == CaseState.DECIDING
    low = step(head, case, "decide", **{f"amount_{violation.pk}": "20000"})
    assert low.status_code == 400
    assert field_errors(html(low), f"justification_{violation.pk}")
    assert step(head, case, "decide", **{f"amount_{violation.pk}": "40000"}).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.fine) == (CaseState.DECIDED, 40_000)
    page = detail(officer, case)
    assert 'data-testid="fine">40,000' in page
    assert 'data-testid="decided">40,000' in page

    # 7. service, payment with the late surcharge, closing, the archive
    clock.day = D(2026, 3, 11)
    response = step(
        officer, case, "serve", served_on="2026-03-11", method="direct", recipient="王经理"
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.payment_due) == (CaseState.EXECUTING, D(2026, 3, 26))
    clock.day = D(2026, 3, 30)
    page = detail(officer, case)
    assert 'data-testid="owed">44,800' in page  # 40,000 + 3 % × 4 days
    assert 'data-testid="remind-form"' in page
    response = officer.post(
        f"/cases/{case.pk}/payments/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "paid_on": "2026-03-30",
            "amount": "44800",
            "receipt_number": "BANK-0001",
            "channel": "中国工商银行",
        },
    )
    assert response.status_code == 302
    assert state(case) == CaseState.CLOSING
    clock.day = D(2026, 4, 2)
    assert step(head, case, "close").status_code == 302
    clock.day = D(2026, 4, 3)
    assert step(officer, case, "archive").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED
    page = detail(officer, case)
    assert case.case_file is not None
    assert case.case_file.number in page
    assert 'data-testid="next-steps"' in page
    assert page.count('data-deadline="running"') == 0


def test_a_stale_version_is_a_conflict_and_the_input_is_kept(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = investigated(cw)
    head = client_for(cw.head)
    seen = Case.objects.get(pk=case.pk).version
    services.review_conclude(  # meanwhile the case is returned to the investigators
        actor=cw.head,
        case_id=case.pk,
        action="return_investigation",
        opinion="补充证据",
        today=FILED,
    )
    response = head.post(
        f"/cases/{case.pk}/action/reject_filing/", {"version": seen, "reason": "不予立案的理由"}
    )
    assert response.status_code == 409
    assert escape(
        zh("Someone else changed this record after you opened it. Reload and try again.")
    ) in html(response)
    # a page form (not a step) is checked against the version too
    officer = client_for(cw.officer)
    stale = officer.post(
        f"/cases/{case.pk}/violations/",
        {
            "version": seen,
            "provision": "97-4-unit-base",
            "act": "2",
            "description": "未如实记录安全生产教育和培训情况",
        },
    )
    assert stale.status_code == 409
    page = html(stale)
    assert "未如实记录安全生产教育和培训情况" in page  # kept
    current = Case.objects.get(pk=case.pk).version
    assert f'name="version" value="{current}"' in page
    assert CaseViolation.objects.filter(case=case).count() == 1


def test_roles_and_offices_that_may_not_act(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = filed(cw)
    # the head is not an investigator: its violation is refused (403), nothing written
    response = client_for(cw.head).post(
        f"/cases/{case.pk}/violations/",
        {"version": case.version, "provision": "97-5-unit-base", "act": "1", "description": "x"},
    )
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in html(response)
    assert not CaseViolation.objects.exists()
    # the level above sees the case but does not act on it
    upper = client_for(cw.w.prefecture_officer)
    page = detail(upper, case)
    assert escape(zh("Only the office that runs the case acts on it.")) in page
    assert 'data-testid="step-' not in page
    # an illegal step is 409 with the message
    response = step(client_for(cw.head), case, "decide")
    assert response.status_code in (400, 409)
    assert state(case) == CaseState.INVESTIGATING
    # another jurisdiction: the same 404 as a missing case
    other = client_for(cw.w.karamay_officer)
    for suffix, method in (("", "get"), ("action/terminate/", "post"), ("violations/", "post")):
        found = getattr(other, method)(f"/cases/{case.pk}/{suffix}")
        missing = getattr(other, method)(f"/cases/{MISSING}/{suffix}")
        assert found.status_code == missing.status_code == 404
        assert found.content == missing.content


# --- the calculator and the simple procedure ----------------------------------------------------------


def test_calculator_gives_the_worked_example(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    client = client_for(cw.officer)
    form = html(client.get("/cases/calculator/"))
    assert "<optgroup" in form
    assert 'value="97-5-unit-base"' in form
    # 安全生产法 Art. 97 (5), a unit, no circumstances: the general tier (30–70 %)
    response = client.get("/cases/calculator/?provision=97-5-unit-base&on=2026-01-20")
    assert response.status_code == 200
    page = html(response)
    assert re.search(r'data-testid="rec-tier">[^<]*一般', page)
    assert 'data-testid="rec-range">30,000–70,000<' in page
    assert 'data-testid="rec-amount">50,000<' in page
    assert 'data-testid="rec-statutory">0–100,000<' in page
    assert page.count("<li>", page.index('data-testid="rec-reasons"')) >= 2
    # two mandatory mitigating circumstances and none aggravating: below the minimum is
    # impossible (no minimum), so the lighter tier
    lighter = html(
        client.get("/cases/calculator/?provision=97-5-unit-base&eliminated_harm=on&confessed=on")
    )
    assert re.search(r'data-testid="rec-tier">[^<]*从轻', lighter)
    assert 'data-testid="rec-range">0–30,000<' in lighter
    # a formula that needs facts the user did not give: an error, not a number
    missing = client.get("/cases/calculator/?provision=95-0-principal-accident")
    assert missing.status_code == 400
    assert 'data-testid="recommendation"' not in html(missing)
    assert 'data-testid="form-errors"' in html(missing)
    bad = client.get("/cases/calculator/?provision=97-5-unit-base&illegal_gains=-3")
    assert bad.status_code == 400
    assert field_errors(html(bad), "illegal_gains")
    # the case page asks for the same as a fragment (htmx)
    fragment = client.get("/cases/calculator/?provision=97-5-unit-base", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content
    assert b'data-testid="rec-amount">50,000<' in fragment.content
    # choosing a party shows only its provisions
    persons = html(client.get("/cases/calculator/?party=person"))
    assert 'value="96-0-person-base"' in persons
    assert 'value="97-5-unit-base"' not in persons


def test_simple_procedure_states_and_keeps_to_the_caps(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    client = client_for(cw.officer)
    page = html(client.get("/cases/simple/"))
    caps = page.split('data-testid="caps"')[1].split("</div>")[0]
    assert "3,000" in caps
    assert "200" in caps
    form = {
        "enterprise": cw.w.ent_tianshan.credit_code,
        "party_kind": "unit",
        "provision": "99-5-unit-base",
        "description": "未为从业人员提供符合国家标准的劳动防护用品",
        "act_date": "2026-01-20",
        "place": "该单位生产车间",
        "amount": "5000",
        "second_officer": cw.lead.pk,
    }
    over = client.post("/cases/simple/", form)
    assert over.status_code == 400
    assert "3,000" in " ".join(field_errors(html(over), "amount"))
    assert not Case.objects.exists()
    response = client.post("/cases/simple/", {**form, "amount": "2000"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.procedure, case.state, case.fine) == (
        Procedure.SIMPLE,
        CaseState.EXECUTING,
        2000,
    )
    page = detail(client, case)
    assert case.number in page
    assert 'data-testid="payment-form"' in page


# --- the outliers ---------------------------------------------------------------------------------------


def test_outliers_are_listed_and_acknowledged(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = investigated(cw)
    violation = CaseViolation.objects.get(case=case)
    flag = ConsistencyFlag.objects.create(  # test data: as consistency_check writes it
        violation=violation,
        case=case,
        jurisdiction_code=case.jurisdiction_code,
        amount=95_000,
        median=50_000,
        low=30_000,
        high=70_000,
        sample=12,
        direction="high",
        flagged_on=FILED,
    )
    reviewer = client_for(cw.reviewer)
    page = html(reviewer.get("/cases/outliers/"))
    row = page.split(f'data-flag="{flag.pk}"')[1].split("</tr>")[0]
    assert "95,000" in row
    assert "50,000" in row
    assert "30,000–70,000" in row
    assert 'data-testid="ack-form"' in row
    assert "ack-form" not in html(client_for(cw.officer).get("/cases/outliers/"))
    empty = reviewer.post(f"/cases/outliers/{flag.pk}/acknowledge/", {"text": ""})
    assert empty.status_code == 400
    response = reviewer.post(
        f"/cases/outliers/{flag.pk}/acknowledge/", {"text": "该单位此前两次违法，从重处罚适当。"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.acknowledged_by == cw.reviewer
    assert "该单位此前两次违法" in html(reviewer.get("/cases/outliers/"))
    other = client_for(cw.w.karamay_head)
    assert other.post(f"/cases/outliers/{flag.pk}/acknowledge/", {"text": "x"}).status_code == 404
    assert f'data-flag="{flag.pk}"' not in html(other.get("/cases/outliers/"))


# --- the portal ---------------------------------------------------------------------------------------------


def test_portal_shows_the_unit_its_case_from_the_notice_on(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    party = Fresh(client_for, cw.w.enterprise_user)
    early = investigated(cw)
    assert party.get(f"/portal/cases/{early.pk}/").status_code == 404  # not notified yet
    assert f"/portal/cases/{early.pk}/" not in html(party.get("/portal/"))
    case = notified(cw)
    clock.day = D(2026, 2, 13)
    response = party.get(f"/portal/cases/{case.pk}/")
    assert_chinese(response)
    page = html(response)
    assert case.number in page
    assert "50,000" in page  # the intended fine
    assert "2026-02-26" in page  # the periods
    kinds = set(re.findall(r'data-kind="(\w+)"', page))
    assert kinds == {"penalty_notice", "hearing_notice"}
    internal = IssuedDocument.objects.filter(
        subject_type="cases.case",
        subject_id=str(case.pk),
        kind__in=["filing_approval", "legal_review_opinion", "discussion_record"],
    )
    assert internal.count() == 3
    for doc in internal:  # (the case number is that of the filing approval: it is shown)
        assert f"/documents/{doc.pk}." not in page
        assert party.get(f"/portal/cases/{case.pk}/documents/{doc.pk}.pdf").status_code == 404
        assert party.get(f"/inspections/documents/{doc.pk}.pdf").status_code == 404
    notice = IssuedDocument.objects.get(
        subject_type="cases.case", subject_id=str(case.pk), kind="penalty_notice"
    )
    download = party.get(f"/portal/cases/{case.pk}/documents/{notice.pk}.pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    # the statement, with field errors when empty
    empty = party.post(f"/portal/cases/{case.pk}/", {"form": "statement", "text": ""})
    assert empty.status_code == 400
    assert field_errors(html(empty), "text")
    response = party.post(
        f"/portal/cases/{case.pk}/",
        {
            "form": "statement",
            "version": Case.objects.get(pk=case.pk).version,
            "text": "已整改完毕。",
        },
    )
    assert response.status_code == 302
    page = html(party.get(f"/portal/cases/{case.pk}/"))
    assert "已整改完毕。" in page
    # the hearing: asked for within the period
    response = party.post(
        f"/portal/cases/{case.pk}/",
        {"form": "hearing", "version": Case.objects.get(pk=case.pk).version},
    )
    assert response.status_code == 302
    assert state(case) == CaseState.HEARING
    page = html(party.get(f"/portal/cases/{case.pk}/"))
    assert 'data-testid="hearing-request-form"' not in page
    assert 'data-testid="hearing"' in page


def test_portal_hides_another_unit_s_case_and_ends_the_hearing_period(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    from tests.factories import EnterpriseUserFactory

    case = notified(cw)
    other_unit: User = EnterpriseUserFactory.create(enterprise=cw.w.ent_tianshan_2)
    neighbour = client_for(other_unit)
    found = neighbour.get(f"/portal/cases/{case.pk}/")
    missing = neighbour.get(f"/portal/cases/{MISSING}/")
    assert found.status_code == missing.status_code == 404
    assert found.content == missing.content
    refused = neighbour.post(f"/portal/cases/{case.pk}/", {"form": "hearing"})
    assert refused.status_code == 404
    # after the period, no hearing can be asked for; a waiver ends the statement period
    clock.day = D(2026, 2, 27)
    party = Fresh(client_for, cw.w.enterprise_user)
    page = html(party.get(f"/portal/cases/{case.pk}/"))
    assert 'data-testid="hearing-request-form"' not in page
    late = party.post(
        f"/portal/cases/{case.pk}/",
        {"form": "hearing", "version": Case.objects.get(pk=case.pk).version},
    )
    assert late.status_code == 409
    assert state(case) == CaseState.NOTIFIED
    response = party.post(
        f"/portal/cases/{case.pk}/",
        {
            "form": "statement",
            "version": Case.objects.get(pk=case.pk).version,
            "text": "无异议。",
            "waives": "on",
        },
    )
    assert response.status_code == 302
    page = html(party.get(f"/portal/cases/{case.pk}/"))
    assert 'data-testid="statement-form"' not in page


# --- payment: arrangement, suspension, reminder; the extension of the decision limit ----------


def _on_the_spot(cw: CaseWorld, amount: int = 2000) -> Case:
    return services.simple_decide(
        actor=cw.officer,
        second_officer_id=cw.lead.pk,
        enterprise_id=cw.w.ent_tianshan.pk,
        provision_code="99-5-unit-base",
        description="未为从业人员提供劳动防护用品",
        amount=amount,
        act_date=FILED,
        place="生产车间",
        today=FILED,
    )


def test_payment_arrangement_suspension_and_reminder(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = _on_the_spot(cw)
    assert case.payment_due == D(2026, 2, 4)
    clock.day = D(2026, 1, 25)
    head, officer = Fresh(client_for, cw.head), Fresh(client_for, cw.officer)
    page = detail(head, case)
    assert 'data-testid="arrangement-form"' in page
    assert 'data-testid="arrangement-form"' not in detail(officer, case)  # the head approves
    url = f"/cases/{case.pk}/arrangement/"
    bad = head.post(
        url,
        {
            "version": Case.objects.get(pk=case.pk).version,
            "kind": "instalments",
            "schedule": "2026-02-04 1000\n下月 1000",
            "reason": "资金困难",
        },
    )
    assert bad.status_code == 400
    assert "下月 1000" in " ".join(field_errors(html(bad), "schedule"))
    response = head.post(
        url,
        {
            "version": Case.objects.get(pk=case.pk).version,
            "kind": "instalments",
            "schedule": "2026-02-04 1000\n2026-03-04 1000",
            "reason": "资金困难",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).payment_due == D(2026, 3, 4)
    # reconsideration: the surcharge stops while it runs
    response = officer.post(
        f"/cases/{case.pk}/suspension/",
        {
            "version": Case.objects.get(pk=case.pk).version,
            "kind": "review",
            "reference": "新政复〔2026〕3号",
            "started_on": "2026-01-25",
        },
    )
    assert response.status_code == 302
    page = detail(officer, case)
    assert 'data-testid="suspension-end-form"' in page
    assert "新政复〔2026〕3号" in page
    clock.day = D(2026, 2, 20)
    response = Fresh(client_for, cw.officer).post(
        f"/cases/{case.pk}/suspension/end/",
        {"version": Case.objects.get(pk=case.pk).version, "ended_on": "2026-02-20"},
    )
    assert response.status_code == 302
    assert case.suspensions.get().ended_on == D(2026, 2, 20)
    # an overdue fine without an arrangement: the reminder (催告)
    other = _on_the_spot(cw, amount=1000)
    clock.day = D(2026, 2, 10)
    page = detail(Fresh(client_for, cw.officer), other)
    assert 'data-testid="remind-form"' in page
    response = Fresh(client_for, cw.officer).post(
        f"/cases/{other.pk}/remind/", {"version": Case.objects.get(pk=other.pk).version}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=other.pk).reminded_on == D(2026, 2, 10)
    assert IssuedDocument.objects.filter(
        subject_type="cases.case", subject_id=str(other.pk), kind="payment_reminder"
    ).exists()


def test_the_head_extends_the_decision_limit(
    cw: CaseWorld, client_for: ClientFor, clock: Clock
) -> None:
    case = filed(cw)
    clock.day = D(2026, 4, 10)
    head = client_for(cw.head)
    page = detail(head, case)
    assert 'data-testid="extend-form"' in page
    assert 'data-testid="extend-form"' not in detail(client_for(cw.officer), case)
    url = f"/cases/{case.pk}/extend/"
    version = Case.objects.get(pk=case.pk).version
    too_long = head.post(url, {"version": version, "level": "head", "days": "45", "reason": "鉴定"})
    assert too_long.status_code == 400
    assert field_errors(html(too_long), "days")
    response = head.post(url, {"version": version, "level": "head", "days": "30", "reason": "鉴定"})
    assert response.status_code == 302
    page = detail(head, case)
    assert "2026-05-20" in page  # 2026-04-20 + 30 days
    assert 'data-testid="extend-form"' not in page  # the office's own level is used up
