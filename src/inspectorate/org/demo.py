"""The demo province: 新疆维吾尔自治区 (650000), generated deterministically from a seed.

Agencies for the region, every prefecture and every county (from the GB/T 2260 table);
about 60 officers with certificates; 3,000 enterprises across the supervised sectors with
plausible names and addresses and valid credit codes; licences and major hazard sources.
The same seed always gives the same data. Registrations are written to the enforcement
record like any other.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from inspectorate.core.record import PendingEvent, record_append_many
from inspectorate.core.record_kinds import RecordKind
from inspectorate.org.models import Agency, AgencyKind, Jurisdiction, User
from inspectorate.org.roles import Role
from inspectorate.org.services import certificate_issue, user_create
from inspectorate.registry.credit_code import CHARSET, make_credit_code
from inspectorate.registry.models import (
    Enterprise,
    HazardLevel,
    Licence,
    LicenceKind,
    MajorHazardSource,
    RiskClass,
    Sector,
    Size,
    StandardisationLevel,
)

PROVINCE = "650000"
DEMO_PASSWORD = "Inspect@2026"  # noqa: S105 - printed for the demo logins
REFERENCE_DAY = dt.date(2026, 1, 1)

# username prefix -> jurisdiction of the agency
LEVEL_ACCOUNTS = {"prov": "650000", "pref": "650100", "county": "650102"}
ROLE_ACCOUNTS = [
    ("officer", [Role.OFFICER]),
    ("lead", [Role.TEAM_LEAD, Role.OFFICER]),
    ("reviewer", [Role.LEGAL_REVIEWER]),
    ("head", [Role.HEAD]),
    ("supervisor", [Role.SUPERVISOR]),
    ("admin", [Role.ADMIN]),
]
# extra officers: jurisdiction -> count (the three demo levels get a second officer too)
EXTRA_OFFICERS = {
    "650000": 3,
    "650100": 2,
    "650102": 2,
    "650103": 2,
    "650104": 2,
    "650109": 2,
    "650200": 3,
    "650203": 2,
    "652300": 3,
    "652301": 3,
    "652800": 3,
    "652801": 3,
    "653100": 3,
    "653101": 2,
    "654000": 3,
    "654002": 2,
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗艾买吐热阿努"
GIVEN = [
    "伟",
    "芳",
    "军",
    "敏",
    "静",
    "磊",
    "强",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "力江",
    "古丽",
    "买买提",
    "热依拉",
    "阿力木",
    "迪丽达尔",
]
BRANDS = [
    "天山",
    "昆仑",
    "丝路",
    "金泰",
    "西域",
    "博峰",
    "华凌",
    "新源",
    "瑞达",
    "恒通",
    "鑫盛",
    "中泰",
    "宏远",
    "嘉和",
    "绿洲",
    "雪莲",
    "胡杨",
    "祥瑞",
    "广汇",
    "天润",
    "金桥",
    "兴业",
    "龙腾",
    "晨光",
    "众诚",
    "永盛",
    "鼎信",
    "安泰",
    "盛达",
    "汇丰",
]
SECTOR_WORDS = {
    "hazchem_production": ["化工", "石化", "精细化工", "氯碱化工"],
    "hazchem_business": ["化工物资", "化学品贸易", "危险品经营"],
    "hazchem_storage": ["仓储物流", "化工仓储", "油品储运"],
    "hazchem_use": ["新材料", "印染", "电镀", "制药"],
    "noncoal_mine": ["矿业", "采石", "石材开采", "金矿"],
    "fireworks": ["烟花爆竹", "花炮"],
    "metallurgy": ["钢铁", "冶金", "铸造"],
    "nonferrous": ["有色金属", "铝业", "铜业"],
    "building_materials": ["建材", "水泥", "混凝土"],
    "machinery": ["机械制造", "装备", "汽车零部件"],
    "light_industry": ["食品", "纸业", "乳业", "果业"],
    "textile": ["纺织", "棉业", "服装"],
    "tobacco": ["烟草"],
    "commerce": ["商贸", "超市", "商场"],
    "petroleum": ["石油技术服务", "油气开发", "钻井工程"],
    "other": ["实业", "科技"],
}
SECTOR_WEIGHTS = {
    "hazchem_production": 5,
    "hazchem_business": 7,
    "hazchem_storage": 3,
    "hazchem_use": 5,
    "noncoal_mine": 6,
    "fireworks": 3,
    "metallurgy": 4,
    "nonferrous": 3,
    "building_materials": 8,
    "machinery": 9,
    "light_industry": 12,
    "textile": 6,
    "tobacco": 1,
    "commerce": 15,
    "petroleum": 4,
    "other": 9,
}
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "厂"]
STREETS = [
    "人民路",
    "解放路",
    "建设路",
    "团结路",
    "友好路",
    "北京路",
    "长江路",
    "黄河路",
    "新华路",
    "光明路",
    "胜利路",
    "迎宾路",
    "工业园区一路",
    "工业园区二路",
    "经济技术开发区纬三路",
]
SUBJECT_CHARS = "".join(c for c in CHARSET if c.isdigit()) + "ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class DemoResult:
    agencies: int
    officers: int
    enterprises: int
    logins: list[tuple[str, str, str, str]]  # level, role label, username, agency


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _short_name(j: Jurisdiction) -> str:
    if j.level == "province":
        return "新"
    if j.level == "prefecture":
        return "新" + j.name[0]
    parent = j.parent
    first = parent.name[0] if parent and parent.code != "659000" else "兵"
    return first + j.name[0]


def _agencies(rng: random.Random) -> dict[str, Agency]:
    """One bureau and one enforcement unit per jurisdiction of the region."""
    bureaus: dict[str, Agency] = {}
    places = list(Jurisdiction.objects.filter(code__startswith="65").select_related("parent"))
    places.sort(key=lambda j: (["province", "prefecture", "county"].index(j.level), j.code))
    for j in places:
        if j.code == "659000":  # 自治区直辖县级行政区划: no office of its own
            continue
        if j.level == "province":
            names = ("新疆维吾尔自治区应急管理厅", "新疆维吾尔自治区安全生产执法监察总队")
            unit_kind = AgencyKind.CORPS
        elif j.level == "prefecture":
            names = (f"{j.name}应急管理局", f"{j.name}应急管理综合行政执法支队")
            unit_kind = AgencyKind.DETACHMENT
        else:
            names = (f"{j.name}应急管理局", f"{j.name}应急管理综合行政执法大队")
            unit_kind = AgencyKind.BRIGADE
        parent_code = j.parent_id if j.parent_id != "659000" else PROVINCE
        parent = bureaus.get(parent_code or "")
        bureau = Agency.objects.create(
            code=f"{j.code}-01",
            name=names[0],
            short_name=_short_name(j),
            kind=AgencyKind.BUREAU,
            jurisdiction=j,
            parent=parent,
        )
        Agency.objects.create(
            code=f"{j.code}-02",
            name=names[1],
            short_name=_short_name(j),
            kind=unit_kind,
            jurisdiction=j,
            parent=bureau,
        )
        bureaus[j.code] = bureau
    return bureaus


def _certify(
    rng: random.Random, user: User, serial: int, sectors: list[str], legal: bool = False
) -> None:
    agency = user.agency
    if agency is None:
        raise ValueError("only an agency's officer holds an enforcement certificate")
    expired = serial % 23 == 0  # a few expired certificates, as in real life
    valid_from = dt.date(2021 if expired else 2024, 1 + serial % 12, 1)
    certificate_issue(
        actor=None,
        officer=user,
        number=f"{agency.jurisdiction_id}{valid_from.year}{serial:04d}",
        issuing_authority="新疆维吾尔自治区人民政府",
        valid_from=valid_from,
        valid_until=valid_from + dt.timedelta(days=3 * 365 - 1),
        sectors=rng.sample(sectors, k=rng.randint(3, 8)),
        legal_qualification=legal,
    )


def _officers(
    rng: random.Random, bureaus: dict[str, Agency], sectors: list[str], password_hash: str
) -> tuple[int, list[tuple[str, str, str, str]]]:
    serial = 0
    logins: list[tuple[str, str, str, str]] = []
    for level, code in LEVEL_ACCOUNTS.items():
        agency = bureaus[code]
        for suffix, roles in ROLE_ACCOUNTS:
            username = f"{level}_{suffix}"
            user = user_create(
                actor=None,
                username=username,
                password=password_hash,
                password_is_hashed=True,
                name=_person(rng),
                roles=roles,
                agency=agency,
            )
            if Role.OFFICER in roles or Role.LEGAL_REVIEWER in roles:
                serial += 1
                _certify(rng, user, serial, sectors, legal=Role.LEGAL_REVIEWER in roles)
            logins.append((level, str(Role(roles[0]).label), username, agency.name))
    for code, count in EXTRA_OFFICERS.items():
        agency = bureaus[code]
        for n in range(1, count + 1):
            serial += 1
            roles = (
                [Role.OFFICER, Role.TEAM_LEAD]
                if n == 1 and code not in LEVEL_ACCOUNTS.values()
                else [Role.OFFICER]
            )
            user = user_create(
                actor=None,
                username=f"officer_{code}_{n}",
                password=password_hash,
                password_is_hashed=True,
                name=_person(rng),
                roles=roles,
                agency=agency,
            )
            _certify(rng, user, serial, sectors)
    return serial, logins


def _subject_id(rng: random.Random) -> str:
    return "".join(rng.choice(SUBJECT_CHARS) for _ in range(9))


def _enterprises(rng: random.Random, bureaus: dict[str, Agency], count: int) -> list[Enterprise]:
    counties = list(
        Jurisdiction.objects.filter(code__startswith="65", level="county").select_related("parent")
    )
    weights = [
        40
        if c.code == "650102"
        else 8
        if c.code.startswith("6501")
        else 4
        if c.parent_id in ("650200", "652300", "652800")
        else 2
        for c in counties
    ]
    sectors = {s.code: s for s in Sector.objects.all()}
    sector_codes = list(SECTOR_WEIGHTS)
    sector_weights = [SECTOR_WEIGHTS[c] for c in sector_codes]
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    result: list[Enterprise] = []
    while len(result) < count:
        county = rng.choices(counties, weights)[0]
        sector = sectors[rng.choices(sector_codes, sector_weights)[0]]
        place = county.name.removesuffix("市").removesuffix("县").removesuffix("区")
        base = f"{rng.choice(['新疆', place[:4]])}{rng.choice(BRANDS)}{rng.choice(SECTOR_WORDS[sector.code])}"
        name = base + rng.choice(SUFFIXES)
        if name in seen_names:
            name = f"{base}{rng.choice(['第一', '第二', '第三', '北区', '南区'])}分公司"
            if name in seen_names:
                continue
        code = make_credit_code("9", "1", county.code, _subject_id(rng))
        if code in seen_codes:
            continue
        seen_names.add(name)
        seen_codes.add(code)
        size = rng.choices(list(Size), [4, 14, 42, 40])[0]
        if sector.high_risk:
            risk = rng.choices(list(RiskClass), [12, 33, 40, 15])[0]
        else:
            risk = rng.choices(list(RiskClass), [2, 10, 45, 43])[0]
        prefecture_code = county.parent_id or PROVINCE
        if risk == RiskClass.MAJOR and size == Size.LARGE:
            agency = bureaus[PROVINCE]
        elif sector.high_risk and size in (Size.LARGE, Size.MEDIUM) and prefecture_code in bureaus:
            agency = bureaus[prefecture_code]
        else:
            agency = bureaus.get(county.code) or bureaus[PROVINCE]
        employees = {
            Size.LARGE: (1000, 8000),
            Size.MEDIUM: (100, 999),
            Size.SMALL: (10, 99),
            Size.MICRO: (1, 9),
        }[Size(size)]
        result.append(
            Enterprise(
                credit_code=code,
                name=name,
                address=f"{county.full_name()}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                jurisdiction=county,
                supervising_agency=agency,
                sector=sector,
                industry_code="",
                size=size,
                employees=rng.randint(*employees),
                standardisation_level=rng.choices(list(StandardisationLevel), [5, 20, 45, 30])[0],
                risk_class=risk,
                status=rng.choices(["operating", "suspended", "closed"], [94, 4, 2])[0],
                legal_representative=_person(rng),
                contact_phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
            )
        )
    return result


LICENCE_FOR = {
    "hazchem_production": LicenceKind.SAFETY_PRODUCTION,
    "hazchem_business": LicenceKind.HAZCHEM_BUSINESS,
    "hazchem_storage": LicenceKind.HAZCHEM_BUSINESS,
    "hazchem_use": LicenceKind.HAZCHEM_USE,
    "noncoal_mine": LicenceKind.SAFETY_PRODUCTION,
    "fireworks": LicenceKind.FIREWORKS_BUSINESS,
    "petroleum": LicenceKind.SAFETY_PRODUCTION,
}


def _licences_and_hazards(rng: random.Random, enterprises: list[Enterprise]) -> None:
    licences: list[Licence] = []
    hazards: list[MajorHazardSource] = []
    for n, e in enumerate(enterprises, start=1):
        kind = LICENCE_FOR.get(e.sector_id)
        if kind is not None:
            start = REFERENCE_DAY - dt.timedelta(days=rng.randint(0, 3 * 365))
            licences.append(
                Licence(
                    enterprise=e,
                    kind=kind,
                    number=f"（新）WH安许证字〔{start.year}〕{n:05d}号",
                    issued_by="新疆维吾尔自治区应急管理厅",
                    valid_from=start,
                    valid_until=start + dt.timedelta(days=3 * 365 - 1),
                )
            )
        if e.sector_id.startswith("hazchem") and rng.random() < 0.3:
            for k in range(rng.randint(1, 3)):
                hazards.append(
                    MajorHazardSource(
                        enterprise=e,
                        name=f"{rng.choice(['储罐区', '生产装置区', '仓库', '装卸区'])}{k + 1}",
                        level=rng.choices(list(HazardLevel), [1, 2, 3, 4])[0],
                        identified_on=REFERENCE_DAY - dt.timedelta(days=rng.randint(30, 2000)),
                    )
                )
    Licence.objects.bulk_create(licences, batch_size=1000)
    MajorHazardSource.objects.bulk_create(hazards, batch_size=1000)


def demo_loaded() -> bool:
    return Agency.objects.filter(code=f"{PROVINCE}-01").exists()


@transaction.atomic
def load_demo(*, seed: int = 2026, enterprises: int = 3000) -> DemoResult:
    rng = random.Random(seed)
    bureaus = _agencies(rng)
    sector_codes = list(Sector.objects.values_list("code", flat=True))
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    officers, logins = _officers(rng, bureaus, sector_codes, password_hash)
    created = _enterprises(rng, bureaus, enterprises)
    Enterprise.objects.bulk_create(created, batch_size=1000)
    if created and created[0].pk is None:
        ids = dict(Enterprise.objects.values_list("credit_code", "pk"))
        for e in created:
            e.pk = ids[e.credit_code]
    _licences_and_hazards(rng, created)
    record_append_many(
        kind=RecordKind.ENTERPRISE_REGISTERED,
        actor=None,
        events=[
            PendingEvent(
                e.jurisdiction_id,
                "registry.enterprise",
                str(e.pk),
                {
                    "after": {"credit_code": e.credit_code, "name": e.name, "status": e.status},
                    "source": "demo",
                },
            )
            for e in created
        ],
    )
    ent = next(
        (e for e in created if e.jurisdiction_id == "650102" and e.status == "operating"), None
    )
    if ent is not None:  # a demo without enterprises (benchmarks) has no enterprise user
        user_create(
            actor=None,
            username="enterprise_user",
            password=password_hash,
            password_is_hashed=True,
            name=ent.legal_representative,
            roles=[Role.ENTERPRISE],
            enterprise=ent,
        )
        logins.append(("enterprise", str(Role.ENTERPRISE.label), "enterprise_user", ent.name))
    if created:  # the demo plans need enterprises to plan
        from inspectorate.planning.demo import load_planning_demo

        load_planning_demo(rng)
        from inspectorate.inspections.demo import load_inspections_demo

        load_inspections_demo()
        from inspectorate.cases.demo import load_cases_demo

        load_cases_demo()
        # the transfers, accidents, supervision and accountability of the demo province
        from inspectorate.accidents.demo import load_accidents_demo
        from inspectorate.referrals.demo import load_referrals_demo

        load_referrals_demo()
        load_accidents_demo()
        from inspectorate.oversight.demo import load_oversight_demo

        load_oversight_demo()
        from inspectorate.accountability.demo import load_accountability_demo
        from inspectorate.exams.demo import load_exams_demo
        from inspectorate.legal.demo import load_legal_demo
        from inspectorate.training.demo import load_training_demo

        load_training_demo()
        load_legal_demo()
        load_exams_demo()
        load_accountability_demo()
        # the annual assessment reads training, exams, reviews and the scan's items: last
        from inspectorate.assessment.demo import load_assessment_demo

        load_assessment_demo()
        # the certificate office's renewals and suspensions of November 2026
        from inspectorate.org.officer_demo import load_officers_demo

        load_officers_demo()
    return DemoResult(
        agencies=Agency.objects.count(),
        officers=User.objects.filter(agency__isnull=False).count(),
        enterprises=len(created),
        logins=logins,
    )


def demo_logins() -> list[tuple[str, str, str, str]]:
    rows = []
    for level in LEVEL_ACCOUNTS:
        for suffix, roles in ROLE_ACCOUNTS:
            user = (
                User.objects.filter(username=f"{level}_{suffix}").select_related("agency").first()
            )
            if user is not None and user.agency is not None:
                rows.append((level, str(Role(roles[0]).label), user.username, user.agency.name))
    ent_user = User.objects.filter(username="enterprise_user").select_related("enterprise").first()
    if ent_user is not None and ent_user.enterprise is not None:
        rows.append(
            ("enterprise", str(Role.ENTERPRISE.label), ent_user.username, ent_user.enterprise.name)
        )
    return rows
