"""One Markdown converter for every page of a build (kb_engine.compat.pagerender.SharedConverter).

Converting documents one after another with the build's one instance, reset between them,
gives each document what a fresh instance gives it (MkDocs makes one per page): every
extension the engine vets clears its per-document state in ``reset()``.
"""

from __future__ import annotations

from typing import Any

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb_engine.compat.pagerender import RESETTABLE_EXTENSIONS, SharedConverter, resettable

EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes",
              "md_in_html", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
              "pymdownx.superfences", "pymdownx.tabbed", "kb_engine.tasklist"]
CONFIGS = {"toc": {"permalink": True}, "pymdownx.highlight": {"anchor_linenums": True},
           "pymdownx.tabbed": {"alternate_style": True}}
CONFIG = {"markdown_extensions": EXTENSIONS, "mdx_configs": CONFIGS}

# Pieces of Markdown whose extensions keep state from one document to the next when not reset:
# footnotes and their repeated references, numbered code blocks, tab groups, abbreviations,
# headings with the same text, raw HTML, details, task lists.
PIECES = [
    "# Title\n", "## Same\n", "## Same\n", "Text[^1] and again[^1].\n\n[^1]: A note.\n",
    "```python\nx = 1\n```\n", "```python hl_lines=\"1\"\ny = '<&>'\n```\n", "    indented code\n",
    '=== "One"\n\n    first\n\n=== "Two"\n\n    second\n', "*[HTML]: Hyper Text\n\nSome HTML here.\n",
    '<div markdown="1">\n*inside*\n</div>\n', "??? note \"More\"\n    hidden\n", "!!! tip\n    advice\n",
    "- [x] done\n- [ ] to do\n", "| a | b |\n| - | - |\n| 1 | 2 |\n", "Term\n:   definition\n",
    "A `#!python inline()` bit.\n", "[link](other.md#x){ .button }\n", "<!-- more -->\n",
]
documents = st.lists(st.sampled_from(PIECES) | st.text(max_size=30), min_size=1, max_size=8).map("\n".join)


def fresh(text: str) -> tuple[str, Any]:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    return md.convert(text), getattr(md, "toc_tokens", [])


@settings(max_examples=40, deadline=None)
@given(st.lists(documents, min_size=2, max_size=4))
@example(["Text[^1] and again[^1].\n\n[^1]: A note.\n\n```python\nx = 1\n```\n",
          '=== "One"\n\n    first\n\nA[^1].\n\n[^1]: B.\n\n```python\ny = 2\n```\n'])
def test_documents_converted_by_one_reset_instance_are_those_fresh_instances_make(texts: list[str]) -> None:
    shared = SharedConverter()
    for text in texts:
        md = shared.converter(CONFIG)  # type: ignore[arg-type]  # a mapping is all it reads
        assert md is not None
        assert (md.convert(text), getattr(md, "toc_tokens", [])) == fresh(text)
    assert shared.converted == len(texts)


def test_a_page_s_own_processors_are_gone_before_the_next_page() -> None:
    shared = SharedConverter()
    md = shared.converter(CONFIG)  # type: ignore[arg-type]
    assert md is not None
    md.treeprocessors.register(markdown.treeprocessors.Treeprocessor(md), "a_page_s_own", 3)
    again = shared.converter(CONFIG)  # type: ignore[arg-type]
    assert again is md and "a_page_s_own" not in md.treeprocessors


def test_an_extension_not_known_to_reset_gets_no_shared_converter() -> None:
    assert resettable(EXTENSIONS) and set(RESETTABLE_EXTENSIONS) >= set(EXTENSIONS)
    assert not resettable([*EXTENSIONS, "pymdownx.snippets"])
    assert not resettable([*EXTENSIONS, markdown.extensions.Extension()])
    other = {"markdown_extensions": [*EXTENSIONS, "pymdownx.snippets"], "mdx_configs": CONFIGS}
    assert SharedConverter().converter(other) is None  # type: ignore[arg-type]


def test_changed_settings_make_a_new_converter() -> None:
    shared = SharedConverter()
    first = shared.converter(CONFIG)  # type: ignore[arg-type]
    changed = {"markdown_extensions": EXTENSIONS, "mdx_configs": {**CONFIGS, "toc": {"permalink": False}}}
    second = shared.converter(changed)  # type: ignore[arg-type]
    assert second is not first
    assert second is not None and 'class="headerlink"' not in second.convert("# T\n")
