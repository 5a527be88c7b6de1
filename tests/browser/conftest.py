"""Shared fixtures of the browser suite.

One served build (``served_site``, from tests/conftest.py) and one Chromium per
test process; each test opens its pages in a fresh browser context through
``open_reader``. Every request is recorded: a request to any host but the
served site fails the test, and so does any console error or uncaught page
error. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, sync_playwright

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


def _watch(page: Page, reader: Reader) -> None:
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


OpenReader = Callable[..., Reader]


@pytest.fixture
def open_reader(browser: Browser, served_site: ServedSite) -> Iterator[OpenReader]:
    """``open_reader(color_scheme="light", viewport=DESKTOP)``: a new tab in a fresh context.

    After the test, every reader opened must have made no request off the
    site and seen no console or page error.
    """
    opened: list[tuple[BrowserContext, Reader]] = []

    def make(color_scheme: str = "light", viewport: dict[str, int] = DESKTOP) -> Reader:
        context = browser.new_context(color_scheme=color_scheme, viewport=viewport)  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        page = context.new_page()
        reader = Reader(page, served_site)
        _watch(page, reader)
        opened.append((context, reader))
        return reader

    yield make
    for context, _reader in opened:
        context.close()
    for _context, reader in opened:
        assert reader.foreign_requests() == [], "requests to a host other than the site"
        assert reader.console_errors() == [], "console errors"


@pytest.fixture
def reader(open_reader: OpenReader) -> Reader:
    """A tab with a desktop-sized window and the light colour scheme preferred."""
    return open_reader()
