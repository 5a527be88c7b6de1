"""How well the site's own search answers sellers' questions, typed into its search box in Chromium.

Builds the site (or takes ``--site DIR``, a built site), serves it on
127.0.0.1, opens it in Chromium (Playwright, /usr/bin/chromium) at phone size
(390x844; ``--desktop`` for 1280x800), types each question of
benchmarks/search/questions.yml (the set the team tunes on) and
benchmarks/search/heldout.yml (kept apart) into the real search box, and
reads the pages of the results in the order shown. Reports, per set:

- top-1 and top-3: questions with a right page first, or among the first three;
- first results: from the first key pressed to the first results shown;
- settled: from the last key pressed to the results of the whole question
  (Material's worker answers every keystroke's query in turn).

``--posts N`` adds N synthetic blog posts (benchmarks/synthetic.py) to measure
the times on a large site. Run by hand (not part of the suite):

    .venv/bin/python benchmarks/search_benchmark.py [--set questions|heldout|all] [--posts 1000] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from browser_support import DESKTOP, PHONE  # noqa: E402
from kb_engine.core.configtext import read_project_config  # noqa: E402
from kb_engine.core.paths import trees_folder_in_config  # noqa: E402
from kb_engine.search.entries import growth  # noqa: E402
from served import serve  # noqa: E402
from sitebuild import build_site, copy_project  # noqa: E402

SETS = {"questions": HERE / "search" / "questions.yml", "heldout": HERE / "search" / "heldout.yml"}
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
TYPING_DELAY_MS = 30  # a fast typist
MATERIAL_SEPARATOR = r"[\s\-]+"  # Material's default for English, which mkdocs.yml keeps

# Counts the queries the page sends to Material's search worker and the results
# it gets back (message types of Material 9.8: 1 ready, 2 query, 3 result), so a
# question's results are known to be the whole question's: the worker answers
# every keystroke's query in turn, which on a large index takes a while.
# Measurement only: every message passes unchanged.
COUNT_WORKER = """(() => {
  const Base = window.Worker;
  window.__kbSent = 0; window.__kbGot = []; window.__kbKeys = []; window.__kbReady = false;
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        if (event.data && event.data.type === 1) window.__kbReady = true;
        if (event.data && event.data.type === 3)
          window.__kbGot.push([performance.now(), (event.data.data.items || []).length]);
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) window.__kbSent++;
      return super.postMessage(message, ...rest);
    }
  };
  document.addEventListener('keydown', event => {
    if (event.target.matches && event.target.matches('.md-search__input'))
      window.__kbKeys.push(performance.now());
  }, true);
})()"""
_RESULT_PAGES = """() => [...document.querySelectorAll('.md-search-result__list > li.md-search-result__item')]
  .map(li => li.querySelector('a.md-search-result__link')?.href || '')"""


@dataclass
class Answer:
    question: str
    right: list[str]
    pages: list[str]  # result pages in the order shown (site-relative URLs, no fragment)
    first_ms: float | None  # first key -> first results shown
    settled_ms: float  # last key -> the whole question's results

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, page in enumerate(self.pages) if page in self.right), None)


def load_questions(name: str) -> list[tuple[str, list[str]]]:
    items = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))
    return [(item["question"], list(item["pages"])) for item in items]


def open_search(page: Any) -> None:
    """Focus the search box as a reader does: the box itself, or the header's search button on a phone."""
    box = page.locator("input.md-search__input")
    button = page.locator("header label.md-header__button[for='__search']")
    if button.is_visible():  # a phone: a tap on the header's search button opens the search
        button.dispatch_event("click")
        box.wait_for(state="visible")
        box.focus()
    else:
        box.click()


def _wait_answered(page: Any, asked: bool, timeout_s: float = 300.0) -> None:
    """Until the worker is ready and has answered every query sent (``asked``: at least one).

    Material sends no query before its worker has built the index; then it
    sends the box's value at once.
    """
    done = f"window.__kbReady && window.__kbSent >= {int(asked)} && window.__kbGot.length >= window.__kbSent"
    page.wait_for_function(f"() => {done}", timeout=timeout_s * 1000)
    page.wait_for_timeout(150)  # the page draws the last answer


def ask(page: Any, base_url: str, question: str, right: list[str], *, clear: bool = True) -> Answer:
    """Type ``question`` into the open search box (emptied first) and read the results.

    ``clear=False`` on a page just opened: the seller types while the index is
    still being fetched and built.
    """
    box = page.locator("input.md-search__input")
    if clear:
        box.fill("")
        box.press("Backspace")  # Material reads the box on keyup
        _wait_answered(page, asked=False)
    page.evaluate("() => { window.__kbGot = []; window.__kbSent = 0; window.__kbKeys = []; }")
    box.type(question, delay=TYPING_DELAY_MS)
    _wait_answered(page, asked=True)
    got, keys = page.evaluate("() => [window.__kbGot, window.__kbKeys]")
    first = next((t - keys[0] for t, n in got if n > 0), None)
    settled = got[-1][0] - keys[-1] if got else 0.0
    # Material adds the query (?h=...) for highlighting, and a section's anchor
    root = urlsplit(base_url).path
    pages = [urlsplit(href).path.removeprefix(root) for href in page.evaluate(_RESULT_PAGES)]
    return Answer(question, right, pages, first, settled)


def run(site_dir: Path, questions: list[tuple[str, list[str]]], viewport: dict[str, int],
        cold: bool = True) -> tuple[list[Answer], float | None]:
    """Every question's answer, and the first question's first-results time on a page just opened (cold)."""
    from playwright.sync_api import sync_playwright

    with serve(site_dir) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                served.base_url) else route.abort())
            context.add_init_script(script=COUNT_WORKER)
            page = context.new_page()
            cold_ms = None
            if cold:  # the index is fetched and built while the seller types
                page.goto(served.base_url, wait_until="domcontentloaded")
                open_search(page)
                cold_ms = ask(page, served.base_url, *questions[0], clear=False).first_ms
            page.goto(served.base_url)
            open_search(page)
            answers = [ask(page, served.base_url, q, right) for q, right in questions]
            context.close()
        finally:
            browser.close()
    return answers, cold_ms


def summary(name: str, answers: list[Answer]) -> dict[str, Any]:
    firsts = [a.first_ms for a in answers if a.first_ms is not None]
    return {
        "set": name,
        "questions": len(answers),
        "top1": sum(a.rank == 1 for a in answers),
        "top3": sum(a.rank is not None and a.rank <= 3 for a in answers),
        "first_results_ms_median": round(statistics.median(firsts)) if firsts else None,
        "first_results_ms_max": round(max(firsts)) if firsts else None,
        "settled_ms_median": round(statistics.median(a.settled_ms for a in answers)),
        "settled_ms_max": round(max(a.settled_ms for a in answers)),
    }


def build(work: Path, posts: int) -> Path:
    config = copy_project(work / "project")
    if posts:
        import synthetic

        content = work / "content"
        synthetic.write_content(content, posts, comments_per_post=0, tree_nodes=0)
        shutil.copytree(content / "docs", config.parent / "docs", dirs_exist_ok=True)
    build_site(config, work / "site", strict=not posts)  # synthetic guides are in no nav: warnings
    return work / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the project)")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--posts", type=int, default=0, help="add this many synthetic posts (timing)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (for --site later)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions of each set")
    parser.add_argument("--desktop", action="store_true", help="1280x800 instead of a phone's 390x844")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question's results")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    with tempfile.TemporaryDirectory(prefix="kb-search-") as tmp:
        site = args.site or build(args.keep or Path(tmp), args.posts)
        index_file = site / "search" / "search_index.json"
        index_kb = index_file.stat().st_size / 1000
        folder = trees_folder_in_config(read_project_config(ROOT)[0])
        added = growth(json.loads(index_file.read_text(encoding="utf-8")), MATERIAL_SEPARATOR, folder)
        report: dict[str, Any] = {
            "index_kb": round(index_kb, 1), "index_growth_pct": round(100 * added, 1),
            "viewport": "1280x800" if args.desktop else "390x844", "posts_added": args.posts, "sets": [],
        }
        for name in names:
            questions = load_questions(name)[: args.limit or None]
            answers, cold_ms = run(site, questions, DESKTOP if args.desktop else PHONE)
            result = summary(name, answers)
            result["cold_first_results_ms"] = round(cold_ms) if cold_ms is not None else None
            report["sets"].append(result)
            if args.verbose:
                for a in answers:
                    mark = f"#{a.rank}" if a.rank else "miss"
                    print(f"{mark:>5} {a.first_ms or 0:6.0f} ms {a.settled_ms:6.0f} ms  {a.question}"
                          + ("" if a.rank and a.rank <= 3 else f"\n        got {a.pages[:3]}"))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"index {report['index_kb']} KB ({report['index_growth_pct']}% over Material's own), "
              f"{report['viewport']}, {args.posts} synthetic posts added")
        for r in report["sets"]:
            print(f"{r['set']}: top-1 {r['top1']}/{r['questions']}, top-3 {r['top3']}/{r['questions']}; "
                  f"first results median {r['first_results_ms_median']} ms (max {r['first_results_ms_max']}, "
                  f"on a page just opened {r['cold_first_results_ms']}); whole question settled median "
                  f"{r['settled_ms_median']} ms (max {r['settled_ms_max']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
