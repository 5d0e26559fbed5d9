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

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from inspectorate.core.fonts import (
    CJK_FONT_FAMILY,
    CJK_SERIF_FONT_FAMILY,
    cjk_font_path,
    cjk_serif_font_path,
)

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
