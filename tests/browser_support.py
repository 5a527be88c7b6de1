"""Shared pieces of the browser suite (tests/browser/): the watched tab, sizes, axe-core.

One served build (``served_site``, from tests/conftest.py) and one Chromium per
test process; each test opens its pages in a fresh browser context through
``open_reader``. Every request is recorded: a request to any host but the
served site fails the test, and so does any console error or uncaught page
error. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request

from served import ServedSite
from sitebuild import PROJECT

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
# Schemes that never leave the browser (inline images, workers made from blobs).
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


@dataclass
class Reader:
    """A browser tab on the served site, with everything it asked for and complained about."""

    page: Page
    site: ServedSite
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected_missing: set[str] = field(default_factory=set)

    def open(self, path: str) -> None:
        self.page.goto(self.site.url(path))
        self.page.wait_for_load_state("load")

    def foreign_requests(self) -> list[str]:
        return [
            url for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != self.site.host
        ]

    def console_errors(self) -> list[str]:
        return [e for e in self.errors if not any(url in e for url in self.expected_missing)]

    def scheme(self) -> str | None:
        return self.page.get_attribute("body", "data-md-color-scheme")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def watch(page: Page, reader: Reader) -> None:
    def on_request(request: Request) -> None:
        reader.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            reader.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Any) -> None:
        reader.errors.append(f"page error: {error}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = frozenset({"serious", "critical"})


def blocking_violations(reader: Reader) -> list[str]:
    """axe-core's violations of serious or critical impact under WCAG 2.2 AA, one line each.

    Runs once the page is still: axe measures colours as drawn, and a
    transition under way (Material fades the header tabs out and in as the
    page scrolls, e.g. after following an in-page link) is caught half
    transparent, which reads as a contrast failure the reader never sees.
    """
    settle_animations(reader)
    results: dict[str, Any] = Axe().run(
        reader.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    ).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets[:5]}")
    return found


def settle_animations(reader: Reader) -> None:
    """Wait until every CSS transition and animation on the page has finished."""
    reader.page.evaluate(
        """async () => {
            const finite = a => a.playState === "running"
                && a.effect && a.effect.getComputedTiming().iterations !== Infinity;
            const limit = new Promise(resolve => setTimeout(resolve, 3000));
            for (let round = 0; round < 5; round++) {
                const running = document.getAnimations().filter(finite);
                if (!running.length) return;
                await Promise.race([limit, Promise.all(running.map(a => a.finished.catch(() => null)))]);
            }
        }"""
    )


# open_reader(color_scheme="light", viewport=DESKTOP) -> Reader (the fixture in tests/browser/conftest.py)
OpenReader = Callable[..., Reader]
