"""Partners: other systems (the city's, a newspaper's app) that file reports with an API key."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

SHOWN = 6  # characters of a key kept readable, so that an admin can tell keys apart


@dataclass(frozen=True)
class ApiKey:
    id: int
    partner: str
    shown: str  # the key's first characters; the key itself is kept only as its hash
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Requester:
    """Who a partner files for, when it names them; personal data, for the ward's officers."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def named(self) -> bool:
        return bool(self.name)


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    """A key as it is stored: a SHA-256 is enough for a random 192-bit secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
