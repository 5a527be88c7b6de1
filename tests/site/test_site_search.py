"""The site's own search content: its vocabulary, the questions every guide answers, the index's size budget."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kb_engine.core.configtext import read_project_config
from kb_engine.core.paths import trees_folder_in_config
from kb_engine.search.entries import growth
from kb_engine.search.synonyms import parse_vocabulary
from sitebuild import PROJECT, Site


@pytest.fixture(scope="module")
def index(real_site: Site) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(real_site.text("search/search_index.json"))
    return data


def test_the_project_vocabulary_is_valid() -> None:
    text = (PROJECT / "search-vocabulary.yml").read_text(encoding="utf-8")
    vocabulary, problems = parse_vocabulary(text, "search-vocabulary.yml")
    assert problems == []
    assert len(vocabulary.groups) >= 20


def test_every_guide_declares_five_questions_or_more_and_shows_them(real_site: Site,
                                                                    index: dict[str, Any]) -> None:
    guides = sorted(p for p in (PROJECT / "docs/guides").glob("*.md") if p.name != "index.md")
    assert len(guides) == 10
    for path in guides:
        url = f"guides/{path.stem}/"
        page = real_site.html(url)
        [box] = page.xpath("//aside[contains(@class, 'kb-answers')]")
        assert box.xpath("string(p)") == "This guide answers"
        shown = [li.text_content().strip() for li in box.xpath(".//li")]
        assert len(shown) >= 5
        # right under the title
        assert box.getprevious().tag == "h1"
        [entry] = [e for e in index["docs"] if e["location"] == url]
        assert entry["questions"]


def test_the_additions_grow_the_index_by_at_most_a_quarter(index: dict[str, Any]) -> None:
    folder = trees_folder_in_config(read_project_config(PROJECT)[0])
    assert 0.05 < growth(index, r"[\s\-]+", folder) <= 0.25
