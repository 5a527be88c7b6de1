"""`kb-speed` and `kb-blog` on a plain Material site, without the engine's other plugins.

A team that only wants its Material blog built faster lists `kb-blog` in place of
`blog`, and `kb-speed`: every file of its site must stay the one Material writes
(no engine template, style sheet or script joins the theme), search index and
sitemaps included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from kb_engine.theme import TEMPLATES
from sitebuild import own_plugin_instances, site_files

BLOG = {
    "post_url_format": "{date}/{slug}",
    "post_excerpt": "required",
    "archive_date_format": "yyyy",
    "categories_allowed": ["Field notes", "Pricing"],
    "pagination_per_page": 3,
}
EXTENSIONS: list[Any] = [
    "abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details", "pymdownx.highlight", "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
]


def _post(number: int) -> str:
    category = ("Field notes", "Pricing")[number % 2]
    return f"""---
date: 2025-0{1 + number % 9}-1{number % 10}
authors: [ann]
categories: [{category}]
---

# Notes from the field, part {number}

A first paragraph with a footnote[^n], `inline code` and a link to [the
first post](post-0.md) and [a heading below](#details).

<!-- more -->

## Details

!!! note "A note"

    With **bold** text and a [link out](https://example.org/a?b=1&c=2).

```python
def margin(price: float, cost: float) -> float:
    return (price - cost) / price  # {number}
```

=== "Buyer"

    What the buyer hears.

=== "Seller"

    What the seller says.

| term | meaning |
| --- | --- |
| ARR | annual recurring revenue |

*[ARR]: annual recurring revenue

[^n]: A footnote of post {number}.
"""


def _site(root: Path, plugins: list[Any]) -> Path:
    docs = root / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nA plain Material site with a blog.\n", encoding="utf-8")
    (docs / "guide.md").write_text("# A guide\n\n## Step one\n\nText.\n\n```sh\nmake\n```\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "blog" / ".authors.yml").write_text(
        "authors:\n  ann:\n    name: Ann Example\n    description: Writer\n    avatar: https://example.org/a.png\n",
        encoding="utf-8",
    )
    for number in range(8):
        (posts / f"post-{number}.md").write_text(_post(number), encoding="utf-8")
    config = {
        "site_name": "Plain",
        "site_url": "https://plain.example.org/",
        "theme": {"name": "material", "features": ["navigation.tabs", "navigation.footer", "navigation.indexes"]},
        "plugins": plugins,
        "markdown_extensions": EXTENSIONS,
        "nav": [{"Home": "index.md"}, {"Guide": "guide.md"}, {"Blog": ["blog/index.md"]}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def _build(config_file: Path, site_dir: Path) -> tuple[dict[str, bytes], list[str]]:
    with own_plugin_instances():
        config = load_config(str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
        return site_files(site_dir), list(config.theme.dirs)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, bytes], list[str]]]:
    root = tmp_path_factory.mktemp("speed-alone")
    variants = {
        "material": ["search", {"blog": BLOG}],
        "engine": ["search", "kb-speed", {"kb-blog": BLOG}],
        "blog only": ["search", {"kb-blog": BLOG}],
    }
    return {name: _build(_site(root / name, plugins), root / f"site-{name}")
            for name, plugins in variants.items()}


@pytest.mark.parametrize("variant", ["engine", "blog only"])
def test_every_file_is_materials_own(builds: dict[str, tuple[dict[str, bytes], list[str]]], variant: str) -> None:
    material, _ = builds["material"]
    files, _ = builds[variant]
    assert sorted(files) == sorted(material)
    assert [name for name in material if files[name] != material[name]] == []
    assert any(name.endswith("search_index.json") for name in files)
    assert sum(name.endswith(".html") for name in files) > 15  # posts, views and pages were compared


@pytest.mark.parametrize("variant", ["engine", "blog only"])
def test_no_engine_template_joins_the_theme(builds: dict[str, tuple[dict[str, bytes], list[str]]],
                                            variant: str) -> None:
    _, dirs = builds[variant]
    assert TEMPLATES not in dirs
