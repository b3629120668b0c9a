"""Secret links and API tokens: 256 random bits, only their SHA-256 is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the hash the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest a token is looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
