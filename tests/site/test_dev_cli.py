"""dev.py's command line and the README agree: every command the README names is in
`python3 dev.py --help`, which exits 0; no command or an unknown one prints usage and exits 2."""

from __future__ import annotations

import re
import subprocess
import sys

from sitebuild import PROJECT

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


def test_new_post_and_check_name_themselves_as_dev_py_commands() -> None:
    for module, usage in (("kb_engine.cli.new_post", "usage: python3 dev.py new-post"),
                          ("kb_engine.cli.check", "usage: python3 dev.py check")):
        result = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True,
                                check=False, cwd=PROJECT, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith(usage), result.stdout[:80]
