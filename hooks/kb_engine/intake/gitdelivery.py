"""Git delivery: push an accepted comment as its own branch of the site's repository.

Each comment becomes the branch ``comment/<post-id>/<comment-id>`` with one
commit on top of the remote's default branch (or ``KB_INTAKE_GIT_BASE``)
that adds exactly ``<comments folder>/<post-id>/<comment-id>.yml``, the file
the moderation command would write (the address replaced by its keyed hash).
The folder is ``plugins.kb-comments.directory`` of the ``mkdocs.yml`` on that
branch, resolved by :mod:`kb_engine.core.paths` like every other writer.
A workflow in the site repository opens a pull request for each such
branch; reviewing and merging it is moderation.

The service keeps its own bare clone (``KB_INTAKE_GIT_CLONE``) and builds the
commit with plumbing commands and a private index file, so no working tree
is ever touched, the moderators' least of all. It pushes without force and
never to the base branch. Delivering twice is harmless: a branch that is
already on the remote counts as delivered.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb_engine.core.configtext import CONFIG_FILE
from kb_engine.core.paths import CommentsDirectoryError, directory_in_config_text
from kb_engine.intake.commentfile import comment_yaml, relative_path
from kb_engine.intake.queue import QueuedComment, make_private_dir
from kb_engine.intake.settings import (
    GIT_BASE_ENV,
    GIT_CLONE_ENV,
    GIT_REMOTE_ENV,
    GIT_SSH_KEY_ENV,
    GitSettings,
    describe_remote,
)

BRANCH_PREFIX = "comment/"
TIMEOUT = 120.0  # seconds for one git command against the remote
_AUTHOR = re.compile(r"\A(.+?)\s*<(.+)>\Z")


class DeliveryError(Exception):
    """Delivery failed this time; the message is one line naming the setting or the remote."""


@dataclass(frozen=True)
class Delivered:
    branch: str
    commit: str | None  # None: the branch was already on the remote


def branch_name(comment: QueuedComment) -> str:
    relative_path(comment)  # checks that both ids are safe names
    return f"{BRANCH_PREFIX}{comment.post}/{comment.id}"


class GitDelivery:
    def __init__(self, settings: GitSettings, key: bytes) -> None:
        self.settings = settings
        self.key = key
        self.remote = describe_remote(settings.remote)

    # -- running git -------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR", "SSH_AUTH_SOCK")
               if name in os.environ}
        env.update(LC_ALL="C", LANG="C", GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1",
                   GIT_CONFIG_GLOBAL=os.devnull, GIT_ASKPASS="/bin/false", SSH_ASKPASS="/bin/false")
        clone = self.settings.clone_dir
        ssh = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20",
               "-o", "StrictHostKeyChecking=accept-new", "-o", f"UserKnownHostsFile={clone / 'known_hosts'}"]
        if self.settings.ssh_key is not None:
            ssh += ["-o", "IdentitiesOnly=yes", "-i", str(self.settings.ssh_key)]
        env["GIT_SSH_COMMAND"] = " ".join(_quote(a) for a in ssh)
        if self.settings.token:
            # Through the environment, which other users cannot read (a
            # command-line option would show in `ps`), never into a file.
            basic = base64.b64encode(f"x-access-token:{self.settings.token}".encode()).decode()
            env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="http.extraHeader",
                       GIT_CONFIG_VALUE_0=f"Authorization: Basic {basic}")
        return env

    def _git(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
             remote: bool = False) -> str:
        command = ["git", "--git-dir", str(self.settings.clone_dir), *args]
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, env=env or self._env(),
                                  timeout=TIMEOUT if remote else 60, check=False,
                                  umask=0o077)  # the clone is as private as the queue
        except subprocess.TimeoutExpired:
            raise DeliveryError(f"{GIT_REMOTE_ENV}={self.remote}: no answer within {TIMEOUT:.0f} s "
                                f"(git {args[0]})") from None
        except OSError as error:
            raise DeliveryError(f"cannot run git ({error.strerror}); is git installed?") from None
        if done.returncode != 0:
            raise DeliveryError(self._explain(args[0], done.stderr.decode("utf-8", "replace")))
        return done.stdout.decode("utf-8", "replace")

    def _explain(self, action: str, stderr: str) -> str:
        """One line saying what went wrong and which setting or remote to look at."""
        text = " ".join(stderr.split())
        low = text.lower()
        clone = self.settings.clone_dir
        if "no space left on device" in low or "disk quota exceeded" in low:
            return f"{GIT_CLONE_ENV}={clone}: the disk is full (git {action}); free some space"
        key = self.settings.ssh_key
        if key is not None and ("load key" in low or ("identity file" in low and "not accessible" in low)):
            return f"{GIT_SSH_KEY_ENV}={key}: cannot use the deploy key (git {action}: {_last(text)})"
        if "permission denied (publickey" in low:
            return (f"{GIT_SSH_KEY_ENV}={key}: {self.remote} refused the deploy key (git {action}); "
                    "check that it is added to the repository with write access")
        if "authentication failed" in low or "could not read username" in low or (
                "403" in low and self.settings.remote.startswith("http")):
            return (f"{self.settings.token_setting}: {self.remote} refused the token (git {action}); "
                    "check that it is valid and may write to the repository")
        if any(words in low for words in ("does not appear to be a git repository", "repository not found",
                                          "not exported", "no such repository", "not found")):
            return f"{GIT_REMOTE_ENV}={self.remote}: no repository there (git {action})"
        if any(words in low for words in ("hook declined", "protected branch", "[remote rejected]",
                                          "pre-receive", "denied to")):
            reason = _remote_reason(text)
            return (f"{GIT_REMOTE_ENV}={self.remote}: the push was refused ({reason}); allow pushes of "
                    f"{BRANCH_PREFIX}* branches in the repository's branch protection rules")
        if any(words in low for words in ("could not resolve host", "connection refused", "timed out",
                                          "unable to connect", "unable to access", "connection reset",
                                          "network is unreachable", "could not read from remote")):
            return f"{GIT_REMOTE_ENV}={self.remote}: cannot reach the remote (git {action}: {_last(text)})"
        return f"{GIT_REMOTE_ENV}={self.remote}: git {action} failed: {_last(text)}"

    # -- delivering ----------------------------------------------------------

    def prepare(self) -> None:
        """The service's own bare clone, with ``origin`` pointing at the configured remote."""
        clone = self.settings.clone_dir
        try:
            make_private_dir(clone)
            if not (clone / "HEAD").exists():
                self._git("init", "--quiet", "--bare")
            remotes = self._git("remote").split()
            if "origin" in remotes:
                self._git("remote", "set-url", "origin", self.settings.remote)
            else:
                self._git("remote", "add", "origin", self.settings.remote)
        except OSError as error:
            raise DeliveryError(f"{GIT_CLONE_ENV}={clone}: cannot prepare the service's clone "
                                f"({error.strerror})") from None

    def deliver(self, comment: QueuedComment) -> Delivered:
        """Push the comment's branch, unless the remote has it already."""
        self.prepare()
        branch = branch_name(comment)
        ref = f"refs/heads/{branch}"
        if self._git("ls-remote", "origin", ref, remote=True).strip():
            return Delivered(branch, None)
        base = self.settings.base or self._default_branch()
        if branch == base or not branch.startswith(BRANCH_PREFIX):
            raise DeliveryError(f"{GIT_BASE_ENV}={base}: comments are never pushed to the base branch")
        tracking = f"refs/remotes/origin/{base}"
        try:
            self._git("fetch", "--quiet", "--no-tags", "origin", f"+refs/heads/{base}:{tracking}",
                      remote=True)
        except DeliveryError as error:
            if "couldn't find remote ref" in str(error).lower():
                raise DeliveryError(f"{GIT_BASE_ENV}: {self.remote} has no branch '{base}'") from None
            raise
        path = str(relative_path(comment, self._comments_folder(tracking)))
        if self._git("ls-tree", "--name-only", tracking, "--", path).strip():
            return Delivered(branch, None)  # merged already (and its branch deleted): published
        commit = self._commit(comment, tracking, path)
        try:
            self._git("push", "--quiet", "origin", f"{commit}:{ref}", remote=True)
        except DeliveryError:
            # Pushed by an earlier attempt whose answer was lost? Then it is there.
            if self._git("ls-remote", "origin", ref, remote=True).strip():
                return Delivered(branch, None)
            raise
        return Delivered(branch, commit)

    def _default_branch(self) -> str:
        heads = self._git("ls-remote", "--symref", "origin", "HEAD", remote=True)
        for line in heads.splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                return line[len("ref: refs/heads/"):-len("\tHEAD")]
        raise DeliveryError(f"{GIT_REMOTE_ENV}={self.remote}: the remote names no default branch; "
                            f"set {GIT_BASE_ENV}")

    def _comments_folder(self, base: str) -> str:
        """``plugins.kb-comments.directory`` of the mkdocs.yml on the base branch (the default without one)."""
        if not self._git("ls-tree", "--name-only", base, "--", CONFIG_FILE).strip():
            return directory_in_config_text(None)
        text = self._git("show", f"{base}:{CONFIG_FILE}")
        try:
            return directory_in_config_text(text, f"{CONFIG_FILE} on {base.removeprefix('refs/remotes/')}")
        except CommentsDirectoryError as error:
            raise DeliveryError(f"{GIT_REMOTE_ENV}={self.remote}: {error}") from None

    def _commit(self, comment: QueuedComment, base: str, path: str) -> str:
        data = comment_yaml(comment, self.key).encode("utf-8")
        name, email = _split_author(self.settings.author)
        with tempfile.TemporaryDirectory(dir=self.settings.clone_dir, prefix="index-") as scratch:
            env = self._env()
            env["GIT_INDEX_FILE"] = str(Path(scratch) / "index")
            blob = self._git("hash-object", "-w", "--stdin", stdin=data, env=env).strip()
            self._git("read-tree", base, env=env)
            self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self._git("write-tree", env=env).strip()
            env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
                       GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=comment.date)
            message = (f"Comment {comment.id} on {comment.post}\n\n"
                       f"By {' '.join(comment.author.split())}, {comment.date}. "
                       "Merge to publish; close to reject.\n")
            return self._git("commit-tree", tree, "-p", base, stdin=message.encode("utf-8"), env=env).strip()

    def cleanup(self) -> None:
        """Remove leftovers of a killed attempt (scratch index folders)."""
        for path in self.settings.clone_dir.glob("index-*"):
            shutil.rmtree(path, ignore_errors=True)


def _split_author(author: str) -> tuple[str, str]:
    match = _AUTHOR.match(author)
    return (match.group(1), match.group(2)) if match else ("Comment intake", "comment-intake@localhost")


def _quote(arg: str) -> str:
    return arg if re.fullmatch(r"[A-Za-z0-9_=./:@-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


def _last(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s*fatal:\s*", " ", text).strip() or "no message"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _remote_reason(text: str) -> str:
    for pattern in (r"remote: (?:error: )?(.+?)(?: To |$)", r"\[remote rejected\] .*?\((.+?)\)"):
        match = re.search(pattern, text)
        if match:
            return _last(match.group(1), 120)
    return "rejected"
