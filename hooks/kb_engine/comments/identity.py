"""Commenter e-mail addresses: never stored, only a keyed hash of them.

The key is a secret kept outside the repository (an environment variable or
a file named by one), so the hash cannot be reversed by hashing guessed
addresses, unlike the plain MD5 that Gravatar uses.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata

from kb_engine.comments.rules import canonical_email

KEY_ENV = "KB_COMMENT_KEY"
KEY_FILE_ENV = "KB_COMMENT_KEY_FILE"
HASH_PREFIX = "hmac-sha256:"
_HASH = re.compile(r"\Ahmac-sha256:[0-9a-f]{64}\Z")
MIN_KEY_LENGTH = 16


class MissingKey(Exception):
    """No secret key is configured; the message says how to set one."""


def normalize_email(email: str) -> str:
    """The form of an address that is hashed: :func:`kb_engine.comments.rules.canonical_email`.

    An address email-validator cannot read (an old one kept by an imported
    blog) is hashed trimmed, NFC, in lower case, as it always was; for an
    ASCII address both forms are the same, so earlier hashes still match.
    """
    canonical = canonical_email(email)
    if canonical is not None:
        return canonical
    return unicodedata.normalize("NFC", email.strip()).lower()


def email_hash(email: str, key: bytes) -> str:
    """``hmac-sha256:<hex>`` of the normalised address under ``key``."""
    digest = hmac.new(key, normalize_email(email).encode("utf-8"), hashlib.sha256).hexdigest()
    return HASH_PREFIX + digest


def is_email_hash(value: str) -> bool:
    return bool(_HASH.match(value))


def shared_with_others(mode: int) -> str | None:
    """Why a secret file with this ``st_mode`` is refused (group or others may read it), or None."""
    if mode & 0o077:
        return f"readable by others (mode {mode & 0o777:o})"
    return None


def load_key(environ: dict[str, str] | None = None) -> bytes:
    """The secret key, from ``KB_COMMENT_KEY`` or the file ``KB_COMMENT_KEY_FILE``."""
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        key = env[KEY_ENV].encode("utf-8")
    elif env.get(KEY_FILE_ENV):
        path = env[KEY_FILE_ENV]
        try:
            with open(path, "rb") as f:
                why = shared_with_others(os.fstat(f.fileno()).st_mode)
                key = f.read().strip()
        except OSError as error:
            raise MissingKey(f"{KEY_FILE_ENV}={path}: cannot read the key file ({error.strerror})") from None
        if why:
            raise MissingKey(f"{KEY_FILE_ENV}={path}: {why}; anyone who reads the key can link a "
                             f"commenter's comments: chmod 600 {path}")
    else:
        raise MissingKey(
            f"no comment key: set {KEY_ENV} to a secret of at least {MIN_KEY_LENGTH} characters, "
            f"or {KEY_FILE_ENV} to a file holding one (keep it outside the repository)"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise MissingKey(f"the comment key is shorter than {MIN_KEY_LENGTH} characters")
    return key
