#!/usr/bin/env python3
"""Profile one build of the synthetic site with cProfile (what the speed-up was guided by).

    .venv/bin/python benchmarks/profile_build.py            # (c) the project, 1,000 posts
    .venv/bin/python benchmarks/profile_build.py 300 b      # (b) stock blog, 300 posts

Prints the 40 functions with the largest cumulative time and writes the full
profile to WORK/profile-<variant>.out (open it with `python -m pstats` or snakeviz).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
from pathlib import Path

from build_benchmark import prepare
from mkdocs.commands.build import build
from mkdocs.config import load_config


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("posts", type=int, nargs="?", default=1000)
    parser.add_argument("variant", choices=("a", "b", "c"), nargs="?", default="c")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-build-profile"))  # noqa: S108
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config_file = prepare(args.work / f"n{args.posts}", args.posts)[args.variant]
    os.chdir(config_file.parent)
    logging.basicConfig(level=logging.ERROR)
    config = load_config(str(config_file), site_dir=str(config_file.parent / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    profiler = cProfile.Profile()
    profiler.runcall(build, config)
    config.plugins.on_shutdown()
    out = args.work / f"profile-{args.variant}.out"
    profiler.dump_stats(out)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    print(f"full profile: {out}")


if __name__ == "__main__":
    main()
