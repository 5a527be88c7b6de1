#!/usr/bin/env python3
"""One step of the build alone, over a real build's data: before and after, paired, CPU.

    .venv/bin/python benchmarks/steps_benchmark.py dates 300 --rounds 7

Builds the synthetic site (c) of build_benchmark.py once in this process,
recording every call the step gets, then replays those calls alternately the
way the libraries do it ("before") and the engine's way ("after"), a fresh
per-build state each round (A B A B ...), and prints each round's CPU seconds.

Steps:

- ``dates``: Material's ``BlogPlugin._format_date`` (Babel, every time a page
  shows a post's date) against kb-blog's, each text made once per build.
- ``links``: the links of excerpts placed in the views listing them
  (``RenderedExcerpt._fill``), each made relative to the view by MkDocs'
  ``get_relative_url`` against a build's ``relative_urls`` (each answer once).
- ``nav``: the navigation's key (``kb_engine.compat.navcache.nav_key``) for
  every page, as the module is in git revision ``--against`` (default
  ``HEAD~1``) and as it is in the working tree.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build_recording(config_file: Path, record: Callable[[], None]) -> Any:
    """One build of ``config_file`` in this process (``record`` installs the recorders first); its config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.ERROR)
    os.chdir(config_file.parent)
    record()
    config = load_config(str(config_file), site_dir=str(config_file.parent / "site-steps"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    return config


def paired(rounds: int, before: Callable[[], object], after: Callable[[], object]) -> None:
    times: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(rounds):
        for name, step in (("before", before), ("after", after)):
            start = time.process_time()
            step()
            times[name].append(time.process_time() - start)
    for name, found in times.items():
        print(f"  {name:6}: {', '.join(f'{t * 1000:.1f}' for t in found)} ms CPU "
              f"(median {statistics.median(found) * 1000:.1f} ms)")
    saved = [b - a for b, a in zip(times["before"], times["after"], strict=True)]
    print(f"  saved in each pair: median {statistics.median(saved) * 1000:.1f} ms, "
          f"{sum(s > 0 for s in saved)} of {len(saved)} pairs faster after")
    print(f"  load average now: {os.getloadavg()[0]:.2f}")


def dates(config_file: Path, rounds: int, _against: str) -> None:
    from material.plugins.blog.plugin import BlogPlugin

    from kb_engine.compat.fastblog.plugin import FastBlogPlugin

    calls: list[tuple[Any, str]] = []
    original = FastBlogPlugin._format_date

    def record() -> None:
        def recording(self: Any, date: Any, format: str, config: Any) -> Any:
            calls.append((date, format))
            return original(self, date, format, config)

        FastBlogPlugin._format_date = recording  # type: ignore[method-assign]

    try:
        config = build_recording(config_file, record)
    finally:
        FastBlogPlugin._format_date = original  # type: ignore[method-assign]
    plugin = config.plugins["kb-blog"]
    assert plugin.fast
    print(f"dates: {len(calls)} calls, {len(set(calls))} different (date, format)")

    def before() -> list[Any]:
        return [BlogPlugin._format_date(plugin, date, format, config) for date, format in calls]

    def after() -> list[Any]:
        plugin._dates = {}  # a build's start (on_config)
        return [plugin._format_date(date, format, config) for date, format in calls]

    assert before() == after()
    paired(rounds, before, after)


def links(config_file: Path, rounds: int, _against: str) -> None:
    from mkdocs.utils import get_relative_url

    from kb_engine.compat.fastblog.excerpts import RenderedExcerpt, relative_urls

    calls: list[tuple[RenderedExcerpt, str, str]] = []
    original = RenderedExcerpt._fill

    def record() -> None:
        def recording(self: RenderedExcerpt, html: str, page_url: str, relative: Any) -> str:
            calls.append((self, html, page_url))
            return original(self, html, page_url, relative)

        RenderedExcerpt._fill = recording  # type: ignore[method-assign]

    try:
        build_recording(config_file, record)
    finally:
        RenderedExcerpt._fill = original  # type: ignore[method-assign]
    print(f"links: {len(calls)} excerpts placed")

    def before() -> list[str]:
        return [rendered._fill(html, url, get_relative_url) for rendered, html, url in calls]

    def after() -> list[str]:
        relative = relative_urls()  # a build's start (on_config)
        return [rendered._fill(html, url, relative) for rendered, html, url in calls]

    assert before() == after()
    paired(rounds, before, after)


def nav(config_file: Path, rounds: int, against: str) -> None:
    from kb_engine.compat import navcache
    from kb_engine.compat.partialcache import Cached
    from kb_engine.plugins import speed

    source = subprocess.run(["git", "show", f"{against}:hooks/kb_engine/compat/navcache.py"],
                            cwd=Path(__file__).parent, capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("navcache_before", loader=None)
    assert spec is not None
    old = importlib.util.module_from_spec(spec)
    sys.modules["navcache_before"] = old
    exec(compile(source, f"{against}:navcache.py", "exec"), old.__dict__)  # noqa: S102 - our own file, from git
    contexts: list[Any] = []
    original = speed.NAV_PARTIAL

    def record() -> None:
        def recording(context: Any) -> Any:
            contexts.append(context)
            return navcache.nav_key(context)

        speed.NAV_PARTIAL = Cached(recording, original.reads)  # type: ignore[misc]

    try:
        build_recording(config_file, record)
    finally:
        speed.NAV_PARTIAL = original  # type: ignore[misc]
    print(f"nav: {len(contexts)} pages; before: {against}")

    def keys(key: Any) -> list[Any]:
        found = []
        for context in contexts:
            page = context.get("page")
            if page is not None:
                page.active = True  # as while the page is built
            found.append(key(context))
            if page is not None:
                page.active = False
        return found

    assert keys(old.nav_key) == keys(navcache.nav_key)
    paired(rounds, lambda: keys(old.nav_key), lambda: keys(navcache.nav_key))


STEPS = {"dates": dates, "links": links, "nav": nav}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("posts", type=int, nargs="?", default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-steps-benchmark"))  # noqa: S108
    parser.add_argument("--reuse", action="store_true", help="keep the site generated by an earlier run")
    parser.add_argument("--against", default="HEAD~1", help="nav: the git revision measured as before")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from build_benchmark import prepare

    work = args.work / f"n{args.posts}"
    config_file = work / "c" / "mkdocs.yml"
    if not (args.reuse and config_file.is_file()):
        config_file = prepare(work, args.posts)["c"]
    STEPS[args.step](config_file, args.rounds, args.against)


if __name__ == "__main__":
    main()
