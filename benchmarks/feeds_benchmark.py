"""How long the posts feeds cost for 1,000 posts (target: under 1 second).

Run with the project's environment:  .venv/bin/python benchmarks/feeds_benchmark.py

It times what the feeds hook does in on_post_build (kb_engine.feeds.posts.build_feed_files:
content cleaning and absolute links, RSS + Atom + JSON Feed + one RSS feed per
category) plus writing the files, for 1,000 posts of about 6 KB of HTML each
(headings, links, images, footnotes, as Material renders them) in 5 categories.
Two cases: the default limit (20 newest per feed) and every post in every feed.
The hook's per-page work (keeping a reference to each post's HTML) is negligible.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

from kb_engine.feeds.posts import (
    CategoryChannel,
    Channel,
    FeedOptions,
    PublishedPost,
    build_feed_files,
)

SITE = "https://kb.example.org/"
POSTS = 1000
CATEGORIES = ("Uncategorized", "Partnerships", "Vendor excellence", "Value selling", "Strategic accounts")


def page_html(n: int) -> str:
    paragraph = (
        "<p>Partnerships are tough &amp; most fail; customers often want a great vendor. "
        '<a href="../../../../guides/partner-or-vendor/">Read the guide</a>, '
        f'<a href="#section-{n}">jump</a> or see <code>value &lt; cost</code>.</p>\n'
    )
    return (
        f'<h1 id="post-{n}">Post {n}<a class="headerlink" href="#post-{n}">¶</a></h1>\n'
        + paragraph
        + "<!-- more -->\n"
        + f'<h2 id="section-{n}">Section<a class="headerlink" href="#section-{n}">¶</a></h2>\n'
        + paragraph * 12
        + '<p><img alt="chart" src="../../../../assets/chart.png"'
        + ' srcset="chart.png 1x, chart@2x.png 2x"></p>\n'
        + '<p>Claim.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>\n'
        + '<div class="footnote"><hr><ol><li id="fn:1"><p>Note. '
        + '<a class="footnote-backref" href="#fnref:1">↩</a></p></li></ol></div>\n'
    )


def make_posts() -> list[PublishedPost]:
    start = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    return [
        PublishedPost(
            src_uri=f"blog/posts/post-{n}.md",
            url=f"{SITE}blog/2020/post-{n}/",
            title=f"Post {n}: partner & vendor <notes>",
            published=start + timedelta(hours=n),
            updated=None,
            authors=("David Brock",),
            categories=(CATEGORIES[n % len(CATEGORIES)],),
            html=page_html(n),
        )
        for n in range(POSTS)
    ]


def run(posts: list[PublishedPost], limit: int, out: Path) -> tuple[float, float, int]:
    channel = Channel("Partner or Vendor", "Essays", f"{SITE}blog/", "en")
    categories = [
        CategoryChannel(name, name.lower().replace(" ", "-"), Channel(f"PoV: {name}", "Essays", SITE, "en"))
        for name in CATEGORIES
    ]
    options = FeedOptions(limit=limit, full_content=True, excerpt_separator="<!-- more -->", comments=True)
    began, began_cpu = time.perf_counter(), time.process_time()
    files = build_feed_files(SITE, channel, categories, posts, options, {})
    for path, data in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    return wall, cpu, sum(len(data) for data in files.values())


def main() -> None:
    posts = make_posts()
    with tempfile.TemporaryDirectory() as tmp:
        for limit, label in ((20, "default limit (20 per feed)"), (POSTS, "every post in every feed")):
            walls, cpus, size = [], [], 0
            for _ in range(5):
                wall, cpu, size = run(posts, limit, Path(tmp))
                walls.append(wall)
                cpus.append(cpu)
            # CPU time is what the feeds cost; wall time also counts other load on the machine.
            print(
                f"{POSTS} posts, {label}: CPU median {statistics.median(cpus):.3f} s "
                f"(worst {max(cpus):.3f} s), wall median {statistics.median(walls):.3f} s, "
                f"{size / 1e6:.1f} MB of feeds"
            )


if __name__ == "__main__":
    main()
