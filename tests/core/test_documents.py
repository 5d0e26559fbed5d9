"""PDF documents: Chinese text is set in the packaged CJK font, on an A4 GB/T 9704 page."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import django
import pytest
from django.conf import settings

if not settings.configured:  # running without pytest-django / project settings
    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE="zh-hans",
        INSTALLED_APPS=[],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [Path(__file__).resolve().parents[2] / "src/inspectorate/templates"],
            }
        ],
    )
    django.setup()

from fontTools.ttLib import TTFont  # noqa: E402 - after settings
from pypdf import PdfReader  # noqa: E402

from inspectorate.core import fonts  # noqa: E402
from inspectorate.core.documents import _renderer, render_pdf, sha256_hex  # noqa: E402

MM = 72 / 25.4  # PDF points per millimetre
A4_PT = (210 * MM, 297 * MM)

ENTERPRISE = {
    "name": "江苏省镕泰安全化工有限公司",
    "credit_code": "91320500MA1XYZ123K",
    "address": "江苏省苏州市工业园区星湖街328号",
    "sector": "危险化学品生产",
    "size": "规模以上（中型）",
    "standardisation_level": "二级",
    "risk_class": "较大风险（橙色）",
    "status": "正常生产",
    "supervising_agency": "苏州市应急管理局",
}
DOC_NUMBER = "苏应急执〔2025〕第0012号"


@pytest.fixture(scope="module")
def profile_pdf() -> bytes:
    return render_pdf(
        "documents/enterprise_profile.html",
        {"enterprise": ENTERPRISE, "doc_number": DOC_NUMBER},
    )


def _fonts(reader: PdfReader) -> list[dict[str, Any]]:
    """BaseFont, embedded font program's names, characters drawn and boxes of each font."""
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            embedded = TTFont(io.BytesIO(program.get_object().get_data()))
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            pairs = [  # (glyph id, text) of every bfchar entry
                (int(gid, 16), bytes.fromhex(text).decode("utf-16-be", errors="replace"))
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
                for gid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block)
            ]
            found.append(
                {
                    "base_font": str(font["/BaseFont"]),
                    "family": embedded["name"].getDebugName(1),
                    "postscript": embedded["name"].getDebugName(6),
                    "chars": {ch for _, text in pairs for ch in text},
                    # Text drawn with .notdef or with a glyph id past the font's glyphs (what
                    # Pango gives a character the font lacks): it shows as an empty box.
                    "boxes": "".join(
                        text for gid, text in pairs if gid == 0 or gid >= embedded["maxp"].numGlyphs
                    ),
                }
            )
    return found


def test_cjk_font_path_is_packaged_noto_sans_sc() -> None:
    path = fonts.cjk_font_path()
    assert path.is_file()
    assert path.suffix == ".otf"
    assert fonts.FONT_MODULE in path.parts
    font = TTFont(path, lazy=True)
    assert font["name"].getDebugName(1) == fonts.SANS_FONT_NAME
    assert font["name"].getDebugName(6) == fonts.SANS_POSTSCRIPT_NAME
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "".join(ENTERPRISE.values()) + DOC_NUMBER)
    serif = TTFont(fonts.cjk_serif_font_path(), lazy=True)
    assert serif["name"].getDebugName(1) == fonts.SERIF_FONT_NAME


def test_missing_font_package_is_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = fonts.importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name == fonts.FONT_MODULE else real_find_spec(name, package)

    monkeypatch.setattr(fonts.importlib.util, "find_spec", find_spec)
    fonts.cjk_font_path.cache_clear()
    try:
        with pytest.raises(fonts.CJKFontMissingError, match="pylopdf-fonts-zh-cn"):
            fonts.cjk_font_path()
    finally:
        fonts.cjk_font_path.cache_clear()


def test_staticfiles_entry_exposes_the_font_directory() -> None:
    prefix, directory = fonts.staticfiles_dirs_entry()
    assert prefix == "fonts"
    assert (Path(directory) / fonts.SANS_FILENAME).is_file()


def test_enterprise_profile_renders_chinese_in_the_cjk_font(profile_pdf: bytes) -> None:
    assert profile_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(profile_pdf))
    assert len(reader.pages) == 1

    text = reader.pages[0].extract_text()
    assert ENTERPRISE["name"] in text
    assert ENTERPRISE["credit_code"] in text
    assert DOC_NUMBER in text

    page_fonts = _fonts(reader)
    body = [f for f in page_fonts if f["postscript"] == fonts.SANS_POSTSCRIPT_NAME]
    assert body, f"Noto Sans SC not embedded; fonts: {[f['base_font'] for f in page_fonts]}"
    assert fonts.CJK_FONT_FAMILY.replace(" ", "-") in body[0]["base_font"]
    assert body[0]["family"] == fonts.SANS_FONT_NAME
    # Every character of the company name was drawn with the CJK font, none as a box.
    assert set(ENTERPRISE["name"]) <= body[0]["chars"]
    assert [f["boxes"] for f in page_fonts if f["boxes"]] == []


def test_a_character_missing_from_the_font_is_detected_as_a_box() -> None:
    """Guards the box check above: U+2A6D6 (CJK Ext. B) is not in Noto Sans SC."""
    missing = "\U0002a6d6"
    assert ord(missing) not in TTFont(fonts.cjk_font_path(), lazy=True).getBestCmap()
    pdf = render_pdf(
        "documents/enterprise_profile.html",
        {"enterprise": {**ENTERPRISE, "name": f"测试{missing}公司"}},
    )
    (body,) = [
        f
        for f in _fonts(PdfReader(io.BytesIO(pdf)))
        if f["postscript"] == fonts.SANS_POSTSCRIPT_NAME
    ]
    assert "测" in body["chars"]
    # Drawn with the CJK font, it must be counted as a box (a system font that has the
    # character may draw it instead; then the CJK font does not draw it at all).
    assert missing not in body["chars"] or missing in body["boxes"]


def test_page_is_a4_with_gbt_9704_margins(profile_pdf: bytes) -> None:
    page = PdfReader(io.BytesIO(profile_pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width == pytest.approx(A4_PT[0], abs=0.5)
    assert height == pytest.approx(A4_PT[1], abs=0.5)

    positions: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list, tm: list, font_dict: object, font_size: float) -> None:
        if text.strip():
            positions.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text))

    page.extract_text(visitor_text=visit)
    body = [p for p in positions if "—" not in p[2]]  # the page number sits in the margin
    assert body
    assert min(x for x, _, _ in body) >= 28 * MM - 0.5  # left (binding side) margin
    assert max(y for _, y, _ in body) <= height - 37 * MM  # top margin (baselines)
    assert min(y for _, y, _ in body) >= 35 * MM  # bottom margin


def test_documents_load_only_the_packaged_fonts() -> None:
    fetcher = _renderer().url_fetcher
    fetcher(fonts.cjk_font_path().as_uri()).close()
    fetcher("data:text/plain,ok").close()
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", Path(__file__).as_uri()):
        with pytest.raises(ValueError, match="may not load"):
            fetcher(url)


def test_sha256_hex() -> None:
    assert sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
