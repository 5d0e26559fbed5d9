"""The CJK (Simplified Chinese) fonts used by PDFs and web pages.

Chinese text must render on a fresh machine without any system font, so the font files
come from a PyPI package that ``pip install -r requirements.lock`` puts into the venv:
``pylopdf-fonts-zh-cn`` ships Noto Sans SC and Noto Serif SC (SIL OFL 1.1) as plain
single-face OpenType files, usable both by WeasyPrint (``@font-face`` with a
``file://`` URL) and by browsers (served as a static file). See
``docs/adr/0002-cjk-font.md``.

This module does not import Django, so ``settings.py`` may import it (see
:func:`staticfiles_dirs_entry`).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from importlib import resources
from pathlib import Path

#: The PyPI distribution that ships the font files, and its importable module.
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
FONT_MODULE = "pylopdf_fonts_zh_cn"

#: The files inside that module.
SANS_FILENAME = "NotoSansSC-Regular.otf"
SERIF_FILENAME = "NotoSerifSC-Regular.otf"

#: The fonts' own names (PostScript names are what a PDF's /BaseFont shows, after a
#: six-letter subset tag such as ``ABCDEF+NotoSansSC-Regular``).
SANS_FONT_NAME = "Noto Sans SC"
SANS_POSTSCRIPT_NAME = "NotoSansSC-Regular"
SERIF_FONT_NAME = "Noto Serif SC"
SERIF_POSTSCRIPT_NAME = "NotoSerifSC-Regular"

#: The CSS family names our stylesheets declare with ``@font-face`` (PDF and web alike).
CJK_FONT_FAMILY = "Inspectorate CJK"
CJK_SERIF_FONT_FAMILY = "Inspectorate CJK Serif"

#: Where the web pages expect the font directory: ``STATIC_URL + "fonts/"``.
STATIC_FONT_PREFIX = "fonts"


class CJKFontMissingError(RuntimeError):
    """The package that ships the CJK font files is not installed (or is damaged)."""


def _font_file(filename: str) -> Path:
    if importlib.util.find_spec(FONT_MODULE) is None:
        raise CJKFontMissingError(
            f"The CJK font package {FONT_PACKAGE!r} (module {FONT_MODULE!r}) is not "
            f"installed; Chinese text cannot be rendered. Install the project's locked "
            f"dependencies (pip install -r requirements.lock) or "
            f"`pip install {FONT_PACKAGE}`."
        )
    path = Path(str(resources.files(FONT_MODULE).joinpath(filename)))
    if not path.is_file():
        raise CJKFontMissingError(
            f"The CJK font package {FONT_PACKAGE!r} is installed but {filename!r} is "
            f"missing from it (looked at {path}); reinstall {FONT_PACKAGE}."
        )
    return path


@cache
def cjk_font_path() -> Path:
    """Absolute path of the Simplified Chinese sans-serif font (Noto Sans SC, OTF).

    The body font of PDFs and of web pages.

    Raises:
        CJKFontMissingError: if the ``pylopdf-fonts-zh-cn`` package is missing.
    """
    return _font_file(SANS_FILENAME)


@cache
def cjk_serif_font_path() -> Path:
    """Absolute path of the Simplified Chinese serif (Song/宋体-style) font, Noto Serif SC.

    Used for document headings (the open stand-in for 小标宋).

    Raises:
        CJKFontMissingError: if the ``pylopdf-fonts-zh-cn`` package is missing.
    """
    return _font_file(SERIF_FILENAME)


def cjk_font_dir() -> Path:
    """The directory holding both font files (the installed package's directory)."""
    return cjk_font_path().parent


def staticfiles_dirs_entry() -> tuple[str, str]:
    """A ``STATICFILES_DIRS`` entry exposing the font files under ``STATIC_URL/fonts/``.

    ``("fonts", "<site-packages>/pylopdf_fonts_zh_cn")`` serves
    ``/static/fonts/NotoSansSC-Regular.otf`` and ``/static/fonts/NotoSerifSC-Regular.otf``,
    which ``static/vendor/cjk-font.css`` references (relative URL ``../fonts/...``).
    """
    return (STATIC_FONT_PREFIX, str(cjk_font_dir()))
