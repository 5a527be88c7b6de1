"""One corpus of hostile comments (tests/data/hostile-comments.yml) through every gate.

The gates: the intake service over HTTP (the real service on loopback), the
content check (``kb-engine check``, what ``dev.py check`` runs) on comment files,
and a strict in-process build. Each must refuse exactly the refused cases,
naming the same field; what the intake accepts is approved through the
moderation code that writes comment files, and must then pass the check and
the strict build. The built page, both comment feeds and the search index
are then searched for any e-mail address in any encoding, and the feeds
must pass the strict feed checker.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from enginesite import COMMENTS_POST as SOURCE_POST
from enginesite import COMMENTS_URL as SOURCE_URL
from enginesite import SITE_URL, copy_engine_site
from feedcheck import check_rss
from hostile_gates import texts_of
from htmlcheck import validate
from intake_server import Intake, Reply, comment, running_intake, write_manifest
from kb_engine.comments.identity import email_hash
from kb_engine.comments.readerview import fold
from kb_engine.comments.rules import content_problems
from kb_engine.feeds.paths import SITE_COMMENTS_PATH, post_comments_feed_path
from kb_engine.intake.queue import Queue
from kb_engine.moderation import actions
from sitebuild import TEST_DATA, BuildFailed, build_site, set_plugin_options

CORPUS = TEST_DATA / "hostile-comments.yml"
KEY = b"hostile-comments-test-key-0123456789"
FOLDER = f"comments/{SOURCE_POST}"
DATE = "2026-11-28T10:00:00+00:00"
# The intake's names for the fields a comment file calls author, website, body.
FORM_NAMES = {"author": "author", "website": "website", "body": "comment", "email": "email"}
FILE_NAMES = {"author": "author", "website": "website", "comment": "body"}
# Any address at all, with no exception for handles: used on the built output.
ANY_ADDRESS = re.compile(r"[\w.%+'-]+@(?:\[[0-9.]+\]|[\w-]+(?:\.[\w-]+)+)")


@dataclass(frozen=True)
class Case:
    number: int
    name: str
    fields: dict[str, str]  # as typed into the form
    yaml_spelling: dict[str, str]  # form name -> YAML scalar, for the comment file
    refused: str | None  # "author", "website", "body" or "email"
    because: str
    intake_status: int
    file_because: str | None

    @property
    def id(self) -> str:
        return f"20261128-{self.number:08x}"

    @property
    def file(self) -> str:
        return f"{FOLDER}/{self.id}.yml"

    @property
    def in_files(self) -> bool:
        """The e-mail address never reaches a file: its cases are the intake's alone."""
        return self.refused != "email"

    def form(self) -> dict[str, str]:
        fields = {"email": f"case{self.number}@example.com", **self.fields}
        return comment(f"Case {self.number}: nothing to see.", **{"post": SOURCE_POST, **fields})

    def file_text(self) -> str:
        typed = self.form()
        lines = [f"id: {self.id}", f"post: {SOURCE_POST}"]
        for form_name, file_name in FILE_NAMES.items():
            value = typed.get(form_name, "")
            if form_name in self.yaml_spelling:
                lines.append(f"{file_name}: {self.yaml_spelling[form_name]}")
            elif value or file_name != "website":
                dumped = yaml.safe_dump({file_name: value}, allow_unicode=True, width=1 << 30)
                lines.append(dumped.rstrip("\n").removesuffix("\n..."))
        lines.append(f"date: {DATE}")
        return "\n".join(lines) + "\n"


def load_cases() -> list[Case]:
    raw: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    cases = []
    for number, entry in enumerate(raw, start=1):
        fields = dict(entry["fields"])
        if "repeat" in entry:
            fields = {k: v * entry["repeat"] for k, v in fields.items()}
        cases.append(Case(number, entry["name"], fields, dict(entry.get("yaml", {})), entry.get("refused"),
                          entry.get("because", ""), entry.get("intake", 422), entry.get("file")))
    return cases


CASES = load_cases()
REFUSED = [c for c in CASES if c.refused]
ACCEPTED = [c for c in CASES if not c.refused]


def test_the_corpus_is_what_it_says() -> None:
    assert len(REFUSED) >= 35 and len(ACCEPTED) >= 10
    for case in CASES:
        # The YAML spelling decodes to what the reader typed.
        for name, spelling in case.yaml_spelling.items():
            assert yaml.safe_load(f"v: {spelling}")["v"] == case.fields[name], case.name


# --- the rules module itself -------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.in_files], ids=lambda c: c.name)
def test_the_rules_module_decides_each_case(case: Case) -> None:
    typed = case.form()
    found = content_problems(" ".join(typed["author"].split()), typed["website"].strip() or None,
                             typed["comment"])
    if case.refused is None:
        assert found == []
    else:
        assert found and found[0].field == case.refused and case.because in found[0].message, found


# --- gate 1: the intake service, over HTTP -----------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    # No reply form: its hints show an example address (name@example.com) the search below would find.
    set_plugin_options(copy_engine_site(root / "project"), "kb-reply", intake_url=None)
    return root / "project"


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    root = tmp_path_factory.mktemp("hostile-intake")
    manifest = write_manifest(root / "site" / "comments" / "posts.json", post_id=SOURCE_POST,
                              post_url=SITE_URL + SOURCE_URL, site_url=SITE_URL)
    with running_intake(root / "queue", manifest) as server:
        yield server


def send(intake: Intake, fields: dict[str, str], client: str) -> Reply:
    """POST the fields as JSON; a service that answers before reading it all is heard too."""
    body = json.dumps(fields).encode()
    conn = http.client.HTTPConnection(intake.host, intake.port, timeout=60)
    try:
        try:
            conn.request("POST", "/comment", body=body,
                         headers={"Content-Type": "application/json", "X-Forwarded-For": client})
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the end of the body: its answer is waiting
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def approved(intake: Intake, project: Path) -> dict[int, Path]:
    """Every case sent to the intake; what it accepts approved into the project copy."""
    queue = Queue(intake.queue)
    files: dict[int, Path] = {}
    for case in CASES:
        reply = send(intake, case.form(), client=f"10.9.{case.number // 256}.{case.number % 256}")
        if case.refused:
            assert reply.status == case.intake_status, (case.name, reply.status, reply.text)
            if reply.status == 422:
                message = reply.json()["error"]
                assert message.startswith(f"`{FORM_NAMES[case.refused]}`:"), (case.name, message)
                assert case.because in message, (case.name, message)
            continue
        assert reply.status == 202, (case.name, reply.text)
        files[case.number] = actions.approve(queue, project, reply.json()["id"], KEY, commit=False).path
    return files


def test_the_intake_refuses_exactly_the_refused_cases(approved: dict[int, Path]) -> None:
    assert sorted(approved) == [c.number for c in ACCEPTED]


def test_no_address_reaches_an_approved_file(approved: dict[int, Path]) -> None:
    for case in ACCEPTED:
        text = approved[case.number].read_text(encoding="utf-8")
        assert "@example.com" not in text and f"case{case.number}" not in text
        assert email_hash(f"case{case.number}@example.com", KEY) in text


# --- gates 2 and 3: the check and the strict build, on comment files ---------


@pytest.fixture(scope="module")
def hostile_project(project: Path, approved: dict[int, Path]) -> Path:
    """The project with the approved files and one file per case."""
    folder = project / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        if case.in_files:
            (folder / f"{case.id}.yml").write_text(case.file_text(), encoding="utf-8")
    return project


def problem_lines(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        file = line.split(":", 1)[0]
        found.setdefault(file, []).append(line)
    return found


def assert_gate_agrees(lines: dict[str, list[str]], approved: dict[int, Path], gate: str) -> None:
    for case in CASES:
        if not case.in_files:
            continue
        mine = lines.get(case.file, [])
        if case.refused is None:
            assert mine == [], (gate, case.name, mine)
        elif case.file_because:
            assert len(mine) == 1 and case.file_because in mine[0], (gate, case.name, mine)
        else:
            assert len(mine) == 1, (gate, case.name, mine)
            assert f": `{case.refused}`: " in mine[0] and case.because in mine[0], (gate, case.name, mine)
            assert "gmail" not in mine[0].split("(")[0]  # the address is masked, not repeated
    for path in approved.values():
        assert f"{FOLDER}/{path.name}" not in lines, (gate, lines[f"{FOLDER}/{path.name}"])


def test_the_content_check_refuses_the_same_cases(hostile_project: Path, approved: dict[int, Path]) -> None:
    result = subprocess.run([sys.executable, "-m", "kb_engine.cli.check"], cwd=hostile_project, capture_output=True,
                            text=True, check=False, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert_gate_agrees(problem_lines(result.stderr), approved, "check")


def test_the_strict_build_refuses_the_same_cases(hostile_project: Path, approved: dict[int, Path],
                                                 tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build_site(hostile_project / "mkdocs.yml", tmp_path / "site")
    assert_gate_agrees(problem_lines("\n".join(failed.value.errors)), approved, "build")


# --- what is accepted, built: no address anywhere ----------------------------


def views(text: str) -> set[str]:
    """Every way a reader or a program could read ``text``: decoded, unescaped, folded."""
    once = html.unescape(unquote(html.unescape(text)))
    found = {text, once, unquote(once), html.unescape(unquote(once))}
    found |= {unicodedata.normalize("NFKC", "".join(c for c in v if unicodedata.category(c) != "Cf"))
              for v in list(found)}
    found |= {fold(v) for v in list(found)}  # as a reader sees it: invisible gone, look-alikes mapped
    found |= {re.sub(r"<[^>]*>", "", v) for v in list(found)}  # tags dropped, text joined
    return found


def addresses_in(text: str) -> set[str]:
    """Addresses in any view, a handle's "@alice@server" aside (its own leading "@").

    A domain ends in a label of letters of any script: a version (4.17.21)
    or a price (3.50) is no address.
    """
    found: set[str] = set()
    for view in views(text):
        for match in ANY_ADDRESS.finditer(view):
            if match.start() == 0 or view[match.start() - 1] != "@":
                if match.group().rsplit(".", 1)[-1].isalpha():
                    found.add(match.group())
    return found


def test_the_accepted_comments_build_strictly_and_publish_no_address(
    hostile_project: Path, approved: dict[int, Path], tmp_path: Path
) -> None:
    # Only what the intake accepted and the moderator approved: the refused files go.
    for case in CASES:
        if case.in_files:
            (hostile_project / case.file).unlink()
    try:
        site = build_site(hostile_project / "mkdocs.yml", tmp_path / "site")
    finally:
        for case in CASES:
            if case.in_files:
                (hostile_project / case.file).write_text(case.file_text(), encoding="utf-8")
    assert site.warnings == []
    page = site.text(SOURCE_URL)
    post_feed = site.path(post_comments_feed_path(SOURCE_URL)).read_bytes()
    site_feed = site.path(SITE_COMMENTS_PATH).read_bytes()
    index = json.loads(site.text("search/search_index.json"))
    published = [page, post_feed.decode(), site_feed.decode(), *texts_of(index)]
    found = set().union(*(addresses_in(text) for text in published))
    assert found == set(), found
    # Every approved comment is there, whatever its name.
    for case in ACCEPTED:
        assert approved[case.number].stem in page
    # The hostile names are plain text in the feeds: no markup-like title or creator.
    base = "https://bread.example.org/"
    assert check_rss(post_feed, base + post_comments_feed_path(SOURCE_URL)) == []
    assert check_rss(site_feed, base + SITE_COMMENTS_PATH) == []
    # And the page is valid HTML, whatever the bodies held.
    checked = tmp_path / "validate"
    checked.mkdir()
    shutil.copy(site.path(SOURCE_URL), checked / "page.html")
    assert validate(checked) == []
