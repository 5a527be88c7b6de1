#!/usr/bin/env python3
"""What reading comment files and posts' front matter costs a build and a preview rebuild.

    .venv/bin/python benchmarks/parse_benchmark.py            # 300 posts, 3,000 comments
    .venv/bin/python benchmarks/parse_benchmark.py --posts 1000 --rounds 3
    .venv/bin/python benchmarks/parse_benchmark.py --rebuild   # whole preview rebuilds, kept parses or not

On the synthetic site (benchmarks/synthetic.py), CPU time (``time.process_time``),
each pair measured alternately (A B A B) and the median printed:

- comments: kb-comments' load (``load_comments``) with every file parsed (a
  fresh build) and with the last build's parses kept (a preview rebuild after
  editing one comment file);
- front matter: every post's front matter by Material's ``yaml.load(text,
  SafeLoader)``, by ``parse_front_matter`` (libyaml where sure), and handed
  out from kept parses (``KeptFrontMatter.load``: a copy of a kept value);
  and kb-site's check's ``parse_document``, fresh and kept (``KeptDocuments``).

``--rebuild``: the project's preview on the synthetic site (build_benchmark's
site (c)) in this process: a first build, then a post's text edited before
each rebuild, alternately with the kept parses forgotten (kb-comments',
kb-site's and kb-blog's, as before they were kept) and kept; the CPU time of
each whole rebuild.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from mkdocs.utils.meta import YAML_RE  # noqa: E402
from synthetic import write_content  # noqa: E402

from kb_engine.comments.model import KeptParses, load_comments  # noqa: E402
from kb_engine.compat.fastblog.frontmatter import KeptFrontMatter, parse_front_matter  # noqa: E402
from kb_engine.frontmatter import KeptDocuments, parse_document  # noqa: E402


def cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def paired(name_a: str, a: Callable[[], object], name_b: str, b: Callable[[], object], rounds: int) -> None:
    times: dict[str, list[float]] = {name_a: [], name_b: []}
    for _ in range(rounds):
        times[name_a].append(cpu(a))
        times[name_b].append(cpu(b))
    for name, found in times.items():
        print(f"  {name:48} {statistics.median(found) * 1000:8.1f} ms CPU (median of {rounds})")


def rebuilds(posts: int, rounds: int) -> None:
    import logging
    import os

    from build_benchmark import prepare
    from mkdocs.config import load_config

    from kb_engine.compat.incremental import BuildCache, build_site

    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        config_file = prepare(Path(folder), posts)["c"]
        os.chdir(config_file.parent)
        cache = BuildCache()
        config = load_config(str(config_file))
        config.plugins.on_startup(command="serve", dirty=False)
        build_site(config, config_file.parent / "site-0", cache, serve_url="http://127.0.0.1:8000/")
        post = sorted((config_file.parent / "docs" / "blog" / "posts").glob("*.md"))[posts // 2]
        original = post.read_text(encoding="utf-8")
        times: dict[str, list[float]] = {"parses forgotten": [], "parses kept": []}
        number = 0
        for _ in range(rounds):
            for mode in times:
                number += 1
                post.write_text(original.replace("\n## ", f"\nEdit {number}.\n\n## ", 1), encoding="utf-8")
                config = load_config(str(config_file))
                if mode == "parses forgotten":
                    config.plugins["kb-comments"].kept = KeptParses()
                    config.plugins["kb-site"].documents = KeptDocuments()
                    config.plugins["kb-blog"]._front_matter = KeptFrontMatter()
                out = config_file.parent / f"site-{number}"
                times[mode].append(cpu(lambda: build_site(config, out, cache, serve_url="http://127.0.0.1:8000/")))  # noqa: B023
        for mode, found in times.items():
            print(f"  {mode:20} {statistics.median(found):6.2f} s CPU (median of {rounds}): "
                  + ", ".join(f"{t:.2f}" for t in found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="whole preview rebuilds, with kept parses or not")
    args = parser.parse_args()
    if args.rebuild:
        rebuilds(args.posts, args.rounds)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        stubs = write_content(root, args.posts, tree_nodes=0)
        posts = {stub.ident for stub in stubs}
        comments = root / "comments"
        count = sum(1 for _ in comments.rglob("*.yml"))
        print(f"{args.posts} posts, {count} comment files")
        kept = KeptParses()
        kept.start()
        load_comments(comments, posts, root, kept)
        edited = sorted(comments.rglob("*.yml"))[count // 2]
        original = edited.read_text(encoding="utf-8")

        def rebuild() -> None:  # one file changed since the last load
            edited.write_text(original.replace("body: |\n  ", f"body: |\n  {time.monotonic()} "), encoding="utf-8")
            kept.start()  # kb-comments' on_config
            load_comments(comments, posts, root, kept)
            assert kept.parsed == 1, kept.parsed

        print("comments (kb-comments' on_files):")
        paired("every file parsed (a build)", lambda: load_comments(comments, posts, root),
               "parses kept, one file changed (a rebuild)", rebuild, args.rounds)

        blocks = []
        for path in sorted((root / "docs" / "blog" / "posts").glob("*.md")):
            match = YAML_RE.match(path.read_text(encoding="utf-8-sig"))
            assert match is not None
            blocks.append(match.group(1))
        assert all(parse_front_matter(b) == yaml.load(b, yaml.SafeLoader) for b in blocks)
        front = KeptFrontMatter()
        for block in blocks:
            front.load(block)
        front.start()
        print(f"front matter of {len(blocks)} posts (Material's Post.__init__):")
        paired("yaml.load(text, SafeLoader) (Material)",
               lambda: [yaml.load(b, yaml.SafeLoader) for b in blocks],
               "parse_front_matter (libyaml where sure)", lambda: [parse_front_matter(b) for b in blocks],
               args.rounds)
        paired("parse_front_matter (libyaml where sure) ", lambda: [parse_front_matter(b) for b in blocks],
               "kept: a copy of the kept value (a rebuild)", lambda: [front.load(b) for b in blocks],
               args.rounds)

        texts = [(path.name, path.read_text(encoding="utf-8-sig"))
                 for path in sorted((root / "docs" / "blog" / "posts").glob("*.md"))]
        documents = KeptDocuments()
        for name, text in texts:
            documents.parse(text, name)
        print(f"front matter of {len(texts)} posts (kb-site's check, with lines):")
        paired("parse_document (a build)", lambda: [parse_document(t, n) for n, t in texts],
               "kept (a rebuild)", lambda: [documents.parse(t, n) for n, t in texts], args.rounds)


if __name__ == "__main__":
    main()
