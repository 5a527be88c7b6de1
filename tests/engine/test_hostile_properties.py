"""Properties of every gate, on one strategy of hostile comments (tests/hostile_strategies.py).

- The intake (the real app, in process) never answers 5xx and never raises;
  its refusals and its log hold no address.
- Whatever it acknowledges is approved into a comment file that holds no
  address, passes the content check, and builds strictly; the built page,
  both comment feeds and the search index hold none of the addresses the
  comments spelled, nor any commenter's private address.
- Any hostile text in a comment file: the check reports problems, never
  raises, and what it accepts publishes no address.

A bounded run (seconds); ``tests/fuzz/hostile_fuzz.py`` runs the same
properties for longer, against the real service over HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from enginesite import COMMENTS_POST as SOURCE_POST
from enginesite import COMMENTS_URL as SOURCE_URL
from enginesite import copy_engine_site
from hostile_gates import Gates
from hostile_strategies import HostileComment, holds_address, hostile_comments, hostile_texts
from kb_engine.comments.model import parse_comment
from kb_engine.core.manifest import Manifest, PostEntry
from kb_engine.intake.app import create_app
from kb_engine.intake.queue import Queue
from kb_engine.intake.settings import IntakeSettings, RateLimit

KEY = b"hostile-properties-key-0123456789"
EXAMPLES = 40  # the bounded run; the fuzz script runs thousands
MANIFEST = Manifest("https://bread.example.org/", {
    SOURCE_POST: PostEntry(SOURCE_POST, "Good customers", f"https://bread.example.org/{SOURCE_URL}"),
})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def intake_log() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("kb_engine.intake")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_every_gate_on_hostile_comments(tmp_path: Path, intake_log: _Collect) -> None:
    project = tmp_path / "project"
    copy_engine_site(project)
    queue = Queue(tmp_path / "queue")
    app = create_app(IntakeSettings(queue_dir=queue.root, manifest=lambda: MANIFEST, key=KEY,
                                    redirect_base="https://bread.example.org/",
                                    rate=RateLimit(burst=100_000, window=1.0)))
    client = app.test_client()

    def post(body: bytes) -> tuple[int, str]:
        reply = client.post("/comment", data=body, headers={"Content-Type": "application/json",
                                                            "Accept": "application/json"})
        return reply.status_code, reply.get_data(as_text=True)

    gates = Gates(project, queue, post, KEY, post_id=SOURCE_POST, post_url=SOURCE_URL)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(hostile_comments(SOURCE_POST))
    @example(HostileComment({"post": SOURCE_POST, "author": "Zoë <b>", "email": "ann@bücher.de",
                             "website": "https://example.net/@alice", "reply_to": "",
                             "comment": "Pin lodash@4.17.21 &amp; @types/node@18.11.9\n\n<p>5@3.50</p>"},
                            ("ann@bücher.de",)))
    def through_the_intake(comment: HostileComment) -> None:
        gates.submit(comment)

    through_the_intake()
    log = "\n".join(intake_log.lines)
    assert "Traceback" not in log
    assert holds_address(log, gates.addresses) is None
    assert gates.accepted, "the strategy produced no comment the intake accepts"
    gates.build_and_search(tmp_path / "site")


FILE_FIELDS = ("author", "website", "body", "reply_to", "kind")


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(field=st.sampled_from(FILE_FIELDS), hostile=hostile_texts(), raw=st.booleans())
def test_the_check_never_raises_on_a_hostile_comment_file(field: str, hostile: tuple[str, tuple[str, ...]],
                                                          raw: bool) -> None:
    text, addresses = hostile
    base = {"id": "c1", "post": SOURCE_POST, "author": "A", "date": "2026-11-28T10:00:00+00:00", "body": "Hi"}
    if raw:  # the text as it is, where a value goes: YAML reads what it can of it
        lines = [f"{k}: {v}" for k, v in base.items() if k != field]
        file_text = "\n".join([*lines, f"{field}: {text}"]) + "\n"
    else:
        try:
            file_text = yaml.safe_dump({**base, field: text}, allow_unicode=True, width=1 << 20)
        except (yaml.YAMLError, UnicodeEncodeError):
            return  # no writer can write it; the raw case covers what an editor could
    comment, problems = parse_comment(file_text, f"comments/{SOURCE_POST}/c1.yml", stem="c1",
                                      folder=SOURCE_POST, post_ids={SOURCE_POST})
    for problem in problems:
        assert holds_address(problem.message, addresses) is None, problem.message
    if comment is not None:
        for published in (comment.author, comment.website or "", comment.body):
            assert holds_address(published, addresses) is None, (file_text, published)


@pytest.mark.parametrize(
    "published",
    ["ann.45@gmail.com", "x ann.45&#64;gmail\u3002com", "\u0430nn.45<b></b>@gmail.com", "ann.45%40gmail.com",
     "<p>ann.45</p><p>@gm\u0430il\uff0ecom</p>", "ann.45\u00a0@gmail.com", "\"ann.45\"@gmail.com"],
)
def test_the_oracle_sees_an_address_in_its_spellings(published: str) -> None:
    """The properties above rest on it: it must find what a reader would read."""
    assert holds_address(published, ("ann.45@gmail.com",)) == "ann.45@gmail.com"
    assert holds_address("ivan@xn--e1afmkfd.xn--p1ai", ("ivan@пример.рф",)) == "ivan@пример.рф"


@pytest.mark.parametrize("published", ["lodash@4.17.21", "ann.46@gmail.com", "ann.45 at gmail dot com", ""])
def test_the_oracle_sees_no_other_address(published: str) -> None:
    assert holds_address(published, ("ann.45@gmail.com",)) is None
