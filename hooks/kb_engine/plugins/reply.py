"""``kb-reply``: the Leave a Reply form under every post, and the list of posts the intake takes comments for.

The form's data comes from kb_engine.reply (rendered by
partials/kb/reply-form.html); the list (``comments/posts.json``) is what the
intake service checks a comment's post and reply-to against.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from material.plugins.blog.structure import Post
from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.blogsource import posts_dir
from kb_engine.comments.build import STATE as COMMENTS_STATE
from kb_engine.comments.build import CommentsBuild
from kb_engine.comments.settings import FRONT_MATTER_KEY, CommentSettings, comments_closed
from kb_engine.core.atomic import write_atomic
from kb_engine.core.dates import DateStyle, style_of
from kb_engine.core.manifest import MANIFEST_PATH, PostEntry, manifest_json
from kb_engine.core.paths import comments_directory
from kb_engine.core.settings import config_file_name, feature_settings
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.reply.form import CONTEXT_KEY, ReplyForm, ReplyTarget, allowed_tags, post_id, reply_targets
from kb_engine.reply.settings import ReplySettings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

STATE = "reply"


@dataclass
class ReplyBuild:
    settings: ReplySettings
    comments_dir: Path
    close_after_days: int | None
    now: dt.datetime  # when the build started: posts older than close_after_days are closed
    dates: DateStyle = field(default_factory=DateStyle)  # the date style: the reply chooser's dates
    posts: list[PostEntry] = field(default_factory=list)


class ReplyPlugin(FeaturePlugin[ReplySettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-reply"

    @ordered("config", "kb-reply")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        if self.config.intake_url and not config.site_url:
            raise PluginError(f"{config_file_name(config)}: plugins.kb-reply.intake_url needs site_url: "
                              "the intake service sends readers back to the post's published address")
        comments = feature_settings(config, "comments", CommentSettings)
        buildstate.start(config, STATE, ReplyBuild(self.config, comments_directory(config), comments.close_after_days,
                                                   dt.datetime.now(dt.UTC), style_of(config)))
        return config

    @ordered("page_context", "kb-reply")
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        state = buildstate.get(config, STATE, ReplyBuild)
        post = post_id(page.file.src_uri, posts_dir(config))
        if post is None:
            return context
        comments = buildstate.get_optional(config, COMMENTS_STATE, CommentsBuild)
        if comments is not None:  # the comments feature has loaded and checked them
            loaded = comments.posts.get(page.file.src_uri)
            approved = loaded.comments if loaded else ()
            targets = tuple(ReplyTarget(c.id, c.author, c.date.isoformat(), state.dates.date(c.date))
                            for c in approved)
        else:
            targets = reply_targets(state.comments_dir / post, state.dates)
        published = page.config.date.created if isinstance(page, Post) else None
        closed = comments_closed(page.meta.get(FRONT_MATTER_KEY), published, state.now, state.close_after_days)
        context[CONTEXT_KEY] = ReplyForm(post, state.settings.intake_url, allowed_tags(), targets, closed)
        if not (isinstance(page, Post) and page.config.draft is True) and page.canonical_url:
            ids = tuple(t.id for t in targets)
            state.posts.append(PostEntry(post, page.title or post, page.canonical_url, ids, closed=closed))
        return context

    @ordered("post_build", "kb-reply")
    def on_post_build(self, config: MkDocsConfig) -> None:
        state = buildstate.get(config, STATE, ReplyBuild)
        if config.site_url:
            path = Path(config.site_dir) / MANIFEST_PATH
            os.makedirs(path.parent, exist_ok=True)
            write_atomic(path, manifest_json(config.site_url, state.posts, state.dates).encode("utf-8"))
