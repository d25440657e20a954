"""Popliteal: assessment, safety-first triage and care plans for pain at the back of the knee.

Data flows one way: words and answers -> findings -> engine -> triage -> care -> (store, api,
web, cli). Each package exposes a small public surface in its ``__init__``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
