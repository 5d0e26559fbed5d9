"""The laws loaded by migration 0002 and the parser of the texts' Markdown format."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.legal.models import Article, Law, LawVersion
from inspectorate.legal.parsing import chinese_number, parse


@pytest.mark.django_db
def test_the_seed_counts() -> None:
    assert Law.objects.count() == 17
    assert LawVersion.objects.count() == 17
    assert Article.objects.count() == 822


@pytest.mark.django_db
def test_work_safety_law_article_112() -> None:
    law = Law.objects.get(code="work-safety-law")
    version = law.version_on(dt.date(2026, 1, 1))
    assert version is not None
    assert (version.label, version.effective_on) == ("2021年修正", dt.date(2021, 9, 1))
    assert law.version_on(dt.date(2021, 8, 31)) is None  # the library holds the 2021 text only
    article = version.articles.get(number=112, suffix="")
    assert article.label == "第一百一十二条"
    assert article.text.startswith("生产经营单位违反本法规定，被责令改正且受到罚款处罚")
    assert article.chapter == "第六章 法律责任"
    assert version.articles.count() == 119


@pytest.mark.django_db
def test_criminal_law_extract_has_134_of_1() -> None:
    version = LawVersion.objects.get(law__code="criminal-law-134-139")
    labels = list(version.articles.order_by("sort").values_list("label", flat=True))
    assert labels == [
        "第一百三十四条",
        "第一百三十四条之一",
        "第一百三十五条",
        "第一百三十五条之一",
        "第一百三十六条",
        "第一百三十七条",
        "第一百三十八条",
        "第一百三十九条",
        "第一百三十九条之一",
    ]
    one = version.articles.get(number=134, suffix="之一")
    assert one.text.startswith("在生产、作业中违反有关安全管理的规定，有下列情形之一")
    assert one.text.count("\n") == 3  # the opening paragraph and items (一) to (三)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零六", 106),
        ("一百三十四", 134),
        ("二百", 200),
        ("一千零一", 1001),
    ],
)
def test_chinese_number(text: str, number: int) -> None:
    assert chinese_number(text) == number


def test_chinese_number_refuses_other_characters() -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_number("十A")


def test_parse_chapters_sections_suffix_and_paragraphs() -> None:
    text = """# 某某条例

2020年1月1日 公布

<!-- INFO END -->

## 第一章 总则

第一条 为了规范，制定本条例。

## 第二章 管理

### 第一节 一般规定

第二条 单位应当：

（一）建立制度；

（二）落实责任。

第二条之一 新增的规定。

### 第二节 特别规定

第十条 特别规定。

第一百零六条 附则。
"""
    parsed = parse(text)
    assert parsed.title == "某某条例"
    assert parsed.history == "2020年1月1日 公布"
    got = [(a.number, a.suffix, a.label, a.chapter) for a in parsed.articles]
    assert got == [
        (1, "", "第一条", "第一章 总则"),
        (2, "", "第二条", "第二章 管理"),
        (2, "之一", "第二条之一", "第二章 管理"),
        (10, "", "第十条", "第二章 管理"),
        (106, "", "第一百零六条", "第二章 管理"),
    ]
    assert parsed.articles[1].text == "单位应当：\n（一）建立制度；\n（二）落实责任。"


def test_parse_without_info_marker_and_max_article() -> None:
    text = "# 标题\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n"
    parsed = parse(text, max_article=2)
    assert [a.label for a in parsed.articles] == ["第一条", "第二条"]
    assert parse("没有条文的文字。\n\n第 一条 不是条文").articles == []
