"""The engine as a second team gets it: a wheel built from this repository, installed with the locked
dependencies into a fresh virtual environment, makes a site with `kb-engine new-site` that builds with
`mkdocs build --strict`; the wheel holds the templates and the skeleton, and none of this site."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitebuild import PROJECT

pytestmark = pytest.mark.timeout(900)

# What a build of the wheel reads from the repository.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "hooks/kb_engine")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            check=False, timeout=600)
    command = " ".join(map(str, args))
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def clean_env(bin_dir: Path) -> dict[str, str]:
    """The environment of someone who has only the new virtual environment on PATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "KB_ENGINE_PROG", "PYTHONHOME"}}
    env["PATH"] = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"])
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    env: dict[str, str]
    seconds: dict[str, float]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    seconds: dict[str, float] = {}
    # Built from a copy, so the build's own folders (build/, *.egg-info) stay out of the repository.
    source = work / "source"
    for part in WHEEL_SOURCES:
        if (PROJECT / part).is_dir():
            shutil.copytree(PROJECT / part, source / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            (source / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / part, source / part)
    start = time.monotonic()
    environment = work / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    bin_dir = environment / "bin"
    env = clean_env(bin_dir)
    seconds["venv"] = time.monotonic() - start
    start = time.monotonic()
    # pip builds it as `pip install .` would, in its own build environment (pyproject's build-system).
    run(bin_dir / "python", "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", source,
        cwd=work, env=env)
    (wheel,) = (work / "dist").glob("mkdocs_kb_engine-*.whl")
    seconds["wheel"] = time.monotonic() - start
    start = time.monotonic()
    run(bin_dir / "python", "-m", "pip", "install", "-q", "-r", PROJECT / "requirements" / "site.txt",
        cwd=work, env=env)
    run(bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", wheel, cwd=work, env=env)
    seconds["install"] = time.monotonic() - start
    return Installed(wheel, bin_dir, env, seconds)


def test_the_wheel_holds_templates_and_skeleton_and_nothing_of_this_site(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert len(top) == 2 and "kb_engine" in top  # the package and its .dist-info, nothing else
    (info,) = top - {"kb_engine"}
    assert info.startswith("mkdocs_kb_engine-") and info.endswith(".dist-info")
    for expected in ("kb_engine/templates/main.html", "kb_engine/templates/partials/comments.html",
                     "kb_engine/templates/stylesheets/decision-trees.css", "kb_engine/skeleton/mkdocs.yml",
                     "kb_engine/skeleton/docs/blog/.authors.yml", "kb_engine/skeleton/.gitignore"):
        assert expected in names, expected
    in_tree = sorted(p.relative_to(PROJECT / "hooks").as_posix()
                     for p in (PROJECT / "hooks/kb_engine/templates").rglob("*") if p.is_file())
    assert set(in_tree) <= set(names)  # every template, style sheet and script
    for name in names:
        assert not name.startswith(("tests/", "docs/", "overrides/", "comments/")), name
        assert not name.rsplit("/", 1)[-1].startswith(("test_", "conftest")), name
        assert "partner-vs-vendor" not in name and "good-customers" not in name, name
    entry_points = zipfile.ZipFile(installed.wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "kb-engine = kb_engine.cli.main:main" in entry_points
    assert "kb-comments = kb_engine.plugins.comments:CommentsPlugin" in entry_points


def test_a_second_team_makes_and_builds_a_site_with_it(installed: Installed, tmp_path: Path) -> None:
    start = time.monotonic()
    where = run(installed.bin / "python", "-c", "import kb_engine; print(kb_engine.__file__)",
                cwd=tmp_path, env=installed.env).stdout.strip()
    assert where.startswith(str(installed.bin.parent)), where  # the installed wheel, not this repository
    made = run(installed.bin / "kb-engine", "new-site", "mysite", cwd=tmp_path, env=installed.env)
    assert "mkdocs build --strict" in made.stdout
    site = tmp_path / "mysite"
    run(installed.bin / "mkdocs", "build", "--strict", cwd=site, env=installed.env)
    built = site / "site"
    for page in ("index.html", "blog/2026/01/05/welcome/index.html", "decisions/post-or-guide/index.html",
                 "guides/writing-a-guide/index.html", "news/welcome/index.html", "rss.xml", "atom.xml",
                 "feed.json", "comments.xml", "comments-blog-2026-01-05-welcome.xml",
                 "stylesheets/decision-trees.css"):
        assert (built / page).is_file(), page
    checked = run(installed.bin / "kb-engine", "check", cwd=site, env=installed.env)
    assert checked.stdout.strip() == "content check: no problems"
    # The site's lock has no intake service: the command says which extra it needs, in one line.
    intake = subprocess.run([installed.bin / "kb-engine", "intake", "--help"], cwd=site, env=installed.env,
                            capture_output=True, text=True, check=False, timeout=60)
    assert intake.returncode == 1 and intake.stderr.count("\n") == 1, intake.stderr
    assert "pip install 'mkdocs-kb-engine[intake]'" in intake.stderr
    seconds = {**installed.seconds, "new-site, build and check": time.monotonic() - start}
    print("wheel test, seconds:", {k: round(v, 1) for k, v in seconds.items()})
