"""Printable documents: Django templates rendered to PDF with WeasyPrint.

Chinese text is set in the packaged CJK fonts (:mod:`inspectorate.core.fonts`), declared
with ``@font-face`` rules pointing at the font files by ``file://`` URL. WeasyPrint only
honours ``@font-face`` when the *same* :class:`~weasyprint.text.fonts.FontConfiguration`
is given to ``CSS(...)`` and to ``write_pdf(...)``; this module keeps that pairing in one
place.

The page is A4 with the margins of Chinese official documents (GB/T 9704-2012): top
37 mm, bottom 35 mm, left (binding side) 28 mm, right 26 mm.

Rendering cost: each ``FontConfiguration`` copies the font files it is given (8 MB for
Noto Sans SC, 11 MB for Noto Serif SC) into a temporary directory and re-scans them, and
the embedded fonts are subset on every PDF. The font configuration and the stylesheet are
therefore built once per thread and reused (they hold Pango/fontconfig objects, which are
not safe to share between threads). See ``docs/adr/0002-cjk-font.md`` for timings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from inspectorate.core.document_kinds import number_word
from inspectorate.core.fonts import (
    CJK_FONT_FAMILY,
    CJK_SERIF_FONT_FAMILY,
    cjk_font_path,
    cjk_serif_font_path,
)

if TYPE_CHECKING:
    from inspectorate.core.models import IssuedDocument
    from inspectorate.org.models import Agency

#: GB/T 9704-2012 page margins, in millimetres.
MARGIN_TOP_MM = 37
MARGIN_RIGHT_MM = 26
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28

#: Options given to WeasyPrint's ``write_pdf``.
PDF_OPTIONS: dict[str, Any] = {}


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 digest of ``data`` (e.g. to record a generated document's fingerprint)."""
    return hashlib.sha256(data).hexdigest()


def document_stylesheet_source() -> str:
    """The CSS every document gets: the CJK ``@font-face`` rules and the A4 page box."""
    sans = cjk_font_path().as_uri()
    serif = cjk_serif_font_path().as_uri()
    return f"""
@font-face {{
  font-family: "{CJK_FONT_FAMILY}";
  src: url("{sans}") format("opentype");
  font-weight: normal;
  font-style: normal;
}}
@font-face {{
  font-family: "{CJK_SERIF_FONT_FAMILY}";
  src: url("{serif}") format("opentype");
  font-weight: normal;
  font-style: normal;
}}
@page {{
  size: A4;
  margin: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
}}
/* Page numbers as in GB/T 9704: "— 1 —", odd pages on the right, even pages on the left. */
@page :right {{
  @bottom-right {{
    content: "— " counter(page) " —";
    font-family: "{CJK_FONT_FAMILY}";
    font-size: 14pt;
    vertical-align: top;
    padding-top: 7mm;
  }}
}}
@page :left {{
  @bottom-left {{
    content: "— " counter(page) " —";
    font-family: "{CJK_FONT_FAMILY}";
    font-size: 14pt;
    vertical-align: top;
    padding-top: 7mm;
  }}
}}
"""


class _LocalFontsOnlyFetcher(URLFetcher):
    """Lets a document load the packaged font files and ``data:`` URLs, nothing else.

    Documents are rendered from our own templates, but they carry user-entered values;
    refusing every other URL means no template mistake can make the PDF renderer read a
    local file or reach the network.
    """

    def __init__(self, allowed_files: frozenset[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._allowed_files = allowed_files

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parsed = urlsplit(url)
        if parsed.scheme == "data" or (
            parsed.scheme == "file"
            and Path(url2pathname(unquote(parsed.path))) in self._allowed_files
        ):
            return super().fetch(url, headers)
        raise ValueError(f"Documents may not load external resources: {url}")


@dataclass
class _Renderer:
    font_config: FontConfiguration
    stylesheet: CSS
    url_fetcher: _LocalFontsOnlyFetcher


_local = threading.local()


def _renderer() -> _Renderer:
    renderer: _Renderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        fetcher = _LocalFontsOnlyFetcher(frozenset({cjk_font_path(), cjk_serif_font_path()}))
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=document_stylesheet_source(),
            font_config=font_config,
            url_fetcher=fetcher,
        )
        renderer = _Renderer(font_config, stylesheet, fetcher)
        _local.renderer = renderer
    return renderer


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render the Django template ``template_name`` with ``context`` to PDF bytes.

    Labels are translated into the currently active language (wrap the call in
    ``django.utils.translation.override(...)`` outside a request). The PDF's Title
    metadata is the document's ``<title>`` or else its first ``<h1>``.

    Raises:
        inspectorate.core.fonts.CJKFontMissingError: if the CJK font package is missing.
    """
    renderer = _renderer()
    html_source = render_to_string(template_name, context)
    html = HTML(string=html_source, url_fetcher=renderer.url_fetcher)
    document = html.render(
        stylesheets=[renderer.stylesheet],
        font_config=renderer.font_config,
    )
    if not document.metadata.title:
        heading = next(html.etree_element.iter("h1"), None)
        if heading is not None:
            document.metadata.title = " ".join("".join(heading.itertext()).split())
    pdf = document.write_pdf(**PDF_OPTIONS)
    if pdf is None:  # pragma: no cover - write_pdf() without a target returns bytes
        raise RuntimeError("WeasyPrint returned no PDF data")
    return bytes(pdf)


# --------------------------------------------------------------------------------------
# Official documents (执法文书): one content model, rendered to PDF and to DOCX.
# --------------------------------------------------------------------------------------
#
# A builder (e.g. ``inspectorate.inspections.documents.inspection_record_content``) turns
# a model row into a :class:`DocumentContent`: plain, already-translated strings in an
# ordered list of blocks. ``render_content_pdf`` (the HTML template
# ``documents/official.html``) and ``render_content_docx`` (the docxtpl template
# ``documents/official.docx``, made by ``scripts/make_docx_template.py``) render the same
# context, so the two formats always carry the same fields. ``document_issue`` numbers,
# renders, stores and records a document in the caller's transaction.

#: The language documents are rendered in, whatever the user's language.
DOCUMENT_LANGUAGE = "zh-hans"

#: The DOCX template (committed; rebuilt by scripts/make_docx_template.py).
DOCX_TEMPLATE = Path(__file__).resolve().parent.parent / "templates/documents/official.docx"

#: Width of the text block of an A4 GB/T 9704 page, in twentieths of a point (DOCX units).
TEXT_WIDTH_TWIPS = round((210 - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 25.4 * 1440)

#: Characters that cannot be stored in XML (C0 controls other than tab, LF and CR).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ParagraphStyle = Literal["body", "plain", "heading", "note"]


@dataclass(frozen=True)
class FieldRow:
    """One row of a two-column form table: a label and its value."""

    label: str
    value: str


@dataclass(frozen=True)
class Fields:
    """A form table of label/value rows (被检查单位, 地址, 检查时间 …)."""

    rows: tuple[FieldRow, ...]
    kind: str = field(default="fields", init=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. ``label`` is printed in bold before ``text``.

    Styles: ``body`` (first line indented two characters), ``plain`` (no indent),
    ``heading`` (a bold section heading), ``note`` (small print).
    """

    text: str
    label: str = ""
    style: ParagraphStyle = "body"
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Table:
    """A table with a header row. ``widths`` are the columns' shares in percent (equal if
    empty); every row has as many cells as there are headers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()
    caption: str = ""
    kind: str = field(default="table", init=False)

    def __post_init__(self) -> None:
        if self.widths and len(self.widths) != len(self.headers):
            raise ValueError("a table needs one width per column")
        if any(len(row) != len(self.headers) for row in self.rows):
            raise ValueError("every row of a table needs one cell per column")


@dataclass(frozen=True)
class Signature:
    """A line for one person's signature; ``refused`` prints the noted refusal instead
    (安全生产法 Art. 68: a head who refuses to sign is recorded)."""

    role: str
    name: str = ""
    refused: bool = False
    refusal_note: str = ""


@dataclass(frozen=True)
class Signatures:
    lines: tuple[Signature, ...]
    kind: str = field(default="signatures", init=False)


Block = Fields | Paragraph | Table | Signatures


@dataclass(frozen=True)
class DocumentContent:
    """What one document says, in the order it says it.

    ``issuer`` is the agency's name (printed above the title and, when ``sealed``, with
    the date and the seal mark at the end); ``party`` the addressee (当事人), printed as
    the salutation "当事人：" when ``addressed``; ``date`` the date of the document.
    """

    title: str
    number: str
    issuer: str
    party: str
    date: dt.date
    blocks: tuple[Block, ...]
    addressed: bool = False
    sealed: bool = True


def format_date(day: dt.date) -> str:
    """A date as documents print it (in Chinese: 2026年3月2日)."""
    return _("%(month)s/%(day)s/%(year)s") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def content_json(content: DocumentContent) -> dict[str, Any]:
    """The content as JSON-ready data (``dataclasses.asdict``, dates as ISO strings)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    return plain(asdict(content))


def _clean(text: str) -> str:
    """User text made safe for both formats: one kind of newline, no XML-invalid characters,
    tabs as spaces (a tab or ``\\a``/``\\f`` would become layout in docxtpl)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _XML_INVALID.sub("", text)


def _column_twips(widths: tuple[int, ...], count: int) -> list[int]:
    shares = list(widths) if widths else [1] * count
    total = sum(shares)
    twips = [TEXT_WIDTH_TWIPS * share // total for share in shares]
    twips[-1] += TEXT_WIDTH_TWIPS - sum(twips)
    return twips


def _signature_text(line: Signature) -> str:
    if line.refused:
        text = (
            _("%(role)s refused to sign (%(name)s).") % {"role": line.role, "name": line.name}
            if line.name
            else _("%(role)s refused to sign.") % {"role": line.role}
        )
        if line.refusal_note:
            text += _("Circumstances: %(note)s") % {"note": line.refusal_note}
        return text
    if line.name:
        return _("%(role)s: %(name)s    Signature: ______________    Date:") % {
            "role": line.role,
            "name": line.name,
        }
    return _("%(role)s    Signature: ______________    Date:") % {"role": line.role}


def _block_context(block: Block) -> dict[str, Any]:
    if isinstance(block, Fields):
        return {
            "kind": block.kind,
            "rows": [{"label": _clean(r.label), "value": _clean(r.value)} for r in block.rows],
        }
    if isinstance(block, Paragraph):
        return {
            "kind": block.kind,
            "label": _clean(block.label),
            "text": _clean(block.text),
            "style": block.style,
        }
    if isinstance(block, Table):
        count = len(block.headers)
        shares = list(block.widths) if block.widths else [1] * count
        total = sum(shares)
        return {
            "kind": block.kind,
            "caption": _clean(block.caption),
            "headers": [_clean(h) for h in block.headers],
            "rows": [[_clean(cell) for cell in row] for row in block.rows],
            "percent": [round(100 * share / total, 2) for share in shares],
            "twips": _column_twips(block.widths, count),
        }
    return {
        "kind": block.kind,
        "lines": [
            {"text": _clean(_signature_text(line)), "refused": line.refused} for line in block.lines
        ],
    }


def document_context(content: DocumentContent) -> dict[str, Any]:
    """The context both templates render (labels in the active language)."""
    return {
        "issuer": _clean(content.issuer),
        "title": _clean(content.title),
        "number": _clean(content.number),
        "party": _clean(content.party),
        "addressee_line": (
            _("%(party)s:") % {"party": _clean(content.party)} if content.addressed else ""
        ),
        "blocks": [_block_context(block) for block in content.blocks],
        "closing": (
            {
                "issuer": _clean(content.issuer),
                "seal": _("(seal)"),
                "date": format_date(content.date),
            }
            if content.sealed
            else None
        ),
    }


def render_content_pdf(content: DocumentContent) -> bytes:
    """The document as PDF (``documents/official.html``), in the active language."""
    return render_pdf("documents/official.html", {"doc": document_context(content)})


def _fix_table_grids(document: Any) -> None:
    """Make each table's column grid follow its first row's cell widths.

    docxtpl repeats template cells for ``{%tc for %}`` loops and then spreads the grid
    evenly; Word lays a fixed-layout table out by its grid, so the grid is set from the
    cell widths the template gave each column.
    """
    from docx.oxml.ns import qn

    for table in document.element.body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        first = table.find(qn("w:tr"))
        if grid is None or first is None:
            continue
        widths = []
        for cell in first.findall(qn("w:tc")):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is None or width.get(qn("w:type")) != "dxa":
                break
            widths.append(width.get(qn("w:w")))
        else:
            columns = grid.findall(qn("w:gridCol"))
            if len(columns) == len(widths):
                for column, width_value in zip(columns, widths, strict=True):
                    column.set(qn("w:w"), width_value)


def render_content_docx(content: DocumentContent) -> bytes:
    """The document as DOCX (docxtpl, ``documents/official.docx``), same context as the PDF."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(_docx_template_bytes()))
    template.render(document_context(content), autoescape=True)
    _fix_table_grids(template.docx)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


@cache
def _docx_template_bytes() -> bytes:
    return DOCX_TEMPLATE.read_bytes()


def document_number(*, agency: Agency, kind: str, year: int, seq: int) -> str:
    """``（新天）应急检记〔2026〕3号``: the agency's short name (or else its name), 应急, the
    kind's number word, the year and the sequence number."""
    prefix = agency.short_name or agency.name
    return f"（{prefix}）应急{number_word(kind)}〔{year}〕{seq}号"


def _next_seq(*, agency: Agency, kind: str, year: int) -> int:
    from inspectorate.core.models import DocumentCounter

    DocumentCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_issue(
    *,
    kind: str,
    agency: Agency,
    subject: Model,
    build: Callable[[str], DocumentContent],
    actor: Any,
    jurisdiction_code: str,
    on: dt.date | None = None,
) -> IssuedDocument:
    """Number, render, store and record one official document.

    Must run inside the caller's transaction (the one that makes the change the document
    records): the office's counter for (``kind``, year of ``on``, default today) is locked
    until it commits, so numbers have no gaps and no duplicates. ``build(number)`` gives the
    content; it is called, and the document rendered, in Chinese whatever the user's
    language. The PDF and the DOCX are stored with their SHA-256, the content as JSON, and
    a ``core.document_issued`` event carrying both hashes is appended to the record.

    Raises:
        RuntimeError: outside a transaction.
        ValueError: for an unknown ``kind``.
    """

    def assemble(number: str) -> tuple[DocumentContent, bytes]:
        content = build(number)
        return content, render_content_pdf(content)

    return _issue(
        kind=kind,
        agency=agency,
        subject=subject,
        assemble=assemble,
        actor=actor,
        jurisdiction_code=jurisdiction_code,
        on=on,
        note={},
    )


def document_issue_assembled(
    *,
    kind: str,
    agency: Agency,
    subject: Model,
    assemble: Callable[[str], tuple[DocumentContent, bytes]],
    actor: Any,
    jurisdiction_code: str,
    on: dt.date | None = None,
) -> IssuedDocument:
    """Number, store and record a document whose PDF is put together rather than rendered
    from one content: a case file (案卷), which binds documents already issued behind its
    own cover and index.

    The same rules as :func:`document_issue` (inside the caller's transaction, the office's
    counter for ``kind`` and the year of ``on``, both hashes stored, a
    ``core.document_issued`` event), except that ``assemble(number)`` returns
    ``(content, pdf)``: ``pdf`` is the whole file as assembled; ``content`` is what the
    document says of itself (for a case file: its cover and index), kept as JSON and
    rendered as the DOCX. The DOCX therefore holds ``content`` only, not the bound
    documents (each of them keeps its own DOCX); the event records that as
    ``"docx": "content_only"``. Both are called in Chinese.

    Raises:
        RuntimeError: outside a transaction.
        ValueError: for an unknown ``kind``.
    """
    return _issue(
        kind=kind,
        agency=agency,
        subject=subject,
        assemble=assemble,
        actor=actor,
        jurisdiction_code=jurisdiction_code,
        on=on,
        note={"docx": "content_only"},
    )


def _issue(
    *,
    kind: str,
    agency: Agency,
    subject: Model,
    assemble: Callable[[str], tuple[DocumentContent, bytes]],
    actor: Any,
    jurisdiction_code: str,
    on: dt.date | None,
    note: dict[str, str],
) -> IssuedDocument:
    """Number, store and record: what both kinds of issuing share (see above)."""
    from inspectorate.core.models import IssuedDocument
    from inspectorate.core.record import record_append, subject_of
    from inspectorate.core.record_kinds import RecordKind

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_issue must run inside the transaction of the change")
    number_word(kind)  # unknown kinds fail before a number is taken
    day = on or timezone.localdate()
    seq = _next_seq(agency=agency, kind=kind, year=day.year)
    number = document_number(agency=agency, kind=kind, year=day.year, seq=seq)
    with translation.override(DOCUMENT_LANGUAGE):
        content, pdf = assemble(number)
        docx = render_content_docx(content)
    pdf_sha256, docx_sha256 = sha256_hex(pdf), sha256_hex(docx)
    subject_type, subject_id = subject_of(subject)
    document = IssuedDocument(
        kind=kind,
        agency=agency,
        year=day.year,
        seq=seq,
        number=number,
        title=content.title[:64],
        subject_type=subject_type,
        subject_id=subject_id,
        jurisdiction_code=jurisdiction_code,
        pdf_sha256=pdf_sha256,
        docx_sha256=docx_sha256,
        content=content_json(content),
        issued_at=timezone.now(),
        issued_by=actor,
    )
    stem = f"{kind}-{day.year}-{seq}"
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.save()
    record_append(
        kind=RecordKind.DOCUMENT_ISSUED,
        actor=actor,
        jurisdiction_code=jurisdiction_code,
        subject=subject,
        payload={
            "document": kind,
            "number": number,
            "pdf_sha256": pdf_sha256,
            "docx_sha256": docx_sha256,
            **note,
        },
        evidence=[pdf_sha256, docx_sha256],
    )
    return document
