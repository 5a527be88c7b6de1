"""The intake service, run for real (gunicorn on 127.0.0.1), fed good and bad comments."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from commentfixtures import VECTORS_FILE
from intake_server import POST_ID, POST_URL, Intake, comment, running_intake, write_manifest
from kb_engine.comments.rules import BODY_MAX

_clients = itertools.count(1)

# A few vectors of our own; tests/data/xss-vectors.txt (the comments feature's
# corpus) is used as well when it is present.
XSS = [
    "<script>alert(1)</script>hello",
    '<img src=x onerror="alert(1)">hello',
    '<a href="javascript:alert(1)">hello</a>',
    '<a href="http://ok.example/" onclick="alert(1)" style="color:red">hello</a>',
    "<svg onload=alert(1)><circle/></svg>hello",
    '<iframe src="https://evil.example/"></iframe>hello',
    '"><script>alert(document.cookie)</script>hello',
    "<scr<script>ipt>alert(1)</scr</script>ipt>hello",
    '<p style="background:url(javascript:alert(1))">hello</p>',
    '<a href="  JaVaScRiPt:alert(1)">hello</a>',
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>hello",
    '<form action="https://evil.example/"><input name=x></form>hello',
]
CORPUS = VECTORS_FILE


def xss_vectors() -> list[str]:
    vectors = list(XSS)
    if CORPUS.exists():
        vectors += [line for line in CORPUS.read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.startswith("#")]
    return vectors


def unique() -> str:
    """Text that makes a comment unlike any other (duplicates are refused)."""
    return uuid.uuid4().hex


def client() -> str:
    """A fresh client address (sent as X-Forwarded-For; the service trusts one proxy)."""
    n = next(_clients)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    root = tmp_path_factory.mktemp("intake")
    manifest = write_manifest(root / "site" / "comments" / "posts.json", comments=("20260101-aaaaaaaa",))
    with running_intake(root / "queue", manifest, rate="5/3600") as server:
        yield server


def stored(intake: Intake, comment_id: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((intake.queue / "pending" / f"{comment_id}.json").read_bytes())
    return data


def test_a_form_post_is_queued_and_the_reader_sent_back_to_the_post(intake: Intake) -> None:
    reply = intake.post_form(comment("First!\n\nSecond paragraph.", website="https://ann.example/"),
                             client=client())
    assert reply.status == 303
    assert reply.headers["location"] == f"{POST_URL}?comment=pending#reply-pending"
    [item] = [p for p in (intake.queue / "pending").glob("*.json")
              if json.loads(p.read_bytes())["body"].startswith("First!")]
    data = json.loads(item.read_bytes())
    assert data["id"] == item.stem
    assert data["post"] == POST_ID and data["author"] == "Ann Reader"
    assert data["email"] == "ann@example.com" and data["website"] == "https://ann.example/"
    assert data["body"] == "First!\n\nSecond paragraph."
    assert data["date"].endswith("+00:00") and data["held"] is False


def test_the_json_equivalent_answers_202_with_the_id(intake: Intake) -> None:
    reply = intake.post_json(comment("By JSON."), client=client())
    assert reply.status == 202, reply.text
    answer = reply.json()
    assert answer["status"] == "pending"
    assert stored(intake, answer["id"])["body"] == "By JSON."


@pytest.mark.parametrize("vector", xss_vectors())
def test_xss_vectors_are_stored_sanitised(intake: Intake, vector: str) -> None:
    reply = intake.post_json(comment(vector + f" {unique()}"), client=client())
    if reply.status == 422:  # nothing left once sanitised
        assert "nothing is left" in reply.json()["error"]
        return
    assert reply.status == 202, reply.text
    body = str(stored(intake, reply.json()["id"])["body"])
    tree = lxml.html.fragment_fromstring(body, create_parent="div")
    for element in tree.iter():
        assert element.tag in {"div", "a", "abbr", "acronym", "b", "blockquote", "br", "cite", "code",
                               "del", "em", "i", "p", "q", "s", "strike", "strong"}, body
        for name, value in element.attrib.items():
            assert not name.startswith("on") and name != "style", body
            assert "javascript:" not in value.lower().replace(" ", ""), body


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"author": ""}, 422, "`author`"),
        ({"author": "x" * 101}, 422, "at most 100"),
        ({"email": ""}, 422, "`email`"),
        ({"email": "not-an-address"}, 422, "not an e-mail address"),
        ({"website": "javascript:alert(1)"}, 422, "`website`"),
        ({"comment": ""}, 422, "empty"),
        ({"comment": "x" * (BODY_MAX + 1)}, 422, f"at most {BODY_MAX}"),
        ({"comment": "<script>only()</script>"}, 422, "nothing is left"),
        ({"post": ""}, 422, "`post` is required"),
        ({"post": "no-such-post"}, 404, "no published post 'no-such-post'"),
        ({"post": "../../etc/passwd"}, 404, "no published post"),
        ({"reply_to": "20990101-deadbeef"}, 422, "not an approved comment"),
    ],
)
def test_bad_fields_get_a_clear_4xx(intake: Intake, change: dict[str, str], status: int, words: str) -> None:
    reply = intake.post_json(comment(f"Unique {unique()}", **change), client=client())
    assert reply.status == status, reply.text
    assert words in reply.json()["error"]


def test_a_reply_to_an_approved_comment_is_accepted(intake: Intake) -> None:
    reply = intake.post_json(comment("Agreed.", reply_to="20260101-aaaaaaaa"), client=client())
    assert reply.status == 202, reply.text
    assert stored(intake, reply.json()["id"])["reply_to"] == "20260101-aaaaaaaa"


def test_missing_fields_in_a_browser_form_get_an_html_page_with_the_message(intake: Intake) -> None:
    reply = intake.post_form({"post": POST_ID, "comment": "No name"}, client=client())
    assert reply.status == 422
    assert reply.headers["content-type"].startswith("text/html")
    page = lxml.html.fromstring(reply.body)
    assert "your name is required" in page.findtext(".//p")
    assert page.xpath("//a/@href") == [f"{POST_URL}#respond"]


def test_a_json_value_that_is_not_text_is_refused(intake: Intake) -> None:
    reply = intake.post_json(comment(author=["a", "list"]), client=client())  # type: ignore[arg-type]
    assert reply.status == 422 and "must be text" in reply.json()["error"]


def test_a_duplicate_is_answered_like_a_fresh_comment_and_stored_once(intake: Intake) -> None:
    """No confirmation oracle: resending a comment with a guessed address tells the sender nothing."""
    fields = comment(f"Say it once {unique()}")
    first = intake.post_json(fields, client=client())
    # Same post, address (in another case) and body, other whitespace: the same comment.
    again = intake.post_json({**fields, "email": "ANN@example.com", "comment": fields["comment"] + "  "},
                             client=client())
    other = intake.post_json({**fields, "email": "someone-else@example.com"}, client=client())
    for reply in (again, other):
        assert reply.status == first.status == 202
        assert reply.headers["content-type"] == first.headers["content-type"]
        assert set(reply.json()) == set(first.json()) and reply.json()["message"] == first.json()["message"]
        assert reply.json()["id"] != first.json()["id"]
    # The form answers alike too: the same redirect, byte for byte.
    form_fields = comment(f"Form twice {unique()}")
    form_first = intake.post_form(form_fields, client=client())
    form_again = intake.post_form(form_fields, client=client())
    assert (form_first.status, form_first.headers["location"], form_first.body) == \
        (form_again.status, form_again.headers["location"], form_again.body)
    pending = [json.loads(p.read_bytes()) for p in (intake.queue / "pending").glob("*.json")]
    assert sum(c["body"] == fields["comment"] for c in pending) == 2  # the first, and the other address
    assert sum(c["body"] == form_fields["comment"] for c in pending) == 1
    assert not (intake.queue / "pending" / f"{again.json()['id']}.json").exists()


def test_queue_folders_are_private_and_markers_keyed(intake: Intake) -> None:
    reply = intake.post_json(comment(f"Private {unique()}"), client=client())
    data = stored(intake, reply.json()["id"])
    markers = list((intake.queue / ".hashes").iterdir())
    assert data["content_hash"] in {m.name for m in markers}
    # The marker is not the plain SHA-256 of the comment: it needs the key.
    plain = hashlib.sha256("\0".join((POST_ID, "ann@example.com", str(data["body"]))).encode()).hexdigest()
    assert plain not in {m.name for m in markers}
    for path in [intake.queue, *intake.queue.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_a_filled_honeypot_is_quietly_discarded(intake: Intake) -> None:
    before = set((intake.queue / "pending").iterdir())
    reply = intake.post_form({**comment("Buy now"), "fax": "spam"}, client=client())
    assert reply.status == 303 and reply.headers["location"].endswith("#reply-pending")
    assert set((intake.queue / "pending").iterdir()) == before


def test_more_than_two_links_holds_the_comment_for_review(intake: Intake) -> None:
    two = intake.post_json(comment(f'<a href="http://a.example/">a</a> http://b.example/ {unique()}'),
                           client=client())
    three = intake.post_json(comment(f"http://a.example/ https://b.example/ www.c.example {unique()}"),
                             client=client())
    assert stored(intake, two.json()["id"])["held"] is False
    item = stored(intake, three.json()["id"])
    assert item["held"] is True and item["links"] == 3


def test_oversized_requests_get_413(intake: Intake) -> None:
    big = comment("x" * 70_000)
    assert intake.post_json(big, client=client()).status == 413
    reply = intake.post_form(big, client=client())
    assert reply.status == 413 and "larger than 65536 bytes" in reply.text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"post=good-customers-good-vendors&author=\xff\xfe&email=a"),
        ("application/x-www-form-urlencoded", b"post=x&author=%ff%fe&email=a@b.c&comment=hi"),
        ("application/json", b'{"author": "\xc3\x28"}'),
        ("application/json; charset=latin-1", "{\"author\": \"Jos\u00e9\"}".encode("latin-1")),
    ],
)
def test_non_utf8_bodies_get_400(intake: Intake, content_type: str, body: bytes) -> None:
    headers = {"Content-Type": content_type, "Accept": "application/json", "X-Forwarded-For": client()}
    reply = intake.request("POST", "/comment", body, headers)
    assert reply.status == 400
    assert reply.json()["error"] == "The request is not valid UTF-8."


def test_other_requests_get_clear_answers(intake: Intake) -> None:
    json_accept = {"Accept": "application/json"}
    assert intake.request("GET", "/comment", headers=json_accept).status == 405
    assert intake.request("GET", "/nowhere", headers=json_accept).status == 404
    text = intake.request("POST", "/comment", b"hello", {**json_accept, "Content-Type": "text/plain",
                                                          "X-Forwarded-For": client()})
    assert text.status == 415 and "form" in text.json()["error"]
    not_json = intake.request("POST", "/comment", b"{nope", {"Content-Type": "application/json",
                                                             "X-Forwarded-For": client()})
    assert not_json.status == 400 and not_json.json()["error"] == "The request is not valid JSON."
    array = intake.post_json(["a"], client=client())
    assert array.status == 400
    twice = intake.request("POST", "/comment", b"author=a&author=b",
                           {**json_accept, "Content-Type": "application/x-www-form-urlencoded",
                            "X-Forwarded-For": client()})
    assert twice.status == 400 and "more than once" in twice.json()["error"]


def test_a_post_from_another_site_is_refused(intake: Intake) -> None:
    reply = intake.post_form(comment(f"Cross {unique()}"), client=client(),
                             Origin="https://evil.example", Accept="application/json")
    assert reply.status == 403 and "https://kb.example.org" in reply.json()["error"]
    ours = intake.post_form(comment(f"Same site {unique()}"), client=client(),
                            Origin="https://kb.example.org")
    assert ours.status == 303


def test_a_flood_from_one_client_gets_429_and_other_clients_are_unaffected(intake: Intake) -> None:
    flooder = client()
    answers = [intake.post_json(comment(f"Flood {i} {unique()}"), client=flooder).status
               for i in range(8)]
    assert answers[:5] == [202] * 5
    assert answers[5:] == [429] * 3
    limited = intake.post_json(comment("one more"), client=flooder)
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many comments" in limited.json()["error"]
    assert intake.post_json(comment(f"Someone else {unique()}"), client=client()).status == 202


def test_garbage_never_gets_a_5xx(intake: Intake) -> None:
    rng = random.Random(7)  # noqa: S311 - reproducible garbage, not secrets
    kinds = ["application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=xx",
             "multipart/form-data", "text/plain", "", "application/json; charset=utf-16"]
    seeds = [b"post=good-customers-good-vendors&author=a&email=a@b.c&comment=", b'{"post": ', b"--xx\r\n",
             b"%", b"&&==&", b"\x00\x00", b'{"comment": {"a": 1}}', b"null", b"[]", b'"x"', b"1e999999"]
    for i in range(300):
        body = rng.choice(seeds) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        headers = {"Content-Type": rng.choice(kinds), "X-Forwarded-For": client()}
        if rng.random() < 0.3:
            headers["Accept"] = "application/json"
        reply = intake.request(rng.choice(["POST", "POST", "POST", "PUT", "GET"]), "/comment", body, headers)
        assert 200 <= reply.status < 500, (i, body, headers, reply.status, reply.text)
    assert intake.request("GET", "/healthz").status == 200
    assert "Traceback" not in intake.log.read_text(errors="replace")


def test_garbage_in_every_field_never_gets_a_5xx(intake: Intake) -> None:
    rng = random.Random(11)  # noqa: S311 - reproducible garbage, not secrets
    alphabet = "aé\u0000\u202e<>&\"'/\\\n\r\t\ud7ff\U0001f600%{}[]=;:@ "
    for _ in range(150):
        fields = comment()
        for name in rng.sample(sorted(fields), rng.randrange(1, len(fields) + 1)):
            fields[name] = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 120)))
        reply = intake.post_form(fields, client=client(), Accept="application/json")
        assert reply.status in (202, 400, 404, 409, 422), (fields, reply.status, reply.text)


def test_load_500_submissions_from_20_clients_are_each_stored_once(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    bodies = [f"Load test comment number {n}." for n in range(500)]
    results: dict[str, str] = {}
    errors: list[str] = []
    lock = threading.Lock()

    options = ("--threads", "8",)
    with running_intake(queue, manifest, rate="100000/1", args=options) as server:

        def worker(start: int) -> None:
            for n in range(start, 500, 20):
                reply = server.post_json(comment(bodies[n], email=f"reader{n}@example.com"),
                                         client=f"192.0.2.{start}")
                with lock:
                    if reply.status == 202:
                        results[bodies[n]] = reply.json()["id"]
                    else:
                        errors.append(f"{n}: {reply.status} {reply.text}")

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        elapsed = time.monotonic() - started

    assert errors == []
    assert len(results) == 500 and len(set(results.values())) == 500
    files = sorted((queue / "pending").iterdir())
    assert len(files) == 500
    stored_bodies = sorted(json.loads(f.read_bytes())["body"] for f in files)
    assert stored_bodies == sorted(bodies)
    for f in files:
        assert json.loads(f.read_bytes())["id"] == f.stem
    print(f"500 submissions from 20 clients in {elapsed:.1f} s")
