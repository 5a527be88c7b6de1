#!/usr/bin/env python3
"""CPU time in page templates with Material's header, tabs and footer cached per key, and without.

    .venv/bin/python benchmarks/partials_benchmark.py 300 --pairs 3

Builds the synthetic site (c) of build_benchmark.py, each build in a fresh
process, with kb-speed as it is ("on") and with only the header, tabs and footer
left to Material ("off": kb_engine.compat.partialcache.PARTIALS emptied in that
process; the navigation stays cached), in pairs whose order alternates (on off,
off on, ...).
Prints each build's CPU seconds in rendering templates (Jinja's
``Template.render``, outermost calls: every page's template and the theme's,
timed by a wrapper here) and of the whole build, the partials' render counts, and the paired differences.

``--micro`` measures the changed step alone, in one process: after one build
it renders, for every page of that build (its context as the build gave it),
the three partials as base.html includes them, alternately by Material's
templates as they come and through the cache (a new one each round, as each
build starts with one), ``--rounds`` times each; it prints the CPU
seconds of each round (``--nav``: the navigation too). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def one_build(config_file: Path, cached: bool) -> dict[str, Any]:
    """One build in this process; what it measured."""
    import jinja2
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.config import load_config

    from kb_engine import buildstate
    from kb_engine.compat import partialcache
    from kb_engine.plugins.speed import PARTIALS_STATE

    if not cached:
        partialcache.PARTIALS.clear()
    spent, depth = [0.0], [0]
    original = jinja2.Template.render

    def timed(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        depth[0] += 1
        start = time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[0] += time.process_time() - start

    jinja2.Template.render = timed  # type: ignore[method-assign]
    logging.basicConfig(level=logging.ERROR)
    os.chdir(config_file.parent)
    config = load_config(str(config_file), site_dir=str(config_file.parent / f"site-{cached}"))
    config.plugins.on_startup(command="build", dirty=False)
    start = time.process_time()
    mkdocs_build.build(config)
    total = time.process_time() - start
    config.plugins.on_shutdown()
    cache = buildstate.get(config, PARTIALS_STATE, partialcache.PartialCache)
    return {"templates": spent[0], "build": total, "rendered": dict(cache.rendered), "reused": dict(cache.reused)}


def micro(config_file: Path, rounds: int, nav: bool) -> None:
    """The partials alone: Material's templates as they come, then through the cache, alternately."""
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from kb_engine.compat.navcache import NAV, NAV_PARTIAL
    from kb_engine.compat.partialcache import FOOTER, HEADER, PARTIALS, TABS, PartialCache, cacheable, install

    contexts: list[dict[str, Any]] = []
    original = jinja2.Template.render

    def kept(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        if context.get("page") is not None and context.get("nav") is not None:
            contexts.append(context)
        return original(self, *args, **kwargs)

    jinja2.Template.render = kept  # type: ignore[method-assign]
    logging.basicConfig(level=logging.ERROR)
    os.chdir(config_file.parent)
    config = load_config(str(config_file), site_dir=str(config_file.parent / "site-micro"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    jinja2.Template.render = original  # type: ignore[method-assign]
    features = list(config.theme["features"] or [])
    names = [HEADER, *([TABS] if "navigation.tabs" in features and "navigation.tabs.sticky" not in features else []),
             FOOTER, *([NAV] if nav else [])]
    partials = {**PARTIALS, NAV: NAV_PARTIAL} if nav else PARTIALS

    def environment(cached: bool) -> tuple[jinja2.Environment, PartialCache]:
        env, cache = config.theme.get_env(), PartialCache()
        if cached:
            install(env, cache, cacheable(config, partials))
        for context in contexts:
            context["lang"] = env.get_template("partials/language.html").make_module(context)
            context["features"] = features
        return env, cache

    def one_round(cached: bool) -> dict[str, float]:
        env, cache = environment(cached)
        spent = dict.fromkeys(names, 0.0)
        templates = [(name, env.get_template(name)) for name in names]
        for context in contexts:
            page = context["page"]
            page.active = True
            for name, template in templates:
                start = time.process_time()
                template.render(context)
                spent[name] += time.process_time() - start
            page.active = False
        if cached:
            assert sum(cache.rendered.values()) + sum(cache.reused.values()) == len(contexts) * len(names)
        return spent

    times: dict[str, list[dict[str, float]]] = {"as they come": [], "cached": []}
    for _ in range(rounds):
        for mode in times:
            times[mode].append(one_round(mode == "cached"))
    print(f"{len(contexts)} pages; CPU seconds of each round, the {len(names)} partials together")
    for mode, found in times.items():
        totals = [sum(spent.values()) for spent in found]
        each = ", ".join(f"{name.split('/')[-1]} {statistics.median(spent[name] for spent in found):.3f}"
                         for name in names)
        print(f"{mode:12}: {', '.join(f'{t:.3f}' for t in totals)} (median {statistics.median(totals):.3f} s, "
              f"{statistics.median(totals) / len(contexts) * 1e6:.0f} µs a page; medians {each})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("posts", type=int, nargs="?", default=300)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-partials-benchmark"))  # noqa: S108
    parser.add_argument("--micro", action="store_true", help="the partials alone, in one process")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--nav", action="store_true", help="--micro: the navigation too")
    parser.add_argument("--reuse", action="store_true", help="keep the site generated by an earlier run")
    parser.add_argument("--one", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.one:
        print(json.dumps(one_build(args.config, args.one == "on")))
        return
    from build_benchmark import prepare

    work = args.work / f"n{args.posts}"
    config_file = work / "c" / "mkdocs.yml"
    if not (args.reuse and config_file.is_file()):
        config_file = prepare(work, args.posts)["c"]
    if args.micro:
        micro(config_file, args.rounds, args.nav)
        return
    found: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
    for pair in range(args.pairs):
        for mode in ("on", "off") if pair % 2 == 0 else ("off", "on"):
            run = subprocess.run([sys.executable, __file__, "--one", mode, "--config", str(config_file)],
                                 capture_output=True, text=True, check=True)
            result = json.loads(run.stdout.strip().splitlines()[-1])
            found[mode].append(result)
            print(f"pair {pair + 1} {mode:3}: templates {result['templates']:6.2f} s CPU, "
                  f"build {result['build']:6.2f} s CPU, rendered {result['rendered']}, reused {result['reused']}",
                  flush=True)
    for measure in ("templates", "build"):
        saved = [off[measure] - on[measure] for on, off in zip(found["on"], found["off"], strict=True)]
        print(f"{measure}: saved per pair {', '.join(f'{s:.2f}' for s in saved)} s CPU "
              f"(median {statistics.median(saved):.2f} s; off median "
              f"{statistics.median(r[measure] for r in found['off']):.2f} s)")


if __name__ == "__main__":
    main()
