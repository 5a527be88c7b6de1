"""kb-blog: a post's front matter parsed once per text, with libyaml where it gives PyYAML's answer.

Material's ``Post.__init__`` (9.8.2) reads a post's front matter with
``yaml.load(text, SafeLoader)``: PyYAML's pure-Python parser, the largest
part of making a post. :func:`init_post` is a copy of that method whose parse
is :meth:`KeptFrontMatter.load`:

- libyaml's parser (``CSafeLoader``: the same constructor and resolver, in
  Python; only the parser is C) is used for the plain front matter posts
  have: text of ordinary characters only (no tab, carriage return, control
  or line-separator character, nothing PyYAML's reader refuses or reads
  differently), every line a ``key: value``, ``- value``, comment or block
  scalar line with simple values (see :data:`_LINE`; no tags, anchors,
  escapes or flow mappings), a value nested at most :data:`MAX_FAST_DEPTH`
  levels, and no error. Anything else, and any error, is parsed again by
  ``SafeLoader``, so a value and a message are always PyYAML's own
  (tests/engine/test_fastblog_frontmatter.py compares the two on generated
  and hostile front matter; the differences it found are noted at the rules).
- A parse is kept by its text from one build to the next (MkDocs keeps plugin
  instances across ``mkdocs serve`` rebuilds), so a preview rebuild parses
  only the posts whose front matter changed. Material changes a post's
  ``meta`` (``meta["hide"].append(...)``), so each post gets a copy of the
  kept value: new dicts, lists and sets, with the same (immutable) scalars,
  which costs a fraction of a parse; a value with aliases (``*name``, which
  may share one list between two keys) is copied with ``copy.deepcopy``,
  which keeps that sharing.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Any

import yaml
from material.plugins.blog.structure.config import PostConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from kb_engine.kept import Kept

if TYPE_CHECKING:
    from re import Match

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

MAX_FAST_DEPTH = 30  # far below where PyYAML's recursive parser would stop
# What PyYAML's reader and libyaml's may read differently, or refuse: everything but
# the line feed and printable characters (tabs, carriage returns, C0 and C1
# controls, DEL, NEL, no-break space, line and paragraph separators, surrogates,
# byte-order marks, U+FFFE and U+FFFF). Front matter holding one is read by SafeLoader only.
_UNSURE = re.compile("[^\n\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# The lines of front matter libyaml is used for: `key: value`, `- value`, comments,
# blank lines and the text of block scalars (`key: |`), at any indentation, where a
# value is a plain scalar (neither starting with an indicator nor holding ": ",
# " #" or a final ":"), a quoted one without escapes, or a flow list of such
# scalars (without "?", which ends a plain scalar in a flow list for PyYAML,
# not for libyaml). Anything else (tags, anchors, flow mappings, escapes,
# document markers, directives, a comment after a value...) is left to PyYAML.
_PLAIN = r"""[^\s\-?:,\[\]{}#&*!|>'"%@`](?:[^:#\n]|:(?=\S)|(?<=\S)#)*"""
_QUOTED = r"'(?:[^'\n]|'')*'|" + r'"[^"\\\n]*"'
_ITEM = rf"""(?:[^\s\-?:,\[\]{{}}#&*!|>'"%@`][^:#?,\[\]{{}}\n]*|{_QUOTED})"""
_SCALAR = rf"(?:{_PLAIN}|{_QUOTED})"
_VALUE = rf"(?:{_SCALAR}|\[ *(?:{_ITEM}(?: *, *{_ITEM})*)? *\])"
_LINE = re.compile(rf"( *)(?:(?:[A-Za-z_][\w-]*:(?: +(?:{_VALUE}|(?P<block>[|>][-+]?)))?|- +{_SCALAR}) *|#.*|)")
_FAST = getattr(yaml, "CSafeLoader", None)
_IMMUTABLE = (str, int, float, bool, type(None), bytes, dt.date)  # datetime is a date


def parse_front_matter(text: str) -> Any:
    """``yaml.load(text, SafeLoader)``: the same value, or the same exception, sooner where that is sure."""
    if _FAST is not None and _UNSURE.search(text) is None and _plain_lines(text):
        try:
            value = yaml.load(text, _FAST)  # noqa: S506 - libyaml's SafeLoader
        except Exception:  # noqa: S110 - any error: PyYAML's parser below words it
            pass
        else:
            if _depth_at_most(value, MAX_FAST_DEPTH):
                return value
    return yaml.load(text, yaml.SafeLoader)


def _plain_lines(text: str) -> bool:
    """Whether every line of ``text`` is one of the plain forms of :data:`_LINE`."""
    block = -1  # the indentation of the block scalar header being read, if any
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0 and (indent > block or not line.strip()):
            continue  # a block scalar's text
        block = -1
        match = _LINE.fullmatch(line)
        if match is None:
            return False
        if match.group("block"):
            block = indent
    return True


def _depth_at_most(value: Any, limit: int) -> bool:
    if isinstance(value, dict):
        return limit > 0 and all(_depth_at_most(k, limit - 1) and _depth_at_most(v, limit - 1)
                                 for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return limit > 0 and all(_depth_at_most(item, limit - 1) for item in value)
    return True


def fresh(value: Any) -> Any:
    """A copy of a parsed value sharing nothing mutable with it (no aliases in its text: see the module)."""
    if isinstance(value, _IMMUTABLE):
        return value
    kind = type(value)
    if kind is dict:
        return {key: fresh(item) for key, item in value.items()}
    if kind is list:
        return [fresh(item) for item in value]
    if kind is tuple:  # !!pairs and !!omap give lists of tuples
        return tuple(fresh(item) for item in value)
    if kind is set:
        return set(value)  # of keys: hashable values
    return copy.deepcopy(value)


class KeptFrontMatter(Kept[str, tuple[Any, bool]]):
    """Posts' front matter by its text, parsed once and kept from one build to the next (:mod:`kb_engine.kept`)."""

    def load(self, text: str) -> Any:
        """``yaml.load(text, SafeLoader)``'s value (a copy of one kept), or its exception."""
        # Only parses that succeed are kept; with aliases, a value may share a part between two keys.
        value, aliases = self.get(text, lambda: (parse_front_matter(text), "*" in text))
        return copy.deepcopy(value) if aliases else fresh(value)


def init_post(post: Any, file: File, config: MkDocsConfig, kept: KeptFrontMatter) -> None:
    """Material 9.8.2's ``Post.__init__(file, config)``, its front matter read by ``kept.load``.

    A copy, line for line (comments shortened), of
    ``material.plugins.blog.structure.Post.__init__``; only the parse differs.
    """
    from material.plugins.blog.structure import log  # Material's logger, as Post uses it

    Page.__init__(post, None, file, config)
    assert file.abs_src_path is not None  # a post is a file in the posts folder

    # Resolve path relative to docs directory
    docs = os.path.relpath(config.docs_dir)
    path = os.path.relpath(file.abs_src_path, docs)

    # Read contents and metadata immediately
    with open(file.abs_src_path, encoding="utf-8-sig") as f:
        post.markdown = f.read()

        match: Match[str] | None = YAML_RE.match(post.markdown)
        if not match:
            raise PluginError(
                f"Error reading metadata of post '{path}' in '{docs}':\n"
                f"Expected metadata to be defined but found nothing"
            )

        # Extract metadata and parse as YAML
        try:
            post.meta = kept.load(match.group(1)) or {}
            post.markdown = post.markdown[match.end():].lstrip("\n")
        except Exception as e:
            raise PluginError(
                f"Error reading metadata of post '{path}' in '{docs}':\n"
                f"{e}"
            ) from e

        # Material's meta plugin, if registered, runs here (see Post.__init__)
        plugin = config.plugins.get("material/meta")
        if plugin:
            plugin.on_page_markdown(post.markdown, page=post, config=config, files=None)

    # Initialize post configuration with the keys the blog plugin reads
    post.config = PostConfig(file.abs_src_path)
    post.config.load_dict({
        key: post.meta[key] for key in (
            set(post.meta.keys()) &
            set(post.config.keys())
        )
    })

    # Validate configuration and throw if errors occurred
    errors, warnings = post.config.validate()
    for _, w in warnings:
        log.warning(w)
    for k, error in errors:
        raise PluginError(
            f"Error reading metadata '{k}' of post '{path}' in '{docs}':\n"
            f"{error}"
        )

    post.excerpt = None
    post.authors = []
    post.categories = []

    # Ensure template is set or use default
    post.meta.setdefault("template", "blog-post.html")

    # Ensure template hides navigation
    post.meta["hide"] = post.meta.get("hide", [])
    if "navigation" not in post.meta["hide"]:
        post.meta["hide"].append("navigation")
