"""Unguessable tokens and their hashes.

Why 32 random bytes: 256 bits, twice the 128 the issue asks, so guessing any one of millions
of live tokens stays hopeless. Why store only SHA-256: a token has full entropy, so a plain
fast hash is enough (no salt or slow hash needed, unlike passwords) and the database lookup is
by the hash, which an attacker cannot steer byte by byte; ``hmac.compare_digest`` confirms it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128  # refuse to hash megabytes sent as a "token"


def new_token() -> str:
    """A fresh url-safe token (43 characters, 256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 stored in place of ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible_token(token: object) -> bool:
    """Cheap shape check before any database work: a non-empty string of sane length."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH


def hashes_match(stored_hash: str, token: str) -> bool:
    """Constant-time comparison of a stored hash with a presented token."""
    return hmac.compare_digest(stored_hash, hash_token(token))
