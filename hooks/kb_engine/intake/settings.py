"""The intake service's settings: built in code, or read from environment variables.

``IntakeSettings(...)`` is a plain frozen dataclass, so another program (the
preview server) can build one in code. ``IntakeSettings.from_env`` reads the
``KB_INTAKE_*`` variables (``python3 dev.py intake`` turns its flags into
them) and checks every one of them, collecting one line per wrong setting in
:class:`SettingsError` before anything starts.

Secrets (the comment key, the git token, the SMTP password, the webhook
address) come from a variable or from a file named by one, never from the
repository.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kb_engine.comments.identity import KEY_ENV, KEY_FILE_ENV, MissingKey, load_key, shared_with_others
from kb_engine.core.manifest import Manifest
from kb_engine.core.urls import http_url_problem, origin_of
from kb_engine.intake.ratelimit import RateLimit

QUEUE_ENV = "KB_INTAKE_QUEUE"
MANIFEST_ENV = "KB_INTAKE_MANIFEST"
SITE_URL_ENV = "KB_INTAKE_SITE_URL"
ORIGINS_ENV = "KB_INTAKE_ORIGINS"
RATE_ENV = "KB_INTAKE_RATE"
MAX_BYTES_ENV = "KB_INTAKE_MAX_BYTES"
PROXIES_ENV = "KB_INTAKE_PROXIES"
RETRY_ENV = "KB_INTAKE_RETRY"
GIT_REMOTE_ENV = "KB_INTAKE_GIT_REMOTE"
GIT_SSH_KEY_ENV = "KB_INTAKE_GIT_SSH_KEY"
GIT_TOKEN_ENV = "KB_INTAKE_GIT_TOKEN"  # noqa: S105 - the variable's name, not a secret
GIT_TOKEN_FILE_ENV = "KB_INTAKE_GIT_TOKEN_FILE"  # noqa: S105
GIT_BASE_ENV = "KB_INTAKE_GIT_BASE"
GIT_CLONE_ENV = "KB_INTAKE_GIT_CLONE"
GIT_AUTHOR_ENV = "KB_INTAKE_GIT_AUTHOR"
SMTP_ENV = "KB_INTAKE_SMTP"
SMTP_SECURITY_ENV = "KB_INTAKE_SMTP_SECURITY"
SMTP_FROM_ENV = "KB_INTAKE_SMTP_FROM"
SMTP_TO_ENV = "KB_INTAKE_SMTP_TO"
SMTP_USER_ENV = "KB_INTAKE_SMTP_USER"
SMTP_PASSWORD_FILE_ENV = "KB_INTAKE_SMTP_PASSWORD_FILE"  # noqa: S105
WEBHOOK_ENV = "KB_INTAKE_WEBHOOK_URL"
WEBHOOK_FILE_ENV = "KB_INTAKE_WEBHOOK_URL_FILE"
WRITE_PAUSE_ENV = "KB_INTAKE_TEST_WRITE_PAUSE"  # tests only: seconds between fsync and rename

DEFAULT_RATE = RateLimit(burst=5, window=600.0)
DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_AUTHOR = "Comment intake <comment-intake@localhost>"
SMTP_SECURITIES = ("starttls", "ssl", "none")
_RATE = re.compile(r"\A([0-9]{1,15})/([0-9]{1,15}(?:\.[0-9]{1,15})?)\Z")
_RETRY = re.compile(r"\A([0-9]{1,15}(?:\.[0-9]{1,15})?)/([0-9]{1,15}(?:\.[0-9]{1,15})?)\Z")
_AUTHOR = re.compile(r"\A([^<>\n]+?)\s*<([^<>\s@]+@[^<>\s@]+)>\Z")
_BRANCH = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._/-]*\Z")
_SCP_REMOTE = re.compile(r"\A[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+\Z")  # git@github.com:owner/site.git
_ADDRESS = re.compile(r"\A[^@\s<>]+@[^@\s<>]+\Z")


def is_whole_number(text: str) -> bool:
    """Only ASCII digits, at most 15 of them.

    ``str.isdigit`` also accepts superscripts ("²"), which ``int`` refuses,
    and other scripts' digits, which ``int`` reads; ``int`` refuses more than
    4,300 digits. A setting is written in 0-9.
    """
    return 0 < len(text) <= 15 and text.isascii() and text.isdigit()


class SettingsError(Exception):
    """Settings that cannot be used: one line per wrong setting, each naming it."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class RetrySettings:
    """Back-off of the outbox: the first retry after ``first`` seconds, doubling up to ``longest``."""

    first: float = 5.0
    longest: float = 900.0


@dataclass(frozen=True)
class GitSettings:
    """Deliver each accepted comment as its own branch of the site's repository."""

    remote: str  # ssh://, git@host:path, https://, git:// or a local path
    clone_dir: Path  # the service's own clone (bare); never a moderator's working tree
    ssh_key: Path | None = None  # a deploy key (private key file, mode 0600)
    token: str | None = field(default=None, repr=False)  # an HTTPS token
    base: str | None = None  # the branch comments branch from; None: the remote's default branch
    author: str = DEFAULT_AUTHOR  # "Name <address>" of the commits
    token_setting: str = GIT_TOKEN_ENV  # the variable the token came from, for messages


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    security: str = "starttls"  # starttls, ssl or none
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NotifySettings:
    """Who hears about new comments in queue mode: e-mail and/or a JSON webhook."""

    smtp: SmtpSettings | None = None
    webhook_url: str | None = field(default=None, repr=False)  # Slack-compatible: {"text": ...}

    @property
    def channels(self) -> tuple[str, ...]:
        return (("mail",) if self.smtp else ()) + (("webhook",) if self.webhook_url else ())


@dataclass(frozen=True)
class IntakeSettings:
    """Everything the app and its delivery worker need.

    ``manifest`` is the path of the built site's ``comments/posts.json`` or a
    callable returning the current :class:`~kb_engine.core.manifest.Manifest`.
    ``allowed_origins``: the origins form posts are accepted from (default:
    the origin of ``redirect_base``, else of the manifest's ``site_url``).
    ``redirect_base``: where readers are sent back to (a post's URL keeps its
    path under this base; default: the manifest's own URLs).
    ``key``: the secret of the keyed hashes (duplicate markers, the address
    hash in delivered comment files).
    """

    queue_dir: Path
    manifest: Path | Callable[[], Manifest]
    key: bytes = field(repr=False)
    allowed_origins: tuple[str, ...] = ()
    redirect_base: str | None = None
    rate: RateLimit = DEFAULT_RATE
    max_request_bytes: int = DEFAULT_MAX_BYTES
    trusted_proxies: int = 0  # how many reverse proxies' X-Forwarded-* headers to trust
    git: GitSettings | None = None
    notify: NotifySettings = field(default_factory=NotifySettings)
    retry: RetrySettings = field(default_factory=RetrySettings)
    write_pause: float = 0.0

    def __post_init__(self) -> None:
        if len(self.key) < 16:
            raise SettingsError("the comment key is shorter than 16 characters")
        for origin in self.allowed_origins:
            if origin_of(origin) != origin.rstrip("/").lower():
                raise SettingsError(f"allowed origin {origin!r}: expected scheme://host[:port], no path")

    @property
    def jobs(self) -> tuple[str, ...]:
        """The outbox jobs each accepted comment gets."""
        return ("git",) if self.git else self.notify.channels

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 key: Callable[[], bytes] | None = None) -> IntakeSettings:
        """Read and check every ``KB_INTAKE_*`` variable; raise SettingsError listing each wrong one.

        ``key`` supplies the comment key when neither KB_COMMENT_KEY nor
        KB_COMMENT_KEY_FILE is set (the development key); git delivery
        always needs one of them.
        """
        env = os.environ if env is None else env
        reader = _Reader(env)
        queue = reader.text(QUEUE_ENV)
        manifest = reader.text(MANIFEST_ENV)
        if not queue:
            reader.problem(f"{QUEUE_ENV} is not set: the folder of the moderation queue")
        if not manifest:
            reader.problem(f"{MANIFEST_ENV} is not set: the built site's comments/posts.json")
        queue_dir = Path(queue or ".").resolve()
        site_url = reader.http_url(SITE_URL_ENV)
        listed = reader.text(ORIGINS_ENV).split(",")
        origins = tuple(o.strip().rstrip("/").lower() for o in listed if o.strip())
        for origin in origins:
            if origin_of(origin) != origin:
                reader.problem(f"{ORIGINS_ENV}: {origin!r} is not an origin (scheme://host[:port], no path)")
        if site_url and not origins:
            origins = (origin_of(site_url),)
        git = reader.git(queue_dir)
        settings_args = {
            "rate": reader.rate(),
            "max_request_bytes": reader.whole(MAX_BYTES_ENV, DEFAULT_MAX_BYTES),
            "trusted_proxies": reader.whole(PROXIES_ENV, 0, allow_zero=True),
            "retry": reader.retry(),
            "notify": reader.notify(),
            "write_pause": reader.seconds(WRITE_PAUSE_ENV, 0.0),
        }
        needs_key = git is not None or bool(reader.text(GIT_REMOTE_ENV))
        # Last, so that a start that fails anyway makes no development key.
        secret = reader.comment_key(key, needed_in_env=needs_key)
        if reader.problems:
            raise SettingsError(reader.problems)
        assert secret is not None
        return cls(queue_dir=queue_dir, manifest=Path(manifest).resolve(), key=secret,
                   allowed_origins=origins, redirect_base=site_url, git=git, **settings_args)  # type: ignore[arg-type]


def parse_rate(text: str) -> RateLimit:
    """``N/SECONDS``: N comments at once per client, refilled over SECONDS."""
    if not text.strip():
        return DEFAULT_RATE
    match = _RATE.match(text.strip())
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise SettingsError(f"{RATE_ENV}={text}: expected N/SECONDS, e.g. 5/600 (5 comments per 10 minutes)")
    return RateLimit(burst=int(match.group(1)), window=float(match.group(2)))


def describe_remote(remote: str) -> str:
    """A remote as it may be logged: without a user name, password or token in a URL."""
    parts = urlsplit(remote)
    if parts.scheme in ("http", "https", "ssh", "git") and (parts.username or parts.password):
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.scheme == "ssh" and parts.password is None else ""
        return parts._replace(netloc=f"{user}{host}{port}").geturl()
    return remote


def _secret_file(path: str) -> tuple[str | None, str | None]:
    """The stripped text of a secret file, or (None, why not); one others may read is refused."""
    try:
        with open(path, "rb") as f:
            shared = shared_with_others(os.fstat(f.fileno()).st_mode)
            text = f.read().decode("utf-8").strip()
    except OSError as error:
        return None, f"cannot read it ({error.strerror})"
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    if shared:
        return None, f"{shared}: chmod 600 {path}"
    return (text, None) if text else (None, "it is empty")


class _Reader:
    """Reads settings from a mapping, collecting one line per wrong one."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def problem(self, line: str) -> None:
        self.problems.append(line)

    def text(self, name: str) -> str:
        return self.env.get(name, "").strip()

    def http_url(self, name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        problem = http_url_problem(value, base=True)
        if problem:
            self.problem(f"{name}={value}: expected an absolute http(s) URL: {problem}")
            return None
        return value

    def whole(self, name: str, default: int, *, allow_zero: bool = False) -> int:
        text = self.text(name)
        if not text:
            return default
        if not is_whole_number(text) or (int(text) == 0 and not allow_zero):
            above = "" if allow_zero else " above 0"
            self.problem(f"{name}={text}: expected a whole number{above}, in the digits 0-9")
            return default
        return int(text)

    def seconds(self, name: str, default: float) -> float:
        text = self.text(name)
        try:
            value = float(text) if text and text.isascii() and len(text) <= 30 else -1.0 if text else default
        except ValueError:
            value = -1.0
        if not 0 <= value < float("inf"):  # negative, infinite or NaN
            self.problem(f"{name}={text}: expected seconds")
            return default
        return value

    def rate(self) -> RateLimit:
        try:
            return parse_rate(self.env.get(RATE_ENV, ""))
        except SettingsError as error:
            self.problems.extend(error.problems)
            return DEFAULT_RATE

    def retry(self) -> RetrySettings:
        text = self.text(RETRY_ENV)
        if not text:
            return RetrySettings()
        match = _RETRY.match(text)
        if not match or not 0 < float(match.group(1)) <= float(match.group(2)):
            self.problem(f"{RETRY_ENV}={text}: expected FIRST/LONGEST seconds, e.g. 5/900 "
                         "(first retry after 5 s, doubling up to 15 minutes)")
            return RetrySettings()
        return RetrySettings(float(match.group(1)), float(match.group(2)))

    def secret(self, name: str, file_name: str) -> str | None:
        """A secret from ``name`` or from the file named by ``file_name``."""
        value = self.text(name)
        path = self.text(file_name)
        if value and path:
            self.problem(f"{name} and {file_name} are both set; set one of them")
            return None
        if path:
            text, why = _secret_file(path)
            if why:
                self.problem(f"{file_name}={path}: {why}")
            return text
        return value or None

    def comment_key(self, fallback: Callable[[], bytes] | None, *, needed_in_env: bool) -> bytes | None:
        if not (self.text(KEY_ENV) or self.text(KEY_FILE_ENV)):
            if fallback is not None and not needed_in_env and self.problems:
                return None  # the start fails anyway: make no development key
            if fallback is None or needed_in_env:
                self.problem(f"no comment key: set {KEY_ENV} to a secret of at least 16 characters, or "
                             f"{KEY_FILE_ENV} to a file holding one (outside the repository)")
                return None
            return fallback()
        try:
            return load_key(dict(self.env))
        except MissingKey as error:
            self.problem(str(error))
            return None

    def git(self, queue_dir: Path) -> GitSettings | None:
        remote = self.text(GIT_REMOTE_ENV)
        others = (GIT_SSH_KEY_ENV, GIT_TOKEN_ENV, GIT_TOKEN_FILE_ENV, GIT_BASE_ENV, GIT_CLONE_ENV,
                  GIT_AUTHOR_ENV)
        if not remote:
            for name in others:
                if self.text(name):
                    self.problem(f"{name} is set but {GIT_REMOTE_ENV} is not: "
                                 "set the site repository's remote")
            return None
        ok = True
        parts = urlsplit(remote)
        scp = bool(_SCP_REMOTE.match(remote)) and not parts.scheme
        if parts.scheme in ("http", "https", "ssh", "git"):
            if not parts.hostname:
                self.problem(f"{GIT_REMOTE_ENV}={describe_remote(remote)}: no host in the address")
                ok = False
            if parts.password is not None:
                self.problem(f"{GIT_REMOTE_ENV}: the address holds a password; put the token in "
                             f"{GIT_TOKEN_FILE_ENV} instead")
                ok = False
        elif not scp and parts.scheme not in ("file", ""):
            self.problem(f"{GIT_REMOTE_ENV}={remote}: expected an ssh://, git@host:path, https://, "
                         "git:// or file address")
            ok = False
        elif not scp and not Path(parts.path if parts.scheme == "file" else remote).is_absolute():
            self.problem(f"{GIT_REMOTE_ENV}={remote}: a local remote must be an absolute path")
            ok = False
        ssh_key = self._ssh_key(remote_uses_ssh=scp or parts.scheme == "ssh")
        token = self.secret(GIT_TOKEN_ENV, GIT_TOKEN_FILE_ENV)
        token_setting = GIT_TOKEN_FILE_ENV if self.text(GIT_TOKEN_FILE_ENV) else GIT_TOKEN_ENV
        if token and parts.scheme not in ("http", "https"):
            self.problem(f"{token_setting}: a token works with an https:// remote only")
            ok = False
        base = self.text(GIT_BASE_ENV) or None
        if base is not None and (not _BRANCH.match(base) or ".." in base or base.endswith((".lock", "/"))):
            self.problem(f"{GIT_BASE_ENV}={base}: not a branch name")
            ok = False
        author = self.text(GIT_AUTHOR_ENV) or DEFAULT_AUTHOR
        if not _AUTHOR.match(author):
            self.problem(f"{GIT_AUTHOR_ENV}={author}: expected \"Name <address>\"")
            ok = False
        clone = self.text(GIT_CLONE_ENV)
        clone_dir = Path(clone).resolve() if clone else queue_dir / "git-clone"
        if clone_dir.exists() and not clone_dir.is_dir():
            self.problem(f"{GIT_CLONE_ENV}={clone_dir}: not a folder")
            ok = False
        if not ok:
            return None
        return GitSettings(remote, clone_dir, ssh_key, token, base, author, token_setting)

    def _ssh_key(self, *, remote_uses_ssh: bool) -> Path | None:
        text = self.text(GIT_SSH_KEY_ENV)
        if not text:
            return None
        path = Path(text).resolve()
        if not remote_uses_ssh:
            self.problem(f"{GIT_SSH_KEY_ENV}: a deploy key works with an ssh remote only "
                         f"(ssh://... or git@host:path in {GIT_REMOTE_ENV})")
            return None
        try:
            info = path.stat()
            head = path.read_bytes()[:40]
        except OSError as error:
            self.problem(f"{GIT_SSH_KEY_ENV}={path}: cannot read the deploy key ({error.strerror})")
            return None
        if not stat.S_ISREG(info.st_mode):
            self.problem(f"{GIT_SSH_KEY_ENV}={path}: not a file")
        elif info.st_mode & 0o077:
            self.problem(f"{GIT_SSH_KEY_ENV}={path}: readable by others (mode {info.st_mode & 0o777:o}); "
                         f"ssh refuses such keys: chmod 600 {path}")
        elif not head.startswith(b"-----BEGIN ") or b"PRIVATE KEY" not in head:
            self.problem(f"{GIT_SSH_KEY_ENV}={path}: not a private key "
                         "(expected -----BEGIN ... PRIVATE KEY-----)")
        else:
            return path
        return None

    def notify(self) -> NotifySettings:
        return NotifySettings(self._smtp(), self._webhook())

    def _webhook(self) -> str | None:
        url = self.secret(WEBHOOK_ENV, WEBHOOK_FILE_ENV)
        if url is None:
            return None
        if http_url_problem(url):  # a secret: the message does not show it
            self.problem(f"{WEBHOOK_ENV}: expected an absolute http(s) URL")
            return None
        return url

    def _smtp(self) -> SmtpSettings | None:
        server = self.text(SMTP_ENV)
        names = (SMTP_FROM_ENV, SMTP_TO_ENV, SMTP_USER_ENV, SMTP_PASSWORD_FILE_ENV, SMTP_SECURITY_ENV)
        if not server:
            for name in names:
                if self.text(name):
                    self.problem(f"{name} is set but {SMTP_ENV} is not: set the mail server (HOST:PORT)")
            return None
        host, _, port_text = server.rpartition(":")
        ok = True
        if not host or not is_whole_number(port_text) or not 0 < int(port_text) < 65536:
            self.problem(f"{SMTP_ENV}={server}: expected HOST:PORT, e.g. smtp.example.org:587")
            ok = False
        security = self.text(SMTP_SECURITY_ENV) or "starttls"
        if security not in SMTP_SECURITIES:
            self.problem(f"{SMTP_SECURITY_ENV}={security}: expected one of {', '.join(SMTP_SECURITIES)}")
            ok = False
        sender = self.text(SMTP_FROM_ENV)
        if not _ADDRESS.match(sender):
            self.problem(f"{SMTP_FROM_ENV}={sender}: expected the address notifications come from"
                         if sender else f"{SMTP_FROM_ENV} is not set: the address notifications come from")
            ok = False
        recipients = tuple(r.strip() for r in self.text(SMTP_TO_ENV).split(",") if r.strip())
        bad = [r for r in recipients if not _ADDRESS.match(r)]
        if not recipients or bad:
            self.problem(f"{SMTP_TO_ENV}: expected the moderators' addresses, separated by commas"
                         + (f" ({', '.join(bad)} is not one)" if bad else ""))
            ok = False
        user = self.text(SMTP_USER_ENV) or None
        password = None
        password_file = self.text(SMTP_PASSWORD_FILE_ENV)
        if password_file:
            password, why = _secret_file(password_file)
            if why:
                self.problem(f"{SMTP_PASSWORD_FILE_ENV}={password_file}: {why}")
                ok = False
        if bool(user) != bool(password_file):
            self.problem(f"{SMTP_USER_ENV} and {SMTP_PASSWORD_FILE_ENV} go together; set both or neither")
            ok = False
        if not ok:
            return None
        return SmtpSettings(host.strip("[]"), int(port_text), sender, recipients, security, user, password)
