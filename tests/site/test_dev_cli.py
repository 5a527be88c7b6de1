"""dev.py's command line and the README agree: every command the README names is in
`python3 dev.py --help`, which exits 0; no command or an unknown one prints usage and exits 2. The
engine's own command, `kb-engine`, lists its commands, refuses an unknown one in one line, and is what
dev.py runs for each of them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from enginesite import kb_engine
from sitebuild import PROJECT, load_dev

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "dev.py"), *args],
        capture_output=True, text=True, check=False, timeout=60,
    )


def test_help_prints_every_command_and_exits_0() -> None:
    for flag in ("--help", "-h", "help"):
        result = dev(flag)
        assert result.returncode == 0, flag
        assert result.stderr == ""
        for command in ("serve", "test", "build", "check", "new-post", "moderate", "intake", "lock"):
            assert f"python3 dev.py {command}" in result.stdout, (flag, command)


def test_no_command_or_an_unknown_one_prints_usage_and_exits_2() -> None:
    bare = dev()
    assert bare.returncode == 2 and "python3 dev.py serve" in bare.stderr and bare.stdout == ""
    unknown = dev("bogus")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("dev.py: error: unknown command 'bogus'\n")


def test_every_command_in_the_readme_is_in_the_help() -> None:
    shown = dev("--help").stdout
    named = set(re.findall(r"python3 dev\.py ([a-z][a-z-]*)", README))
    assert {"serve", "test", "build", "check", "new-post", "lock"} <= named
    for command in named:
        assert f"python3 dev.py {command}" in shown, command


def test_the_readme_opens_with_what_the_site_is_and_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:25])
    assert "sales-enablement" in first_screen
    assert "python3 dev.py serve" in first_screen and "python3 dev.py test" in first_screen


def test_the_readme_states_what_the_tests_need_and_speaks_of_the_project_only() -> None:
    assert "Chromium" in README and "Java" in README and "sudo" in README
    assert not re.search(r"\bissues? \d", README, re.IGNORECASE)
    assert "kb-new-post \"" not in README
    assert "NO_MKDOCS_2_WARNING" in README
    assert "(benchmarks/README.md)" in README


ENGINE_COMMANDS = ("new-site", "check", "new-post", "moderate", "intake", "outbox", "import-wordpress")


def engine(*args: str, prog: str | None = None) -> subprocess.CompletedProcess[str]:
    return kb_engine(*args, cwd=PROJECT, prog=prog)


def test_kb_engine_help_lists_every_command_and_exits_0() -> None:
    for flag in ("--help", "-h", "help"):
        result = engine(flag)
        assert result.returncode == 0 and result.stderr == "", flag
        assert result.stdout.startswith("usage: kb-engine COMMAND")
        listed = re.findall(r"^  ([a-z-]+)  ", result.stdout, flags=re.MULTILINE)
        assert listed == list(ENGINE_COMMANDS)


def test_kb_engine_says_its_version() -> None:
    import tomllib

    pinned = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    result = engine("--version")
    assert result.returncode == 0 and result.stdout == f"kb-engine {pinned}\n"


def test_kb_engine_unknown_command_is_one_line_and_exit_2() -> None:
    result = engine("bogus")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("kb-engine: error: unknown command 'bogus' (known: new-site, check,")
    bare = engine()
    assert bare.returncode == 2 and bare.stderr.startswith("usage: kb-engine COMMAND")


def test_each_command_names_itself_as_kb_engine_or_as_dev_py_runs_it() -> None:
    for command in ENGINE_COMMANDS:
        direct = engine(command, "--help")
        assert direct.returncode == 0, (command, direct.stderr)
        assert direct.stdout.startswith(f"usage: kb-engine {command} "), direct.stdout[:80]
        via_dev = engine(command, "--help", prog="python3 dev.py")
        assert via_dev.stdout.startswith(f"usage: python3 dev.py {command} "), via_dev.stdout[:80]


def test_dev_py_runs_each_command_through_kb_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every dev.py command that is an engine command becomes ``python -m kb_engine COMMAND``, with
    the flags dev.py adds (the queue, the repository, the config file) and its name for the usage."""
    dev_module = load_dev()
    execs: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(dev_module, "ensure_venv", lambda kind: None)
    monkeypatch.setattr(dev_module.os, "chdir", lambda path: None)
    monkeypatch.setattr(dev_module.os, "execve", lambda path, argv, env: execs.append((argv, env)))
    root = str(dev_module.ROOT)
    expected = {
        "check": ["--help"],
        "new-post": ["--help"],
        "import-wordpress": ["--config-file", f"{root}/mkdocs.yml", "--help"],
        "intake": ["--help"],
        "moderate": ["--queue", f"{root}/var/moderation-queue", "--repo", root, "--help"],
        "outbox": ["--queue", f"{root}/var/moderation-queue", "--help"],
    }
    monkeypatch.delenv("KB_INTAKE_QUEUE", raising=False)
    for command, rest in expected.items():
        execs.clear()
        dev_module.COMMANDS[command](["--help"])
        (argv, env), = execs
        assert argv[1:] == ["-m", "kb_engine", command, *rest], command
        assert env["KB_ENGINE_PROG"] == "python3 dev.py"
