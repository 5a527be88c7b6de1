"""Fixtures of the browser suite (helpers in tests/browser_support.py).

One served build (``served_site``) and one Chromium per test process
(``browser``), both from tests/conftest.py; each test opens its pages in a fresh browser context through
``open_reader``. Every request is recorded: a request to any host but the
served site fails the test, and so does any console error or uncaught page
error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

from browser_support import DESKTOP, OpenReader, Reader, watch
from served import ServedSite, serve
from sitebuild import Site


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
        watch(page, reader)
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


@pytest.fixture(scope="session")
def served_comments_site(comments_site: Site) -> Iterator[ServedSite]:
    """The project with a comment thread on the source post (and the XSS corpus post), served."""
    with serve(comments_site.site_dir) as served:
        yield served


@pytest.fixture
def comments_reader(browser: Browser, served_comments_site: ServedSite) -> Iterator[Reader]:
    """A desktop tab on the comments site, checked like ``open_reader``'s."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    reader = Reader(page, served_comments_site)
    watch(page, reader)
    yield reader
    context.close()
    assert reader.foreign_requests() == [], "requests to a host other than the site"
    assert reader.console_errors() == [], "console errors"
