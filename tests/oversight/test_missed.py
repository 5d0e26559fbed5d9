"""Missed detection (省里市里发现而下面还没有察觉) and the inaction indicators."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.inspections.models import ChecklistItem, InspectionState
from inspectorate.oversight import selectors
from inspectorate.registry.models import Enterprise, RiskClass
from tests.oversight.conftest import OversightWorld, finding, inspection

FOUND = dt.date(2026, 6, 15)
ARTICLE = "《安全生产法》第四十一条"
START, END = dt.date(2026, 1, 1), dt.date(2026, 11, 30)


@pytest.fixture
def scene(ow: OversightWorld) -> dict:
    w = ow.w
    item, other_item = ChecklistItem.objects.order_by("id")[:2]
    prov = inspection(w.province, w.ent_tianshan, FOUND)
    f_prov = finding(prov, article=ARTICLE, item=item)
    # 天山区 90 days before (just inside), with a finding that is not similar
    inside = inspection(w.tianshan, w.ent_tianshan, FOUND - dt.timedelta(days=90))
    finding(inside, article="《安全生产法》第二十八条", item=other_item)
    # 91 days before: outside the window
    inspection(w.tianshan, w.ent_tianshan, FOUND - dt.timedelta(days=91))
    # found the same article (written with spaces and round brackets): not missed
    same_article = inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 5, 1))
    finding(same_article, article=" 安全生产法 第四十一条 ", item=other_item)
    # found the same checklist item under another article: not missed
    same_item = inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 5, 2))
    finding(same_item, article="《其他》第一条", item=item)
    # the same day, or still in progress: not counted
    same_day = inspection(w.tianshan, w.ent_tianshan, FOUND)
    inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 6, 1), state=InspectionState.IN_PROGRESS)
    # the prefecture is below the province too
    pref = inspection(w.prefecture, w.ent_tianshan, dt.date(2026, 6, 1))
    # a prefecture finding, missed by 天山区 ten days before
    pref_later = inspection(w.prefecture, w.ent_tianshan, dt.date(2026, 7, 1))
    f_pref = finding(pref_later, article="《安全生产法》第三十六条")
    ts_before = inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 6, 21))
    # 天山区's own findings are never "upper"
    finding(ts_before, article="《安全生产法》第九十九条")
    # the province at a 克拉玛依 unit: missed by 克拉玛依市 (a prefecture office)
    klmy = inspection(w.karamay, w.ent_karamay, dt.date(2026, 8, 1))
    f_klmy = finding(inspection(w.province, w.ent_karamay, dt.date(2026, 8, 20)))
    return {
        "f_prov": f_prov,
        "f_pref": f_pref,
        "f_klmy": f_klmy,
        "inside": inside,
        "pref": pref,
        "ts_before": ts_before,
        "same_day": same_day,
        "same_article": same_article,
        "same_item": same_item,
        "klmy": klmy,
    }


def pairs(rows: list[selectors.MissedRow]) -> list[tuple]:
    return [
        (
            r.code,
            r.findings,
            r.inspections,
            [(m.finding["id"], m.inspection["id"], m.days_before) for m in r.misses],
        )
        for r in rows
    ]


def test_the_province_sees_every_miss(ow: OversightWorld, scene: dict) -> None:
    rows = selectors.missed_detection(user=ow.prov_head, start=START, end=END, window_days=90)
    s = scene
    assert pairs(rows) == [
        (
            "650102",
            2,
            5,
            [
                (s["f_prov"].pk, s["inside"].pk, 90),
                # the prefecture's finding of 1 July: 天山区 did not find 第三十六条 in any of
                # its four inspections of the 90 days before
                (s["f_pref"].pk, s["same_article"].pk, 61),
                (s["f_pref"].pk, s["same_item"].pk, 60),
                (s["f_pref"].pk, s["same_day"].pk, 16),
                (s["f_pref"].pk, s["ts_before"].pk, 10),
            ],
        ),
        ("650100", 1, 1, [(s["f_prov"].pk, s["pref"].pk, 14)]),
        ("650200", 1, 1, [(s["f_klmy"].pk, s["klmy"].pk, 19)]),
    ]


def test_the_window_is_a_parameter(ow: OversightWorld, scene: dict) -> None:
    rows = selectors.missed_detection(user=ow.prov_head, start=START, end=END, window_days=89)
    assert [(r.code, r.findings) for r in rows] == [
        ("650100", 1),
        ("650102", 1),
        ("650200", 1),
    ]
    wide = selectors.missed_detection(user=ow.prov_head, start=START, end=END, window_days=91)
    assert wide[0].code == "650102"
    assert wide[0].inspections == 6


def test_the_period_bounds_the_upper_findings(ow: OversightWorld, scene: dict) -> None:
    rows = selectors.missed_detection(
        user=ow.prov_head, start=dt.date(2026, 6, 16), end=END, window_days=90
    )
    assert [(r.code, r.findings) for r in rows] == [("650102", 1), ("650200", 1)]


def test_scoped_to_the_users_offices(ow: OversightWorld, scene: dict) -> None:
    pref_rows = selectors.missed_detection(user=ow.pref_head, start=START, end=END)
    assert [r.code for r in pref_rows] == ["650102", "650100"]
    ts_rows = selectors.missed_detection(user=ow.ts_officer, start=START, end=END)
    assert [(r.code, r.findings) for r in ts_rows] == [("650102", 2)]
    assert selectors.missed_detection(user=ow.w.shayibake_officer, start=START, end=END) == []


def test_inaction(ow: OversightWorld) -> None:
    w = ow.w
    Enterprise.objects.filter(pk=w.ent_tianshan_2.pk).update(risk_class=RiskClass.SIGNIFICANT)
    Enterprise.objects.filter(pk=w.ent_tianshan.pk).update(risk_class=RiskClass.MAJOR)
    Enterprise.objects.filter(pk=w.ent_shayibake.pk).update(risk_class=RiskClass.LOW)
    inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 3, 1))  # inspected: not listed
    inspection(w.tianshan, w.ent_tianshan_2, dt.date(2025, 12, 31))  # before the period
    for day in (dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        inspection(w.shayibake, w.ent_shayibake, day)  # finds nothing, twice
    found = inspection(w.tianshan, w.ent_tianshan, dt.date(2026, 6, 1))
    finding(found)
    report = selectors.inaction(user=ow.pref_head, start=START, end=END, min_inspections=2)
    assert [
        (g["agency_id"], g["count"], [u["id"] for u in g["units"]]) for g in report.uninspected
    ] == [(w.tianshan.pk, 1, [w.ent_tianshan_2.pk])]
    assert report.offices == [
        {"agency_id": w.shayibake.pk, "agency": w.shayibake.name, "inspections": 2}
    ]
    assert sorted(o["inspections"] for o in report.officers) == [2, 2]
    assert {o["agency"] for o in report.officers} == {w.shayibake.name}
    stricter = selectors.inaction(user=ow.pref_head, start=START, end=END, min_inspections=3)
    assert stricter.offices == []
    assert stricter.officers == []
    other = selectors.inaction(user=w.karamay_officer, start=START, end=END, min_inspections=2)
    assert other.offices == []
    assert other.uninspected == []
