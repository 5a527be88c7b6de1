"""Publishing through git: the authoring guide in the site, dev.py commands, the CI workflow."""

from __future__ import annotations

import yaml

from sitebuild import PROJECT, Site, load_dev


def test_the_authoring_guide_is_a_page_in_its_own_tab(real_site: Site) -> None:
    home = real_site.html("")
    tabs = [a.text_content().strip() for a in home.xpath("//a[contains(@class,'md-tabs__link')]")]
    assert tabs[:4] == ["Home", "Blog", "Guides", "Decision tree"]
    assert "About" in tabs
    page = real_site.html("authoring/")
    headings = [h.text_content().rstrip("¶").strip() for h in page.xpath("//article//h2")]
    for topic in (
        "Write a post", "Preview", "Check", "Commit and open a pull request", "Review", "Merge and deploy",
        "Moderating comments", "Adding an author", "Adding a category", "Editing the decision tree",
    ):
        assert topic in headings
    text = page.text_content()
    for command in ("python3 dev.py new-post", "python3 dev.py serve", "python3 dev.py check"):
        assert command in text


def test_dev_py_has_the_new_post_and_check_commands() -> None:
    dev = load_dev()
    assert {"new-post", "check"} <= set(dev.COMMANDS)
    assert "python3 dev.py new-post" in (dev.__doc__ or "")
    assert "python3 dev.py check" in (dev.__doc__ or "")


def test_console_scripts_are_registered() -> None:
    import tomllib

    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"kb-engine": "kb_engine.cli.main:main"}  # new-post, check, ... are its commands


def test_ci_checks_pull_requests_and_deploys_only_from_main() -> None:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and "push" in triggers
    jobs = workflow["jobs"]
    check_steps = [step.get("run") for step in jobs["check"]["steps"]]
    assert "python3 dev.py check" in check_steps
    assert "if" not in jobs["check"]  # runs for pull requests and pushes alike
    deploy = jobs["deploy"]
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert set(deploy["needs"]) == {"check", "test"}
    checkout = next(s for s in jobs["test"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # git dates need the whole history
