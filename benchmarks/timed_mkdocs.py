"""Run one MkDocs build and record where the time went (used by build_benchmark.py).

    python timed_mkdocs.py STATS.json build CONFIG SITE_DIR
    python timed_mkdocs.py STATS.json preview CONFIG SITE_DIR POST.md
    python timed_mkdocs.py STATS.json incremental CONFIG SITE_DIR [KIND:]PAGE.md [[KIND:]PAGE.md ...]

``incremental`` is the project's preview (``kb_engine.compat.incremental.build_site``): a first
build, then for each PAGE.md in turn the author edits it (KIND ``text``, the
default: a sentence added before its second heading; ``front``: a description
set in its front matter), the edited page is
shown on its own where it can be (``kb_engine.compat.incremental.quick``, as the preview
server does first) and the site is rebuilt into a new folder; it records the
wall and CPU seconds of both, whether each shows the edit, and whether the
page shown first is the rebuild's, byte for byte.

``build`` is ``mkdocs build`` in this process, with every plugin and hook event
timed per plugin (MkDocs' ``PluginCollection.run_event``, wrapped here - the
project's code is not touched). ``preview`` does what ``mkdocs serve`` does:
a first build, then the author edits one post, then MkDocs' full rebuild with
a freshly loaded config and the same plugin instances; it times the rebuild
and checks the edited text is on the rebuilt page. STATS.json gets the wall
and CPU seconds of the build (or rebuild), the peak resident memory of this
process and the per-plugin totals.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import PluginCollection

EVENT_SECONDS: defaultdict[str, float] = defaultdict(float)
EVENT_CPU: defaultdict[str, float] = defaultdict(float)  # CPU seconds, cleared for each rebuild


def _timed_run_event(self: PluginCollection, name: str, item: Any = None, **kwargs: Any) -> Any:
    pass_item = item is not None
    for method in self.events[name]:
        origin = self._event_origins.get(method, "<unknown>")
        self._current_plugin = origin
        start, cpu = time.perf_counter(), time.process_time()
        result = method(item, **kwargs) if pass_item else method(**kwargs)
        EVENT_SECONDS[f"{origin}\t{name}"] += time.perf_counter() - start
        EVENT_CPU[f"{origin}\t{name}"] += time.process_time() - cpu
        if result is not None:
            item = result
    self._current_plugin = None
    return item


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _page_path(config: Any, post: Path) -> Path:
    """Where the edited post's page is in the built site (found through the blog plugin)."""
    src_uri = post.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix()
    for plugin in config.plugins.values():
        blog = getattr(plugin, "blog", None)
        for entry in getattr(blog, "posts", None) or ():
            if entry.file.src_uri == src_uri:
                return Path(entry.file.dest_uri)
    raise SystemExit(f"{post} is not a post of the built site")


def _edit_spec(item: str) -> tuple[str, Path]:
    """``[KIND:]PAGE.md`` as (kind, path)."""
    kind, colon, path = item.partition(":")
    return (kind, Path(path)) if colon and kind in ("text", "front") else ("text", Path(item))


def _edited(text: str, kind: str, marker: str) -> str:
    """The page's text after the author's edit of this kind."""
    if kind == "front":  # a description: front matter only the page itself shows
        return text.replace("---\n", f"---\ndescription: {marker}\n", 1)
    return text.replace("\n## ", f"\n{marker}.\n\n## ", 1)


def main() -> None:
    stats_file, mode, config_file, site_dir, *rest = sys.argv[1:]
    PluginCollection.run_event = _timed_run_event  # type: ignore[method-assign,assignment]
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s - %(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    stats: dict[str, Any] = {}
    if mode == "build":
        config = load_config(config_file, site_dir=site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        start, cpu = time.perf_counter(), cpu_seconds()
        build(config)
        stats["seconds"] = time.perf_counter() - start
        stats["cpu_seconds"] = cpu_seconds() - cpu
        config.plugins.on_shutdown()
    elif mode == "preview":
        post = Path(rest[0])
        config = load_config(config_file, site_dir=site_dir)
        config.plugins.on_startup(command="serve", dirty=False)
        start, cpu = time.perf_counter(), cpu_seconds()
        build(config, serve_url="http://127.0.0.1:8000/")
        stats["first_build_seconds"] = time.perf_counter() - start
        stats["first_build_cpu_seconds"] = cpu_seconds() - cpu
        marker = f"Edited while previewing {time.time_ns()}"
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("\n## ", f"\n{marker}.\n\n## ", 1), encoding="utf-8")
        EVENT_SECONDS.clear()
        start, cpu = time.perf_counter(), cpu_seconds()
        config = load_config(config_file, site_dir=site_dir)
        build(config, serve_url="http://127.0.0.1:8000/")
        stats["seconds"] = time.perf_counter() - start
        stats["cpu_seconds"] = cpu_seconds() - cpu
        post.write_text(text, encoding="utf-8")
        config.plugins.on_shutdown()
        stats["edit_visible"] = any(
            marker in page.read_text(encoding="utf-8") for page in Path(site_dir).rglob("*.html")
        )
    elif mode == "incremental":
        # The project's preview: kb_engine.compat.incremental.build_site into a new folder per build, as the
        # preview server does; then one post after another is edited and the site rebuilt.
        sys.path.insert(0, str(Path(config_file).parent / "hooks"))
        from kb_engine.compat.incremental import BuildCache, build_site
        from kb_engine.compat.incremental.quick import render_edited_page

        edits = [_edit_spec(item) for item in rest]
        cache = BuildCache()
        config = load_config(config_file)
        config.plugins.on_startup(command="serve", dirty=False)
        start, cpu = time.perf_counter(), cpu_seconds()
        build_site(config, Path(site_dir) / "0", cache, serve_url="http://127.0.0.1:8000/")
        stats["first_build_seconds"] = time.perf_counter() - start
        stats["first_build_cpu_seconds"] = cpu_seconds() - cpu
        stats["rebuilds"] = []
        for number, (kind, post) in enumerate(edits, 1):
            marker = f"Edited while previewing {time.time_ns()}"
            text = post.read_text(encoding="utf-8")
            post.write_text(_edited(text, kind, marker), encoding="utf-8")
            src_uri = post.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix()
            file = cache.last.files.get_file_from_path(src_uri) if cache.last is not None else None
            dest = file.dest_uri if file is not None else None
            # What the preview server does on a change: show the edited page (if it can be
            # shown alone), then rebuild the site.
            start, cpu = time.perf_counter(), cpu_seconds()
            shown = render_edited_page(cache.last, post) if cache.last is not None else None
            quick = {"seconds": time.perf_counter() - start, "cpu_seconds": cpu_seconds() - cpu,
                     "edit_visible": shown is not None and marker.encode() in shown[1]}
            EVENT_CPU.clear()
            start, cpu = time.perf_counter(), cpu_seconds()
            config = load_config(config_file)
            build_site(config, Path(site_dir) / str(number), cache, serve_url="http://127.0.0.1:8000/")
            seconds, cpu_used = time.perf_counter() - start, cpu_seconds() - cpu
            post.write_text(text, encoding="utf-8")
            page = Path(site_dir) / str(number) / (dest or _page_path(config, post))
            visible = page.is_file() and marker in page.read_text(encoding="utf-8")
            if shown is not None:  # the page shown first is the rebuild's, byte for byte
                quick["same_as_rebuild"] = page.is_file() and page.read_bytes() == shown[1]
            stats["rebuilds"].append({"page": src_uri, "kind": kind,
                                      "seconds": seconds, "cpu_seconds": cpu_used, "edit_visible": visible,
                                      "work": dict(cache.stats), "event_cpu_seconds": dict(EVENT_CPU),
                                      "shown": quick if shown is not None else None})
            shutil.rmtree(Path(site_dir) / str(number - 1), ignore_errors=True)
        config.plugins.on_shutdown()
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    stats["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats["events"] = dict(EVENT_SECONDS)
    Path(stats_file).write_text(json.dumps(stats, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
