"""Routers, one per resource; each route is a few lines that call the packages.

Each router carries the full ``/api/v1/...`` prefix itself (rather than being nested under one
``/api/v1`` router) so a matched route's ``path`` is the whole template, which the request log
prints instead of the raw path (raw paths hold patients' tokens).
"""

API_PREFIX = "/api/v1"
