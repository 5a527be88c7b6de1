"""One rule for an http(s) address (kb_engine.core.urls), and every gate that takes one agreeing with it.

The gates: ``site_url`` (build and ``check``), ``plugins.kb-reply.intake_url``,
the posts manifest's ``site_url`` and post URLs, the intake's
``KB_INTAKE_SITE_URL`` and ``KB_INTAKE_WEBHOOK_URL``, a comment's website (the
comment rules, the intake, a comment file read by ``check`` and the build) and
the WordPress import (a commenter's website, an ``[embed]`` link). One strategy
of hostile addresses (tests/hostile_strategies.py) goes through all of them.
Each gate's verdict is the core's on the text as that gate reads it (the
intake's variables and form fields are trimmed of surrounding white space; a
YAML or JSON value is taken as it is); a comment's website may in addition be
refused for an e-mail address in it, like every published field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings

from hostile_strategies import hostile_urls
from kb_engine.comments.model import parse_comment
from kb_engine.comments.rules import WEBSITE_MAX, may_hold_at_sign, website_problem
from kb_engine.core.manifest import Manifest, ManifestError, PostEntry, parse_manifest
from kb_engine.core.settings import site_url_problem
from kb_engine.core.urls import MAX_LENGTH, http_url_problem, is_http_url, origin_of
from kb_engine.intake.settings import SITE_URL_ENV, WEBHOOK_ENV, IntakeSettings, SettingsError
from kb_engine.intake.validation import Submission, check_submission
from kb_engine.reply.settings import ReplySettings
from kb_engine.wordpress.plan import imported_website
from kb_engine.wordpress.shortcodes import expand

POST = "p"
MANIFEST = Manifest("https://kb.example.org/", {POST: PostEntry(POST, "P", "https://kb.example.org/p/")})


def site_url_gate(url: str) -> bool:
    config: Any = SimpleNamespace(site_url=url, config_file_path="mkdocs.yml")
    return site_url_problem(config) is None


def reply_setting_gate(url: str) -> bool:
    section = ReplySettings()
    section.load_dict({"intake_url": url})
    errors, _ = section.validate()
    return not errors


def manifest_gate(site_url: str, post_url: str) -> bool:
    text = json.dumps({"version": 1, "site_url": site_url,
                       "posts": [{"id": POST, "title": "P", "url": post_url, "comments": []}]})
    try:
        parse_manifest(text, "posts.json")
    except ManifestError:
        return False
    return True


def intake_variable_problems(env: dict[str, str]) -> list[str]:
    try:
        IntakeSettings.from_env({"KB_INTAKE_QUEUE": "/nonexistent/queue", "KB_COMMENT_KEY": "k" * 32,
                                 "KB_INTAKE_MANIFEST": "/nonexistent/m", **env})
    except SettingsError as error:
        return error.problems
    return []


def intake_site_url_gate(url: str) -> bool:
    return not any(p.startswith(f"{SITE_URL_ENV}=") for p in intake_variable_problems({SITE_URL_ENV: url}))


def webhook_gate(url: str) -> bool:
    return not any(p.startswith(WEBHOOK_ENV) for p in intake_variable_problems({WEBHOOK_ENV: url}))


def intake_website_gate(url: str) -> bool:
    fields = {"post": POST, "author": "Ann", "email": "reader@example.com", "website": url, "comment": "Hi"}
    result = check_submission(fields, MANIFEST)
    return isinstance(result, Submission) or result.field != "website"


def comment_file_gate(text: str) -> bool:
    comment, problems = parse_comment(text, f"comments/{POST}/c1.yml", stem="c1", folder=POST,
                                      post_ids={POST})
    return comment is not None or not any("`website`" in p.message for p in problems)


def embed_gate(url: str) -> bool:
    return "<a href=" in expand(f"[embed]{url}[/embed]", {}, []).html


def core(url: str, **options: Any) -> bool:
    return http_url_problem(url, **options) is None


def website_agrees(accepted: bool, url: str) -> None:
    """The comment's website: the core's verdict, or refused for an address in it."""
    if not core(url, max_length=WEBSITE_MAX):
        assert not accepted, url
    elif not may_hold_at_sign(url):
        assert accepted, url


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_urls().filter(lambda url: url.strip()))
@example("https://kb.example.org/")
@example("https://ann@example.com/")
@example("https://kb.example.org:0/")
@example("https://xn--zz/")
@example(" https://kb.example.org/ ")
@example("https://kb.example.org/?q=1")
def test_every_gate_agrees_with_the_core(url: str) -> None:
    trimmed = url.strip()
    assert site_url_gate(url) == core(url, base=True), url
    assert reply_setting_gate(url) == core(url), url
    assert manifest_gate(url, "https://kb.example.org/p/") == core(url, base=True), url
    assert manifest_gate("https://kb.example.org/", url) == core(url), url
    assert intake_site_url_gate(url) == core(trimmed, base=True), url
    assert webhook_gate(url) == core(trimmed), url
    if core(trimmed, base=True):
        assert origin_of(trimmed), url
    website_agrees(website_problem(url) is None, url)
    website_agrees(intake_website_gate(url), trimmed)
    website_agrees(imported_website(url) is not None, trimmed)
    try:
        text = yaml.safe_dump({"id": "c1", "post": POST, "author": "A", "date": "2026-11-28T10:00:00+00:00",
                               "body": "Hi", "website": url}, allow_unicode=True, width=1 << 20)
    except (yaml.YAMLError, UnicodeEncodeError):
        text = None  # no writer can write it
    if text is not None:
        read = yaml.safe_load(text)["website"]  # what YAML gives back (line breaks folded, say)
        website_agrees(comment_file_gate(text), read)
    # An [embed] link (not one with markup in it: the text escaped around it is then read as a bare address).
    if not any(c in url for c in "[]<>\"'&"):
        assert embed_gate(url) == core(trimmed), url


ACCEPTED = [
    "https://kb.example.org/", "http://kb.example.org", "HTTPS://Example.NET/a/b?c=d#e", "https://bücher.de/",
    "https://xn--bcher-kva.de/", "https://пример.рф/путь", "http://127.0.0.1:8000/", "http://[::1]:8080/",
    "https://a_b.example/", "https://host./", "https://example.net:65535/", "https://example.net/%41",
    "https://localhost/",
]
REFUSED = {
    "ftp://kb.example.org/": "is not an http:// or https:// URL",
    "javascript:alert(1)": "is not an http:// or https:// URL",
    "https://": "is not an http:// or https:// URL",
    "https:/kb.example.org/": "is not an http:// or https:// URL",
    "//kb.example.org/": "is not an http:// or https:// URL",
    "https://a:pw@host/": "user name or password",
    "https://@host/": "user name or password",
    "https://example.net:0/": "is not a web address",
    "https://example.net:65536/": "is not a web address",
    "https://example.net:x/": "is not a web address",
    "https://[::1/": "is not a web address",
    "https://xn--zz/": "does not name a host",
    "https://-bad.example/": "does not name a host",
    "https://ex..ample/": "does not name a host",
    "https://" + "a" * 64 + ".example/": "does not name a host",
    "https://ex ample.org/": "holds a space",
    "https://example.net/a b": "holds a space",
    "https://example.net/\u202e": "invisible or control character (U+202E)",
    "https://example.net/\x00": "invisible or control character (U+0000)",
    "https://example.net/<b>": "holds '<'",
    "https://example.net/%": "holds '%'",
    "https://example.net/" + "x" * MAX_LENGTH: "characters long; the limit is 2000",
}


@pytest.mark.parametrize("url", ACCEPTED)
def test_addresses_the_rule_takes(url: str) -> None:
    assert http_url_problem(url) is None and is_http_url(url)


@pytest.mark.parametrize(("url", "said"), REFUSED.items())
def test_addresses_the_rule_refuses_say_why(url: str, said: str) -> None:
    problem = http_url_problem(url)
    assert problem is not None and said in problem and "\n" not in problem


@pytest.mark.parametrize(("url", "said"), [("https://kb.example.org/?q=1", "no '?' query or '#' fragment"),
                                           ("https://kb.example.org/#top", "no '?' query"),
                                           ("https://kb.example.org/?", "no '?' query")])
def test_an_address_others_are_joined_to_ends_with_its_path(url: str, said: str) -> None:
    assert http_url_problem(url) is None
    problem = http_url_problem(url, base=True)
    assert problem is not None and said in problem


@pytest.mark.parametrize("url", ["ann@gmail.com", "https://ann＠gmail.com:x/", "mailto:ann%40gmail.com",
                                 "https://example.net:x/?to=ann@gmail.com"])
def test_a_message_never_repeats_a_value_that_may_hold_an_address(url: str) -> None:
    problem = http_url_problem(url)
    assert problem is not None and "gmail" not in problem


@pytest.mark.parametrize(("url", "origin"), [
    ("https://Kb.Example.org/a/", "https://kb.example.org"), ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("ftp://x/", ""), ("https://a:b@x/", ""), ("https://x:0/", ""),
])
def test_the_origin_of_an_address(url: str, origin: str) -> None:
    assert origin_of(url) == origin


GATES: list[tuple[str, Callable[[str], bool]]] = [
    ("site_url", site_url_gate), ("kb-reply", reply_setting_gate),
    ("intake site", intake_site_url_gate), ("webhook", webhook_gate),
]


@pytest.mark.parametrize(("name", "gate"), GATES)
def test_the_settings_gates_refuse_what_they_once_let_through(name: str, gate: Callable[[str], bool]) -> None:
    """Each of these once had a rule of its own that took these."""
    for url in ("https://a:pw@kb.example.org/", "https://kb.example.org:0/", "https://xn--zz/",
                "https://kb.example.org/a b"):
        assert not gate(url), (name, url)
