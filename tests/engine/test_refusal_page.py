"""A refused comment answered with the post's own page: the pure part (kb_engine.intake.formpage).

Whatever the reader typed (hostile text included) comes back in the form as
typed, escaped, with the message beside the field; the page to fill is
found only inside the built site.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from kb_engine.comments.rules import form_rules
from kb_engine.intake.formpage import markable, page_file, reader_message, refilled_page

PAGE = b"""<!doctype html><html><head><title>A post</title></head><body><article><h1>A post</h1>
<form class="kb-reply__form" method="post" action="/comment">
<input type="hidden" name="post" value="p">
<p><label for="reply-author">Name <span>*</span></label><input id="reply-author" name="author"></p>
<p><label for="reply-email">Email <span>*</span></label>
<input id="reply-email" name="email" aria-describedby="reply-email-note"></p>
<p><label for="reply-website">Website</label><input id="reply-website" name="website"></p>
<p><label for="reply-to">In reply to</label><select id="reply-to" name="reply_to">
<option value="">The post</option><option value="20261126-0a0a0001">Ann</option></select></p>
<p><label for="reply-comment">Comment <span>*</span></label>
<textarea id="reply-comment" name="comment"></textarea></p>
<input id="reply-hp" name="fax" value="">
</form></article></body></html>"""


def fill(fields: dict[str, str], field: str | None, message: str) -> lxml.html.HtmlElement:
    page = refilled_page(PAGE, fields, field, message, "https://kb.example.org/blog/p/")
    assert page is not None
    return lxml.html.document_fromstring(page.decode("utf-8"))


def test_the_form_comes_back_as_typed_with_the_message_beside_the_field() -> None:
    fields = {"post": "p", "author": "Ann \"<b>\"", "email": "ann@example.com", "website": "",
              "comment": "Hi <script>x</script>\n\nann@example.com", "reply_to": "20261126-0a0a0001",
              "fax": ""}
    doc = fill(fields, "comment", "`comment`: holds an e-mail address (a…@example.com), and this text is "
                                  "published: remove the address")
    assert doc.xpath("//input[@name='author']/@value") == ['Ann "<b>"']
    assert doc.xpath("//input[@name='email']/@value") == ["ann@example.com"]
    assert doc.xpath("//textarea/text()") == ["Hi <script>x</script>\n\nann@example.com"]
    assert doc.xpath("//script") == []  # text stays text
    assert doc.xpath("//option[@selected]/@value") == ["20261126-0a0a0001"]
    [note] = doc.xpath("//textarea/following-sibling::*[1]")
    assert note.get("class") == "kb-reply__error" and note.get("id") == "reply-comment-error"
    assert note.text.startswith("Comment holds an e-mail address (a…@example.com)")
    [area] = doc.xpath("//textarea")
    assert area.get("aria-invalid") == "true" and area.get("autofocus") is not None
    assert doc.xpath("//head/*[1]")[0].tag == "base"
    assert doc.xpath("//base/@href") == ["https://kb.example.org/blog/p/"]
    assert doc.xpath("//title/text()") == ["Your comment was not sent – A post"]


def test_a_message_about_no_field_heads_the_form_and_keeps_the_notes_of_others() -> None:
    doc = fill({"post": "p", "author": "Ann", "comment": "Hi"}, None, "Too many comments; try again in 60 s")
    [note] = doc.xpath("//form/*[1]")
    assert note.get("class") == "kb-reply__refused" and note.get("role") == "alert"
    assert note.text == "Too many comments; try again in 60 s."
    email = fill({"email": "x"}, "email", "`email`: this is not an e-mail address")
    assert email.xpath("//input[@name='email']/@aria-describedby") == ["reply-email-error reply-email-note"]
    assert reader_message("`author`: your name is required", "Name") == "Your name is required."
    assert refilled_page(b"<html><body><p>No form</p></body></html>", {}, None, "x", "/") is None


def test_only_pages_inside_the_built_site_are_filled(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "blog" / "p").mkdir(parents=True)
    (site / "blog" / "p" / "index.html").write_bytes(PAGE)
    (tmp_path / "secret.html").write_text("x")
    url = "https://kb.example.org/"
    assert page_file(site, url, url + "blog/p/") == (site / "blog" / "p" / "index.html").resolve()
    assert page_file(site, url, url + "blog/p/index.html?x=1#y") == (site / "blog/p/index.html").resolve()
    for outside in (url + "../secret.html", url + "blog/../../secret.html", "https://other.example/blog/p/",
                    url + "blog/missing/"):
        assert page_file(site, url, outside) is None, outside


hostile = st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\x07\x1b\ud800\ufffe<>&\"'\u202e"),
                  max_size=60)


def as_html_reads(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=60, deadline=None)
@given(author=hostile, comment=hostile, message=hostile)
def test_any_typed_text_comes_back_as_text_in_the_form(author: str, comment: str, message: str) -> None:
    doc = fill({"post": "p", "author": author, "comment": comment}, "author", message)
    # HTML reads a carriage return in its text as a line feed (as a browser does), attributes too.
    assert doc.xpath("//input[@name='author']/@value") == [as_html_reads(markable(author))]
    shown = "".join(doc.xpath("//textarea/text()"))
    expected = as_html_reads(markable(comment))
    assert shown == expected or "\n" + shown == expected  # a textarea drops one leading line break
    assert len(doc.xpath("//form//*[@class='kb-reply__error']")) == 1
    assert doc.xpath("//script") == [] and len(doc.xpath("//form")) == 1


def test_the_rules_the_page_reads_are_the_rules_modules() -> None:
    from kb_engine.comments import rules

    exported = form_rules()
    assert exported["limits"] == {"author": rules.AUTHOR_MAX, "email": rules.EMAIL_MAX,
                                  "website": rules.WEBSITE_MAX, "body": rules.BODY_MAX}
    assert rules.email_problem("") == exported["required"]["email"]  # type: ignore[index]
    assert rules.author_problem("  ") == exported["required"]["author"]  # type: ignore[index]
    assert rules.body_problem("   ") == exported["required"]["body"]  # type: ignore[index]
    assert rules.email_problem("nope") == exported["email"]["message"]  # type: ignore[index]


def test_the_site_a_manifest_belongs_to() -> None:
    from kb_engine.core.manifest import site_dir_of

    assert site_dir_of(Path("/srv/kb/site/comments/posts.json")) == Path("/srv/kb/site")
    assert site_dir_of(Path("/srv/kb/manifest.json")) is None
