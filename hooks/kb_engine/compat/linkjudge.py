"""MkDocs' own judgement of a link in a page, asked of its private ``_RelativePathTreeprocessor``.

The content check (:mod:`kb_engine.mdlinks`) warns of the links a build would
warn of, by calling the very method MkDocs calls on every link of a rendered
page (``path_to_url``, MkDocs 1.6.1), which logs its warnings to
``mkdocs.structure.pages``. Nothing is copied: under another version of
MkDocs its own method still runs, so there is nothing to fall back to; the
recorded source (:data:`kb_engine.compat.BORROWED`) tells when the messages
the check turns into problems may read differently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mkdocs.structure.pages import _RelativePathTreeprocessor

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files


def link_judge(file: File, files: Files, config: MkDocsConfig) -> Callable[[str], object]:
    """MkDocs' ``path_to_url`` for links in ``file``: it logs a warning for each link a build warns of."""
    judge: Callable[[str], object] = _RelativePathTreeprocessor(file, files, config).path_to_url
    return judge
