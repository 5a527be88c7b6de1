#!/usr/bin/env python3
"""What reading comment files and posts' front matter costs a build and a preview rebuild.

    .venv/bin/python benchmarks/parse_benchmark.py            # 300 posts, 3,000 comments
    .venv/bin/python benchmarks/parse_benchmark.py --posts 1000 --rounds 3

On the synthetic site (benchmarks/synthetic.py), CPU time (``time.process_time``),
each pair measured alternately (A B A B) and the median printed:

- comments: kb-comments' load (``load_comments``) with every file parsed (a
  fresh build) and with the last build's parses kept (a preview rebuild after
  editing one comment file);
- front matter: every post's front matter by Material's ``yaml.load(text,
  SafeLoader)``, by ``parse_front_matter`` (libyaml where sure), and handed
  out from kept parses (``KeptFrontMatter.load``: a copy of a kept value);
  and kb-site's check's ``parse_document``, fresh and kept (``KeptDocuments``).

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        stubs = write_content(root, args.posts, tree_nodes=0)
        posts = {stub.ident for stub in stubs}
        comments = root / "comments"
        count = sum(1 for _ in comments.rglob("*.yml"))
        print(f"{args.posts} posts, {count} comment files")
        kept = KeptParses()
        load_comments(comments, posts, root, kept)
        edited = sorted(comments.rglob("*.yml"))[count // 2]
        original = edited.read_text(encoding="utf-8")

        def rebuild() -> None:  # one file changed since the last load
            edited.write_text(original.replace("body: |\n  ", f"body: |\n  {time.monotonic()} "), encoding="utf-8")
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
