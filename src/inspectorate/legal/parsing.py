"""Reading a law's text (Markdown, one article per paragraph, "第N条 …") into articles.

The format is that of ``legal/texts/`` (from LawRefBook/Laws): a ``# `` title, the
promulgation history up to ``<!-- INFO END -->``, chapters as ``## 第一章 …`` (sections
``### 第一节 …``), and each article starting a paragraph with ``第…条`` or ``第…条之一``;
the paragraphs that follow, up to the next article, belong to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}

ARTICLE_RE = re.compile(
    r"^第([零〇一二两三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?[ 　]*(.*)$"
)
CHAPTER_RE = re.compile(r"^(#{2,4})\s*(.+)$")


def chinese_number(text: str) -> int:
    """一百三十四 → 134, 十一 → 11, 一百零六 → 106, 二十 → 20."""
    total = 0
    digit = 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (digit or 1) * _UNITS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


@dataclass(frozen=True)
class ParsedArticle:
    number: int
    suffix: str
    label: str
    chapter: str
    text: str


@dataclass(frozen=True)
class ParsedLaw:
    title: str
    history: str
    articles: list[ParsedArticle]


def parse(text: str, max_article: int | None = None) -> ParsedLaw:
    lines = text.splitlines()
    title = ""
    history: list[str] = []
    body_start = 0
    for index, line in enumerate(lines):
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        if line.strip() == "<!-- INFO END -->":
            body_start = index + 1
            break
    else:
        body_start = 1 if title else 0
    if body_start > 1:
        history = [
            line.strip()
            for line in lines[1 : body_start - 1]
            if line.strip() and not line.startswith("#")
        ]
    articles: list[ParsedArticle] = []
    chapter = ""
    current: dict[str, object] | None = None
    paragraphs: list[str] = []

    def flush() -> None:
        if current is not None:
            articles.append(
                ParsedArticle(
                    number=int(str(current["number"])),
                    suffix=str(current["suffix"]),
                    label=str(current["label"]),
                    chapter=str(current["chapter"]),
                    text="\n".join(paragraphs).strip(),
                )
            )

    for raw in lines[body_start:]:
        line = raw.strip()
        if not line:
            continue
        heading = CHAPTER_RE.match(line)
        if heading:
            if len(heading.group(1)) == 2 or not chapter:
                chapter = heading.group(2).strip()
            continue
        match = ARTICLE_RE.match(line)
        if match:
            number = chinese_number(match.group(1))
            if max_article is not None and number > max_article:
                flush()
                current = None
                paragraphs = []
                break
            flush()
            suffix = match.group(2) or ""
            current = {
                "number": number,
                "suffix": suffix,
                "label": f"第{match.group(1)}条{suffix}",
                "chapter": chapter,
            }
            paragraphs = [match.group(3).strip()]
        elif current is not None:
            paragraphs.append(line)
    flush()
    return ParsedLaw(title=title, history="\n".join(history), articles=articles)
