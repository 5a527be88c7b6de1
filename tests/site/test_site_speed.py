"""The site built with ``kb-speed`` (its default) and with every speed-up off: every file the same.

The speed-ups (kb_engine.compat: Material's navigation, header, tabs and footer
rendered once per key, the search index and read time read once, shared style
sheets, kb-blog's) make the same bytes on this site's own pages, palette, features
and overrides, not only on the engine's fixture sites (tests/engine/test_compat.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import Site, build_site, copy_project, own_plugin_instances, site_files


@pytest.fixture(scope="module")
def speed_off(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("speed-off")
    config_file = copy_project(root / "project")
    text = config_file.read_text(encoding="utf-8")
    assert text.count("\n  - kb-speed\n") == 1
    config_file.write_text(text.replace("\n  - kb-speed\n", "\n  - kb-speed:\n      enabled: false\n"),
                           encoding="utf-8")
    with own_plugin_instances():
        return build_site(config_file, root / "site")


def test_every_file_is_the_same_with_the_speed_ups_off(real_site: Site, speed_off: Site) -> None:
    on, off = site_files(Path(real_site.site_dir)), site_files(Path(speed_off.site_dir))
    assert speed_off.warnings == real_site.warnings == []
    assert sorted(on) == sorted(off)
    assert len(on) > 100 and "blog/index.html" in on
    assert [name for name in on if on[name] != off[name]] == []
