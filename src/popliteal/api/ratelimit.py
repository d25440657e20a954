"""A small in-memory token-bucket rate limiter, keyed by client IP.

Why in memory: it needs no service beside the database, and the endpoints it guards
(starting an assessment, logging in) are where abuse costs most (storage, password guessing).
The limit is **per server process**: behind N processes a client gets up to N times the rate.
A clinic that runs several processes and wants one global limit should add it at the reverse
proxy (nginx ``limit_req``) as well. Behind a proxy, start uvicorn with ``--proxy-headers`` and
``--forwarded-allow-ips`` so the client IP is the patient's, not the proxy's.

Memory is bounded: at most ``max_keys`` buckets; when full, the buckets that have refilled
completely (idle clients) are dropped first, then the oldest.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBucket:
    """``rate_per_minute`` requests a minute per key, with bursts up to ``burst``."""

    def __init__(self, rate_per_minute: int, *, burst: int | None = None, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_minute / 60.0
        self.capacity = float(burst if burst is not None else rate_per_minute)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Take one token for ``key``: None when allowed, else seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._store(key, tokens - 1.0, now)
                return None
            self._store(key, tokens, now)
            return (1.0 - tokens) / self.rate

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) <= self.max_keys:
            return
        full = [k for k, (t, last) in self._buckets.items()
                if t + (now - last) * self.rate >= self.capacity]
        for k in full:
            del self._buckets[k]
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


def retry_after(seconds: float) -> str:
    """The ``Retry-After`` header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
