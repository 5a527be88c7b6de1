"""Every gate a comment passes, run on one hostile comment at a time, with the properties checked.

Shared by the bounded property test (tests/engine/test_hostile_properties.py, the
app in process) and the long fuzz run (tests/fuzz/hostile_fuzz.py, the real
service over HTTP): the intake answers, what it acknowledges is approved
into a comment file and checked, and at the end everything accepted is
built strictly and the built output searched.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commentfixtures import SOURCE_POST, SOURCE_URL
from hostile_strategies import HostileComment, holds_address
from kb_engine.comments.model import check_comments
from kb_engine.feeds.paths import SITE_COMMENTS_PATH, post_comments_feed_path
from kb_engine.intake.queue import Queue
from kb_engine.moderation import actions
from sitebuild import Site, build_site

# Sends a JSON body to POST /comment; returns the status and the answer's text.
Poster = Callable[[bytes], tuple[int, str]]


def texts_of(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


@dataclass
class Gates:
    project: Path  # a copy of the site, where approved comments are written
    queue: Queue
    post: Poster
    key: bytes
    # The post the comments are on: the project's source post unless told.
    post_id: str = SOURCE_POST
    post_url: str = SOURCE_URL
    statuses: Counter[int] = field(default_factory=Counter)
    accepted: list[HostileComment] = field(default_factory=list)

    def submit(self, comment: HostileComment) -> int:
        """One comment through the intake, and if acknowledged, approval and the check."""
        status, answer = self.post(json.dumps(comment.fields).encode())  # JSON escapes lone surrogates
        self.statuses[status] += 1
        assert status < 500, (status, answer, comment.fields)
        assert holds_address(answer, comment.addresses) is None, answer
        if status != 202:
            assert 400 <= status < 500, (status, answer)
            return status
        comment_id = json.loads(answer)["id"]
        if self.queue.find(comment_id) is None:
            return status  # the same comment again: answered like a new one, stored once
        approval = actions.approve(self.queue, self.project, comment_id, self.key, commit=False)
        text = approval.path.read_text(encoding="utf-8")
        assert holds_address(text, comment.addresses) is None, text  # nothing committed holds one
        problems = [p for p in check_comments(self.project / "comments", {self.post_id}, self.project)
                    if p.file.endswith(approval.path.name)]
        assert problems == [], (comment.fields, problems)
        self.accepted.append(comment)
        return status

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(address for comment in self.accepted for address in comment.addresses)

    def build_and_search(self, site_dir: Path) -> Site:
        """The strict build of everything accepted: nothing published holds an address."""
        site = build_site(self.project / "mkdocs.yml", site_dir)
        assert site.warnings == [], site.warnings
        published = [
            site.text(self.post_url),
            site.path(post_comments_feed_path(self.post_url)).read_text(encoding="utf-8"),
            site.path(SITE_COMMENTS_PATH).read_text(encoding="utf-8"),
            *texts_of(json.loads(site.text("search/search_index.json"))),
        ]
        addresses = self.addresses
        for text in published:
            assert holds_address(text, addresses) is None, holds_address(text, addresses)
        return site
