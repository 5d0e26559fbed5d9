"""The demo data of the training app (loaded by ``make run`` through org.demo).

Training (``load_courses_demo``): the province's plan for 2026 (every enforcement post 60
hours, of which 法律法规 at least 20 and 政治理论 at least 8 — the province's choice, after
《法治政府建设实施纲要（2021—2025年）》, which asks that administrative enforcement officers
receive no less than 60 学时 of business and legal training per person per year), courses
of the province, 乌鲁木齐 and 天山区 in every category (a lecture by a judge of
乌鲁木齐市中级人民法院, a two-day class for special operations), held sessions with
attendance (天山区's officer on track, its team lead and a colleague behind, one colleague
who missed sessions), a cancelled session, a 2025 session that does not count in 2026,
study notes and a discussion, and a political-study session planned for December 2026.

The case library: the archived 天山区 case of the cases demo (no hazard-screening records, 安全生产法
Art. 97 (5)) enters the case library, published to the province, with teaching notes by
天山区's officer and a discussion comment by 乌鲁木齐's officer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from inspectorate.cases.models import Case, CaseState
from inspectorate.org.models import User
from inspectorate.training import services
from inspectorate.training.models import Course, CourseCategory, LecturerKind, Session
from inspectorate.training.services import AttendanceEntry, PlanLineInput

PLAN_BASIS = (
    "《法治政府建设实施纲要（2021—2025年）》：“加强行政执法队伍专业化建设……"
    "确保每人每年接受不少于60学时的业务知识和法律法规等方面的培训。”"
    "本区据此规定各执法岗位年度培训不少于60学时，其中法律法规不少于20学时、政治理论不少于8学时。"
)


def load_training_demo() -> None:
    load_courses_demo()
    load_library_demo()


def load_library_demo() -> None:
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


def _users(*names: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _course(actor: User, title: str, category: str, hours: str, description: str) -> Course:
    return services.course_create(
        actor=actor,
        title=title,
        category=category,
        default_hours=hours,
        description=description,
        today=dt.date(2026, 1, 15),
    )


def _session(
    actor: User,
    course: Course,
    day: dt.date,
    invitees: list[User],
    *,
    start: tuple[int, int] = (10, 0),
    end: tuple[int, int] = (13, 0),
    place: str,
    lecturer: User | None = None,
    external: tuple[str, str, str] = ("", "", ""),
) -> Session:
    name, org, title = external
    return services.session_create(
        actor=actor,
        course_id=course.pk,
        date=day,
        start_time=dt.time(*start),
        end_time=dt.time(*end),
        place=place,
        hours=None,
        lecturer_kind=LecturerKind.INTERNAL if lecturer else LecturerKind.EXTERNAL,
        lecturer_id=lecturer.pk if lecturer else None,
        lecturer_name=name,
        lecturer_org=org,
        lecturer_title=title,
        invitee_ids=[u.pk for u in invitees],
    )


def _held(actor: User, session: Session, rows: list[tuple[User, str, Any]]) -> Session:
    session = services.session_transition(
        actor=actor,
        session_id=session.pk,
        action="hold",
        expected_version=session.version,
        today=session.date,
    )
    services.attendance_record(
        actor=actor,
        session_id=session.pk,
        entries=[AttendanceEntry(u.pk, status, hours) for u, status, hours in rows],
        today=session.date + dt.timedelta(days=1),
    )
    return session


def load_courses_demo() -> None:
    u = _users(
        "prov_head",
        "prov_lead",
        "prov_officer",
        "pref_lead",
        "pref_officer",
        "county_lead",
        "county_officer",
        "officer_650000_1",
        "officer_650100_1",
        "officer_650102_1",
        "officer_650102_2",
    )
    if len(u) < 11:
        return
    province = u["prov_head"].agency
    services.plan_save(
        actor=u["prov_head"],
        agency_id=province.pk if province else None,
        year=2026,
        lines=[
            PlanLineInput(post, "60", {CourseCategory.LAW: "20", CourseCategory.POLITICAL: "8"})
            for post in ("officer", "team_lead", "legal_reviewer", "head")
        ],
        source=PLAN_BASIS,
        today=dt.date(2026, 1, 10),
    )
    prov, pref, county = u["prov_lead"], u["pref_lead"], u["county_lead"]
    co, ts1, ts2 = u["county_officer"], u["officer_650102_1"], u["officer_650102_2"]
    po, p1, xo, x1 = (
        u["pref_officer"],
        u["officer_650100_1"],
        u["prov_officer"],
        u["officer_650000_1"],
    )
    tianshan = [county, co, ts1, ts2]
    urumqi = [pref, po, p1, *tianshan]
    region = [prov, xo, x1, *urumqi]
    hall = "自治区应急管理厅三楼培训中心"
    P, A, X, E = "present", "absent", "excused", "partial"

    political = _course(
        prov,
        "习近平总书记关于安全生产重要论述专题学习",
        CourseCategory.POLITICAL,
        "4",
        "政治理论学习：统筹发展和安全，人民至上、生命至上。",
    )
    law = _course(
        prov,
        "《行政处罚法》与安全生产行政执法程序",
        CourseCategory.LAW,
        "6",
        "立案、调查取证、告知、听证、法制审核、集体讨论与决定的程序要求。",
    )
    court = _course(
        pref,
        "行政诉讼中的行政处罚案件审查要点",
        CourseCategory.LAW,
        "4",
        "邀请中级人民法院行政庭法官讲授：法院审查行政处罚案件的重点与应急管理部门败诉的常见原因。",
    )
    policy = _course(
        prov,
        "危险化学品安全生产新政策解读",
        CourseCategory.POLICY,
        "4",
        "新出台的危险化学品安全专项整治政策与重大隐患判定标准。",
    )
    special = _course(
        prov,
        "特殊作业（动火、受限空间）监管执法专题培训班",
        CourseCategory.SPECIAL_POST,
        "16",
        "面向危险化学品、工贸行业监管岗位的两天专题培训班，含现场教学。",
    )
    skills = _course(
        county,
        "现场检查与调查取证实务",
        CourseCategory.SKILLS,
        "8",
        "执法记录仪使用、现场检查记录、询问笔录制作与证据固定。",
    )
    refresh = _course(
        prov,
        "新《安全生产法》及配套规章专题研修",
        CourseCategory.LAW,
        "12",
        "两天集中研修：法律责任条款的适用与自由裁量基准。",
    )

    # 2025: held, counted in 2025 only
    old = _session(prov, law, dt.date(2025, 11, 20), region, place=hall, end=(17, 0), lecturer=prov)
    _held(prov, old, [(co, P, None), (ts1, P, None), (po, P, None)])

    s = _session(
        prov,
        political,
        dt.date(2026, 3, 5),
        region,
        place=hall,
        start=(15, 30),
        end=(19, 0),
        lecturer=u["prov_head"],
    )
    _held(
        prov,
        s,
        [
            (xo, P, None),
            (x1, P, None),
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, P, None),
            (ts1, P, None),
            (ts2, P, None),
            (pref, A, None),
        ],
    )
    s = _session(
        prov,
        law,
        dt.date(2026, 3, 18),
        region,
        place=hall,
        start=(10, 0),
        end=(17, 0),
        external=("周慧敏", "新疆大学法学院", "教授"),
    )
    _held(
        prov,
        s,
        [
            (xo, P, None),
            (x1, P, None),
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, P, None),
            (ts1, A, None),
            (ts2, P, None),
            (pref, P, None),
        ],
    )
    s = _session(
        county,
        skills,
        dt.date(2026, 4, 9),
        tianshan,
        place="天山区应急管理局二楼会议室",
        start=(10, 0),
        end=(18, 0),
        lecturer=county,
    )
    _held(county, s, [(co, P, None), (ts1, P, None), (ts2, P, None)])
    judge = _session(
        pref,
        court,
        dt.date(2026, 5, 20),
        urumqi,
        place="乌鲁木齐市应急管理局报告厅",
        start=(15, 30),
        end=(19, 30),
        external=("李建华", "乌鲁木齐市中级人民法院", "行政审判庭法官"),
    )
    _held(
        pref,
        judge,
        [
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, P, None),
            (ts1, A, None),
            (ts2, P, None),
            (pref, P, None),
        ],
    )
    s = _session(
        prov,
        policy,
        dt.date(2026, 6, 16),
        region,
        place=hall,
        external=("马振宇", "自治区化工安全专家组", "高级工程师"),
    )
    _held(
        prov,
        s,
        [
            (xo, P, None),
            (x1, P, None),
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, E, "2"),
            (ts2, P, None),
        ],
    )
    s = _session(
        prov,
        special,
        dt.date(2026, 7, 8),
        [xo, x1, po, p1, co, ts2],
        place=hall,
        start=(9, 0),
        end=(18, 0),
        external=("王海涛", "中国化学品安全协会", "特殊作业安全专家"),
    )
    _held(
        prov,
        s,
        [(xo, P, None), (x1, P, None), (po, P, None), (p1, P, None), (co, P, None), (ts2, P, None)],
    )
    cancelled = _session(
        county,
        skills,
        dt.date(2026, 8, 20),
        tianshan,
        place="天山区应急管理局二楼会议室",
        start=(10, 0),
        end=(18, 0),
        lecturer=county,
    )
    services.session_transition(
        actor=county,
        session_id=cancelled.pk,
        action="cancel",
        expected_version=cancelled.version,
        reason="与全区安全生产大检查时间冲突，取消。",
        today=dt.date(2026, 8, 14),
    )
    s = _session(
        county,
        skills,
        dt.date(2026, 9, 10),
        tianshan,
        place="天山区应急管理局二楼会议室",
        start=(10, 0),
        end=(18, 0),
        lecturer=county,
    )
    _held(county, s, [(co, P, None), (ts1, X, None), (ts2, P, None)])
    s = _session(
        prov,
        political,
        dt.date(2026, 10, 15),
        region,
        place=hall,
        start=(15, 30),
        end=(19, 0),
        lecturer=u["prov_head"],
    )
    _held(
        prov,
        s,
        [
            (xo, P, None),
            (x1, P, None),
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, P, None),
            (ts1, X, None),
            (ts2, P, None),
        ],
    )
    s = _session(
        prov,
        refresh,
        dt.date(2026, 11, 12),
        region,
        place=hall,
        start=(9, 0),
        end=(18, 0),
        external=("陈立军", "自治区司法厅", "行政执法监督处处长"),
    )
    _held(
        prov,
        s,
        [
            (xo, P, None),
            (x1, P, None),
            (po, P, None),
            (p1, P, None),
            (co, P, None),
            (county, P, None),
            (pref, E, "8"),
        ],
    )
    _session(
        prov,
        political,
        dt.date(2026, 12, 10),
        region,
        place=hall,
        start=(15, 30),
        end=(19, 0),
        lecturer=u["prov_head"],
    )

    services.study_note_add(
        actor=co,
        session_id=judge.pk,
        kind="note",
        today=dt.date(2026, 5, 22),
        text=(
            "李法官讲到，法院审查行政处罚案件首先看程序：立案审批、告知陈述申辩和听证权利、"
            "法制审核三个环节缺一不可。我们今后在询问笔录中要写明告知的时间和方式，"
            "送达回证要由当事人签收，避免因程序瑕疵被撤销。"
        ),
    )
    services.study_note_add(
        actor=po,
        session_id=judge.pk,
        kind="note",
        today=dt.date(2026, 5, 23),
        text="自由裁量要说明理由：处罚决定书中应写明从轻、从重情节及其依据，不能只写“依法处以罚款”。",
    )
    services.study_note_add(
        actor=xo,
        session_id=judge.pk,
        kind="comment",
        today=dt.date(2026, 5, 25),
        text="建议把本次讲座中的败诉案例整理进典型案例库，供各地州案卷评查时对照。",
    )
    services.study_note_add(
        actor=county,
        session_id=judge.pk,
        kind="comment",
        today=dt.date(2026, 5, 26),
        text="同意。天山区下月组织一次程序问题专题讨论，请各位同事准备本单位的案卷。",
    )
