"""Reading and checking an enterprise import file (CSV or XLSX). Pure: no writes.

The file's first row names the columns, in Chinese or English (see ``COLUMNS``). Every
bad row is reported with its line number (the header is line 1) and the reason; a credit
code that appears twice in the file, or that is already registered, is reported as a
duplicate. The services decide what is committed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import translation
from django.utils.translation import gettext as _

from inspectorate.org.models import Agency, AgencyKind, Jurisdiction
from inspectorate.registry.credit_code import credit_code_problem, normalise_credit_code
from inspectorate.registry.models import (
    Enterprise,
    RiskClass,
    Sector,
    Size,
    StandardisationLevel,
)

# field -> accepted header names (first is the one our export and template use)
COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "credit_code", "unified social credit code"),
    "name": ("单位名称", "name", "enterprise name"),
    "address": ("地址", "address"),
    "jurisdiction_code": ("行政区划代码", "jurisdiction_code", "jurisdiction"),
    "sector": ("行业类别", "sector"),
    "size": ("规模", "size"),
    "risk_class": ("风险等级", "risk_class", "risk class"),
    "standardisation_level": ("标准化等级", "standardisation_level", "standardisation level"),
    "supervising_agency": ("监管机构代码", "supervising_agency", "supervising office"),
    "employees": ("从业人员数", "employees"),
    "industry_code": ("国民经济行业代码", "industry_code", "industry code"),
    "legal_representative": ("法定代表人", "legal_representative", "legal representative"),
    "contact_phone": ("联系电话", "contact_phone", "contact phone"),
}
REQUIRED = ("credit_code", "name", "address", "jurisdiction_code", "sector", "size", "risk_class")
REASON_COLUMN = "错误原因"

SIZE_WORDS = {"大型": Size.LARGE, "中型": Size.MEDIUM, "小型": Size.SMALL, "微型": Size.MICRO}
RISK_WORDS = {
    "重大": RiskClass.MAJOR,
    "重大风险": RiskClass.MAJOR,
    "红": RiskClass.MAJOR,
    "红色": RiskClass.MAJOR,
    "较大": RiskClass.SIGNIFICANT,
    "较大风险": RiskClass.SIGNIFICANT,
    "橙": RiskClass.SIGNIFICANT,
    "橙色": RiskClass.SIGNIFICANT,
    "一般": RiskClass.GENERAL,
    "一般风险": RiskClass.GENERAL,
    "黄": RiskClass.GENERAL,
    "黄色": RiskClass.GENERAL,
    "低": RiskClass.LOW,
    "低风险": RiskClass.LOW,
    "蓝": RiskClass.LOW,
    "蓝色": RiskClass.LOW,
}
LEVEL_WORDS = {
    "一级": StandardisationLevel.LEVEL1,
    "二级": StandardisationLevel.LEVEL2,
    "三级": StandardisationLevel.LEVEL3,
    "未定级": StandardisationLevel.NONE,
    "无": StandardisationLevel.NONE,
    "": StandardisationLevel.NONE,
}
MAX_LENGTHS = {
    "name": 200,
    "address": 255,
    "industry_code": 5,
    "legal_representative": 64,
    "contact_phone": 32,
}


class UnreadableFile(Exception):
    pass


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text."))


def read_table(file_name: str, data: bytes) -> Table:
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise UnreadableFile(_("Only CSV and XLSX files can be imported."))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> Table:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise UnreadableFile(_("The file is empty.")) from exc
    rows = []
    for cells in reader:
        stripped = list(map(str.strip, cells))
        if any(stripped):
            rows.append((reader.line_num, stripped))
    return Table(header, rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(_("The XLSX file cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(h) for h in next(iterator)]
    except StopIteration as exc:
        raise UnreadableFile(_("The file is empty.")) from exc
    rows = []
    for number, values in enumerate(iterator, start=2):
        cells = [_cell(v) for v in values]
        if any(cells):
            rows.append((number, cells))
    workbook.close()
    return Table(header, rows)


def map_header(header: list[str]) -> dict[str, int]:
    """field -> column index. Raises UnreadableFile when a required column is missing."""
    lookup = {}
    for field_name, names in COLUMNS.items():
        for name in names:
            lookup[name.lower()] = field_name
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        found = lookup.get(name.strip().lower())
        if found and found not in mapping:
            mapping[found] = index
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in mapping]
    if missing:
        raise UnreadableFile(
            _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
    return mapping


@dataclass
class RowError:
    line: int
    field: str
    message: str
    credit_code: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "column": COLUMNS[self.field][0],
            "message": self.message,
            "credit_code": self.credit_code,
        }


@dataclass
class Checked:
    good: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {e.line for e in self.errors}


class Lookups:
    """Reference data held in memory while a file is checked (no query per row)."""

    def __init__(self) -> None:
        self.jurisdictions = {
            j.code: j for j in Jurisdiction.objects.only("code", "name", "level", "parent_id")
        }
        self.sectors: dict[str, str] = {}
        for s in Sector.objects.all():
            for key in (s.code, s.name, s.name_en):
                self.sectors[key.lower()] = s.code
        self.agencies = {a.code: a for a in Agency.objects.select_related("jurisdiction")}
        self.bureau_by_code: dict[str, Agency] = {}
        for a in self.agencies.values():
            if a.kind == AgencyKind.BUREAU:
                self.bureau_by_code.setdefault(a.jurisdiction_id, a)

    def default_agency(self, code: str) -> Agency | None:
        node = self.jurisdictions.get(code)
        while node is not None:
            if node.code in self.bureau_by_code:
                return self.bureau_by_code[node.code]
            node = self.jurisdictions.get(node.parent_id) if node.parent_id else None
        return None


@cache
def _label_words(choices_cls: type[models.TextChoices]) -> dict[str, str]:
    """The choices' labels in every language of the system, so exported files import back."""
    words: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices_cls.choices:
                words[str(label).lower()] = value
    return words


def _choice(
    value: str, words: Mapping[str, str], choices_cls: type[models.TextChoices]
) -> str | None:
    if value in words:
        return words[value]
    lowered = value.lower()
    if lowered in set(choices_cls.values):
        return lowered
    return _label_words(choices_cls).get(lowered)


def existing_codes(codes: Iterable[str], chunk: int = 2000) -> set[str]:
    if connection.vendor == "postgresql":
        return _existing_codes_postgresql(list(codes))
    found: set[str] = set()
    batch: list[str] = []
    for code in codes:
        batch.append(code)
        if len(batch) == chunk:
            found.update(
                Enterprise.objects.filter(credit_code__in=batch).values_list(
                    "credit_code", flat=True
                )
            )
            batch = []
    if batch:
        found.update(
            Enterprise.objects.filter(credit_code__in=batch).values_list("credit_code", flat=True)
        )
    return found


def _existing_codes_postgresql(codes: list[str], chunk: int = 10_000) -> set[str]:
    """The same on PostgreSQL, with one JSON parameter per 10,000 codes: an ``IN`` list of
    thousands of placeholders costs several times more to quote and to plan."""
    opts = Enterprise._meta
    table = connection.ops.quote_name(opts.db_table)
    column = connection.ops.quote_name(opts.get_field("credit_code").column)
    codes_param = "ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))"
    sql = f"SELECT {column} FROM {table} WHERE {column} = ANY({codes_param})"  # noqa: S608
    found: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(codes), chunk):
            cursor.execute(sql, [json.dumps(codes[start : start + chunk])])
            found.update(code for (code,) in cursor.fetchall())
    return found


def check_table(table: Table, *, scope: Any, lookups: Lookups | None = None) -> Checked:
    mapping = map_header(table.header)
    lookups = lookups or Lookups()
    result = Checked(total=len(table.rows))
    first_line: dict[str, int] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    columns = list(mapping.items())
    for line, cells in table.rows:
        width = len(cells)
        raw = {f: (cells[i].strip() if i < width else "") for f, i in columns}
        values, errors = _check_row(line, raw, scope=scope, lookups=lookups)
        code = values.get("credit_code", "")
        if code and code in first_line:
            errors.append(
                RowError(
                    line,
                    "credit_code",
                    _("Duplicate: this credit code is already on line %(line)d of the file.")
                    % {"line": first_line[code]},
                    code,
                )
            )
        elif code:
            first_line[code] = line
        if errors:
            result.errors.extend(errors)
        else:
            pending.append((line, values))
    registered = existing_codes(v["credit_code"] for _line, v in pending)
    for line, values in pending:
        if values["credit_code"] in registered:
            result.errors.append(
                RowError(
                    line,
                    "credit_code",
                    _("Duplicate: an enterprise with this credit code is already registered."),
                    values["credit_code"],
                )
            )
        else:
            result.good.append((line, values))
    result.errors.sort(key=lambda e: (e.line, e.field))
    return result


def _check_row(
    line: int, raw: dict[str, str], *, scope: Any, lookups: Lookups
) -> tuple[dict[str, Any], list[RowError]]:
    """``raw``: field -> the cell's text, already stripped (``check_table``)."""
    errors: list[RowError] = []
    get = raw.get
    code = normalise_credit_code(get("credit_code", ""))
    values: dict[str, Any] = {"credit_code": code}

    def fail(field_name: str, message: str) -> None:
        errors.append(RowError(line, field_name, message, code))

    for field_name in REQUIRED:
        if not get(field_name):
            fail(field_name, _("This column is required."))
    if code:
        problem = credit_code_problem(code)
        if problem:
            fail("credit_code", problem)
    for field_name, limit in MAX_LENGTHS.items():
        text = get(field_name, "")
        if len(text) > limit:
            fail(field_name, _("At most %(n)d characters.") % {"n": limit})
        values[field_name] = text
    place_code = get("jurisdiction_code", "")
    place = lookups.jurisdictions.get(place_code)
    if place_code and place is None:
        fail("jurisdiction_code", _("%(code)s is not a GB/T 2260 code.") % {"code": place_code})
    elif place is not None and not scope.covers(place.code):
        fail("jurisdiction_code", _("This place is outside your jurisdiction."))
    values["jurisdiction_id"] = place_code
    sector_raw = get("sector", "")
    sector = lookups.sectors.get(sector_raw.lower())
    if sector_raw and sector is None:
        fail("sector", _("Unknown sector: %(value)s.") % {"value": sector_raw})
    values["sector_id"] = sector
    for field_name, words, choices in _CHOICE_COLUMNS:
        text = get(field_name, "")
        chosen = words.get(text) if text in words else _choice(text, words, choices)
        if chosen is None and text:  # a blank required column is reported above
            fail(field_name, _("Unknown value: %(value)s.") % {"value": text})
        values[field_name] = chosen
    employees = get("employees", "")
    if employees:
        if employees.isdecimal():  # not isdigit(): int() refuses "①" and "²"
            values["employees"] = int(employees)
        else:
            fail("employees", _("Enter a whole number."))
    agency_code = get("supervising_agency", "")
    agency = (
        lookups.agencies.get(agency_code)
        if agency_code
        else (lookups.default_agency(place_code) if place else None)
    )
    if agency_code and agency is None:
        fail("supervising_agency", _("Unknown office code: %(value)s.") % {"value": agency_code})
    elif agency is None and place is not None:
        fail("supervising_agency", _("No office supervises this place; name one."))
    elif (
        agency is not None
        and place is not None
        and not place.code.startswith(agency.jurisdiction.prefix)
    ):
        fail(
            "supervising_agency",
            _("%(agency)s has no jurisdiction over %(place)s.")
            % {"agency": agency.name, "place": place.name},
        )
    values["supervising_agency_id"] = agency.pk if agency else None
    return values, errors


_CHOICE_COLUMNS: tuple[tuple[str, Mapping[str, str], type[models.TextChoices]], ...] = (
    ("size", SIZE_WORDS, Size),
    ("risk_class", RISK_WORDS, RiskClass),
    ("standardisation_level", LEVEL_WORDS, StandardisationLevel),
)


def reject_rows(table: Table, errors: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The bad rows as they were in the file, with the reasons in a last column."""
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e["line"], []).append(e["message"])
    yield [*table.header, REASON_COLUMN]
    for line, cells in table.rows:
        if line in reasons:
            yield [*cells, "；".join(reasons[line])]
