#!/usr/bin/env python3
"""The WordPress import's property test with many more examples than the suite runs (by hand).

    .venv/bin/python benchmarks/wordpress_fuzz.py [--examples 200] [--seed N]

Runs the property of ``test_two_generated_blogs_import_build_and_reimport_unchanged``
(tests/engine/test_wordpress_properties.py) (two generated blogs imported twice,
built strictly, checked for e-mail addresses) with random seeds; a failure
prints Hypothesis's smallest failing input: write it down as an example test.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

TESTS = Path(__file__).resolve().parents[1] / "tests"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.path[:0] = [str(TESTS), str(TESTS / "engine")]  # the helpers, and the test module
    import test_wordpress_properties as properties

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(properties.BLOGS)
    def test(blogs: tuple[list[properties.I], list[properties.I]]) -> None:
        properties.run_example(blogs)

    if args.seed is not None:
        test = seed(args.seed)(test)
    test()
    print(f"{args.examples} examples passed")


if __name__ == "__main__":
    main()
