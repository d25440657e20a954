"""Alembic migration environment of popliteal.store (a package so wheels include it)."""
