"""WordPress shortcodes in a post's HTML, turned into the HTML they stand for before conversion.

WordPress expands shortcodes when it shows a post; the export keeps them as
written. The ones every blog has become plain HTML that Markdown can hold:

- ``[caption ...]<img ...> The caption[/caption]`` (and ``caption="..."``):
  the image, then its caption in italics;
- ``[gallery ids="1,2"]`` (or no ids: the images attached to the post): a
  list of links to the images;
- ``[embed]URL[/embed]``, and a URL alone on its line (WordPress's
  auto-embed): a link to it;
- ``[code lang="x"]``, ``[sourcecode language="x"]``: a ``<pre>`` block
  that becomes fenced code with that language.

Any other shortcode stays as visible text (the converter escapes it) and is
named in :attr:`Expanded.unknown`, for the report. ``[[name]]`` is
WordPress's way to write a shortcode as text: it becomes ``[name]``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kb_engine.core.urls import is_http_url

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_CODE = re.compile(r"\[(code|sourcecode)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b([^\]]*?)/?\]", re.IGNORECASE)
_ESCAPED = re.compile(r"\[(\[[a-zA-Z][\w-]*\b[^\]]*\])\]")
# A shortcode as WordPress writes one: "[name attr=...]", "[name]...[/name]", "[name /]"
_OTHER = re.compile(r"\[([a-zA-Z][\w-]*)(?:\s+[^\]]*=[^\]]*|\s*/)?\](?:.*?\[/\1\])?", re.DOTALL)
_OTHER_NAMES_ALONE = frozenset({"audio", "video", "playlist", "gallery", "embed", "caption"})
_BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"'\[\]]+)[ \t]*$", re.MULTILINE)
_PRE = re.compile(r"(<pre\b.*?</pre\s*>)", re.DOTALL | re.IGNORECASE)
_IMG_LINK = re.compile(r"\A\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)\Z", re.DOTALL | re.IGNORECASE)
_ESCAPE_MARK = "\x00kbsc"  # stands for "[" of a shortcode written as text until the end


@dataclass
class Expanded:
    html: str
    unknown: list[str] = field(default_factory=list)  # names of shortcodes kept as text


def attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTRIBUTE.finditer(text)
    }


def expand(text: str, attachments: Mapping[int, str], children: Sequence[str]) -> Expanded:
    """``text`` with the shortcodes above expanded.

    ``attachments``: the export's attachment ids -> file URLs; ``children``:
    the file URLs of the images attached to this post (a gallery without ids).
    """
    text = _ESCAPED.sub(lambda m: _ESCAPE_MARK + m.group(1)[1:], text)
    text = _CODE.sub(_code, text)
    parts = _PRE.split(text)  # code stays as written from here on
    for number in range(0, len(parts), 2):
        part = _CAPTION.sub(_caption, parts[number])
        part = _EMBED.sub(lambda m: _link(m.group(1).strip()), part)
        part = _GALLERY.sub(
            lambda m: _gallery(attributes(m.group(1)), attachments, children, m.group(0)), part
        )
        part = _BARE_URL.sub(lambda m: _link(m.group(1)), part)
        parts[number] = part
    text = "".join(parts)
    unknown = [
        m.group(1)
        for m in _OTHER.finditer(_PRE.sub("", text))
        if m.group(0) != f"[{m.group(1)}]" or m.group(1).lower() in _OTHER_NAMES_ALONE
    ]
    return Expanded(text.replace(_ESCAPE_MARK, "["), list(dict.fromkeys(unknown)))


def _code(match: re.Match[str]) -> str:
    attrs = attributes(match.group(2))
    language = re.sub(r"[^\w+#.-]", "", attrs.get("language") or attrs.get("lang") or "")
    body = html.unescape(match.group(3)).strip("\n")
    language_attribute = f' data-language="{html.escape(language)}"' if language else ""
    return f"\n\n<pre{language_attribute}><code>{html.escape(body, quote=False)}</code></pre>\n\n"


def _caption(match: re.Match[str]) -> str:
    attrs = attributes(match.group(2))
    found = _IMG_LINK.match(match.group(3))
    if found is None:  # no image: the caption text is all there is
        return match.group(3)
    image, caption = found.group(1), (attrs.get("caption") or found.group(2)).strip()
    captioned = f"\n\n<p><em>{caption}</em></p>" if caption else ""
    return f"\n\n<p>{image}</p>{captioned}\n\n"


def _link(url: str) -> str:
    if not is_http_url(url):  # the core's rule (kb_engine.core.urls): no link to what is no address
        return html.escape(url)
    return f'\n\n<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>\n\n'


def _file_name(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1] or url


def _gallery(
    attrs: dict[str, str], attachments: Mapping[int, str], children: Sequence[str], written: str
) -> str:
    listed = attrs.get("ids") or attrs.get("include") or ""
    if listed:
        ids = [int(n) for n in re.findall(r"\d+", listed)]
        urls = [attachments[n] for n in ids if n in attachments]
    else:
        urls = list(children)
    if not urls:
        return written  # nothing to show: kept as written (and reported)
    items = "".join(
        f'<li><a href="{html.escape(url)}">{html.escape(_file_name(url))}</a></li>'
        for url in urls
    )
    return f"\n\n<ul>{items}</ul>\n\n"
