"""Browser test harness: pytest + Playwright (sync API) on Debian's chromium + axe-core.

Every test in tests/e2e is marked ``e2e`` (``pytest -m "not e2e"`` skips them). Tests get the
``open_page`` factory; each page it opens talks to pytest-django's ``live_server`` and is checked:

- ``p.visit(path)`` loads a page, asserts the HTTP status and runs axe on it;
- ``with p.navigation(): p.get_by_role("button", name="Masuk").click()`` does the same for a page
  reached by a click or a form submission;
- at the end of the test the current page is checked if it was not yet, a page that was navigated
  away from without a check fails the test, and a full-page screenshot of each page is saved to
  ``test-results/screenshots/<test-name>-<width>.png`` for people to look at.

A check fails on axe violations of impact "serious" or "critical", on uncaught JavaScript errors,
and on sub-resources (CSS, images, scripts) that failed to load. Without Chromium every browser
test is skipped with a visible reason (``pytest -ra``); nothing here ever downloads a browser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

E2E_DIR = Path(__file__).resolve().parent
AXE_PATH = E2E_DIR / "vendor" / "axe.min.js"  # vendored from npm by `make vendor`

VIEWPORTS = {
    "mobile": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
NO_CHROMIUM = "Chromium not installed: browser tests skipped (install Debian's chromium package)"
FAILING_IMPACTS = ("critical", "serious")
DEFAULT_TIMEOUT_MS = 10_000

# axe's default rule set (WCAG 2.0/2.1 A and AA plus best practices). WCAG 2.2's target-size rule is
# off by default in axe; to add it, pass {resultTypes: [...], rules: {"target-size": {enabled: true}}}.
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


# --- Marking and reporting -----------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, so `-m "not e2e"` sees the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    # The teardown of `open_page` looks at this: a test that already failed gets its screenshots
    # but no extra checks, so the first failure stays the one reported.
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


# --- Browser ---------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """PERISAI_CHROMIUM if set, else `chromium` on PATH, else /usr/bin/chromium (Debian's package)."""
    override = os.environ.get("PERISAI_CHROMIUM")
    if override:
        return override
    found = shutil.which("chromium")
    if found:
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


@pytest.fixture(scope="package")
def migrated_data(django_db_setup) -> dict[str, str]:
    """pytest-django's snapshot of each test database right after migrations (regions and the like),
    taken because ``open_page`` asks for ``django_db_serialized_rollback``. Read here, before the
    browser starts: see ``restore_migrated_data``."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def restore_migrated_data(snapshots: dict[str, str]) -> None:
    """Empty each test database and load the post-migration snapshot back.

    pytest-django would normally do this (serialized rollback), but it cannot here: Playwright's sync
    API keeps an asyncio loop running in the main thread, so asgiref (Django's thread-critical
    connection storage) treats the thread as async and `connections` hands out new connection
    objects, which lack the snapshot. And loading the snapshot into a database that an earlier
    transactional test flushed would collide with the content types post_migrate re-created under
    new ids, so flush first (without post_migrate, as Django does for serialized rollback)."""
    from django.core.management import call_command
    from django.db import connections

    for alias, snapshot in snapshots.items():
        call_command("flush", database=alias, interactive=False, verbosity=0, inhibit_post_migrate=True)
        connections[alias].creation.deserialize_db_from_string(snapshot)


@pytest.fixture(autouse=True)
def _fresh_database(request: pytest.FixtureRequest):
    """For every test that uses ``open_page``: the migrated database (regions included) and empty
    caches, and afterwards the stored statistics checked against a fresh count. Autouse, so it runs
    before the test's own data fixtures, whatever their order."""
    if "open_page" not in request.fixturenames:
        yield
        return
    from django.core.cache import caches

    request.getfixturevalue("transactional_db")
    restore_migrated_data(request.getfixturevalue("migrated_data"))
    # The database cache table is not flushed with the models, and it remembers used one-time codes
    # (allauth's replay guard): two tests signing in within 30 seconds would see "Kode salah".
    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    # What the journey did through the pages left the stored statistics exact (stats_rebuild --check).
    from perisai.stats import tallies

    assert tallies.differences() == []


@pytest.fixture(scope="package")
def browser(migrated_data):
    """One headless Chromium for the browser tests (launching takes about a second).

    Package scope, not session: pytest tears it down as soon as the run leaves tests/e2e, so the
    event loop and DJANGO_ALLOW_ASYNC_UNSAFE below never outlive the browser tests. (pytest-django runs
    tests with live_server/transactional_db after the other database tests but before tests without a
    database, such as the `manage.py check --deploy` subprocess test, which must not inherit the flag.)
    ``migrated_data`` must be read before the loop starts, hence the dependency."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    if not os.access(executable, os.X_OK):
        pytest.fail(f"PERISAI_CHROMIUM={executable!r} is not an executable file.", pytrace=False)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright not installed: browser tests skipped (pip install -e '.[e2e]')"
    )
    from django.db import connections

    # Playwright's sync API keeps an asyncio event loop running in the main thread, and Django refuses
    # ORM calls from a thread with a running loop (SynchronousOnlyOperation). The tests' own ORM calls
    # (creating users, pytest-django's flush) are plain synchronous code, so allow them - but only while
    # the browser is up: other tests in the same process keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        connections.close_all()  # the connections opened while the loop ran (see restore_migrated_data)
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Ask for this fixture to run a test once per viewport: "mobile" (360 px) and "desktop" (1280 px)."""
    return request.param


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing: run `make vendor` and commit the result.", pytrace=False)
    return AXE_PATH.read_text(encoding="utf-8")


# --- Pages -----------------------------------------------------------------------------------------


class BrowserPage:
    """A Playwright page that checks every document it shows. Unknown attributes go to the Playwright
    Page, so ``p.get_by_role(...)``, ``p.locator(...)`` etc. work as usual; ``p.page`` is the Page."""

    def __init__(self, *, page, context, browser, axe_source, name, width, height, javascript, enforce_csp, shots):
        self.page = page
        self.context = context
        self.width = width
        self.height = height
        self.javascript = javascript
        self._browser = browser
        self._axe_source = axe_source
        self._name = name
        self._enforce_csp = enforce_csp
        self._shots = shots  # screenshot paths already written by this test (shared between its pages)
        self._screenshot_taken = False
        self._documents: list[str] = []  # URL of every main-frame navigation, in order
        self._checked = 0  # how many of those have been checked (the last check covers all before it)
        self._problems: list[str] = []  # JS errors, failed sub-resources, CSP violations since last check
        page.on("framenavigated", self._on_navigated)
        page.on("pageerror", lambda error: self._problems.append(f"uncaught JavaScript error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("console", self._on_console)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def __repr__(self) -> str:
        return f"<BrowserPage {self.width}x{self.height} {self.page.url}>"

    # Events ------------------------------------------------------------------------------------------
    def _on_navigated(self, frame) -> None:
        if frame.parent_frame is None and frame.url != "about:blank":
            self._documents.append(frame.url)

    def _on_response(self, response) -> None:
        request = response.request
        if response.status >= 400 and not (request.is_navigation_request() and request.frame.parent_frame is None):
            self._problems.append(f"{request.resource_type} {request.url} answered HTTP {response.status}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED: the browser cancelled the request because the test moved on; not a page fault.
        if not request.is_navigation_request() and "ERR_ABORTED" not in (request.failure or ""):
            self._problems.append(f"{request.resource_type} {request.url} failed: {request.failure}")

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._problems.append(f"CSP violation: {message.text}")

    # Navigation --------------------------------------------------------------------------------------
    def visit(self, path: str, *, status: int | None = 200):
        """Open ``path`` (relative to the live server), assert the HTTP status, run the checks."""
        response = self.page.goto(path)
        assert response is not None, f"GET {path}: no response"
        if status is not None:
            assert response.status == status, f"GET {path}: HTTP {response.status}, expected {status}"
        self.check()
        return response

    @contextmanager
    def navigation(self, *, status: int | None = 200) -> Iterator[None]:
        """Wrap a click or a form submission that loads a new page: waits for it, asserts the status
        of the final response (after redirects) and runs the checks on the new page."""
        with self.page.expect_navigation() as info:
            yield
        response = info.value
        assert response is not None, "the navigation had no response"
        if status is not None:
            assert response.status == status, f"{response.url}: HTTP {response.status}, expected {status}"
        self.check()

    def assert_no_horizontal_scroll(self) -> None:
        scroll_width = self.page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= self.width, (
            f"{self.page.url} scrolls sideways at {self.width} px: the page is {scroll_width} px wide"
        )

    # Checks ------------------------------------------------------------------------------------------
    def check(self) -> None:
        """Run axe on the current page and fail on serious/critical violations, JS errors, failed
        sub-resources or CSP violations. visit() and navigation() call this for you."""
        self._checked = len(self._documents)
        problems, self._problems = self._problems, []
        violations = [v for v in self._axe_violations() if v["impact"] in FAILING_IMPACTS]
        if violations or problems:
            pytest.fail(self._describe(violations, problems), pytrace=False)

    def _axe_violations(self) -> list[dict]:
        if not self.javascript:
            return self._axe_violations_with_javascript_twin()
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            if self._enforce_csp:
                # Evaluating through the DevTools protocol is not subject to the page's CSP.
                self.page.evaluate(self._axe_source + "\n;undefined")
            else:
                self.page.add_script_tag(content=self._axe_source)
        return self.page.evaluate(AXE_RUN)

    def _axe_violations_with_javascript_twin(self) -> list[dict]:
        # With JavaScript off, Chromium runs no timers, and axe.run() never resolves. So the rendered
        # document is copied into a JavaScript-enabled page at the same URL (same CSS and images from
        # the live server; the page's own scripts blocked, as they were in the original) and checked there.
        html = self.page.content()
        url = self.page.url
        twin_context = self._browser.new_context(viewport={"width": self.width, "height": self.height})
        try:

            def route(route):
                request = route.request
                if request.url == url and request.is_navigation_request():
                    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
                elif request.resource_type == "script":
                    route.abort()
                else:
                    route.continue_()

            twin = twin_context.new_page()
            twin.set_default_timeout(DEFAULT_TIMEOUT_MS)
            twin.route("**/*", route)
            twin.goto(url)
            twin.evaluate(self._axe_source + "\n;undefined")
            return twin.evaluate(AXE_RUN)
        finally:
            twin_context.close()

    def _describe(self, violations: list[dict], problems: list[str]) -> str:
        where = f"{self.page.url} at {self.width}x{self.height}"
        lines = []
        if violations:
            lines.append(f"axe: {len(violations)} serious/critical accessibility violation(s) on {where}:")
            for violation in violations:
                lines.append(
                    f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})"
                )
                for node in violation["nodes"]:
                    lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
                    for summary_line in (node.get("summary") or "").splitlines():
                        lines.append(f"        {summary_line}")
        if problems:
            lines.append(f"Problems on {where}:")
            lines.extend(f"- {problem}" for problem in problems)
        return "\n".join(lines)

    # Screenshots -------------------------------------------------------------------------------------
    def screenshot(self, label: str | None = None) -> Path:
        """Save a full-page screenshot to test-results/screenshots/<test-name>[-<label>]-<width>.png."""
        stem = f"{self._name}-{_slug(label)}" if label else self._name
        path = self._shots["dir"] / f"{stem}-{self.width}.png"
        counter = 2
        while path in self._shots["taken"]:  # two pages of one test at the same width
            path = path.with_name(f"{stem}-{self.width}-{counter}.png")
            counter += 1
        self._shots["taken"].add(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=path, full_page=True)
        self._screenshot_taken = True
        return path

    def _finish(self, *, test_failed: bool) -> str | None:
        """End of test: screenshot, then make sure no page went unchecked. Returns a failure text."""
        if not self._screenshot_taken and self.page.url != "about:blank":
            self.screenshot()
        if test_failed:
            return None
        unchecked = self._documents[self._checked :]
        if not unchecked:
            return None
        earlier, current = unchecked[:-1], unchecked[-1]
        if earlier:
            return (
                "These pages were shown but never checked (axe), because the test navigated on before a check: "
                + ", ".join(earlier)
                + ". Use p.visit(path) or `with p.navigation(): ...` for every page load."
            )
        try:
            self.check()
        except pytest.fail.Exception as failure:
            return f"(end-of-test check of {current})\n{failure.msg}"
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-")


@pytest.fixture
def open_page(browser, axe_source, live_server, transactional_db, django_db_serialized_rollback, request):
    """Factory: ``open_page("mobile" | "desktop" | (width, height), javascript=True, user=None,
    enforce_csp=False)`` returns a new BrowserPage (own context: own cookies) on the live server.

    ``user=`` starts the page signed in as that user (session cookie, no login form); staff need a
    second factor enrolled (services.user_enrol_second_factor) or every page sends them to enrolment.
    Pages are in Indonesian (Accept-Language id-ID, time zone Asia/Jakarta) like most real visitors.

    The live server sees the test's data because the database is transactional (data committed,
    flushed after the test). Each test starts from the migrated database: see _fresh_database.
    """
    from django.conf import settings
    from django.test import Client

    shots = {"dir": request.config.rootpath / "test-results" / "screenshots", "taken": set()}
    name = _slug(request.node.name)
    opened: list[BrowserPage] = []

    def _open(
        size: str | tuple[int, int] = "desktop", *, javascript=True, user=None, enforce_csp=False, locale="id-ID"
    ):
        if isinstance(size, str):
            width, height = VIEWPORTS[size]["width"], VIEWPORTS[size]["height"]
        else:
            width, height = size
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            # The site sends `Content-Security-Policy: script-src 'self'`, which blocks the inline
            # <script> that page.add_script_tag() uses to inject axe-core; the vendored axe.min.js is not
            # served by the site (it is a test-only file). bypass_csp lets the browser ignore the policy
            # so axe can be injected. The price: these pages do not enforce the CSP, so a template
            # that breaks it would pass here. Open a page with enforce_csp=True to keep the policy on
            # (axe is then evaluated through the DevTools protocol, which the CSP does not govern) and
            # fail on any CSP violation the page causes.
            bypass_csp=not enforce_csp,
            locale=locale,
            timezone_id=settings.TIME_ZONE,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        if user is not None:
            client = Client()
            client.force_login(user)
            session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value, "url": live_server.url}]
            )
        browser_page = BrowserPage(
            page=context.new_page(),
            context=context,
            browser=browser,
            axe_source=axe_source,
            name=name,
            width=width,
            height=height,
            javascript=javascript,
            enforce_csp=enforce_csp,
            shots=shots,
        )
        opened.append(browser_page)
        return browser_page

    yield _open

    call_report = getattr(request.node, "_e2e_report_call", None)
    test_failed = call_report is None or call_report.failed
    failures = []
    for browser_page in opened:
        try:
            failure = browser_page._finish(test_failed=test_failed)
            if failure:
                failures.append(failure)
        finally:
            browser_page.context.close()
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
