"""kb-speed's template cache: templates compiled once and kept between builds (Jinja's own bytecode cache)."""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from sitebuild import BuildFailed, build_site, set_plugin_options, site_files


def _compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    compile_: Any = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: object, name: str | None = None, *args: object,
                 **kwargs: object) -> object:
        names.append(str(name))
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_a_second_build_compiles_no_template_and_writes_the_same_site(
    engine_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiled(monkeypatch)
    first = site_files(build_site(engine_project, tmp_path / "one").site_dir)
    cache = engine_project.parent / ".cache" / "templates"
    kept = list(cache.glob("*/*.cache"))
    assert len(compiled) > 20 and kept
    compiled.clear()
    second = site_files(build_site(engine_project, tmp_path / "two").site_dir)
    # The theme's templates came from the cache; only the engine's fragments' own environments compile.
    assert not any(name in compiled for name in ("main.html", "blog-post.html", "partials/nav.html",
                                                 "partials/header.html"))
    assert len(list(cache.glob("*/*.cache"))) == len(kept)
    assert second == first


def test_an_edited_template_is_compiled_again(engine_project: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(engine_project, tmp_path / "one")
    overrides = engine_project.parent / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "404.html").write_text('{% extends "kb-404.html" %}{% block kb_404_more %}<p id="x">Edited '
                                        'here.</p>{% endblock %}', encoding="utf-8")
    data = yaml.safe_load(engine_project.read_text(encoding="utf-8"))
    data["theme"]["custom_dir"] = "overrides"
    engine_project.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    compiled = _compiled(monkeypatch)
    site = build_site(engine_project, tmp_path / "two")
    assert "404.html" in compiled
    assert site.html("404.html").get_element_by_id("x").text == "Edited here."


def test_the_cache_is_kept_out_of_the_docs_folder_and_off_with_the_switch(engine_project: Path,
                                                                         tmp_path: Path) -> None:
    set_plugin_options(engine_project, "kb-speed", template_cache="docs/cache")
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    assert [e.split("/project/", 1)[-1] for e in failed.value.errors] == [
        "mkdocs.yml: plugins.kb-speed.template_cache: 'docs/cache' is inside the docs folder; keep the cache "
        "outside it (e.g. .cache/templates)"]
    assert not (engine_project.parent / "docs" / "cache").exists()
    set_plugin_options(engine_project, "kb-speed", enabled=False)
    build_site(engine_project, tmp_path / "off")
    assert not (engine_project.parent / ".cache" / "templates").exists()
    set_plugin_options(engine_project, "kb-speed", template_cache="")
    build_site(engine_project, tmp_path / "none")
    assert not (engine_project.parent / ".cache" / "templates").exists()


def test_environments_that_compile_differently_keep_their_templates_apart() -> None:
    from kb_engine.plugins.speed import compiled_for

    def env(**options: Any) -> jinja2.Environment:
        return jinja2.Environment(**{"autoescape": False, **options})  # noqa: S701 - compiled, never rendered

    plain = env()
    assert compiled_for(plain) == compiled_for(env())
    for other in (env(trim_blocks=True), env(autoescape=True), env(extensions=["jinja2.ext.i18n"]),
                  env(block_start_string="<%")):
        assert compiled_for(other) != compiled_for(plain)


def test_a_damaged_or_unwritable_cache_never_stops_a_build(engine_project: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    first = site_files(build_site(engine_project, tmp_path / "one").site_dir)
    cache = engine_project.parent / ".cache" / "templates"
    kept = sorted(cache.glob("*/*.cache"))
    for number, file in enumerate(kept):  # cut short, emptied, or other bytes
        data = file.read_bytes()
        file.write_bytes([data[: len(data) // 2], b"", b"j2\x00garbage" * 3][number % 3])
    assert site_files(build_site(engine_project, tmp_path / "two").site_dir) == first

    def full_disk(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    for file in kept:
        file.unlink()
    with monkeypatch.context() as patch:  # nothing can be written
        patch.setattr(tempfile, "NamedTemporaryFile", full_disk)  # as jinja2.bccache calls it
        assert site_files(build_site(engine_project, tmp_path / "three").site_dir) == first
    assert not list(cache.glob("*/*"))
    shutil.rmtree(cache)
    cache.write_text("a file where the cache folder goes", encoding="utf-8")  # no folder can be made
    assert site_files(build_site(engine_project, tmp_path / "four").site_dir) == first


def test_an_autoescape_function_keeps_one_folder_for_environments_made_alike() -> None:
    """Two environments made alike (in two builds, or two processes) share their compiled templates."""
    from kb_engine.plugins.speed import compiled_for

    def env() -> jinja2.Environment:
        return jinja2.Environment(autoescape=jinja2.select_autoescape(["html"]))

    assert compiled_for(env()) == compiled_for(env())
    other = jinja2.Environment(autoescape=jinja2.select_autoescape(["xml"]))
    assert compiled_for(other) != compiled_for(env())
    finalized = jinja2.Environment(autoescape=True, finalize=str)
    assert compiled_for(finalized) != compiled_for(jinja2.Environment(autoescape=True))
