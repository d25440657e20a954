"""The patient pages and the clinician's desk: server-rendered HTML on the API's own service.

Why server-rendered: most patients arrive on a phone, often on a slow connection. Plain HTML
forms that post and redirect work without JavaScript, load fast and are read well by screen
readers. The pages call the same service functions as the API routes
(:mod:`popliteal.api.interviews`, the store, the clinics package), never the API over HTTP.

Public surface: :func:`install_web` (what ``popliteal.api.create_app`` calls).
"""

from popliteal.web.mount import install_web

__all__ = ["install_web"]
