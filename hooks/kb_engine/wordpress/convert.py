"""WordPress post HTML to the Markdown of a post of this site.

The steps, in order:

1. Block-editor comments (``<!-- wp:paragraph -->`` ...) are removed; the
   ``<!--more-->`` marker is remembered; ``<!--nextpage-->`` (WordPress's
   page break inside a post) is dropped and noted, as are other HTML
   comments. Shortcodes are expanded (kb_engine.wordpress.shortcodes).
2. Paragraphs are made as WordPress's ``wpautop`` makes them when it shows a
   post written in the classic editor: blank lines end paragraphs, single
   line breaks become ``<br>``, block elements are left alone, ``<pre>``
   is kept verbatim.
3. Links and images are made absolute against the post's old address (a
   relative link would point nowhere on the new site), links to other
   imported posts are pointed at their new Markdown files, images and files
   copied from the old uploads folder are linked where they now are, and
   in-page ``#anchor`` links (whose targets Markdown does not keep) become
   text.
4. markdownify turns the HTML into Markdown. Text is escaped so that it
   stays text: shortcodes such as ``[gallery ids="1,2"]`` stay visible as
   written, never turning into links.
5. ``<!-- more -->`` goes where ``<!--more-->`` was, else after the first
   paragraph (the blog needs an excerpt on every post).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import ATX, MarkdownConverter

from kb_engine.wordpress.shortcodes import expand

MORE = "<!-- more -->"
_MORE_TOKEN = "kbwpmoremarker7q"  # noqa: S105 - a placeholder word, not a secret
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_MORE_COMMENT = re.compile(r"<!--\s*more\b.*?-->", re.DOTALL | re.IGNORECASE)
_ANY_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ALLBLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|"
    "footer|nav|figure|figcaption|details|menu|summary"
)
_PRESERVE = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
# Text that Markdown would read as syntax at the start of a line: "- ", "# ", "1. ", "> ".
_LINE_START_DASHES = re.compile(r"(\s|^)(-+(?:\s|$))")
_LINE_START_HASHES = re.compile(r"(\s|^)(#{1,6}(?:\s|$))")
_LINE_START_NUMBERS = re.compile(r"((?:\s|^)[0-9]{1,9})([.)](?:\s|$))")
_LINE_START_QUOTE = re.compile(r"(^|\n)(\s*)>")
# Links and images pointing at these are files to copy over, listed in the report.
_FILE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".bmp",
    ".pdf",
    ".zip",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".mp3",
    ".mp4",
    ".mov",
    ".m4a",
    ".ogg",
    ".wav",
    ".txt",
    ".csv",
)


@dataclass
class Converted:
    markdown: str  # the body, with "<!-- more -->" in it
    assets: list[str] = field(default_factory=list)  # absolute URLs of images and files left on the old site
    had_more: bool = False
    had_nextpage: bool = False
    shortcodes: list[str] = field(default_factory=list)  # shortcodes kept as text
    copied: list[str] = field(default_factory=list)  # absolute URLs of files now beside the post


LinkResolver = Callable[[str], "str | None"]
"""An absolute URL to the relative Markdown path of an imported page, or None."""


def wpautop(text: str) -> str:
    """Paragraphs as WordPress's ``wpautop`` makes them (the parts that matter for conversion)."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def stash(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f'<pre kb-keep="{len(kept) - 1}"></pre>'

    text = _PRESERVE.sub(stash, text) + "\n"
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(rf"(<(?:{_ALLBLOCKS})[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</(?:{_ALLBLOCKS})>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"\n\n+", "\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text, flags=re.IGNORECASE)
    text = re.sub(rf"<p>\s*(</?(?:{_ALLBLOCKS})[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?(?:{_ALLBLOCKS})[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</?(?:{_ALLBLOCKS})[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!<br />)(?<!>)\s*\n(?!\s*<)", "<br />\n", text.rstrip("\n")) + "\n"
    text = re.sub(r"<pre kb-keep=\"(\d+)\"></pre>", lambda m: kept[int(m.group(1))], text)
    return text


class _Converter(MarkdownConverter):
    """markdownify, with text escaped so that no text turns into Markdown syntax."""

    def escape(self, text: str, parent_tags: Any) -> str:
        # markdownify calls this for text outside <pre> and <code> only.
        if not text:
            return ""
        text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
        text = _ENTITY_LIKE.sub("&amp;", text)  # before "<" becomes "&lt;", which must stay an entity
        text = text.replace("[", "\\[").replace("]", "\\]").replace("`", "\\`").replace("<", "&lt;")
        text = _LINE_START_DASHES.sub(r"\1\\\2", text)
        text = _LINE_START_HASHES.sub(r"\1\\\2", text)
        text = _LINE_START_NUMBERS.sub(r"\1\\\2", text)
        return _LINE_START_QUOTE.sub(r"\1\2\\>", text)


    def convert_pre(self, el: Any, text: str, parent_tags: Any) -> str:
        # A fence longer than any run of backticks in the code, so that the code cannot end it.
        fenced: str = super().convert_pre(el, text, parent_tags)  # type: ignore[misc]
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        if longest < 3:
            return fenced
        fence = "`" * (longest + 1)
        return re.sub(r"\A(\s*)```", lambda m: m.group(1) + fence, fenced).rstrip()[:-3] + fence + "\n\n"


def _language(element: Any) -> str | None:
    value = element.get("data-language")
    return value if isinstance(value, str) and value else None


_CONVERTER = _Converter(
    heading_style=ATX,
    bullets="-",
    strong_em_symbol="*",
    escape_underscores=True,
    code_language_callback=_language,
)
_NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)


def convert(
    html: str,
    page_url: str,
    resolve: LinkResolver,
    *,
    attachments: Mapping[int, str] | None = None,
    children: Sequence[str] = (),
    local: LinkResolver | None = None,
) -> Converted:
    """The Markdown body of a post whose WordPress HTML is ``html``.

    ``page_url`` is the post's old address (relative links are read against
    it); ``resolve`` maps an absolute URL to a new Markdown file, if it is
    one of the imported pages; ``local`` maps the absolute URL of an image
    or file to its new relative path when it was copied beside the post.
    ``attachments`` and ``children`` serve ``[gallery]`` (kb_engine.wordpress.shortcodes).
    """
    html = _BLOCK_COMMENT.sub("", html)
    had_nextpage = _NEXTPAGE.search(html) is not None
    html = _NEXTPAGE.sub("\n\n", html)
    expanded = expand(html, attachments or {}, children)
    html = expanded.html
    had_more = _MORE_COMMENT.search(html) is not None
    if had_more:
        first = _MORE_COMMENT.search(html)
        assert first is not None
        html = html[: first.start()] + f"\n\n{_MORE_TOKEN}\n\n" + _MORE_COMMENT.sub("", html[first.end() :])
    html = _ANY_COMMENT.sub("", html)
    soup = BeautifulSoup(wpautop(html), "html.parser")
    copied: list[str] = []
    assets = _rewrite_links(soup, page_url, resolve, local, copied)
    if not had_more:
        _insert_more(soup)
    markdown = _CONVERTER.convert_soup(soup).strip()
    markdown = re.sub(rf"^[ \t]*{_MORE_TOKEN}[ \t]*$", MORE, markdown, flags=re.MULTILINE)
    if MORE not in markdown:  # the marker was inside something that cannot hold it: put it at the end
        markdown = markdown.replace(_MORE_TOKEN, "").rstrip() + f"\n\n{MORE}"
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    if markdown.startswith(MORE):
        markdown = markdown[len(MORE) :].lstrip("\n")
        markdown = f"{MORE}\n\n{markdown}" if markdown else MORE
    return Converted(markdown + "\n", assets, had_more, had_nextpage, expanded.unknown, copied)


def _insert_more(soup: BeautifulSoup) -> None:
    for child in list(soup.children):
        if (isinstance(child, Tag) and child.get_text(strip=True)) or (
            isinstance(child, Tag) and child.find("img") is not None
        ):
            marker = soup.new_tag("p")
            marker.string = _MORE_TOKEN
            child.insert_after(marker)
            return
    marker = soup.new_tag("p")
    marker.string = _MORE_TOKEN
    soup.append(marker)


def _is_file(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return "/wp-content/uploads/" in path or path.endswith(_FILE_SUFFIXES)


def _rewrite_links(
    soup: BeautifulSoup, page_url: str, resolve: LinkResolver, local: LinkResolver | None, copied: list[str]
) -> list[str]:
    assets: list[str] = []
    for frame in soup.find_all("iframe"):  # an embed (video, map): Markdown has none, keep a link to it
        source = frame.get("src")
        if isinstance(source, str) and source.strip():
            link = soup.new_tag("a", href=source.strip())
            link.string = source.strip()
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
        else:
            frame.decompose()
    for element in soup.find_all(["img", "source", "video", "audio", "a"]):
        is_link = element.name == "a"
        attribute = "href" if is_link else "src"
        value = element.get(attribute)
        if not isinstance(value, str) or not value.strip():
            if is_link:
                element.unwrap()  # a named anchor or an empty link: its text stays
            elif element.name in ("img", "source"):
                element.decompose()
            continue
        value = value.strip()
        if is_link and value.startswith("#"):
            element.unwrap()  # Markdown keeps no anchor for it to point at
            continue
        scheme = urlsplit(value).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            continue  # mailto:, tel:, ...
        absolute = urljoin(page_url, value) if page_url else value
        if not urlsplit(absolute).scheme:  # relative, and no old address to read it against
            if is_link:
                element.unwrap()
            else:
                element.decompose()
            continue
        if is_link:
            target = resolve(absolute)
            if target is not None:
                element[attribute] = target
                continue
        moved = local(absolute) if local is not None and (not is_link or _is_file(absolute)) else None
        if moved is not None:
            element[attribute] = moved
            copied.append(absolute)
            if element.name == "img" and element.get("srcset"):
                del element["srcset"]
            continue
        element[attribute] = absolute
        if not is_link or _is_file(absolute):
            assets.append(absolute)
        if element.name == "img" and element.get("srcset"):
            del element["srcset"]
    return list(dict.fromkeys(assets))


def escape_heading(text: str) -> str:
    """A title as the text of a Markdown ``#`` heading, shown exactly as written."""
    return _CONVERTER.escape(" ".join(text.split()), set())
