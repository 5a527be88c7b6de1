"""Bad input files: one line naming the file (and line), the same at the check and the build.

Covers what the content check must report because the build would reject it:
bytes that are not UTF-8 (a post, a page, a decision-tree file, the authors
file), authors-file mistakes with their line, a missing excerpt marker (which
``serve`` only warns about), a ``site_url`` that is not http(s), and wrong
settings of the plugins.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from enginesite import THREAD_POST, copy_engine_site
from sitebuild import BuildFailed, Site, build_site, captured_logs, run_check

POST = f"docs/blog/posts/{THREAD_POST}.md"
AUTHORS = "docs/blog/.authors.yml"
TREE = "docs/decisions/which-loaf.yml"
PAGE = "docs/guides/starter.md"



def append_bytes(path: Path, data: bytes) -> int:
    """Append ``data`` as a new last line; returns that line's number."""
    content = path.read_bytes()
    if not content.endswith(b"\n"):
        content += b"\n"
    path.write_bytes(content + data + b"\n")
    return content.count(b"\n") + 1


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_settings(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: replace(project / "mkdocs.yml", old, new)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy_engine_site(tmp_path / "project")
    return tmp_path / "project"


def both_gates(project: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """The problem lines of the check, and the error lines of a strict build."""
    check = run_check(project)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Traceback" not in check.stderr
    with pytest.raises(BuildFailed) as failed:
        build_site(project / "mkdocs.yml", tmp_path / "site")
    errors = [line for error in failed.value.errors for line in error.splitlines()]
    assert not any("Traceback" in line for line in errors)
    return check.stderr.splitlines(), errors


@pytest.mark.parametrize("name", [POST, AUTHORS, TREE, PAGE])
def test_a_byte_that_is_not_utf8_is_one_line_naming_file_and_line(
    name: str, project: Path, tmp_path: Path
) -> None:
    line = append_bytes(project / name, b"# caf\xe9")
    expected = f"{name}:{line}: not UTF-8 text (byte 0xe9 at column 6); save the file as UTF-8"
    checked, built = both_gates(project, tmp_path)
    assert expected in checked
    assert expected in built


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    avatar: assets/authors/ada-baker.svg", "    avatar: assets/authors/ada-baker.svg\n    twitter: ab",
         "author 'ada-baker': unknown field `twitter` (allowed: name, description, avatar, slug, url)"),
        ("authors:\n", "authors:\n  broken: 5\n", "author 'broken': expected a mapping"),
    ],
)  # fmt: skip
def test_authors_file_problems_name_the_line(old: str, new: str, expected: str, project: Path,
                                             tmp_path: Path) -> None:
    replace(project / AUTHORS, old, new)
    lines = (project / AUTHORS).read_text(encoding="utf-8").splitlines()
    added = {row.strip() for row in new.splitlines()[1:]}
    number = next(i for i, row in enumerate(lines, 1) if row.strip() in added)
    checked, built = both_gates(project, tmp_path)
    assert f"{AUTHORS}:{number}: {expected}" in checked
    assert built == [f"{AUTHORS}:{number}: {expected}"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (edit_settings("site_url: https://bread.example.org/", "site_url: ftp://bread.example.org/"),
         "mkdocs.yml: site_url: 'ftp://bread.example.org/' is not an http:// or https:// URL"),
        (edit_settings("  - kb-feeds\n", "  - kb-feeds:\n      limit: 0\n"), "mkdocs.yml: plugins.kb-feeds.limit:"),
        (edit_settings("  - kb-git-dates:\n      enabled: true\n", "  - kb-git-dates:\n      enabled: maybe\n"),
         "mkdocs.yml: plugins.kb-git-dates.enabled:"),
        (edit_settings("      intake_url: https://bread.example.org/comment\n",
                       "      intake_url: https://bread.example.org/comment\n      colour: red\n"),
         "mkdocs.yml: plugins.kb-reply.colour:"),
        (edit_settings("      site_feed_items: 5\n", "      site_feed_items: none\n"),
         "mkdocs.yml: plugins.kb-comments.site_feed_items:"),
    ],
)  # fmt: skip
def test_settings_the_build_refuses_fail_the_check(edit: Callable[[Path], None], expected: str, project: Path,
                                                   tmp_path: Path) -> None:
    edit(project)
    checked, built = both_gates(project, tmp_path)
    assert [line for line in checked if line.startswith(expected)], checked
    assert [line for line in built if expected in line], built


def test_a_post_without_the_excerpt_marker(project: Path, tmp_path: Path) -> None:
    replace(project / POST, "<!-- more -->", "")
    draft = project / "docs/blog/posts/a-draft.md"
    front = "---\ndate: 2026-01-01\nauthors: [ada-baker]\ndraft: true\n---\n"
    draft.write_text(front + "# A draft\n\nNo marker yet.\n", encoding="utf-8")
    message = "no `<!-- more -->` excerpt marker: put it on a line of its own after the opening paragraph"
    checked, built = both_gates(project, tmp_path)
    assert f"{POST}: {message}" in checked and f"docs/blog/posts/a-draft.md: {message}" in checked
    assert f"{POST}: {message}" in built

    # `serve` previews them all, with a warning each, instead of refusing to start.
    with captured_logs() as logs:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config, serve_url="http://127.0.0.1:8000/")
        finally:
            config.plugins.on_startup(command="build", dirty=False)
    warnings = [r.getMessage() for r in logs.records if r.levelno == logging.WARNING]
    expected = f"docs/blog/posts/a-draft.md: {message} (the preview shows the whole post as its excerpt)"
    assert [w for w in warnings if w.endswith(expected)], warnings
    served = Site(tmp_path / "served")
    assert "No marker yet." in served.text("blog/2026/01/01/a-draft/")


def test_broken_links_between_pages_fail_the_check_as_they_fail_the_build(
    project: Path, tmp_path: Path
) -> None:
    page = project / PAGE
    text = page.read_text(encoding="utf-8")
    first = text.count("\n") + 2
    page.write_text(
        text + "\nSee [the missing guide](missing-guide.md#top) and ![a chart](../assets/no-chart.png).\n"
        "\n[ref]: nowhere.md\n[unused]: not-used.md\n\nAs [the reference][ref] says.\n\n"
        "```\n[not a link](in-a-fence.md)\n```\n\n`[nor](in-code.md)` and "
        "[the tree](../decisions/which-loaf.md), "
        f"[a post](../blog/posts/{THREAD_POST}.md).\n",
        encoding="utf-8",
    )
    checked, _ = both_gates(project, tmp_path)
    found = sorted(line for line in checked if line.startswith(PAGE))
    missing = "is not found among documentation files."
    assert found == [
        f"{PAGE}:{first}: contains a link '../assets/no-chart.png', but the target 'assets/no-chart.png' "
        + missing,
        f"{PAGE}:{first}: contains a link 'missing-guide.md#top', but the target 'guides/missing-guide.md' "
        + missing,
        f"{PAGE}:{first + 2}: contains a link 'nowhere.md', but the target 'guides/nowhere.md' {missing}",
    ]
    warned = build_site(project / "mkdocs.yml", tmp_path / "lenient", strict=False).warnings
    assert [w for w in warned if "'missing-guide.md#top'" in w and "not found" in w], warned
    assert [w for w in warned if "'nowhere.md'" in w] and [w for w in warned if "no-chart.png" in w]


# --- one corpus of hostile files: every file the check and the build read ---

COMMENT = f"comments/{THREAD_POST}/20261128-0000000a.yml"
_COMMENT_TEXT = (f"id: 20261128-0000000a\npost: {THREAD_POST}\nauthor: A\n"
                 "date: 2026-11-28T10:00:00+00:00\nbody: Hi\n")
_DEEP = "[" * 5000 + "]" * 5000
_ALIASES = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}' if n else 'x'] * 9)}]\n" for n in range(8))
HOSTILE_YAML = {
    "a NUL byte": ("x: a\x00b\n", "control character (U+0000)"),
    "an escape character": ("x: a\x1b[2Jb\n", "control character (U+001B)"),
    "an integer of 5,000 digits": ("x: " + "9" * 5000 + "\n", "a number of more than 100 digits"),
    "5,000-deep nesting": ("x: " + _DEEP + "\n", "nested more than 100 levels deep"),
    "aliases that expand to 43 million values": (_ALIASES, "an alias (*name) is not allowed"),
}


def add_lines(project: Path, name: str, lines: str) -> int:
    """Add ``lines`` to the YAML of ``name`` (a post's front matter, a YAML file); return their first line."""
    path = project / name
    if name == COMMENT:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_COMMENT_TEXT + lines, encoding="utf-8")
        return _COMMENT_TEXT.count("\n") + 1
    text = path.read_text(encoding="utf-8")
    if name == POST:  # into the front matter, after its opening line
        path.write_text("---\n" + lines + text.removeprefix("---\n"), encoding="utf-8")
        return 2
    if name == "mkdocs.yml":  # under `extra:`, indented
        head, _, tail = text.partition("\nextra:\n")
        indented = "".join(f"  {row}\n" for row in lines.splitlines())
        path.write_text(f"{head}\nextra:\n{indented}{tail}", encoding="utf-8")
        return head.count("\n") + 3
    path.write_text(text.rstrip("\n") + "\n" + lines, encoding="utf-8")
    return text.rstrip("\n").count("\n") + 2


@pytest.mark.parametrize("attack", list(HOSTILE_YAML), ids=str)
@pytest.mark.parametrize("name", [COMMENT, POST, AUTHORS, TREE])
def test_hostile_yaml_is_one_line_at_the_check_and_the_build(name: str, attack: str, project: Path,
                                                             tmp_path: Path) -> None:
    lines, words = HOSTILE_YAML[attack]
    line = add_lines(project, name, lines)
    checked, built = both_gates(project, tmp_path)
    for gate, found in (("check", checked), ("build", built)):
        mine = [row for row in found if row.startswith(f"{name}:")]
        assert len(mine) == 1 and words in mine[0], (gate, found)
        assert mine[0].startswith((f"{name}:{line}:", f"{name}:{line + 1}:")), (gate, mine)


@pytest.mark.parametrize("attack", [a for a in HOSTILE_YAML if "alias" not in a], ids=str)
def test_hostile_yaml_in_mkdocs_yml_is_one_line_before_mkdocs_reads_it(attack: str, project: Path) -> None:
    """MkDocs reads mkdocs.yml before any plugin: the check and `dev.py build` read it first."""
    lines, words = HOSTILE_YAML[attack]
    line = add_lines(project, "mkdocs.yml", lines)
    check = run_check(project)
    configcheck = subprocess.run([sys.executable, "-m", "kb_engine.cli.configcheck"], cwd=project,
                                 capture_output=True, text=True, timeout=120, check=False)
    for gate, result in (("check", check), ("dev.py build", configcheck)):
        assert result.returncode == 1 and "Traceback" not in result.stderr, (gate, result.stderr[-2000:])
        assert result.stderr.splitlines()[0].startswith(f"mkdocs.yml:{line}: "), (gate, result.stderr)
        assert words in result.stderr, (gate, result.stderr)
