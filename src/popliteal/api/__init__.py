"""The REST API under ``/api/v1``: FastAPI routes, dependencies, schemas, security middleware.

Public surface: :func:`create_app` and :class:`ApiSettings`. Run it with ``popliteal serve``
or ``uvicorn --factory popliteal.api:create_app``. Endpoints, errors, auth and privacy are
described in ``docs/api.md``.
"""

from popliteal.api.app import create_app
from popliteal.api.routes import API_PREFIX
from popliteal.api.settings import ApiSettings

__all__ = ["API_PREFIX", "ApiSettings", "create_app"]
