"""Browser tests: the real pages, served by pytest-django's ``live_server``, in headless
Chromium (Debian's ``chromium`` package) driven by Playwright's sync API.

* Chromium is ``$CHROMIUM_PATH`` or ``/usr/bin/chromium``. Without it the tests are skipped,
  unless ``REQUIRE_BROWSER=1`` (CI), where they fail.
* Each test gets a fresh demo province (``load_demo`` with a few hundred enterprises). The
  live server needs ``transactional_db``, whose flush would also delete the reference data
  the migrations load (GB/T 2260 jurisdictions, sectors); ``serialized_rollback`` restores
  it before each test, and ``_restore_reference_data`` once more after the last one, so
  later database tests on the same xdist worker still find it.
* Once Playwright's sync API has started, an asyncio loop runs in the test thread and
  Django's ``connections`` hand out new connection objects; ``chromium`` carries the
  serialized test data over to them, and ``live_server`` is started after Playwright so
  that the server thread shares the connection the tests use.
* ``SCREENSHOTS=1`` copies the screenshots the tests take into ``docs/screenshots/``
  (palette PNGs, to keep the repository small); otherwise they stay in pytest's tmp dir.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
# from a thread with a running loop unless told that this is intended.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "docs" / "screenshots"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_ENTERPRISES = 300  # enough for several pages per county; loads in about a second
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


def chromium_path() -> str | None:
    """The Chromium executable, or None when there is none."""
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    found = shutil.which(candidate)
    return found if found and os.access(found, os.X_OK) else None


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test process."""
    path = chromium_path()
    if path is None:
        message = (
            f"No Chromium executable at {os.environ.get('CHROMIUM_PATH') or DEFAULT_CHROMIUM} "
            "(set CHROMIUM_PATH, or `apt-get install chromium`); browser tests need it."
        )
        if _browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1: {message}", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        c.alias: c._test_serialized_contents
        for c in connections.all()
        if hasattr(c, "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    # From here on an asyncio loop is running in this thread, and Django's `connections`
    # (an asgiref Local) hands out new connection objects: give them what the test database
    # setup left on the old ones, or serialized_rollback silently restores nothing.
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
    try:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def live_server(chromium: Any, live_server: Any) -> Any:
    """pytest-django's live server, started after Playwright so that the server thread
    shares the connection objects the tests use (see ``chromium``)."""
    return live_server


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker: Any) -> Iterator[dict[str, bool]]:
    """After this module's last test, put back the data the migrations loaded.

    ``serialized_rollback`` reloads it at the start of each of our tests, but the flush after
    the last one leaves the database empty (not even content types) for whatever the xdist
    worker runs next. Only done when a test here used ``demo`` and the database is empty.
    """
    state = {"flushed": False}
    yield state
    if not state["flushed"]:
        return
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not ContentType.objects.using(connection.alias).exists():
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo(
    live_server: Any,
    django_db_serialized_rollback: None,
    settings: Any,
    tmp_path: Path,
    _restore_reference_data: dict[str, bool],
) -> Any:
    """The demo province in the test database; returns the live server's base URL."""
    from inspectorate.org.demo import load_demo

    _restore_reference_data["flushed"] = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo(seed=2026, enterprises=DEMO_ENTERPRISES)
    return live_server.url


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies), Chinese browser by default."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] | None = None, locale: str = "zh-CN") -> Any:
        context = chromium.new_context(
            viewport=viewport or DESKTOP, locale=locale, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture(scope="session")
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Any, str], Path]:
    """Full-page PNG; copied to docs/screenshots/ (as a palette PNG) when SCREENSHOTS=1."""
    out = tmp_path_factory.mktemp("screenshots")
    publish = os.environ.get("SCREENSHOTS", "") == "1"

    def take(page: Any, name: str) -> Path:
        page.evaluate("document.fonts.ready.then(() => true)")
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        if publish:
            from PIL import Image

            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            with Image.open(path) as image:
                small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
                small.save(SCREENSHOT_DIR / f"{name}.png", optimize=True)
        return path

    return take
