"""Enterprise import (CSV in UTF-8 with BOM or GB18030, XLSX) and export.

A file is checked first (every bad row reported with its line and reason), then committed
either whole (refused, writing nothing, while any row is bad) or only its good rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from inspectorate.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import RecordEvent
from inspectorate.core.record import verify_all
from inspectorate.core.record_kinds import RecordKind
from inspectorate.registry import services
from inspectorate.registry.credit_code import make_credit_code
from inspectorate.registry.importing import COLUMNS, REASON_COLUMN
from inspectorate.registry.models import Enterprise, ImportBatch
from tests.conftest import World
from tests.factories import UserFactory, subject_identifier

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "单位名称",
    "地址",
    "行政区划代码",
    "行业类别",
    "规模",
    "风险等级",
    "标准化等级",
    "监管机构代码",
    "从业人员数",
]


def code(n: int, place: str = "650102") -> str:
    return make_credit_code("9", "1", place, subject_identifier(50_000 + n))


def row(
    credit_code: str,
    name: str,
    place: str = "650102",
    sector: str = "危险化学品生产",
    size: str = "小型",
    risk: str = "一般",
    level: str = "三级",
    agency: str = "",
    employees: str = "20",
) -> list[str]:
    return [
        credit_code,
        name,
        f"乌鲁木齐市{name}路1号",
        place,
        sector,
        size,
        risk,
        level,
        agency,
        employees,
    ]


def csv_bytes(
    rows: list[list[str]], encoding: str = "utf-8-sig", header: list[str] = HEADER
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(
            [int(c) if c.isdigit() and len(c) <= 6 else c for c in r]
        )  # numbers as numbers
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS: dict[str, tuple[str, Callable[[list[list[str]]], bytes]]] = {
    "csv-utf8-bom": ("企业名录.csv", lambda rows: csv_bytes(rows, "utf-8-sig")),
    "csv-gb18030": ("企业名录.csv", lambda rows: csv_bytes(rows, "gb18030")),
    "xlsx": ("企业名录.xlsx", xlsx_bytes),
}


def mixed_rows(world: World) -> list[list[str]]:
    """Line 2 and 9 good; lines 3..8 each bad for one reason."""
    bad_check = code(3)[:17] + ("0" if code(3)[17] != "0" else "1")
    return [
        row(code(2), "天山化工一厂"),  # line 2
        row(bad_check, "校验错误公司"),  # line 3
        row(code(4), "代码错误公司", place="659999"),  # line 4: no such GB/T 2260 code
        row(code(5, "650203"), "克拉玛依越权公司", place="650203"),  # line 5: outside 天山区
        row(code(6), "核电公司", sector="核电"),  # line 6
        row(code(2), "天山化工一厂（重复）"),  # line 7: same code as line 2
        row(world.ent_tianshan.credit_code, "已登记公司"),  # line 8: already registered
        row(code(9), "天山机械二厂", sector="机械", size="中型", risk="较大", level="二级"),  # 9
    ]


def expected_errors(world: World) -> list[tuple[int, str, str]]:
    bad = code(3)
    return [
        (
            3,
            "credit_code",
            f"The check character is wrong: expected {bad[17]}, found "
            f"{'0' if bad[17] != '0' else '1'}.",
        ),
        (4, "jurisdiction_code", "659999 is not a GB/T 2260 code."),
        (5, "jurisdiction_code", "This place is outside your jurisdiction."),
        (6, "sector", "Unknown sector: 核电."),
        (7, "credit_code", "Duplicate: this credit code is already on line 2 of the file."),
        (8, "credit_code", "Duplicate: an enterprise with this credit code is already registered."),
    ]


def _counts() -> tuple[int, int]:
    return Enterprise.objects.count(), RecordEvent.objects.count()


def _errors(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(e["line"], e["field"], e["message"]) for e in batch.errors]


@pytest.mark.parametrize("fmt", FORMATS)
def test_validation_reports_every_bad_row(world: World, fmt: str) -> None:
    name, build = FORMATS[fmt]
    before = _counts()
    with translation.override("en"):
        batch = services.enterprise_import_validate(
            actor=world.tianshan_lead, file_name=name, data=build(mixed_rows(world))
        )
    assert (batch.status, batch.total_rows, batch.good_rows, batch.committed_rows) == (
        "validated",
        8,
        2,
        0,
    )
    assert _errors(batch) == expected_errors(world)
    assert batch.errors[0]["column"] == "统一社会信用代码"
    assert batch.errors[0]["credit_code"] == mixed_rows(world)[1][0]
    assert batch.jurisdiction_code == "650102"
    assert _counts() == before  # checking writes no enterprise and no record


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_or_nothing_refuses_and_writes_nothing(world: World, fmt: str) -> None:
    name, build = FORMATS[fmt]
    batch = services.enterprise_import_validate(
        actor=world.tianshan_lead, file_name=name, data=build(mixed_rows(world))
    )
    before = _counts()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_import_commit(
            actor=world.tianshan_lead, batch_id=batch.pk, only_good_rows=False
        )
    assert info.value.code == "import_has_errors"
    assert info.value.message == "6 rows are not valid; nothing was imported."
    assert info.value.extra["error_count"] == 6
    assert [(e["line"], e["field"]) for e in info.value.extra["errors"]] == [
        (line, field) for line, field, _m in expected_errors(world)
    ]
    assert _counts() == before
    assert not Enterprise.objects.filter(credit_code__in=[code(2), code(9)]).exists()
    batch.refresh_from_db()
    assert (batch.status, batch.committed_rows) == ("validated", 0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_good_rows_mode_commits_only_the_good_rows(world: World, fmt: str) -> None:
    name, build = FORMATS[fmt]
    data = build(mixed_rows(world))
    batch = services.enterprise_import_validate(
        actor=world.tianshan_lead, file_name=name, data=data
    )
    enterprises_before, events_before = _counts()
    batch = services.enterprise_import_commit(
        actor=world.tianshan_lead, batch_id=batch.pk, only_good_rows=True
    )
    assert (batch.status, batch.committed_rows, batch.good_rows) == ("committed", 2, 2)
    new = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=[code(2), code(9)])}
    assert set(new) == {code(2), code(9)}
    assert Enterprise.objects.count() == enterprises_before + 2
    first, second = new[code(2)], new[code(9)]
    assert (
        first.name,
        first.jurisdiction_id,
        first.supervising_agency_id,
        first.sector_id,
        first.size,
        first.risk_class,
        first.standardisation_level,
        first.employees,
        first.status,
        first.version,
    ) == (
        "天山化工一厂",
        "650102",
        world.tianshan.pk,
        "hazchem_production",
        "small",
        "general",
        "level3",
        20,
        "operating",
        1,
    )
    assert (second.sector_id, second.size, second.risk_class, second.standardisation_level) == (
        "machinery",
        "medium",
        "significant",
        "level2",
    )
    # one registration event per committed enterprise, and one for the batch
    assert RecordEvent.objects.count() == events_before + 3
    for e in (first, second):
        event = RecordEvent.objects.get(subject_type="registry.enterprise", subject_id=str(e.pk))
        assert event.kind == RecordKind.ENTERPRISE_REGISTERED
        assert event.payload["import_batch"] == batch.pk
        assert event.payload["after"]["credit_code"] == e.credit_code
    imported = RecordEvent.objects.get(kind=RecordKind.ENTERPRISE_IMPORTED)
    assert imported.evidence == [batch.file_sha256]
    assert imported.payload == {"file_name": name, "rows": 8, "imported": 2, "rejected": 6}
    assert verify_all() == (1, [])
    # a batch is committed once
    with pytest.raises(IllegalTransition):
        services.enterprise_import_commit(
            actor=world.tianshan_lead, batch_id=batch.pk, only_good_rows=True
        )


def test_a_clean_file_commits_whole_and_the_chain_verifies(world: World) -> None:
    rows = [row(code(n), f"天山企业{n}") for n in range(2, 12)]
    batch = services.enterprise_import_file(
        actor=world.tianshan_lead,
        file_name="clean.csv",
        data=csv_bytes(rows),
        only_good_rows=False,
    )
    assert (batch.status, batch.total_rows, batch.committed_rows, batch.errors) == (
        "committed",
        10,
        10,
        [],
    )
    assert Enterprise.objects.filter(jurisdiction_id="650102").count() == 12
    assert RecordEvent.objects.filter(kind=RecordKind.ENTERPRISE_REGISTERED).count() == 10
    assert verify_all() == (1, [])


def test_the_registry_may_change_between_check_and_commit(world: World) -> None:
    batch = services.enterprise_import_validate(
        actor=world.tianshan_lead, file_name="a.csv", data=csv_bytes([row(code(2), "甲公司")])
    )
    services.enterprise_import_file(  # someone imports the same code meanwhile
        actor=world.tianshan_lead,
        file_name="b.csv",
        data=csv_bytes([row(code(2), "甲公司")]),
        only_good_rows=False,
    )
    before = _counts()
    with pytest.raises(ValidationFailed):
        services.enterprise_import_commit(
            actor=world.tianshan_lead, batch_id=batch.pk, only_good_rows=False
        )
    assert _counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "a.csv",
            csv_bytes([row(code(2), "甲")], header=[h for h in HEADER if h != "风险等级"]),
            "Required columns are missing: 风险等级.",
        ),
        (
            "a.csv",
            csv_bytes([], header=["名称", "地址"]),
            "Required columns are missing: 统一社会信用代码、单位名称、行政区划代码、行业类别、规模、风险等级.",
        ),
        ("a.csv", b"", "The file is empty."),
        ("a.pdf", b"%PDF-1.7", "Only CSV and XLSX files can be imported."),
        ("a.xlsx", b"not a zip", "The XLSX file cannot be read."),
        (
            "a.csv",
            "统一社会信用代码".encode("utf-16"),
            "The file is neither UTF-8 nor GB18030 text.",
        ),
    ],
)
def test_an_unreadable_file_is_a_file_error(
    world: World, name: str, data: bytes, message: str
) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        services.enterprise_import_validate(actor=world.tianshan_lead, file_name=name, data=data)
    assert info.value.extra == {"fields": {"file": [message]}}
    assert ImportBatch.objects.count() == 0


def test_english_headers_and_values_are_accepted(world: World) -> None:
    header = [
        "credit_code",
        "name",
        "address",
        "jurisdiction_code",
        "sector",
        "size",
        "risk_class",
        "standardisation_level",
    ]
    rows = [
        [
            code(2),
            "Tianshan Dairy",
            "1 Guangming Rd",
            "650102",
            "Light industry",
            "large",
            "major",
            "level1",
        ]
    ]
    batch = services.enterprise_import_file(
        actor=world.tianshan_lead,
        file_name="en.csv",
        data=csv_bytes(rows, header=header),
        only_good_rows=False,
    )
    assert batch.committed_rows == 1
    e = Enterprise.objects.get(credit_code=code(2))
    assert (e.sector_id, e.size, e.risk_class, e.standardisation_level, e.employees) == (
        "light_industry",
        "large",
        "major",
        "level1",
        None,
    )


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"size": "巨型"}, "size", "Unknown value: 巨型."),
        ({"risk": "紫色"}, "risk_class", "Unknown value: 紫色."),
        ({"employees": "二十"}, "employees", "Enter a whole number."),
        ({"employees": "①"}, "employees", "Enter a whole number."),
        ({"agency": "NO-SUCH"}, "supervising_agency", "Unknown office code: NO-SUCH."),
        ({"name": ""}, "name", "This column is required."),
        ({"name": "长" * 201}, "name", "At most 200 characters."),
    ],
)
def test_value_errors(world: World, cells: dict[str, str], field: str, message: str) -> None:
    with translation.override("en"):
        batch = services.enterprise_import_validate(
            actor=world.tianshan_lead,
            file_name="a.csv",
            data=csv_bytes([row(code(2), **{"name": "甲公司", **cells})]),
        )
    assert _errors(batch) == [(2, field, message)]


def test_an_office_that_does_not_cover_the_place(world: World) -> None:
    with translation.override("en"):
        batch = services.enterprise_import_validate(
            actor=world.tianshan_lead,
            file_name="a.csv",
            data=csv_bytes([row(code(2), "甲公司", agency=world.karamay.code)]),
        )
    assert _errors(batch) == [
        (2, "supervising_agency", "克拉玛依市应急管理局 has no jurisdiction over 天山区.")
    ]


def test_a_place_without_an_office_needs_one_named(world: World) -> None:
    # No bureau covers 伊州区 (650502) once the region's office is an enforcement corps.
    world.province.kind = "corps"
    world.province.save()
    lead = UserFactory(agency=world.province, roles=["team_lead"])
    with translation.override("en"):
        batch = services.enterprise_import_validate(
            actor=lead,
            file_name="a.csv",
            data=csv_bytes([row(code(2, "650502"), "哈密公司", place="650502")]),
        )
    assert _errors(batch) == [
        (2, "supervising_agency", "No office supervises this place; name one.")
    ]
    with translation.override("en"):  # naming the region's office is enough
        batch = services.enterprise_import_validate(
            actor=lead,
            file_name="a.csv",
            data=csv_bytes(
                [row(code(2, "650502"), "哈密公司", place="650502", agency=world.province.code)]
            ),
        )
    assert batch.errors == []


@pytest.mark.parametrize("who", ["tianshan_officer", "enterprise_user", "tianshan_reviewer"])
def test_only_team_leads_and_admins_import(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.enterprise_import_validate(
            actor=getattr(world, who), file_name="a.csv", data=csv_bytes([row(code(2), "甲")])
        )
    assert ImportBatch.objects.count() == 0


def test_an_upper_level_may_commit_a_lower_levels_batch_but_not_a_stranger(world: World) -> None:
    batch = services.enterprise_import_validate(
        actor=world.tianshan_lead, file_name="a.csv", data=csv_bytes([row(code(2), "甲公司")])
    )
    with pytest.raises(NotFound):
        services.enterprise_import_commit(
            actor=world.karamay_lead, batch_id=batch.pk, only_good_rows=True
        )
    assert Enterprise.objects.filter(credit_code=code(2)).count() == 0
    prefecture_lead = UserFactory(agency=world.prefecture, roles=["team_lead"])
    services.enterprise_import_commit(
        actor=prefecture_lead, batch_id=batch.pk, only_good_rows=False
    )
    assert Enterprise.objects.filter(credit_code=code(2)).count() == 1


# --- pages ----------------------------------------------------------------------------------


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_upload_page_commit_good_rows_and_the_reject_file(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.tianshan_lead)
    rows = mixed_rows(world)
    upload = io.BytesIO(csv_bytes(rows, "gb18030"))
    upload.name = "名录.csv"
    response = client.post("/registry/imports/new/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/registry/imports/{batch.pk}/")
    page = client.get(f"/registry/imports/{batch.pk}/")
    assert page.status_code == 200
    assert page.context["bad_rows"] == 6
    assert b'data-testid="commit-good"' in page.content
    assert b'data-testid="commit-all"' not in page.content

    rejects = client.get(f"/registry/imports/{batch.pk}/rejects.csv")
    assert rejects.status_code == 200
    assert rejects["Content-Type"] == "text/csv; charset=utf-8"
    table = _read_csv(rejects.content)
    assert table[0] == [*HEADER, REASON_COLUMN]
    assert [r[:-1] for r in table[1:]] == rows[1:7]  # exactly the bad rows, as uploaded
    reasons = [r[-1] for r in table[1:]]
    assert all(reasons)
    assert reasons == [e["message"] for e in batch.errors]  # one reason per bad row here

    events_before = RecordEvent.objects.count()
    response = client.post(f"/registry/imports/{batch.pk}/commit/", {"mode": "good"})
    assert (response.status_code, response["Location"]) == (302, f"/registry/imports/{batch.pk}/")
    batch.refresh_from_db()
    assert (batch.status, batch.committed_rows) == ("committed", 2)
    assert RecordEvent.objects.count() == events_before + 3
    assert verify_all() == (1, [])


def test_page_commit_all_with_errors_writes_nothing(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.tianshan_lead)
    batch = services.enterprise_import_validate(
        actor=world.tianshan_lead, file_name="a.xlsx", data=xlsx_bytes(mixed_rows(world))
    )
    before = _counts()
    response = client.post(f"/registry/imports/{batch.pk}/commit/", {"mode": "all"})
    assert response.status_code == 302
    assert _counts() == before
    batch.refresh_from_db()
    assert batch.status == "validated"


def test_api_import(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.tianshan_lead)
    before = _counts()
    upload = io.BytesIO(xlsx_bytes(mixed_rows(world)))
    upload.name = "mixed.xlsx"
    response = client.post(
        "/api/v1/enterprises/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"], body["extra"]["error_count"]) == (
        "import_has_errors",
        "6 rows are not valid; nothing was imported.",
        6,
    )
    assert _counts() == before
    upload = io.BytesIO(xlsx_bytes(mixed_rows(world)))
    upload.name = "mixed.xlsx"
    response = client.post(
        "/api/v1/enterprises/import/", {"file": upload, "only_good_rows": "true"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["total_rows"], body["good_rows"], body["committed_rows"]) == (
        "committed",
        8,
        2,
        2,
    )
    assert [e["line"] for e in body["errors"]] == [3, 4, 5, 6, 7, 8]
    assert Enterprise.objects.count() == before[0] + 2


# --- export ---------------------------------------------------------------------------------


def _scoped_codes(world: World, *names: str) -> set[str]:
    return {getattr(world, n).credit_code for n in names}


@pytest.mark.parametrize("url", ["/api/v1/enterprises/export/", "/registry/enterprises/export/"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("tianshan_officer", ("ent_tianshan", "ent_tianshan_2")),
        ("prefecture_officer", ("ent_tianshan", "ent_tianshan_2", "ent_shayibake")),
        ("karamay_officer", ("ent_karamay",)),
        (
            "province_officer",
            ("ent_tianshan", "ent_tianshan_2", "ent_shayibake", "ent_karamay", "ent_changji"),
        ),
        ("enterprise_user", ("ent_tianshan",)),
        ("inactive_officer", ()),
    ],
)
def test_export_csv_contains_exactly_the_scoped_rows(
    world: World,
    client_for: Callable[..., Client],
    url: str,
    who: str,
    expected: tuple[str, ...],
) -> None:
    user = getattr(world, who)
    response = client_for(user).get(url, {"format": "csv"})
    if not user.is_active:  # a session that outlived the account is no session
        assert response.status_code == (403 if url.startswith("/api/") else 302)
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = _read_csv(b"".join(response.streaming_content))
    assert table[0] == [COLUMNS[f][0] for f in COLUMNS]
    assert {r[0] for r in table[1:]} == _scoped_codes(world, *expected)
    assert len(table) == len(expected) + 1


def test_export_xlsx_and_filters(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.prefecture_officer)
    response = client.get(
        "/api/v1/enterprises/export/", {"format": "xlsx", "jurisdiction": "650103"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [COLUMNS[f][0] for f in COLUMNS]
    assert [r[0] for r in rows[1:]] == [world.ent_shayibake.credit_code]
    e = world.ent_shayibake
    assert rows[1][:5] == [
        e.credit_code,
        "沙依巴克建材有限公司",
        e.address,
        "650103",
        "危险化学品生产",
    ]
    # a filter outside the user's scope finds nothing rather than widening the scope
    response = client.get("/api/v1/enterprises/export/", {"format": "csv", "jurisdiction": "6502"})
    assert _read_csv(b"".join(response.streaming_content))[1:] == []


def test_an_exported_file_imports_back(world: World, client_for: Callable[..., Client]) -> None:
    """Every exported value (labels in the user's language) is understood by the importer."""
    for language in ("zh-hans", "en"):
        client = client_for(world.tianshan_lead)
        response = client.get(
            "/registry/enterprises/export/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language
        )
        data = b"".join(response.streaming_content)
        with translation.override("en"):
            batch = services.enterprise_import_validate(
                actor=world.tianshan_lead, file_name="export.csv", data=data
            )
        # the only complaint: both are registered already
        assert _errors(batch) == [
            (
                2,
                "credit_code",
                "Duplicate: an enterprise with this credit code is already registered.",
            ),
            (
                3,
                "credit_code",
                "Duplicate: an enterprise with this credit code is already registered.",
            ),
        ], language
