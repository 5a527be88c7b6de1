"""Where the site's feeds live, and the pages that explain them: one module, so that
the feeds, the comments feature, the page heads and the feed pages agree.

Every feed file is in the site's root folder. Pages name their feeds in
their head (``<link rel="alternate">``), and Material's instant navigation
takes each such link for a language version of the site and fetches
``sitemap.xml`` from the folder of its address (``new URL("sitemap.xml",
href)`` in its ``integrations/sitemap``). For the root that is the site's
own sitemap; a feed in any other folder would make every page load fetch a
missing file there (a 404 and a console error), or need an empty sitemap
beside it.

People who follow a feed link get an HTML page instead (``feeds/<name>/``)
that says what a feed is and shows the feed's address to copy; feed
readers get the XML at that address, which is also what the heads name.
"""

from __future__ import annotations

import posixpath

RSS_PATH = "rss.xml"
ATOM_PATH = "atom.xml"
JSON_PATH = "feed.json"
SITE_COMMENTS_PATH = "comments.xml"

PAGES_DIR = "feeds"  # the feed pages for people: feeds/rss/, feeds/category/<slug>/, ...
PAGE_NAMES = {RSS_PATH: "rss", ATOM_PATH: "atom", JSON_PATH: "json", SITE_COMMENTS_PATH: "comments"}


def category_feed_path(slug: str) -> str:
    """``category-vendor-excellence.xml``."""
    return f"category-{slug}.xml"


def post_comments_feed_path(page_url: str) -> str:
    """A post's comment feed, from the post's URL (site-relative).

    ``blog/2009/04/06/slug/`` -> ``comments-blog-2009-04-06-slug.xml``; with
    ``use_directory_urls: false``, ``blog/2009/slug.html`` -> ``comments-blog-2009-slug.xml``.
    """
    path = page_url.rstrip("/")
    if path.endswith(".html"):
        path = posixpath.splitext(path)[0]
    return "comments-" + (path.replace("/", "-") or "index") + ".xml"


def feed_page_src(feed_path: str) -> str:
    """The Markdown source (generated) of the page that explains a site or category feed."""
    name = PAGE_NAMES.get(feed_path)
    if name is None:
        name = "category/" + feed_path.removeprefix("category-").removesuffix(".xml")
    return f"{PAGES_DIR}/{name}.md"
