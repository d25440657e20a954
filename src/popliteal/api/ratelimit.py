"""Rate limits per client address, counted in the database so every server process shares them.

Why in the database (:mod:`popliteal.store.ratelimits`): the guarded requests (starting an
assessment, logging in, a booking request) are where abuse costs most (storage, password
guessing, a flood of names and phone numbers in front of the clinic's team). Buckets kept in
each process's memory let a client go N times as fast behind ``--workers N`` or N machines;
the database is what they all share. The address is stored only as an HMAC with the server's
secret key (so processes must share ``POPLITEAL_SECRET_KEY``, as they must for the forms'
CSRF tokens: the workers of one ``popliteal serve`` do, separate servers need it set), and a
bucket idle for a day is deleted.

Behind a reverse proxy, start uvicorn with ``--proxy-headers`` and ``--forwarded-allow-ips``
so the client address is the patient's, not the proxy's.
"""

from __future__ import annotations

import hashlib
import hmac
import math

from popliteal.store import Store


class RateLimit:
    """``per_minute`` requests a minute per client address (bursts up to a minute's worth)."""

    def __init__(self, name: str, store: Store, per_minute: int, *, secret: bytes) -> None:
        self.name = name
        self.store = store
        self.per_minute = per_minute
        self._secret = secret

    def hit(self, address: str) -> float | None:
        """Take one request for ``address``: None when allowed, else seconds until one is."""
        client = hmac.new(self._secret, address.encode(), hashlib.sha256).hexdigest()
        return self.store.take_rate_token(self.name, client, per_minute=self.per_minute)


def retry_after(seconds: float) -> str:
    """The ``Retry-After`` header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
