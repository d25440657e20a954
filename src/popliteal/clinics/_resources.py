"""Read the clinics package's YAML data files.

Why a helper: the data ships inside the package and is read with ``importlib.resources`` so
an installed wheel behaves exactly like a checkout (no paths relative to ``__file__``).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


class ClinicDataError(ValueError):
    """A clinics data file is malformed: a packaging or editing error, never user input."""


def read_yaml(name: str) -> Any:
    """Parse ``data/<name>`` from this package.

    Raises:
        ClinicDataError: if the file is missing or is not valid YAML.
    """
    path = resources.files("popliteal.clinics") / "data" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClinicDataError(f"clinics data file {name!r} could not be read: {exc}") from exc
