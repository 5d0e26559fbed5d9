"""Export of the (filtered, scoped) enterprise list as CSV or XLSX, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from inspectorate.registry.importing import COLUMNS
from inspectorate.registry.models import Enterprise

FIELDS = list(COLUMNS)
HEADER = [COLUMNS[f][0] for f in FIELDS]


def _row(e: Enterprise) -> list[str]:
    values = {
        "credit_code": e.credit_code,
        "name": e.name,
        "address": e.address,
        "jurisdiction_code": e.jurisdiction_id,
        "sector": e.sector.name,
        "size": e.get_size_display(),
        "risk_class": e.get_risk_class_display(),
        "standardisation_level": e.get_standardisation_level_display(),
        "supervising_agency": e.supervising_agency.code,
        "employees": "" if e.employees is None else str(e.employees),
        "industry_code": e.industry_code,
        "legal_representative": e.legal_representative,
        "contact_phone": e.contact_phone,
    }
    return [str(values[f]) for f in FIELDS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(qs: QuerySet[Enterprise]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(HEADER)
    for e in qs.iterator(chunk_size=2000):
        yield writer.writerow(_row(e))


def export_response(qs: QuerySet[Enterprise], fmt: str) -> HttpResponse | StreamingHttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("enterprises")
        sheet.append(HEADER)
        for e in qs.iterator(chunk_size=2000):
            sheet.append(_row(e))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="enterprises-{stamp}.xlsx"'
        return response
    streaming = StreamingHttpResponse(_csv_lines(qs), content_type="text/csv; charset=utf-8")
    streaming["Content-Disposition"] = f'attachment; filename="enterprises-{stamp}.csv"'
    return streaming
