#!/usr/bin/env python3
"""Build-speed benchmark: how long `mkdocs build` takes for N synthetic posts.

    .venv/bin/python benchmarks/build_benchmark.py            # N = 1,000 (both shapes) and 3,000
    .venv/bin/python benchmarks/build_benchmark.py --quick    # N = 100, 1 run: for development

For each N it generates a deterministic site (benchmarks/synthetic.py: N posts,
N/10 guides, 10 comments per post, a 300-node decision tree; shape "mixed": posts
of 300-1,500 words with code blocks, admonitions, links and footnotes; shape
"split": every other post long with code in every section, the others short
without code) and builds it, each build in a fresh subprocess, as
  (a) plain pages: the same posts and guides as ordinary pages, stock Material, no blog plugin;
  (b) stock blog: the same with Material's own `blog` plugin, configured as this project's;
  (l) the blog made linear: (b) with `kb-blog` in place of `blog`, and `kb-speed` (every file
      is compared with (b)'s: the same bytes), to show what the blog alone costs against (a);
  (c) project: the full project (its mkdocs.yml, hooks, templates and `kb-blog`).
Each run builds (c), (a), (l) and (b) back to back, so each run gives ratios
(c)/(a), (c)/(b) and (l)/(a) measured under the same machine load; the tables show their
median and range, and the median CPU and wall time and the peak memory of each.
The preview is measured as the project's preview server runs it
(kb_engine.compat.incremental.build_site): a first build, then one post after another is
edited, then the text of a guide the decision tree cites and a post's front
matter; each edited page is shown on its own first (kb_engine.compat.incremental.quick:
"edit to page", compared byte for byte with the rebuild's) and the site is
rebuilt. The full run writes the tables into
benchmarks/README.md between the benchmark markers. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

from sitebuild import copy_project  # noqa: E402

START = "<!-- build-benchmark:start -->"
END = "<!-- build-benchmark:end -->"
VARIANTS = {"a": "plain pages", "b": "stock blog", "l": "stock blog, linear", "c": "project"}
RATIOS = ("c/a", "c/b", "l/a")
CITED_GUIDE = "guides/great-vendor.md"  # the project's decision tree cites it


class _Tagged:
    """A YAML value with a tag PyYAML's safe loader does not know (e.g. !!python/name:...)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("", _construct_tagged)
_Dumper.add_representer(_Tagged, _represent_tagged)


def _plugin_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def stock_config(project: dict[str, Any], *, blog: bool, linear: bool = False) -> dict[str, Any]:
    """The project's theme and Markdown settings, with stock plugins only (``linear``: the blog
    through the engine's ``kb-blog`` and ``kb-speed``, which write the same files)."""
    theme = {key: value for key, value in project["theme"].items() if key != "custom_dir"}
    plugins: list[Any] = ["search"]
    nav: list[Any] = [{"Home": "index.md"}]
    if blog:
        options = next(
            entry[_plugin_name(entry)] for entry in project["plugins"]
            if _plugin_name(entry) in ("blog", "kb-blog", "material/blog")
        )
        if linear:
            plugins.append("kb-speed")
        plugins.append({"kb-blog" if linear else "blog": options})
        nav.append({"Blog": ["blog/index.md"]})
    return {
        "site_name": project["site_name"],
        "site_url": project["site_url"],
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": project["markdown_extensions"],
        "validation": {"omitted_files": "info", "unrecognized_links": "info", "anchors": "info"},
        "nav": nav,
    }


def prepare(work: Path, n_posts: int, shape: str = "mixed") -> dict[str, Path]:
    """Generate the four sites for N posts; returns variant -> mkdocs.yml."""
    shutil.rmtree(work, ignore_errors=True)
    content = work / "content"
    synthetic.write_content(content, n_posts, shape=shape)
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        project = yaml.load(f, _Loader)  # noqa: S506 - a safe loader that keeps unknown tags
    configs: dict[str, Path] = {}
    for variant in ("a", "b", "l"):
        site = work / variant
        docs = site / "docs"
        shutil.copytree(content / "docs", docs)
        shutil.copy2(ROOT / "docs" / "index.md", docs / "index.md")
        if variant in ("b", "l"):
            shutil.copy2(ROOT / "docs" / "blog" / "index.md", docs / "blog" / "index.md")
            shutil.copy2(ROOT / "docs" / "blog" / ".authors.yml", docs / "blog" / ".authors.yml")
            shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
        config = site / "mkdocs.yml"
        config.write_text(
            yaml.dump(stock_config(project, blog=variant != "a", linear=variant == "l"), Dumper=_Dumper,
                      sort_keys=False),
            encoding="utf-8",
        )
        configs[variant] = config
    site = work / "c"
    copy_project(site)
    shutil.copytree(content / "docs", site / "docs", dirs_exist_ok=True)
    shutil.copytree(content / "comments", site / "comments", dirs_exist_ok=True)
    configs["c"] = site / "mkdocs.yml"
    return configs


@dataclass
class Result:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    events: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def run_build(config: Path, work: Path, mode: str = "build", *extra: str) -> dict[str, Any]:
    stats = work / f"stats-{config.parent.name}-{mode}.json"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(HERE / "timed_mkdocs.py"), str(stats), mode, str(config),
         str(config.parent / "site"), *extra],
        cwd=config.parent, env=env, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stdout}\n{result.stderr}")
    data: dict[str, Any] = json.loads(stats.read_text(encoding="utf-8"))
    data["wall"] = wall
    return data


def measure(n_posts: int, runs: int, work: Path, variants: str = "calb", shape: str = "mixed",
            edits: int = 3) -> dict[str, Any]:
    folder = work / f"n{n_posts}-{shape}"
    configs = prepare(folder, n_posts, shape)
    results = {variant: Result() for variant in VARIANTS}
    ratios: dict[str, list[float]] = {pair: [] for pair in RATIOS}
    linear_differs: list[str] | None = None  # (l)'s files that are not (b)'s, once both are built
    preview: dict[str, Any] = {}
    load_before = os.getloadavg()[0]
    first_c: dict[str, float] = {}
    if "c" in variants:
        # (c) keeps caches between builds (link cards, compiled templates), as every build after a
        # site's first does: one untimed build fills them; its time is reported on its own.
        data = run_build(configs["c"], folder)
        first_c = {"wall": data["wall"], "cpu_seconds": data["cpu_seconds"]}
        print(f"  N={n_posts} {shape} (c)'s first build, caches empty: {data['wall']:.1f} s "
              f"(CPU {data['cpu_seconds']:.1f} s)", flush=True)
    for run in range(runs):
        cpu: dict[str, float] = {}
        for variant in variants:
            data = run_build(configs[variant], folder)
            result = results[variant]
            result.seconds.append(data["wall"])
            result.cpu.append(data["cpu_seconds"])
            cpu[variant] = data["cpu_seconds"]
            result.peak_mb = max(result.peak_mb, data["peak_rss_mb"])
            if variant == "c":
                for key, seconds in data["events"].items():
                    result.events[key] = result.events.get(key, 0.0) + seconds / runs
            print(f"  N={n_posts} {shape} run {run + 1} ({variant}) {VARIANTS[variant]}: "
                  f"{data['wall']:.1f} s "
                  f"(CPU {data['cpu_seconds']:.1f} s), {data['peak_rss_mb']:.0f} MB", flush=True)
        for pair in ratios:
            top, bottom = pair.split("/")
            if top in cpu and bottom in cpu:
                ratios[pair].append(cpu[top] / cpu[bottom])
        if linear_differs is None and "b" in cpu and "l" in cpu:
            linear_differs = differing(configs["b"].parent / "site", configs["l"].parent / "site")
            print(f"  N={n_posts} {shape} (l)'s files against (b)'s: "
                  f"{'the same' if not linear_differs else f'{len(linear_differs)} differ'}", flush=True)
        save({"n": n_posts, "shape": shape, "runs": run + 1, "results": results, "ratios": ratios,
              "preview": preview, "load": (load_before, os.getloadavg()[0]), "first_c": first_c,
              "linear_differs": linear_differs},
             work / f"results-n{n_posts}-{shape}.json")
    if "c" in variants and edits:
        posts = sorted((configs["c"].parent / "docs" / "blog" / "posts").glob("post-*.md"))
        chosen = [str(posts[(len(posts) * (k + 1)) // (edits + 1)]) for k in range(edits)]
        # Then a guide the project's decision tree cites (it adds its box after the page's
        # events), and a post's front matter (a description).
        chosen += [f"text:{configs['c'].parent / 'docs' / CITED_GUIDE}", f"front:{posts[len(posts) // 3]}"]
        preview = run_build(configs["c"], folder, "incremental", *chosen)
        for rebuild in preview["rebuilds"]:
            shown = rebuild.get("shown")
            early = (f"edit shown after {shown['seconds']:.2f} s (CPU {shown['cpu_seconds']:.2f} s, "
                     f"visible: {shown['edit_visible']}, "
                     f"same as the rebuild's: {shown.get('same_as_rebuild')}); "
                     if shown else "edit not shown before the rebuild; ")
            print(f"  N={n_posts} {shape} preview, {rebuild.get('kind')} edit of {rebuild.get('page')}: "
                  f"{early}site rebuilt in {rebuild['seconds']:.2f} s "
                  f"(CPU {rebuild['cpu_seconds']:.2f} s), edit visible: {rebuild['edit_visible']}, "
                  f"{rebuild['work']}", flush=True)
    measured = {"n": n_posts, "shape": shape, "runs": runs, "results": results, "ratios": ratios,
                "preview": preview, "load": (load_before, os.getloadavg()[0]), "first_c": first_c,
                "linear_differs": linear_differs}
    save(measured, work / f"results-n{n_posts}-{shape}.json")
    return measured


def differing(one: Path, other: Path) -> list[str]:
    """The files of two built sites that differ or are in one only (gzip files by their content)."""
    files = {str(p.relative_to(one)) for p in one.rglob("*") if p.is_file()}
    files |= {str(p.relative_to(other)) for p in other.rglob("*") if p.is_file()}

    def content(path: Path) -> bytes | None:
        if not path.is_file():
            return None
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data

    return sorted(name for name in files if content(one / name) != content(other / name))


def save(measured: dict[str, Any], path: Path) -> None:
    data = dict(measured, results={v: vars(r) for v, r in measured["results"].items()})
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["results"] = {v: Result(**r) for v, r in data["results"].items()}
    for variant in VARIANTS:
        data["results"].setdefault(variant, Result())
    data.setdefault("shape", "mixed")
    data.setdefault("ratios", {})
    return data


def hook_rows(result: Result) -> list[tuple[str, float]]:
    """Seconds per plugin or hook of the project, largest first."""
    per_origin: dict[str, float] = {}
    for key, seconds in result.events.items():
        origin, _event = key.split("\t")
        per_origin[origin] = per_origin.get(origin, 0.0) + seconds
    return sorted(per_origin.items(), key=lambda item: -item[1])


def _spread(values: list[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"**{statistics.median(values):.2f}** ({min(values):.2f}–{max(values):.2f})"


def _seconds(value: float | None, unit: str = " s") -> str:
    if value is None:
        return "not measured"
    return f"{value:.0f}{unit}" if unit == " MB" else f"{value:.1f}{unit}"


def _label(m: dict[str, Any]) -> str:
    return f"{m['n']:,} {m['shape']}"


def tables(measured: list[dict[str, Any]]) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores "
        f"(Python {platform.python_version()}, {platform.machine()}), each build in a fresh "
        "process, (c), (a), (l) and (b) back to back in each run. The ratios are of CPU time (user + "
        "system of the build process), pair by pair within a run: median, and the range over "
        "the runs in brackets. Other work shared the machine (the 1-minute load average before "
        "and after each corpus is in the last column), which stretches wall time far more than CPU time. "
        "(l) is (b) with `kb-blog` in place of `blog`, and `kb-speed`: Material's blog made linear, "
        "the same files as (b)'s (compared after the first run), and nothing else of the project.",
        "",
        "| posts, shape | runs | | (a) plain pages | (b) stock blog | (l) blog, linear | (c) project "
        "| (c)/(a) | (c)/(b) | (l)/(a) | load |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measured:
        r = m["results"]
        a, b, ell, c = (r[v].median_cpu if r[v].cpu else None for v in "ablc")
        wa, wb, wl, wc = (r[v].median if r[v].seconds else None for v in "ablc")
        ratios = m.get("ratios", {})
        lines.append(
            f"| {_label(m)} | {m['runs']} | CPU | {_seconds(a)} | {_seconds(b)} | {_seconds(ell)} | {_seconds(c)} "
            f"| {_spread(ratios.get('c/a', []))} | {_spread(ratios.get('c/b', []))} "
            f"| {_spread(ratios.get('l/a', []))} | {m['load'][0]:.1f} / {m['load'][1]:.1f} |"
        )
        lines.append(f"| | | wall | {_seconds(wa)} | {_seconds(wb)} | {_seconds(wl)} | {_seconds(wc)} | | | | |")
        peaks = " | ".join(_seconds(r[v].peak_mb if r[v].cpu else None, " MB") for v in "ablc")
        lines.append(f"| | | peak memory | {peaks} | | | | |")
    compared = [(m, m["linear_differs"]) for m in measured if m.get("linear_differs") is not None]
    if compared:
        said = "; ".join(f"{_label(m)}: " + ("every file the same" if not differs else
                                             f"{len(differs)} files differ, e.g. `{differs[0]}`")
                         for m, differs in compared)
        lines += ["", f"(l)'s site against (b)'s, byte for byte: {said}."]
    firsts = [f"{_label(m)} {m['first_c']['cpu_seconds']:.1f} s" for m in measured if m.get("first_c")]
    if firsts:
        lines += ["", "(c) is built once before the runs, untimed in them, so that its caches (link preview "
                      "cards, compiled templates) are as after any earlier build of the site; that first "
                      f"build, with both caches empty, took (CPU): {'; '.join(firsts)}."]
    mixed = [m for m in measured if m["shape"] == "mixed" and m["results"]["c"].cpu]
    if len(mixed) > 1:
        first, last = mixed[0], mixed[-1]
        cpu = last["results"]["c"].median_cpu / first["results"]["c"].median_cpu
        wall = last["results"]["c"].median / first["results"]["c"].median
        lines += ["", f"(c) at {last['n']:,} posts / (c) at {first['n']:,} posts: **{cpu:.2f}** in CPU time, "
                      f"{wall:.2f} in wall time (posts × {last['n'] / first['n']:.1f})."]
    lines += ["", "Preview (as the preview server runs it): a first build (`kb_engine.compat.incremental.build_site`), "
                  "then one post after another edited; the edited page is shown on its own "
                  "(`kb_engine.compat.incremental.quick`) "
                  "and then the whole site is rebuilt into a new folder. Edit to page is the first (median, "
                  "range); the page shown is compared byte for byte with the rebuild's:", "",
              "| posts, shape | first build | edit to page (wall) | CPU | shown first, same as rebuild "
              "| site rebuilt (wall) | CPU | pages rendered / copied | edit visible | peak memory |",
              "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |"]
    for m in measured:
        p = m["preview"]
        if not p or not p.get("rebuilds"):
            continue
        rebuilds = [x for x in p["rebuilds"]
                    if x.get("kind", "text") == "text" and x.get("page") != CITED_GUIDE]
        walls = [x["seconds"] for x in rebuilds]
        cpus = [x["cpu_seconds"] for x in rebuilds]
        shown = [x["shown"] for x in rebuilds if x.get("shown")]
        same = sum(1 for x in shown if x.get("same_as_rebuild") and x["edit_visible"])
        work = rebuilds[-1]["work"]
        visible = "yes" if all(x["edit_visible"] for x in rebuilds) else "NO"
        early = (f"| {_spread([x['seconds'] for x in shown])} s "
                 f"| {_spread([x['cpu_seconds'] for x in shown])} s " if shown else "| – | – ")
        lines.append(
            f"| {_label(m)} | {p['first_build_seconds']:.1f} s (CPU {p['first_build_cpu_seconds']:.1f} s) "
            f"{early}| {len(shown)} of {len(rebuilds)}, {same} same "
            f"| {_spread(walls)} s | {_spread(cpus)} s "
            f"| {work.get('rendered', 0)} / {work.get('pages copied', 0)} "
            f"| {visible} ({len(rebuilds)} edit{'' if len(rebuilds) == 1 else 's'}) "
            f"| {p['peak_rss_mb']:.0f} MB |"
        )
    others = [(m, x) for m in measured if m["preview"] for x in m["preview"].get("rebuilds", [])
              if x.get("kind") == "front" or x.get("page") == CITED_GUIDE]
    if others:
        lines += ["", "The same for other edits: the text of a guide the decision tree cites (its \"In the "
                      "decision tree\" box is added after the page's events), and a post's front matter (a "
                      "description):", "",
                  "| posts, shape | edit | edit to page (wall) | CPU | same as rebuild "
                  "| site rebuilt (wall) |",
                  "| --- | --- | ---: | ---: | --- | ---: |"]
        for m, x in others:
            what = "front matter of a post" if x.get("kind") == "front" else f"text of `{x['page']}`"
            shown = x.get("shown")
            early = (f"**{shown['seconds']:.2f} s** | {shown['cpu_seconds']:.2f} s | "
                     f"{'yes' if shown.get('same_as_rebuild') and shown['edit_visible'] else 'NO'}"
                     if shown else "not shown before the rebuild | – | –")
            lines.append(f"| {_label(m)} | {what} | {early} | {x['seconds']:.2f} s |")
    lines += ["", "Time per plugin and hook in (c), all events summed (wall seconds, mean of the runs):", "",
              "| plugin or hook | " + " | ".join(f"{_label(m)}" for m in measured) + " |",
              "| --- | " + " | ".join("---:" for _ in measured) + " |"]
    origins = [origin for origin, _ in hook_rows(measured[-1]["results"]["c"])]
    for origin in origins:
        cells = []
        for m in measured:
            seconds = dict(hook_rows(m["results"]["c"])).get(origin, 0.0)
            cells.append(f"{seconds:.2f} s")
        lines.append(f"| `{origin}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = HERE / "README.md"
    current = readme.read_text(encoding="utf-8")
    head, found, rest = current.partition(START)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise SystemExit(f"benchmarks/README.md has no {START} ... {END} markers")
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="N = 100, one run, README untouched")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of posts (default 1000 3000)")
    parser.add_argument("--shapes", nargs="+", choices=synthetic.SHAPES,
                        help="corpus shapes (default: mixed, and split at the smallest size)")
    parser.add_argument("--runs", type=int, help="runs per build (default 3)")
    parser.add_argument("--edits", type=int, default=3, help="preview edits per corpus (default 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-build-benchmark"),  # noqa: S108
                        help="scratch folder")
    parser.add_argument("--readme", action=argparse.BooleanOptionalAction, default=None,
                        help="write the tables into benchmarks/README.md (default: yes, unless --quick)")
    parser.add_argument("--variants", default="calb",
                        help="which builds, in order within a run (default calb; see the list above)")
    parser.add_argument("--tables-from", type=Path, nargs="+", metavar="RESULTS_JSON",
                        help="make the tables from saved results-n<N>-<shape>.json files, not measuring")
    args = parser.parse_args()
    if args.tables_from:
        text = tables(sorted((load(path) for path in args.tables_from), key=lambda m: (m["n"], m["shape"])))
        if args.readme:
            write_readme(text)
        print(text)
        return
    sizes = args.sizes or ([100] if args.quick else [1000, 3000])
    runs = args.runs or (1 if args.quick else 3)
    write = args.readme if args.readme is not None else not args.quick
    measured = []
    for n_posts in sizes:
        shapes = args.shapes or (["mixed", "split"] if n_posts == min(sizes) else ["mixed"])
        for shape in shapes:
            print(f"N = {n_posts}, {shape}: generating and building ({runs} runs)", flush=True)
            measured.append(measure(n_posts, runs, args.work, args.variants, shape, args.edits))
            text = tables(measured)
            if write:
                write_readme(text)
    print(text)


if __name__ == "__main__":
    main()
