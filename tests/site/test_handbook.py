"""The README is short and maps the manual; the manual (handbook/) is one file per topic, every
file reached from the README, every relative link in either pointing at a file that exists, and
every `python3 dev.py` command it names a real one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import PROJECT

README = PROJECT / "README.md"
HANDBOOK = PROJECT / "handbook"
TOPICS = ("writing-and-publishing", "comments-and-moderation", "running-the-intake",
          "moving-from-wordpress", "feeds", "decision-trees", "speed")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def documents() -> list[Path]:
    return [README, *sorted(HANDBOOK.glob("*.md"))]


def test_the_readme_stays_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines; move detail into handbook/"


def test_every_topic_has_a_file_and_every_file_is_linked_from_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for topic in TOPICS:
        assert (HANDBOOK / f"{topic}.md").is_file(), topic
    for page in HANDBOOK.glob("*.md"):
        assert f"(handbook/{page.name})" in readme, f"{page.name} is not linked from README.md"


@pytest.mark.parametrize("document", documents(), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_relative_links_point_at_files_that_exist(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        assert (document.parent / path).exists(), f"{document.name}: link to missing {target}"


@pytest.mark.parametrize("document", documents(), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_each_file_has_one_title_and_speaks_of_the_project_only(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    outside_code = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    titles = re.findall(r"^# ", outside_code, flags=re.MULTILINE)
    assert len(titles) == 1, f"{document.name}: {len(titles)} top-level titles"
    assert not re.search(r"\bissues? #?\d", text, re.IGNORECASE)


def test_every_dev_py_command_the_manual_names_exists() -> None:
    shown = subprocess.run([sys.executable, str(PROJECT / "dev.py"), "--help"], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    for document in documents():
        for command in set(re.findall(r"python3 dev\.py ([a-z][a-z-]*)", document.read_text("utf-8"))):
            assert f"python3 dev.py {command}" in shown, (document.name, command)


# Fixtures and helpers that build or read this site's own content (tests/conftest.py, tests/sitebuild.py).
SITE_CONTENT = re.compile(r"\b(real_site|project_copy|comments_site|served_site|copy_project)\b"
                          r"|PROJECT / \"(docs|comments|overrides)")


def test_tests_come_in_the_two_kinds_the_manual_describes() -> None:
    tests = PROJECT / "tests"
    manual = (HANDBOOK / "testing.md").read_text(encoding="utf-8")
    assert "`tests/engine/`" in manual and "`tests/site/`" in manual
    assert sorted(p.name for p in tests.glob("test_*.py")) == []  # every module is of one kind
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "test module names must be unique across tests/"
    for module in sorted((tests / "engine").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        used = sorted({m.group(0) for m in SITE_CONTENT.finditer(text)})
        assert used == [], f"{module.name} uses this site's content: {used}"
