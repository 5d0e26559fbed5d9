"""The registry pages in a real browser: scoping, htmx filters, language, workflow, lockout,
import, tablet layout and the CJK web font.

Expected texts come from the translation catalogue (``gettext`` under ``zh-hans``), so the
assertions hold before and after the Chinese catalogue is compiled; when
``django.mo`` exists they also require the Chinese texts to be Chinese.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from inspectorate.org.demo import BRANDS, DEMO_PASSWORD
from inspectorate.registry.credit_code import credit_code_problem, make_credit_code
from inspectorate.registry.importing import COLUMNS, REASON_COLUMN
from inspectorate.registry.models import Enterprise, EnterpriseStatus, RiskClass
from inspectorate.registry.views import PAGE_SIZE
from tests.browser.conftest import TABLET

pytestmark = pytest.mark.browser

ZH_MO = (
    Path(__file__).resolve().parents[2] / "src/inspectorate/locale/zh_Hans/LC_MESSAGES/django.mo"
)
LIST = "/registry/enterprises/"
TIANSHAN = "650102"  # 天山区, the county demo accounts' jurisdiction
ROWS = "[data-testid=enterprise-table] tbody tr"


def zh(text: Any) -> str:
    """The Chinese UI's text for a message id or a lazy label."""
    with translation.override("zh-hans"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def en(text: Any) -> str:
    with translation.override("en"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def assert_chinese(text: str) -> None:
    """Chinese once the catalogue is compiled (parallel work); until then, only not empty."""
    assert text.strip()
    if ZH_MO.exists():
        assert has_cjk(text), f"expected Chinese text, got {text!r}"


def login(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def column(page: Any, index: int) -> list[str]:
    """The texts of one column (0-based) of the enterprise table, empty-row message excluded."""
    cells = page.locator(f"{ROWS} td:nth-child({index + 1})")
    return (
        [t.strip() for t in cells.all_inner_texts()]
        if page.locator(f"{ROWS} td[colspan]").count() == 0
        else []
    )


def badge_classes(page: Any, index: int) -> list[str]:
    return page.locator(f"{ROWS} td:nth-child({index + 1}) .badge").evaluate_all(
        "els => els.map(e => e.className)"
    )


def result_count(page: Any) -> int:
    text = page.locator("[data-testid=result-count]").inner_text()
    match = re.search(r"\d+", text)
    assert match, text
    return int(match.group())


def wait_count(page: Any, n: int) -> None:
    """Wait until the (htmx-swapped) table says it holds n enterprises."""
    page.wait_for_function(
        """n => {
            const el = document.querySelector('[data-testid=result-count]');
            const m = el && el.textContent.match(/\\d+/);
            return m !== null && parseInt(m[0], 10) === n;
        }""",
        arg=n,
    )


def all_pages_column(page: Any, index: int) -> list[str]:
    """Walk the pager to the end, collecting one column."""
    values = column(page, index)
    next_link = page.locator(".pager a", has_text=zh("Next"))
    while next_link.count():
        with page.expect_navigation():
            next_link.click()
        values += column(page, index)
    return values


# a. scoping and the Chinese UI ---------------------------------------------------------------


def test_county_officer_sees_only_tianshan_in_chinese(
    page: Any, demo: str, new_page: Callable[..., Any], screenshot: Callable[..., Path]
) -> None:
    login(page, demo, "county_officer")
    page.goto(demo + LIST)

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    heading = page.locator("main h1").inner_text()
    assert heading == zh("Enterprise registry")
    assert_chinese(heading)
    assert page.title().startswith(zh("Enterprise registry"))
    assert_chinese(page.title())
    nav = page.locator("nav.side a[href='/registry/enterprises/']")
    assert nav.inner_text().strip() == zh("Enterprise registry")
    assert "active" in (nav.get_attribute("class") or "")

    expected = Enterprise.objects.filter(jurisdiction_id=TIANSHAN).count()
    assert expected > PAGE_SIZE, "the demo should give 天山区 more than one page"
    assert result_count(page) == expected
    screenshot(page, "enterprise-list-zh-county")
    places = all_pages_column(page, 2)
    assert len(places) == expected
    assert set(places) == {"天山区"}

    # another county's enterprise is not reachable by URL either
    outside = Enterprise.objects.exclude(jurisdiction_id=TIANSHAN).first()
    assert outside is not None
    response = page.goto(f"{demo}/registry/enterprises/{outside.pk}/")
    assert response is not None
    assert response.status == 404

    # a browser asking for a language the system does not have gets Chinese
    other = new_page(locale="fr-FR")
    other.goto(f"{demo}/accounts/login/")
    assert other.locator("html").get_attribute("lang") == "zh-hans"
    assert other.locator("main h1").inner_text() == zh("Sign in")

    # the province sees the whole region
    province = new_page()
    login(province, demo, "prov_officer")
    province.goto(demo + LIST)
    total = Enterprise.objects.count()
    assert result_count(province) == total
    first = set(column(province, 2))
    province.goto(f"{demo}{LIST}?page={-(-total // PAGE_SIZE)}")  # the last page
    last = set(column(province, 2))
    assert last
    assert "天山区" not in last
    assert first != last
    screenshot(province, "enterprise-list-zh-province")


# b. filters (htmx), search, pagination ------------------------------------------------------


def test_filters_search_and_pagination(page: Any, demo: str) -> None:
    login(page, demo, "prov_officer")
    page.goto(demo + LIST)
    page.evaluate("window.__notReloaded = true")

    # a risk class: the table is replaced in place (htmx), every row has that class
    with page.expect_response(
        lambda r: "risk_class=major" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.select_option("select[name=risk_class]", "major")
    major = Enterprise.objects.filter(risk_class=RiskClass.MAJOR).count()
    assert 0 < major
    wait_count(page, major)
    page.wait_for_function("() => location.search.includes('risk_class=major')")
    assert page.evaluate("window.__notReloaded") is True, "the filter reloaded the whole page"
    classes = badge_classes(page, 4)
    assert len(classes) == min(major, PAGE_SIZE)
    assert all("risk-major" in c for c in classes), classes
    assert set(column(page, 4)) == {zh(RiskClass.MAJOR.label)}

    # another class with several pages: the next page keeps the filter
    with page.expect_response(lambda r: "risk_class=general" in r.url):
        page.select_option("select[name=risk_class]", "general")
    general = list(
        Enterprise.objects.filter(risk_class=RiskClass.GENERAL)
        .order_by("jurisdiction_id", "name", "id")
        .values_list("name", flat=True)
    )
    assert len(general) > PAGE_SIZE
    wait_count(page, len(general))
    assert column(page, 0) == general[:PAGE_SIZE]
    with page.expect_navigation():
        page.locator(".pager a", has_text=zh("Next")).click()
    assert "page=2" in page.url
    assert "risk_class=general" in page.url
    assert page.locator("select[name=risk_class]").input_value() == "general"
    assert column(page, 0) == general[PAGE_SIZE : 2 * PAGE_SIZE]
    assert all("risk-general" in c for c in badge_classes(page, 4))

    # search by a name fragment (one that no address contains), all classes
    fragment = next(
        b
        for b in BRANDS
        if 2 <= Enterprise.objects.filter(name__contains=b).count() <= PAGE_SIZE
        and not Enterprise.objects.filter(address__contains=b).exists()
    )
    names = set(Enterprise.objects.filter(name__contains=fragment).values_list("name", flat=True))
    page.select_option("select[name=risk_class]", "")
    page.fill("input[name=q]", fragment)
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request")):
        page.press("input[name=q]", "Enter")
    wait_count(page, len(names))
    found = column(page, 0)
    assert set(found) == names
    assert all(fragment in n for n in found)
    assert page.locator(".pager").count() == 0

    # nothing matches: the empty message, no rows
    with page.expect_response(lambda r: "q=" in r.url):
        page.fill("input[name=q]", "不存在的企业名称")
        page.press("input[name=q]", "Enter")
    page.wait_for_selector(f"{ROWS} td[colspan]")
    assert page.locator(f"{ROWS} td[colspan]").inner_text().strip() == zh("No enterprise matches.")


# c. language switch ------------------------------------------------------------------------


def test_language_switch_to_english_and_back(
    page: Any, demo: str, screenshot: Callable[..., Path]
) -> None:
    login(page, demo, "county_officer")
    page.goto(demo + LIST)
    assert page.locator("main h1").inner_text() == zh("Enterprise registry")

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.url.endswith(LIST)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h1").inner_text() == "Enterprise registry"
    assert page.title().startswith("Enterprise registry")
    assert page.locator("nav.side a[href='/registry/enterprises/']").inner_text().strip() == (
        "Enterprise registry"
    )
    risk_labels = {en(label) for label in RiskClass.labels}
    assert set(column(page, 4)) <= risk_labels
    assert not any(has_cjk(t) for t in column(page, 4))
    screenshot(page, "enterprise-list-en")

    # the choice sticks for the next page
    page.goto(demo + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h1").inner_text() == "Overview"

    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("main h1").inner_text() == zh("Overview")
    page.goto(demo + LIST)
    heading = page.locator("main h1").inner_text()
    assert heading == zh("Enterprise registry")
    assert_chinese(heading)


def test_language_switch_keeps_the_filtered_list(page: Any, demo: str) -> None:
    login(page, demo, "county_officer")
    page.goto(demo + LIST)
    major = Enterprise.objects.filter(jurisdiction_id=TIANSHAN, risk_class="major").count()
    with page.expect_response(lambda r: "risk_class=major" in r.url):
        page.select_option("select[name=risk_class]", "major")
    wait_count(page, major)
    list_requests: list[str] = []
    page.on(
        "request", lambda r: list_requests.append(r.url) if r.headers.get("hx-request") else None
    )
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("load")
    assert list_requests == [], "changing the language fired the table's htmx request"
    assert "risk_class=major" in page.url
    assert page.locator("select[name=risk_class]").input_value() == "major"
    assert result_count(page) == major


# d. detail page and the suspend workflow -----------------------------------------------------


def test_team_lead_suspends_with_reason(
    page: Any, demo: str, new_page: Callable[..., Any], screenshot: Callable[..., Path]
) -> None:
    enterprise = (
        Enterprise.objects.filter(jurisdiction_id=TIANSHAN, status=EnterpriseStatus.OPERATING)
        .order_by("name")
        .first()
    )
    assert enterprise is not None
    url = f"{demo}/registry/enterprises/{enterprise.pk}/"
    suspend = "button[data-action=suspend]"

    # a plain officer sees the page but no status action
    officer = new_page()
    login(officer, demo, "county_officer")
    officer.goto(url)
    assert officer.locator("main h1").inner_text() == enterprise.name
    assert officer.locator(suspend).count() == 0

    login(page, demo, "county_lead")
    page.goto(url)
    assert page.locator("main h1").inner_text() == enterprise.name
    status = page.locator("[data-testid=status]")
    assert "status-operating" in (status.get_attribute("class") or "")
    assert status.inner_text() == zh(EnterpriseStatus.OPERATING.label)
    form = page.locator("form", has=page.locator(suspend))
    reason = form.locator("input[name=reason]")

    # no reason: the browser refuses to submit
    page.click(suspend)
    assert reason.evaluate("el => el.validity.valueMissing") is True
    assert page.url == url

    # only blanks: the server refuses, nothing changes
    reason.fill("   ")
    with page.expect_navigation():
        page.click(suspend)
    assert page.locator(".messages .error").inner_text() == zh(
        "A reason is required for this action."
    )
    assert "status-operating" in (status.get_attribute("class") or "")
    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.OPERATING

    # with a reason: suspended, and the history shows the event with the reason
    why = "重大事故隐患未整改，责令停产整顿"
    page.locator("form", has=page.locator(suspend)).locator("input[name=reason]").fill(why)
    with page.expect_navigation():
        page.click(suspend)
    assert page.locator(".messages .success").inner_text() == zh("The status was changed.")
    assert "status-suspended" in (status.get_attribute("class") or "")
    assert status.inner_text() == zh(EnterpriseStatus.SUSPENDED.label)
    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.SUSPENDED
    latest = page.locator("[data-testid=history] tbody tr").first
    cells = latest.locator("td").all_inner_texts()
    from inspectorate.core.record_kinds import RecordKind

    assert cells[1] == zh(RecordKind.ENTERPRISE_STATUS_CHANGED.label)
    assert why in cells[3]
    # the change itself, as labels (or, in older pages, as the stored codes)
    assert zh(EnterpriseStatus.SUSPENDED.label) in cells[3] or "suspended" in cells[3]
    assert cells[2] != "—"  # the actor is named
    assert page.locator(suspend).count() == 0
    assert page.locator("button[data-action=resume]").count() == 1
    screenshot(page, "enterprise-detail")


# e. lockout ----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(page: Any, demo: str) -> None:
    for attempt in range(1, 5):
        login(page, demo, "county_officer", "wrong-password")
        assert page.locator("[data-testid=login-error]").count() == 1, attempt
        assert page.locator("[data-testid=locked-out]").count() == 0, attempt
    login(page, demo, "county_officer", "wrong-password")
    assert page.locator("[data-testid=locked-out]").count() == 1
    assert page.locator("[data-testid=locked-out] h1").inner_text() == zh("Account locked")

    login(page, demo, "county_officer")  # the right password
    assert page.locator("[data-testid=locked-out]").count() == 1
    assert page.locator("[data-testid=current-user]").count() == 0
    page.goto(demo + LIST)
    assert "/accounts/login/" in page.url

    # the lockout is per user name, not per address: a colleague still signs in
    login(page, demo, "county_lead")
    assert page.locator("[data-testid=current-user]").count() == 1


# f. import through the page ------------------------------------------------------------------


def _import_csv(bad_code: str, good_codes: list[str]) -> bytes:
    header = [names[0] for names in COLUMNS.values()]
    fields = list(COLUMNS)
    rows = []
    for n, code in enumerate([good_codes[0], bad_code, good_codes[1]], start=1):
        row = {
            "credit_code": code,
            "name": f"乌鲁木齐测试导入{n}号有限公司",
            "address": f"新疆维吾尔自治区乌鲁木齐市天山区测试路{n}号",
            "jurisdiction_code": TIANSHAN,
            "sector": "机械",
            "size": "小型",
            "risk_class": "一般",
            "standardisation_level": "三级",
            "supervising_agency": "",
            "employees": "35",
            "industry_code": "",
            "legal_representative": "王测试",
            "contact_phone": "13800000000",
        }
        rows.append([row[f] for f in fields])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_import_with_a_bad_row(
    page: Any, demo: str, tmp_path: Path, screenshot: Callable[..., Path]
) -> None:
    good = [make_credit_code("9", "1", TIANSHAN, f"TEAM0000{n}") for n in (1, 2)]
    valid = make_credit_code("9", "1", TIANSHAN, "TEAM00003")
    bad = valid[:17] + next(c for c in "0123456789" if c != valid[17])  # wrong check character
    problem = credit_code_problem(bad)
    assert problem
    with translation.override("zh-hans"):
        reason = credit_code_problem(bad)
    path = tmp_path / "企业导入.csv"
    path.write_bytes(_import_csv(bad, good))
    before = Enterprise.objects.count()

    login(page, demo, "county_lead")
    page.goto(demo + LIST)
    with page.expect_navigation():
        page.click("a[href='/registry/imports/new/']")
    page.set_input_files("input[type=file][name=file]", str(path))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/registry/imports/\d+/$", page.url)
    assert page.locator("[data-testid=good-rows]").inner_text() == "2"
    assert page.locator("[data-testid=bad-rows]").inner_text() == "1"
    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert errors.count() == 1
    line, field, code, message = errors.first.locator("td").all_inner_texts()
    assert line == "3"  # header is line 1, the bad row is the second data row
    assert code == bad
    assert message == reason
    assert page.locator("[data-testid=commit-all]").count() == 0
    assert Enterprise.objects.count() == before  # nothing imported before confirming

    with page.expect_navigation():
        page.click("[data-testid=commit-good]")
    assert page.locator("[data-testid=committed-rows]").inner_text() == "2"
    message = page.locator(".messages .success").inner_text()
    assert "2" in message
    assert_chinese(message)
    assert Enterprise.objects.count() == before + 2
    assert set(
        Enterprise.objects.filter(credit_code__in=[*good, bad]).values_list(
            "credit_code", flat=True
        )
    ) == set(good)
    screenshot(page, "import-report")

    with page.expect_download() as download_info:
        page.click("[data-testid=rejects-link]")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rejects = list(csv.reader(io.StringIO(text)))
    assert rejects[0][-1] == REASON_COLUMN
    assert rejects[0][:-1] == [names[0] for names in COLUMNS.values()]
    assert len(rejects) == 2
    assert rejects[1][0] == bad
    assert rejects[1][-1] == reason

    # the imported enterprises are in the list
    page.goto(demo + LIST + "?q=测试导入")
    assert sorted(column(page, 0)) == ["乌鲁木齐测试导入1号有限公司", "乌鲁木齐测试导入3号有限公司"]


# g. tablet width -----------------------------------------------------------------------------


def _no_horizontal_overflow(page: Any) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width}px wide in a {inner}px window"


def test_tablet_layout(
    new_page: Callable[..., Any], demo: str, screenshot: Callable[..., Path]
) -> None:
    page = new_page(viewport=TABLET)
    login(page, demo, "county_officer")
    _no_horizontal_overflow(page)
    page.goto(demo + LIST)
    _no_horizontal_overflow(page)

    nav = page.locator("nav.side a[href='/registry/enterprises/']")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= TABLET["width"]
    table = page.locator("[data-testid=enterprise-table]")
    assert table.is_visible()
    # the table scrolls inside its own box if it is wider than the screen
    wrap_width = page.locator(".table-wrap").evaluate("el => el.clientWidth")
    assert wrap_width <= TABLET["width"]
    first_link = page.locator(f"{ROWS} td:first-child a").first
    assert first_link.is_visible()
    screenshot(page, "enterprise-list-tablet")

    # the controls work at this width: a filter, then a row opens the detail page
    with page.expect_response(lambda r: "risk_class=low" in r.url):
        page.select_option("select[name=risk_class]", "low")
    wait_count(page, Enterprise.objects.filter(jurisdiction_id=TIANSHAN, risk_class="low").count())
    low = badge_classes(page, 4)
    assert low
    assert all("risk-low" in c for c in low)
    name = page.locator(f"{ROWS} td:first-child a").first.inner_text()
    with page.expect_navigation():
        page.locator(f"{ROWS} td:first-child a").first.click()
    assert page.locator("main h1").inner_text() == name
    _no_horizontal_overflow(page)

    # the side navigation is reachable and works
    page.goto(demo + "/")
    _no_horizontal_overflow(page)
    with page.expect_navigation():
        page.locator("nav.side a[href='/registry/enterprises/']").click()
    assert page.url.endswith(LIST)


# h. the CJK web font -------------------------------------------------------------------------


def test_chinese_text_uses_the_served_cjk_font(page: Any, demo: str) -> None:
    font_responses: list[Any] = []
    page.on(
        "response",
        lambda r: (
            font_responses.append(r) if "/static/fonts/NotoSansSC-Regular.otf" in r.url else None
        ),
    )
    login(page, demo, "county_officer")
    page.goto(demo + LIST)
    page.evaluate("document.fonts.load('16px \"Inspectorate CJK\"', '企业档案')")
    page.wait_for_function("document.fonts.check('16px \"Inspectorate CJK\"', '企业档案')")
    faces = page.evaluate(
        "Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])"
    )
    assert ["Inspectorate CJK", "loaded"] in faces, faces
    assert font_responses, "the page never requested the CJK font"
    assert all(r.status == 200 for r in font_responses), [r.status for r in font_responses]

    # the body text is set in it: Chinese glyphs are as wide as the CJK font makes them,
    # not the fallback's tofu boxes (there is no system CJK font on CI machines)
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Inspectorate CJK"')
    widths = page.evaluate(
        """() => {
            const c = document.createElement('canvas').getContext('2d');
            const w = f => { c.font = f; return c.measureText('天山区企业档案').width; };
            return [w('16px "Inspectorate CJK"'), w('16px monospace')];
        }"""
    )
    assert widths[0] == pytest.approx(7 * 16, rel=0.05), widths  # full-width ideographs
