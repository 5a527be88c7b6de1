"""The preview server's serving side, without MkDocs: build folders, swaps, live reload.

Builds here are folders the test writes by hand, published (or discarded)
the way kb_engine.preview.server does after a real build succeeds (or fails).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from kb_engine.preview.app import PreviewApp, with_live_reload
from kb_engine.preview.builds import Builds, remove_stale_runs
from kb_engine.preview.site import mount_path

PAGE = b"<!doctype html><html><head><title>%s</title></head><body><p>%s</p></body></html>"
SCRIPT = re.compile(rb"<script>\nvar livereload = function.*?livereload\((\d+), \d+\);\n</script>", re.S)


def write_build(builds: Builds, version: str) -> Path:
    folder = builds.new_dir()
    (folder / "blog" / "post").mkdir(parents=True)
    (folder / "index.html").write_bytes(PAGE % (b"Home", version.encode()))
    (folder / "blog" / "post" / "index.html").write_bytes(PAGE % (b"Post", version.encode()))
    (folder / "404.html").write_bytes(PAGE % (b"Missing", b"No such page"))
    (folder / "feed.xml").write_bytes(b"<?xml version='1.0'?><rss>" + version.encode() + b"</rss>")
    (folder / "comments").mkdir()
    (folder / "comments" / "posts.json").write_text(f'{{"version": {version[1:]}}}', encoding="utf-8")
    return folder


@pytest.fixture
def builds(tmp_path: Path) -> Iterable[Builds]:
    made = Builds(tmp_path / "var" / "preview")
    yield made
    made.close()


def client(builds: Builds, intake: Any = None, mount: str = "/") -> Client:
    return Client(PreviewApp(builds, mount, lambda: intake, poll_seconds=0.5))


def without_script(body: bytes) -> bytes:
    return SCRIPT.sub(b"", body)


def test_before_the_first_build_a_page_says_so_and_reloads(builds: Builds) -> None:
    response = client(builds).get("/")
    assert response.status_code == 503
    assert b"Building the site" in response.data and SCRIPT.search(response.data)
    builds.discard(builds.new_dir(), "mkdocs.yml:3: <bad> value")
    response = client(builds).get("/blog/post/")
    assert response.status_code == 503
    assert b"The build failed" in response.data and b"mkdocs.yml:3: &lt;bad&gt; value" in response.data


def test_files_folders_and_missing_pages(builds: Builds) -> None:
    builds.publish(write_build(builds, "v1"))
    web = client(builds)
    home = web.get("/")
    assert home.status_code == 200 and home.mimetype == "text/html"
    assert without_script(home.data) == PAGE % (b"Home", b"v1")
    assert with_live_reload(PAGE % (b"Home", b"v1"), 5).endswith(b"</script></body></html>")
    feed = web.get("/feed.xml")
    assert feed.status_code == 200 and feed.data == b"<?xml version='1.0'?><rss>v1</rss>"  # untouched
    assert feed.mimetype in ("application/xml", "text/xml")
    folder = web.get("/blog/post?comment=pending")
    assert folder.status_code == 302 and folder.headers["Location"].endswith("/blog/post/")
    assert without_script(web.get("/blog/post/?comment=pending").data) == PAGE % (b"Post", b"v1")
    missing = web.get("/no/such/page/")
    assert missing.status_code == 404 and b"No such page" in missing.data
    for escape in ("/../../../etc/passwd", "/blog/../../var/preview", "/%2e%2e/%2e%2e/etc/passwd"):
        assert web.get(escape).status_code == 404


def test_a_site_under_a_path_is_served_there(builds: Builds) -> None:
    assert mount_path("https://example.org/kb") == mount_path("https://example.org/kb/") == "/kb/"
    assert mount_path("https://example.org") == mount_path(None) == "/"
    builds.publish(write_build(builds, "v1"))
    web = client(builds, mount="/kb/")
    assert web.get("/").headers["Location"] == "/kb/"
    assert without_script(web.get("/kb/blog/post/").data) == PAGE % (b"Post", b"v1")
    assert web.get("/blog/post/").status_code == 404


def test_a_rebuild_under_way_or_failed_leaves_the_previous_site_served(builds: Builds) -> None:
    first = write_build(builds, "v1")
    builds.publish(first)
    web = client(builds)
    [epoch] = SCRIPT.findall(web.get("/").data)
    half = write_build(builds, "v2")  # written, not yet published: a rebuild under way
    (half / "index.html").unlink()
    assert without_script(web.get("/").data) == PAGE % (b"Home", b"v1")
    builds.discard(half, "boom")
    assert not half.exists()
    assert without_script(web.get("/").data) == PAGE % (b"Home", b"v1")
    assert SCRIPT.findall(web.get("/").data) == [epoch]  # nothing to reload
    assert builds.manifest.read_text(encoding="utf-8") == '{"version": 1}'

    second = write_build(builds, "v3")
    builds.publish(second)
    assert without_script(web.get("/blog/post/").data) == PAGE % (b"Post", b"v3")
    assert int(SCRIPT.findall(web.get("/").data)[0]) > int(epoch)
    assert builds.manifest.read_text(encoding="utf-8") == '{"version": 3}'
    assert first.exists()  # kept one swap longer, for downloads still reading it
    builds.publish(write_build(builds, "v4"))
    assert not first.exists() and second.exists()


def test_live_reload_answers_when_a_newer_build_is_published(builds: Builds) -> None:
    builds.publish(write_build(builds, "v1"))
    web = client(builds)
    [epoch] = SCRIPT.findall(web.get("/").data)
    started = time.monotonic()
    assert web.get(f"/livereload/{int(epoch)}/1").data == epoch  # nothing newer: answered at the limit
    assert time.monotonic() - started >= 0.5
    answers: list[bytes] = []
    patient = Client(PreviewApp(builds, "/", lambda: None, poll_seconds=30))
    waiting = threading.Thread(target=lambda: answers.append(patient.get(f"/livereload/{int(epoch)}/2").data))
    waiting.start()
    time.sleep(0.2)
    assert answers == []
    builds.publish(write_build(builds, "v2"))
    waiting.join(timeout=10)
    assert answers and int(answers[0]) > int(epoch)
    assert answers[0] == SCRIPT.findall(web.get("/").data)[0]


def test_comments_go_to_the_intake_once_there_is_one(builds: Builds) -> None:
    assert client(builds).post("/comment", data={"a": "b"}).status_code == 503
    seen: list[str] = []

    def intake(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["REQUEST_METHOD"])
        start_response("303 See Other", [("Location", "http://x/")])
        return []

    assert client(builds, intake=intake).post("/comment", data={"a": "b"}).status_code == 303
    assert seen == ["POST"]


def test_folders_of_previews_that_stopped_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "preview"
    (root / "999999999-dead").mkdir(parents=True)
    (root / "999999999-dead" / "index.html").write_text("old", encoding="utf-8")
    (root / "1-init").mkdir()  # pid 1 runs: not ours to remove
    (root / "notes").mkdir()
    remove_stale_runs(root)
    assert sorted(p.name for p in root.iterdir()) == ["1-init", "notes"]
