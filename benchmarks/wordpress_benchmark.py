#!/usr/bin/env python3
"""How long importing a big WordPress export takes, and how much memory: 10,000 posts, 100,000 comments.

    .venv/bin/python benchmarks/wordpress_benchmark.py [--posts 10000] [--comments 100000] [--runs 1]

Generates a deterministic WXR 1.2 export (nested categories, tags, classic
and block-editor bodies with links between posts and images, threaded
comments with e-mail addresses, some pending, spam and pingbacks), copies the
project into a temporary folder and runs the real command,
``python -m kb_engine.cli.import_wordpress``, in a fresh process (start-up
included), then prints the wall and CPU time and the import's peak memory
(its maximum resident set). The targets: under 2 minutes and under 1 GB.
On a terminal the import's progress bar shows (its stderr is passed
through only then). Not collected by pytest (a test imports a small
generated export).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

PROJECT = Path(__file__).resolve().parents[1]
WP = "http://wordpress.org/export/1.2/"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
SITE = "https://old-blog.example.com"
WORDS = (
    "customer vendor partner value account review risk trust outcome price scope renewal "
    "champion budget roadmap pilot proof delivery service support executive sponsor"
).split()
KEY = "benchmark-comment-key-0123456789"


def _sub(parent: etree._Element, tag: str, text: str | None = None, *, cdata: bool = False) -> etree._Element:
    prefix, _, local = tag.rpartition(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{local}" if prefix else local)
    if text is not None:
        element.text = etree.CDATA(text) if cdata and text else text
    return element


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def _date(index: int, minutes: int = 0) -> tuple[str, str]:
    """(local, GMT) dates of the ``index``-th post, plus ``minutes``; the blog is at UTC+1."""
    gmt = dt.datetime(2010, 1, 1, 9, 0) + dt.timedelta(hours=7 * index, minutes=minutes)
    local = gmt + dt.timedelta(hours=1)
    return local.strftime("%Y-%m-%d %H:%M:%S"), gmt.strftime("%Y-%m-%d %H:%M:%S")


def generate(posts: int, comments: int, seed: int = 17) -> bytes:
    """A WXR 1.2 export of ``posts`` posts and about ``comments`` comments, as bytes."""
    rng = random.Random(seed)  # noqa: S311 - deterministic filler, not a secret
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    channel = etree.SubElement(rss, "channel")
    _sub(channel, "title", "Old blog")
    _sub(channel, "link", SITE)
    _sub(channel, "wp:wxr_version", "1.2")
    _sub(channel, "wp:base_site_url", SITE)
    _sub(channel, "wp:base_blog_url", SITE)
    for number in range(1, 6):
        author = _sub(channel, "wp:author")
        _sub(author, "wp:author_login", f"writer{number}", cdata=True)
        _sub(author, "wp:author_email", f"writer{number}@old-blog.example.com", cdata=True)
        _sub(author, "wp:author_display_name", f"Writer Number {number}", cdata=True)
    categories = [("topic-" + str(n), f"Topic {n}", "" if n < 4 else f"topic-{n % 4}") for n in range(12)]
    for nicename, name, parent in categories:
        category = _sub(channel, "wp:category")
        _sub(category, "wp:category_nicename", nicename, cdata=True)
        _sub(category, "wp:category_parent", parent, cdata=True)
        _sub(category, "wp:cat_name", name, cdata=True)
    per_post = max(comments // max(posts, 1), 0)
    comment_id = 100_000
    for index in range(posts):
        post_id = 1000 + index
        local, gmt = _date(index)
        slug = f"post-{index:05d}-" + "-".join(rng.sample(WORDS, 2))
        item = _sub(channel, "item")
        _sub(item, "title", f"Post {index}: {_words(rng, 4)}")
        _sub(item, "link", f"{SITE}/{gmt[:4]}/{gmt[5:7]}/{gmt[8:10]}/{slug}/")
        _sub(item, "dc:creator", f"writer{1 + index % 5}", cdata=True)
        _sub(item, "guid", f"{SITE}/?p={post_id}").set("isPermaLink", "false")
        paragraphs = [_words(rng, rng.randint(20, 60)) for _ in range(rng.randint(3, 8))]
        if index % 2:
            body = "\n\n".join([*paragraphs[:1], "<!--more-->", *paragraphs[1:]])
        else:
            body = "\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs)
        if index:
            body += f'\n\nSee <a href="{SITE}/?p={1000 + rng.randrange(index)}">an earlier post</a>.'
        body += f'\n\n<img src="{SITE}/wp-content/uploads/img-{index}.jpg" alt="figure {index}">'
        body += '\n\n[caption id="attachment_1" align="alignnone"]A caption[/caption]'
        _sub(item, "content:encoded", body, cdata=True)
        _sub(item, "excerpt:encoded", "", cdata=True)
        _sub(item, "wp:post_id", str(post_id))
        _sub(item, "wp:post_date", local, cdata=True)
        _sub(item, "wp:post_date_gmt", gmt, cdata=True)
        _sub(item, "wp:post_modified_gmt", gmt, cdata=True)
        _sub(item, "wp:post_name", slug, cdata=True)
        _sub(item, "wp:status", "draft" if index % 50 == 7 else "publish", cdata=True)
        _sub(item, "wp:post_type", "post", cdata=True)
        _sub(item, "wp:post_password", "", cdata=True)
        _sub(item, "wp:is_sticky", "1" if index == 3 else "0")
        for nicename, name, _ in rng.sample(categories, 2):
            term = _sub(item, "category", name, cdata=True)
            term.set("domain", "category")
            term.set("nicename", nicename)
        for tag in rng.sample(WORDS, 3):
            term = _sub(item, "category", tag, cdata=True)
            term.set("domain", "post_tag")
            term.set("nicename", tag)
        ids: list[int] = []
        for number in range(per_post):
            comment_id += 1
            node = _sub(item, "wp:comment")
            _sub(node, "wp:comment_id", str(comment_id))
            _sub(node, "wp:comment_author", f"Reader {rng.randrange(500)} &amp; co", cdata=True)
            _sub(node, "wp:comment_author_email", f"reader{rng.randrange(500)}@mail.example.org", cdata=True)
            _sub(node, "wp:comment_author_url", "https://reader.example.net/" if number % 3 == 0 else "")
            c_local, c_gmt = _date(index, minutes=10 * (number + 1))
            _sub(node, "wp:comment_date", c_local, cdata=True)
            _sub(node, "wp:comment_date_gmt", c_gmt, cdata=True)
            _sub(
                node,
                "wp:comment_content",
                _words(rng, rng.randint(8, 40)) + "\n\n<em>" + _words(rng, 5) + "</em>",
                cdata=True,
            )
            status = "1" if number % 10 not in (8, 9) else ("0" if number % 10 == 8 else "spam")
            _sub(node, "wp:comment_approved", status, cdata=True)
            _sub(node, "wp:comment_type", "pingback" if number % 7 == 6 else "comment", cdata=True)
            parent = ids[rng.randrange(len(ids))] if ids and number % 2 else 0
            _sub(node, "wp:comment_parent", str(parent))
            ids.append(comment_id)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def copy_project(dest: Path) -> Path:
    sys.path.insert(0, str(PROJECT / "tests"))
    from sitebuild import copy_project as copy

    return copy(dest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-wp-bench-") as tmp:
        export = Path(tmp) / "export.xml"
        export.write_bytes(generate(args.posts, args.comments))
        print(f"export: {args.posts} posts, {args.comments} comments, {export.stat().st_size / 1e6:.1f} MB")
        env = dict(os.environ, KB_COMMENT_KEY=KEY, NO_MKDOCS_2_WARNING="1")
        for run in range(args.runs):
            config = copy_project(Path(tmp) / f"project-{run}")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "kb_engine.cli.import_wordpress", str(export), "-f", str(config)],
                stdout=subprocess.PIPE,
                stderr=None if sys.stderr.isatty() else subprocess.PIPE,  # the progress bar on a terminal
                text=True,
                check=False,
                env=env,
            )
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if result.returncode != 0:
                sys.exit(f"import failed:\n{result.stderr}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            peak = after.ru_maxrss / 1024  # kilobytes on Linux: the largest child so far
            print(result.stdout.split("\nfiles that")[0])
            print(
                f"run {run + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {peak:.0f} MB "
                "(targets: under 120 s, under 1024 MB)"
            )


if __name__ == "__main__":
    main()
