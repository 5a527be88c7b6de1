"""Build real sites in-process, and read what they produced.

Tests copy the project (config, content, its own templates) into a temporary
folder, change what they need there, and build it with MkDocs' own
``build()`` - the same code path as ``mkdocs build`` - into a temp dir.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

PROJECT = Path(__file__).resolve().parents[1]
# Test data shared by the engine and site tests (tests/data/).
TEST_DATA = Path(__file__).resolve().parent / "data"
# Everything a build reads. Data folders outside docs/ (comments, ...) are
# added here as features bring them.
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "comments", "search-vocabulary.yml")


def copy_project(dest: Path) -> Path:
    """Copy the site's sources into ``dest``; returns the new mkdocs.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / part)
    return dest / "mkdocs.yml"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured_logs() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@dataclass
class Site:
    """A built site and the log lines its build wrote."""

    site_dir: Path
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)

    def path(self, url: str) -> Path:
        """The file serving ``url`` (relative to the site root)."""
        target = self.site_dir / url.lstrip("/")
        if url.endswith("/") or url == "":
            target = target / "index.html"
        return target

    def text(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def html(self, url: str) -> Any:
        """The page at ``url`` parsed by lxml's HTML parser."""
        return lxml.html.fromstring(self.path(url).read_bytes())

    def files(self) -> list[Path]:
        return sorted(p for p in self.site_dir.rglob("*") if p.is_file())


class BuildFailed(Exception):
    """The build stopped; ``errors`` are the error lines MkDocs logged."""

    def __init__(self, errors: list[str], cause: BaseException) -> None:
        self.errors = errors
        super().__init__("\n".join(errors) or str(cause))


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True, **overrides: Any) -> Site:
    """Build like ``mkdocs build [--strict]``.

    A failed build raises :class:`BuildFailed` with the errors MkDocs logged,
    which are exactly the lines a user sees on the command line.
    """
    with captured_logs() as logs:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
            build(config)
        except (Abort, ConfigurationError, PluginError) as error:
            errors = [r.getMessage() for r in logs.records if r.levelno >= logging.ERROR]
            if not errors and not isinstance(error, Abort):
                errors = [str(error)]
            raise BuildFailed(errors, error) from error
    site = Site(site_dir)
    for record in logs.records:
        target = site.warnings if record.levelno >= logging.WARNING else site.infos
        target.append(record.getMessage())
    return site


def run_mkdocs_cli(config_file: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict -q`` as a user runs it, in the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
        cwd=config_file.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def load_dev() -> Any:
    """The project's dev.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("dev", PROJECT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_check(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python3 dev.py check`` as a user runs it (the same module), in the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site; gzip files by their content (their header names the folder)."""
    found = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[str(path.relative_to(site_dir))] = gzip.decompress(data) if path.suffix == ".gz" else data
    return found


def set_plugin_options(config_file: Path, plugin: str, **options: Any) -> None:
    """Set ``options`` of the engine plugin ``plugin`` in ``config_file`` (listing it if absent).

    mkdocs.yml is read and written as plain YAML (its comments are lost; the
    project's file has no tags).
    """
    import yaml

    data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    plugins = data.setdefault("plugins", [])
    for index, entry in enumerate(plugins):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == plugin:
            current = {} if isinstance(entry, str) else dict(entry[name] or {})
            plugins[index] = {plugin: {**current, **options}}
            break
    else:
        plugins.append({plugin: dict(options)})
    config_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@contextmanager
def own_plugin_instances() -> Iterator[None]:
    """New plugin instances inside, the process's own ones restored after.

    MkDocs keeps plugin instances per process (for `mkdocs serve`); a build that
    starts them as `serve` must not leave them so for other tests' builds.
    """
    cache = MkDocsConfig.plugins.plugin_cache
    kept = dict(cache)
    cache.clear()
    try:
        yield
    finally:
        cache.clear()
        cache.update(kept)


def head_tags(site: Site, url: str) -> dict[str, list[str]]:
    """A page's <meta name|property> contents by name, and its canonical links under "canonical"."""
    page = site.html(url)
    found: dict[str, list[str]] = {}
    for meta in page.xpath("//head/meta[@name or @property]"):
        found.setdefault(meta.get("name") or meta.get("property"), []).append(meta.get("content"))
    found["canonical"] = page.xpath("//head/link[@rel='canonical']/@href")
    return found
