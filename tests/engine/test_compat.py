"""kb_engine.compat: what the engine borrows from other libraries' internals, fenced and checked.

Three kinds of check, on a small site of the engine's own (tests/engine/sites/speed):

- the upstream source each fenced piece was written against is still the installed one
  (a sha256 recorded in kb_engine.compat.BORROWED);
- ``kb-speed: enabled: false`` turns every speed-up off, and every output file is the same;
- under another version of a library, each piece that copies it warns (so ``--strict``
  fails), stays off, and the libraries' own code builds the same site.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from pygments.formatters.html import HtmlFormatter

from enginesite import copy_speed_site
from kb_engine import buildstate, compat
from kb_engine.compat import BORROWED, LIBRARIES, upstream_digest
from kb_engine.compat.blogpaths import post_path
from kb_engine.compat.fasthtml import READ_ONCE, ReadOnce
from kb_engine.compat.incremental import BuildCache, build_site
from kb_engine.compat.livereload import live_reload_script
from kb_engine.compat.navcache import NAV
from kb_engine.compat.pagerender import SHARED_CONVERTER, SharedConverter
from kb_engine.compat.partialcache import FOOTER, HEADER, TABS, PartialCache
from kb_engine.compat.tags import tags_known
from kb_engine.plugins.speed import PARTIALS_STATE
from sitebuild import PROJECT, captured_logs, own_plugin_instances, site_files

COMPAT = PROJECT / "hooks" / "kb_engine" / "compat"
OTHER = "0.0.0.other"
# The pieces a site build asks for at its start (the rest serve the preview and the check).
BUILD_PIECES = ("fastblog", "sharedtree", "readtime", "pagerender", "fasthtml", "searchfeed", "navcache",
                "partialcache", "highlight")


@dataclass
class Built:
    files: dict[str, bytes]
    warnings: list[str]
    config: Any


def _build(root: Path, *, speed: bool = True, strict: bool = True) -> Built:
    config_file = copy_speed_site(root / "project", speed=speed)
    with captured_logs() as logs, own_plugin_instances():
        config = load_config(str(config_file), site_dir=str(root / "site"), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    warnings = [r.getMessage() for r in logs.records if r.levelno >= logging.WARNING]
    return Built(site_files(root / "site"), warnings, config)


@pytest.fixture(scope="module")
def speed_off(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("speed-off"), speed=False)


def _ran(config: Any) -> dict[str, bool]:
    """Which speed-ups the build ran."""
    partials = buildstate.get_optional(config, PARTIALS_STATE, PartialCache)
    served = partials.served if partials is not None else frozenset()
    shared = buildstate.get_optional(config, SHARED_CONVERTER, SharedConverter)
    return {
        "kb-blog": bool(config.plugins["kb-blog"].fast),
        "converter": shared is not None and shared.converted > 0,
        "navcache": NAV in served,
        "partialcache": served >= {HEADER, TABS, FOOTER},
        "searchfeed": buildstate.get_optional(config, READ_ONCE, ReadOnce) is not None,
        "kept comment parses": config.plugins["kb-comments"].kept is not None,
    }


# The recorded upstream sources ---------------------------------------------------


@pytest.mark.parametrize(("name", "index"), [
    (piece.name, i) for piece in BORROWED.values() for i in range(len(piece.upstream))
])
def test_the_upstream_source_is_the_one_each_piece_was_written_against(name: str, index: int) -> None:
    piece = BORROWED[name]
    upstream = piece.upstream[index]
    library = LIBRARIES[upstream.library][0]
    assert upstream_digest(upstream) == upstream.sha256, (
        f"{library}'s source that {piece.module} copies or patches has changed "
        f"({', '.join(upstream.sources)}; "
        f"written against {library} {upstream.version}, {compat.installed(upstream.library)} installed). "
        f"Read {piece.module} against the new source, then record its version and digest in "
        "hooks/kb_engine/compat/__init__.py (python -m kb_engine.compat prints them)."
    )


def test_the_recorded_versions_are_the_installed_ones() -> None:
    for piece in BORROWED.values():
        assert compat.mismatches(piece.name) == []


def test_every_module_of_compat_is_in_its_table_of_contents() -> None:
    listed = {PROJECT / piece.module for piece in BORROWED.values()}
    for path in COMPAT.rglob("*.py"):
        if path.name in ("__init__.py", "__main__.py") and path.parent == COMPAT:
            continue
        assert any(path == entry or entry in path.parents for entry in listed), (
            f"{path.relative_to(PROJECT)} is not in kb_engine.compat.BORROWED"
        )
    assert all(entry.exists() for entry in listed)


def test_no_module_outside_compat_reaches_into_the_libraries_compat_fences() -> None:
    fenced = ("_RelativePathTreeprocessor", "_SCRIPT_TEMPLATE", "_format_path_for_post", "_create_stylesheet",
              "tagfind_tolerant", "add_entry_from_context", "_build_theme_template", "_configure(",
              "root_render_func")
    for path in (PROJECT / "hooks" / "kb_engine").rglob("*.py"):
        if COMPAT in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        assert not [name for name in fenced if name in text], path.relative_to(PROJECT)


# One switch ----------------------------------------------------------------------


def test_the_switch_turns_every_speed_up_off_and_every_file_is_the_same(
    speed_off: Built, tmp_path: Path
) -> None:
    speed_on = _build(tmp_path)
    assert _ran(speed_on.config) == {"kb-blog": True, "converter": True, "navcache": True, "partialcache": True,
                                     "searchfeed": True, "kept comment parses": True}
    pages = sum(1 for name in speed_on.files if name.endswith(".html") and "http-equiv" not in
                speed_on.files[name].decode("utf-8", "replace")[:400])
    # Every page's Markdown by the build's one converter (excerpts have their own).
    assert buildstate.get(speed_on.config, SHARED_CONVERTER, SharedConverter).converted >= pages // 2
    # Every post's front matter read by kb-blog's init_post (libyaml where sure), none by Material's Post:
    posts = speed_on.config.plugins["kb-blog"].blog.posts
    assert speed_on.config.plugins["kb-blog"]._front_matter.parsed == len(posts) > 3
    reused = buildstate.get(speed_on.config, PARTIALS_STATE, PartialCache).reused
    assert reused[NAV] > 0 and reused[TABS] > 0 and reused[FOOTER] > 0
    rendered = speed_on.config.plugins["kb-blog"]._rendered.values()
    # Excerpts finished from their posts' trees, and two with code and footnotes converted per view:
    assert sorted(state.from_tree for state in rendered) == [False, False, True, True, True]
    assert _ran(speed_off.config) == {"kb-blog": False, "converter": False, "navcache": False,
                                      "partialcache": False, "searchfeed": False, "kept comment parses": False}
    assert speed_on.warnings == speed_off.warnings == []
    assert sorted(speed_on.files) == sorted(speed_off.files)
    assert len(speed_on.files) > 30 and "sitemap.xml.gz" in speed_on.files  # decompressed by site_files
    assert "blog/page/2/index.html" in speed_on.files  # the posts' excerpts in several views
    for name, data in speed_on.files.items():
        assert data == speed_off.files[name], name


def test_with_the_switch_off_no_style_sheet_is_shared(tmp_path: Path) -> None:
    _build(tmp_path / "on")  # installs the shared style sheets for its build
    with captured_logs(), own_plugin_instances():
        config_file = copy_speed_site(tmp_path / "off", speed=False)
        config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
        config.plugins.run_event("config", config)
        assert not hasattr(HtmlFormatter._create_stylesheet, "kb_original")


# Tripwires -----------------------------------------------------------------------


@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_under_another_version_each_piece_warns_steps_aside_and_the_site_is_the_same(
    library: str, speed_off: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = compat.installed
    monkeypatch.setattr(compat, "installed", lambda name: OTHER if name == library else real(name))
    built = _build(tmp_path, strict=False)  # with --strict, the warnings fail the build

    name = LIBRARIES[library][0]
    affected = [piece for piece in BUILD_PIECES
                if any(u.library == library for u in BORROWED[piece].upstream)]
    assert affected
    for piece in affected:
        upstream = next(u for u in BORROWED[piece].upstream if u.library == library)
        expected = (f"{BORROWED[piece].module} was written against {name} {upstream.version}, "
                    f"but {OTHER} is installed")
        assert [w for w in built.warnings if expected in w], (piece, built.warnings)
    assert all("Re-check hooks/kb_engine/compat/" in w for w in built.warnings)
    # fasthtml and pagerender: kb-blog's warning and kb-speed's
    assert len(built.warnings) == len(affected) + ("fasthtml" in affected) + ("pagerender" in affected)

    ran = _ran(built.config)
    assert ran["kb-blog"] is not any(p in affected for p in ("fastblog", "sharedtree", "readtime",
                                                                 "pagerender", "fasthtml"))
    assert ran["navcache"] is ("navcache" not in affected)
    assert ran["converter"] is ("pagerender" not in affected)
    assert ran["partialcache"] is ("partialcache" not in affected)
    assert ran["searchfeed"] is not ("searchfeed" in affected or "fasthtml" in affected)
    assert hasattr(HtmlFormatter._create_stylesheet, "kb_original") is False  # uninstalled at shutdown
    assert built.files == speed_off.files


def test_under_another_version_a_strict_build_fails_on_the_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = compat.installed
    monkeypatch.setattr(compat, "installed", lambda name: OTHER if name == "pygments" else real(name))
    with pytest.raises(Abort, match="warnings"):
        _build(tmp_path)


def test_under_another_mkdocs_the_preview_builds_with_mkdocs_own_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = compat.installed
    config_file = copy_speed_site(tmp_path / "project")
    cache = BuildCache()
    for version, incremental in ((real("mkdocs"), True), (OTHER, False)):
        monkeypatch.setattr(compat, "installed",
                            lambda name, v=version: v if name == "mkdocs" else real(name))
        with captured_logs() as logs, own_plugin_instances():
            config = load_config(str(config_file))
            build_site(config, tmp_path / f"site-{incremental}", cache)
        warnings = [r.getMessage() for r in logs.records if r.levelno >= logging.WARNING]
        assert (cache.last is not None) is incremental
        if incremental:
            assert warnings == []
        else:
            preview = [w for w in warnings if "the preview builds the whole site with MkDocs' own build" in w]
            assert len(preview) == 2 and all(f"but {OTHER} is installed" in w for w in preview)
            assert "compat/incremental/" in preview[0] and "compat/pagerender.py" in preview[1]
        assert (tmp_path / f"site-{incremental}" / "index.html").is_file()


def test_under_another_mkdocs_the_preview_serves_pages_without_the_reload_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = live_reload_script(7, 9)
    assert script is not None and "livereload(7, 9)" in script
    monkeypatch.setattr(compat, "installed", lambda name: OTHER)
    assert live_reload_script(7, 9) is None


def test_under_another_material_no_post_address_is_guessed(
    speed_off: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    plugin = speed_off.config.plugins["kb-blog"]
    facts: dict[str, Any] = {"name": "post-1", "title": "Post number 1", "created": dt.datetime(2024, 1, 1),
                             "categories": ["Odd"], "slug": None}
    assert post_path(plugin, speed_off.config, **facts) == "blog/2024/01/01/post-number-1.md"
    monkeypatch.setattr(compat, "installed", lambda name: OTHER)
    assert post_path(plugin, speed_off.config, **facts) is None


def test_under_another_material_the_preview_waits_for_the_rebuild_to_show_new_tags(
    speed_off: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = speed_off.config.plugins["kb-blog"].blog.posts[0]
    changed = {"tags": ["Fixtures"]}  # a tag other pages of the build have
    assert tags_known(speed_off.config, page, changed)
    assert not tags_known(speed_off.config, page, {"tags": ["Nowhere else"]})
    monkeypatch.setattr(compat, "installed", lambda name: OTHER)
    assert not tags_known(speed_off.config, page, changed)


def test_under_another_version_a_piece_names_each_library_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [u.library for u in BORROWED["highlight"].upstream].count("pygments") == 2
    real = compat.installed
    monkeypatch.setattr(compat, "installed", lambda name: OTHER if name == "pygments" else real(name))
    assert len(compat.mismatches("highlight")) == 1
