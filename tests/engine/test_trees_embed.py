"""Markers that place a tree's walk inside a page: found, checked, code blocks left alone."""

from __future__ import annotations

from kb_engine.problems import Problem
from kb_engine.trees.embed import RENDERED, Embed, anchor_prefix, check_embeds, find_embeds

PAGE = """\
---
title: A guide
---

# A guide

<!-- kb:tree partner-vs-vendor -->

```markdown
<!-- kb:tree shown-in-a-code-block -->
```

~~~~
<!-- kb:tree also-code -->
~~~~

Text with an inline `<!-- kb:tree inline -->` is not a marker.

<!--kb:tree small-->
<!-- kb:tree -->
<!-- kb:tree Two Words -->
"""


def test_markers_are_found_with_their_lines_outside_code() -> None:
    embeds, problems = find_embeds(PAGE, "docs/guides/a.md")
    assert embeds == [Embed("partner-vs-vendor", 7), Embed("small", 19)]
    assert problems == [
        Problem("docs/guides/a.md", 20, "malformed decision tree marker: write it as "
                "<!-- kb:tree TREE-ID --> on a line of its own"),
        Problem("docs/guides/a.md", 21, "malformed decision tree marker: write it as "
                "<!-- kb:tree TREE-ID --> on a line of its own"),
    ]
    assert find_embeds("# No marker\n", "x.md") == ([], [])


def test_unknown_ids_and_a_tree_placed_twice_are_problems() -> None:
    embeds = [Embed("small", 3), Embed("smal", 5), Embed("small", 9), Embed("other", 11)]
    problems = check_embeds(embeds, {"small", "partner-vs-vendor"}, "docs/x.md")
    assert [str(p) for p in problems] == [
        "docs/x.md:5: unknown decision tree 'smal' (known: partner-vs-vendor, small); did you mean 'small'?",
        "docs/x.md:9: decision tree 'small' is placed twice on this page (first on line 3); "
        "its steps would share anchors",
        "docs/x.md:11: unknown decision tree 'other' (known: partner-vs-vendor, small)",
    ]


def test_the_rendered_marker_and_the_anchor_prefix() -> None:
    html = "<p>a</p>\n<!-- kb:tree small -->\n<pre>&lt;!-- kb:tree small --&gt;</pre>"
    assert [m.group("id") for m in RENDERED.finditer(html)] == ["small"]
    assert anchor_prefix("small") == "small--"
