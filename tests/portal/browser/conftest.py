"""Browser tests: Debian's chromium, driven by Playwright, against the portal and the services as real processes.

`.ci/run` installs chromium when it is missing; here a missing browser is a loud skip, never a silent pass.
Screenshots of the main pages land in docs/screenshots/ (the README links them).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.portal.browser.live_portal import LivePortal, live_portal

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's notes advise: no background traffic (this machine's network is closed) and no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 780}
LAPTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"!!! no chromium at {CHROMIUM}: run `apt-get install -y chromium` (.ci/run does) — browser tests NOT run"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> LivePortal:
    with live_portal(tmp_path_factory.mktemp("portal-platform")) as running:
        yield running


class OutsideRequests:
    """Every request the page made to another origin than the portal's (there must be none)."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.seen: list[str] = []

    def __call__(self, request) -> None:
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.seen.append(request.url)


def _watched_page(browser, portal, viewport: dict):
    """A page in Chișinău's time zone; at the end, it must not have asked anything of another site."""
    context = browser.new_context(viewport=viewport, locale="ro-MD", timezone_id="Europe/Chisinau")
    page = context.new_page()
    outside = OutsideRequests(portal.url)
    page.on("request", outside)
    yield page
    context.close()
    assert not outside.seen, f"the page loaded from outside the portal: {outside.seen}"


@pytest.fixture
def phone(browser, portal):
    yield from _watched_page(browser, portal, PHONE)


@pytest.fixture
def laptop(browser, portal):
    yield from _watched_page(browser, portal, LAPTOP)


def audit(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script>: the portal's CSP rightly refuses inline ones.
        page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    result = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
            const found = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result


def assert_accessible(page, what: str) -> None:
    violations = audit(page)
    assert not violations, f"{what}: accessibility violations:\n{json.dumps(violations, indent=1, ensure_ascii=False)}"


def screenshot(page, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}.png"), full_page=True)
