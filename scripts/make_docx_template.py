#!/usr/bin/env python3
"""Build src/inspectorate/templates/documents/official.docx, the DOCX template of every
official document (执法文书).

The template is committed; this script is how it was made, and how to make it again after
changing its layout. Run it once from the repository root with the project's venv (it
needs only python-docx):

    .venv/bin/python scripts/make_docx_template.py            # writes the template
    .venv/bin/python scripts/make_docx_template.py --check    # exit 1 if the committed file
                                                              # differs in its document XML

The template is rendered by docxtpl (Jinja2 tags inside the text, see
``inspectorate.core.documents.render_docx``) with the same context as the PDF template
``documents/official.html``, so both formats always carry the same fields:

* ``issuer``, ``title``, ``number`` — the heading (agency, document name, document number);
* ``addressee_line`` — "当事人：", printed when set;
* ``blocks`` — in order, each with ``kind``:
  ``fields`` (``rows`` of ``label``/``value``: a two-column table),
  ``paragraph`` (``label``, ``text``, ``style`` = body | plain | heading | note),
  ``table`` (``caption``, ``headers``, ``rows`` of cell strings, ``twips`` = column widths),
  ``signatures`` (``lines``, each with a ``text``);
* ``closing`` — the issuing agency, the seal mark and the date, printed when set.

Page: A4 with the GB/T 9704-2012 margins of the PDFs (top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm) and a centred page number "— 1 —". Fonts: Latin text in Times New Roman, Chinese
in 宋体 (the ``w:eastAsia`` font, so Word picks a CJK face; the theme fonts are removed, as
they would override it); language zh-CN.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src/inspectorate/templates/documents/official.docx"

LATIN_FONT = "Times New Roman"
CJK_FONT = "宋体"
CJK_TITLE_FONT = "宋体"

# GB/T 9704-2012 margins, as in inspectorate.core.documents (mm).
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 37, 26, 35, 28
TEXT_WIDTH_TWIPS = round((210 - MARGIN_LEFT - MARGIN_RIGHT) / 25.4 * 1440)  # 8844
LABEL_TWIPS = round(TEXT_WIDTH_TWIPS * 0.32)  # the label column of field tables (as the PDF)


def set_fonts(rpr_parent: object, *, latin: str = LATIN_FONT, cjk: str = CJK_FONT) -> None:
    """Explicit fonts on an ``rPr`` holder (a style or the document defaults)."""
    if hasattr(rpr_parent, "get_or_add_rPr"):
        rpr = rpr_parent.get_or_add_rPr()
    else:  # <w:rPrDefault>, a plain lxml element
        rpr = rpr_parent.find(qn("w:rPr"))  # type: ignore[attr-defined]
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_parent.append(rpr)  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), cjk)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph_style(
    document: object,
    name: str,
    *,
    size: float = 12,
    bold: bool = False,
    align: int | None = None,
    first_line_chars: int = 0,
    before: float = 0,
    after: float = 0,
    line_spacing: float = 1.2,
    cjk: str = CJK_FONT,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
    style.base_style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    set_fonts(style.element, cjk=cjk)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line_spacing
    if first_line_chars:
        fmt.first_line_indent = Pt(size * first_line_chars)
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    return style


# The elements that follow <w:autoSpaceDE>/<w:autoSpaceDN> in <w:pPr> (schema order).
_AFTER_AUTOSPACE = {
    qn(f"w:{name}")
    for name in (
        "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId "
        "cnfStyle rPr sectPr pPrChange"
    ).split()
}


def no_autospace(style: ParagraphStyle) -> None:
    """No extra space between Chinese and Latin text or digits (narrow table cells)."""
    ppr = style.element.get_or_add_pPr()
    position = next((i for i, child in enumerate(ppr) if child.tag in _AFTER_AUTOSPACE), len(ppr))
    for offset, name in enumerate(("w:autoSpaceDE", "w:autoSpaceDN")):
        element = OxmlElement(name)
        element.set(qn("w:val"), "0")
        ppr.insert(position + offset, element)


def add_paragraph(document: object, text: str, style: str = "Normal") -> None:
    document.add_paragraph(text, style=style)  # type: ignore[attr-defined]


def cell_width(cell: object, twips: int | str, kind: str = "dxa") -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    width = tcpr.find(qn("w:tcW"))
    if width is None:
        width = OxmlElement("w:tcW")
        tcpr.insert(0, width)
    width.set(qn("w:w"), str(twips))
    width.set(qn("w:type"), kind)


def set_cell(cell: object, text: str, style: str) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.style = style
    paragraph.add_run(text)


def full_width(table: Table, grid: list[int]) -> None:
    """Table across the text width, fixed layout, the given column grid."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:w"), str(TEXT_WIDTH_TWIPS))
    width.set(qn("w:type"), "dxa")
    for col, twips in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), grid, strict=True):
        col.set(qn("w:w"), str(twips))
    # cell margins of 1.5 mm left and right, as the PDF's (before <w:tblLook>)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "85")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tblpr.append(margins)


def header_row(row: object) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:tblHeader"))


def no_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))


def page_number_footer(section: object) -> None:
    paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for run_ in paragraph.runs:
        run_.font.size = Pt(14)


def build() -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.footer_distance = Mm(20)

    # Document defaults and Normal: explicit Latin and CJK fonts, 12 pt, 1.5 lines.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")))
    normal = document.styles["Normal"]
    set_fonts(normal.element)
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    # Word's "single" line of a CJK face is about 1.3 em: 1.2 lines comes close to the
    # PDF's 1.5 em.
    normal.paragraph_format.line_spacing = 1.2

    paragraph_style(
        document, "Doc Issuer", size=18, align=WD_ALIGN_PARAGRAPH.CENTER, line_spacing=1.0
    )
    paragraph_style(
        document,
        "Doc Title",
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=1.0,
        after=3,
        cjk=CJK_TITLE_FONT,
    )
    paragraph_style(document, "Doc Number", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    paragraph_style(document, "Doc Addressee")
    paragraph_style(document, "Doc Body", first_line_chars=2)
    paragraph_style(document, "Doc Plain")
    caption = paragraph_style(document, "Doc Caption", align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    caption.paragraph_format.keep_with_next = True
    heading = paragraph_style(document, "Doc Heading", size=13, bold=True, before=6, after=3)
    heading.paragraph_format.keep_with_next = True
    paragraph_style(document, "Doc Note", size=10.5)
    # signatures and the closing are kept on one page, as in the PDF
    signature = paragraph_style(document, "Doc Signature", before=6)
    signature.paragraph_format.keep_with_next = True
    closing = paragraph_style(document, "Doc Closing", align=WD_ALIGN_PARAGRAPH.RIGHT)
    closing.paragraph_format.keep_with_next = True
    paragraph_style(
        document,
        "Doc Label",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=1.0,
        before=2,
        after=2,
    )
    paragraph_style(document, "Doc Value", line_spacing=1.0, before=2, after=2)
    cell_head = paragraph_style(
        document,
        "Doc Cell Head",
        size=10.5,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=1.0,
    )
    no_autospace(cell_head)
    no_autospace(paragraph_style(document, "Doc Cell", size=10.5, line_spacing=1.0))
    paragraph_style(document, "Doc Spacer", size=6, line_spacing=1.0)
    # python-docx starts the body with no paragraph; fill it in order.
    add_paragraph(document, "{{ issuer }}", "Doc Issuer")
    add_paragraph(document, "{{ title }}", "Doc Title")
    add_paragraph(document, "{{ number }}", "Doc Number")
    add_paragraph(document, "{%p if addressee_line %}")
    add_paragraph(document, "{{ addressee_line }}", "Doc Addressee")
    add_paragraph(document, "{%p endif %}")

    add_paragraph(document, "{%p for b in blocks %}")
    add_paragraph(document, "{%p if b.kind == 'fields' %}")
    fields = document.add_table(rows=3, cols=2, style="Table Grid")
    full_width(fields, [LABEL_TWIPS, TEXT_WIDTH_TWIPS - LABEL_TWIPS])
    fields.cell(0, 0).text = "{%tr for r in b.rows %}"
    set_cell(fields.cell(1, 0), "{{ r.label }}", "Doc Label")
    set_cell(fields.cell(1, 1), "{{ r.value }}", "Doc Value")
    cell_width(fields.cell(1, 0), LABEL_TWIPS)
    cell_width(fields.cell(1, 1), TEXT_WIDTH_TWIPS - LABEL_TWIPS)
    for cell in fields.rows[1].cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    no_split(fields.rows[1])
    fields.cell(2, 0).text = "{%tr endfor %}"
    add_paragraph(document, "", "Doc Spacer")

    add_paragraph(document, "{%p elif b.kind == 'paragraph' %}")
    for style in ("heading", "plain", "note", "body"):
        keyword = "if" if style == "heading" else "elif"
        add_paragraph(document, f"{{%p {keyword} b.style == '{style}' %}}")
        paragraph = document.add_paragraph(style=f"Doc {style.title()}")
        paragraph.add_run("{{ b.label }}").bold = True
        paragraph.add_run("{{ b.text }}")
    add_paragraph(document, "{%p endif %}")

    add_paragraph(document, "{%p elif b.kind == 'table' %}")
    add_paragraph(document, "{%p if b.caption %}")
    add_paragraph(document, "{{ b.caption }}", "Doc Caption")
    add_paragraph(document, "{%p endif %}")
    third = TEXT_WIDTH_TWIPS // 3
    table = document.add_table(rows=4, cols=3, style="Table Grid")
    full_width(table, [third, third, TEXT_WIDTH_TWIPS - 2 * third])
    table.cell(0, 0).text = "{%tc for h in b.headers %}"
    set_cell(table.cell(0, 1), "{{ h }}", "Doc Cell Head")
    cell_width(table.cell(0, 1), "{{ b.twips[loop.index0] }}")
    table.cell(0, 2).text = "{%tc endfor %}"
    header_row(table.rows[0])
    table.cell(1, 0).text = "{%tr for row in b.rows %}"
    table.cell(2, 0).text = "{%tc for c in row %}"
    set_cell(table.cell(2, 1), "{{ c }}", "Doc Cell")
    cell_width(table.cell(2, 1), "{{ b.twips[loop.index0] }}")
    table.cell(2, 2).text = "{%tc endfor %}"
    no_split(table.rows[2])
    table.cell(3, 0).text = "{%tr endfor %}"
    add_paragraph(document, "", "Doc Spacer")

    add_paragraph(document, "{%p elif b.kind == 'signatures' %}")
    add_paragraph(document, "{%p for s in b.lines %}")
    add_paragraph(document, "{{ s.text }}", "Doc Signature")
    add_paragraph(document, "{%p endfor %}")
    add_paragraph(document, "{%p endif %}")
    add_paragraph(document, "{%p endfor %}")

    add_paragraph(document, "{%p if closing %}")
    add_paragraph(document, "", "Doc Closing")
    add_paragraph(document, "{{ closing.issuer }}{{ closing.seal }}", "Doc Closing")
    add_paragraph(document, "{{ closing.date }}", "Doc Closing")
    add_paragraph(document, "{%p endif %}")

    page_number_footer(section)

    props = document.core_properties
    props.title = "{{ title }}"
    props.subject = "{{ number }}"
    props.author = "{{ issuer }}"
    props.comments = ""
    props.last_modified_by = ""
    props.language = "zh-CN"
    props.revision = 1

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml") + archive.read("word/styles.xml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    args = parser.parse_args()
    data = build()
    if args.check:
        same = TARGET.is_file() and _document_xml(TARGET.read_bytes()) == _document_xml(data)
        print("up to date" if same else f"{TARGET} differs from what this script builds")
        return 0 if same else 1
    TARGET.write_bytes(data)
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
