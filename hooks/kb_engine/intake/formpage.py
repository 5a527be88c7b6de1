"""A refused comment, answered with the post's own page: the form as the reader filled it.

Without JavaScript a refusal is the answer to the form's POST, so it cannot
stay on the post; it comes back as the post: the page the build wrote
(``site/<post>/index.html``, beside the manifest), with every field as the
reader typed it, the service's message beside the field it is about (or at
the top of the form when it is about no field), that field marked
``aria-invalid`` and focused (``autofocus``: the browser scrolls to it, no
script needed). A ``<base>`` makes the page's relative addresses resolve
against the post's own address, since the browser shows it at the service's.

The page is the build's HTML (from the site's templates); this module only
sets values and adds the message, through lxml, which escapes what it is
given. The marks are the ones the form's script adds (``.kb-reply__error``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import lxml.html
from lxml import etree

from kb_engine.core.fields import AUTHOR, BODY, EMAIL, HONEYPOT, POST, REPLY_TO, WEBSITE

FORM = "//form[contains(concat(' ', normalize-space(@class), ' '), ' kb-reply__form ')]"
ERROR_CLASS = "kb-reply__error"
REFUSED_CLASS = "kb-reply__refused"
_FIELD_PREFIX = re.compile(r"\A`([a-z_]+)`: ")
_SUBJECTLESS = ("holds ", "is ", "must ", "has ")


def page_file(site_dir: Path, site_url: str, post_url: str) -> Path | None:
    """The built page of ``post_url`` under ``site_dir``, or None (elsewhere, or not there)."""
    site = site_url.rstrip("/") + "/"
    if not post_url.startswith(site):
        return None
    relative = post_url[len(site):].split("?")[0].split("#")[0]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    root = site_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def reader_message(message: str, label: str | None) -> str:
    """The service's message as a sentence for the reader: "`comment`: holds ..." -> "Comment holds ..."."""
    text = _FIELD_PREFIX.sub("", message).strip()
    if label and text.startswith(_SUBJECTLESS):
        text = f"{label} {text}"
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def refilled_page(page: bytes, fields: Mapping[str, object], field: str | None, message: str,
                  base_url: str) -> bytes | None:
    """The post's page with its form refilled and the message shown; None when it has no form."""
    try:
        document = lxml.html.document_fromstring(page.decode("utf-8", "replace"))  # the build writes UTF-8
    except (etree.ParserError, ValueError):
        return None
    forms = document.xpath(FORM)
    if not forms:
        return None
    form = forms[0]
    typed = {name: markable(value) for name, value in fields.items() if isinstance(value, str)}
    message = markable(message)
    for name in (AUTHOR, EMAIL, WEBSITE):
        for element in form.xpath(".//input[@name=$name]", name=name):
            element.set("value", typed.get(name, ""))
    for element in form.xpath(".//textarea[@name=$name]", name=BODY):
        element.text = typed.get(BODY, "")
    for option in form.xpath(".//select[@name=$name]/option", name=REPLY_TO):
        if option.get("value") == typed.get(REPLY_TO, ""):
            option.set("selected", "selected")
        elif "selected" in option.attrib:
            del option.attrib["selected"]
    for element in form.xpath(".//input[@name=$name]", name=HONEYPOT):
        element.set("value", "")

    target = None
    if field and field not in (POST, HONEYPOT):
        found = form.xpath(".//*[@name=$name][self::input or self::textarea or self::select]", name=field)
        target = found[0] if found else None
    if target is not None:
        label = _label(form, target.get("id"))
        note = etree.SubElement(target.getparent(), "span")
        target.addnext(note)
        note.set("class", ERROR_CLASS)
        note.set("id", f"{target.get('id') or field}-error")
        note.text = reader_message(message, label)
        described = [note.get("id"), *(target.get("aria-describedby") or "").split()]
        target.set("aria-describedby", " ".join(d for d in described if d))
        target.set("aria-invalid", "true")
        target.set("autofocus", "autofocus")
    else:
        note = etree.Element("p")
        note.set("class", REFUSED_CLASS)
        note.set("id", "reply-refused")
        note.set("role", "alert")
        note.set("tabindex", "-1")
        note.set("autofocus", "autofocus")
        note.text = reader_message(message, None)
        form.insert(0, note)

    heads = document.xpath("//head")
    if heads:
        base = etree.Element("base")
        base.set("href", base_url)
        heads[0].insert(0, base)
        for title in heads[0].xpath("./title"):
            title.text = f"Your comment was not sent – {title.text or ''}".rstrip(" –")
    page_bytes: bytes = lxml.html.tostring(document, doctype="<!doctype html>", encoding="utf-8")
    return page_bytes


# What an HTML document (through lxml, an XML tree) cannot hold: controls other than tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF. A comment holding one is refused anyway; the reader
# gets it back with U+FFFD (the replacement mark) where the character was.
_NOT_MARKABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def markable(text: str) -> str:
    """``text`` with what a document cannot hold replaced by U+FFFD (everything else as typed)."""
    return _NOT_MARKABLE.sub("\ufffd", text)


def _label(form: lxml.html.HtmlElement, element_id: str | None) -> str | None:
    if not element_id:
        return None
    labels = form.xpath(".//label[@for=$id]", id=element_id)
    if not labels:
        return None
    text = " ".join(labels[0].text_content().replace("*", " ").split())
    return text or None
