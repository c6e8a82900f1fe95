"""A per-client rate limit: a token bucket for each client, on the injected clock."""

from __future__ import annotations

from datetime import datetime


class RateLimit:
    """At most `per_minute` requests a minute from each client, in bursts of as many.

    Buckets are kept for the `clients` seen last; one forgotten is full again, which only
    lets a client that has long been quiet in.
    """

    def __init__(self, per_minute: int, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._buckets: dict[str, tuple[float, datetime]] = {}

    def wait(self, client: str, now: datetime) -> float:
        """0 when the client may go on (the request is counted), else the seconds to wait."""
        tokens, since = self._buckets.pop(client, (float(self.per_minute), now))
        elapsed = max(0.0, (now - since).total_seconds())
        tokens = min(float(self.per_minute), tokens + elapsed * self.per_minute / 60)
        if len(self._buckets) >= self.clients:
            del self._buckets[next(iter(self._buckets))]  # the one unheard from longest
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) * 60 / self.per_minute
        self._buckets[client] = (tokens - 1, now)
        return 0.0
