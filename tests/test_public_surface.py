"""Each package's public surface is deliberate, and its siblings use only that surface.

After httpx's ``tests/test_exported_members.py``: every package lists its public names in
``__all__``, each of them importable, and code in one package imports another package only
through those names (``from popliteal.engine import posterior``), never through one of its
modules (``from popliteal.engine.inference import posterior``). A private module can then be
split, renamed or rewritten without breaking its neighbours.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import popliteal

PACKAGES = (
    "knowledge",
    "engine",
    "triage",
    "language",
    "interview",
    "care",
    "clinics",
    "store",
    "api",
)
SRC = Path(popliteal.__file__).parent

#: Imports past a sibling's public surface in files this test's author could not change:
#: (importing file relative to ``src/popliteal``, ``"module:name"``). Fix the import, then
#: delete its entry here; ``test_known_offenders_are_still_there`` keeps this list honest.
KNOWN_OFFENDERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("web/booking.py", "popliteal.api.errors:ApiError"),
        ("web/booking.py", "popliteal.api.routes.bookings:request_booking"),
        ("web/booking.py", "popliteal.api.schemas:BookingIn"),
        ("web/csrf.py", "popliteal.api.deps:SESSION_COOKIE"),
        ("web/csrf.py", "popliteal.api.settings:ApiSettings"),
        ("web/desk.py", "popliteal.api:interviews"),
        ("web/patient.py", "popliteal.api:interviews"),
        ("web/patient.py", "popliteal.api.errors:ApiError"),
        ("web/patient.py", "popliteal.api.ratelimit:RateLimit"),
        ("web/patient.py", "popliteal.api.ratelimit:retry_after"),
        ("web/patient.py", "popliteal.api.schemas:AssessmentIn"),
    }
)


def _own_package(path: Path, src: Path) -> str | None:
    """The top-level package a file belongs to; None for ``popliteal/*.py`` modules."""
    parts = path.relative_to(src).parts
    return parts[0] if len(parts) > 1 else None


def _absolute(node: ast.ImportFrom, path: Path, src: Path) -> str:
    """The absolute module an ``ImportFrom`` names, resolving ``from .x import y``."""
    if not node.level:
        return node.module or ""
    package = ["popliteal", *path.relative_to(src).parent.parts]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _public_names(package: str) -> set[str]:
    module = importlib.import_module(f"popliteal.{package}")
    return set(getattr(module, "__all__", ()))


def private_imports(path: Path, src: Path = SRC) -> list[str]:
    """Every ``module:name`` this file imports from a sibling package past its ``__all__``.

    Counts ``from popliteal.pkg.module import X`` and ``import popliteal.pkg.module`` for any
    package but the file's own, and ``from popliteal.pkg import X`` where X is not in
    ``popliteal.pkg.__all__`` (a module reached through the package is still private).
    Imports inside functions and ``TYPE_CHECKING`` blocks count too.
    """
    own = _own_package(path, src)
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            parts = _absolute(node, path, src).split(".")
            if parts[0] != "popliteal" or len(parts) < 2 or parts[1] == own:
                continue
            if not (SRC / parts[1] / "__init__.py").is_file():
                continue  # a top-level module (popliteal.results): it has no package surface
            public = _public_names(parts[1]) if len(parts) == 2 else set()
            module = ".".join(parts)
            found += [f"{module}:{a.name}" for a in node.names if a.name not in public]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "popliteal" and len(parts) > 2 and parts[1] != own:
                    found.append(f"{alias.name}:")
    return found


def _all_offenders() -> set[tuple[str, str]]:
    return {
        (path.relative_to(SRC).as_posix(), bad)
        for path in sorted(SRC.rglob("*.py"))
        for bad in private_imports(path)
    }


@pytest.mark.parametrize("package", PACKAGES)
def test_package_lists_its_public_names(package: str) -> None:
    module = importlib.import_module(f"popliteal.{package}")
    names = getattr(module, "__all__", None)
    assert names, f"popliteal.{package} has no __all__"
    assert len(names) == len(set(names)), f"popliteal.{package}.__all__ repeats a name"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_is_importable(package: str) -> None:
    module = importlib.import_module(f"popliteal.{package}")
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"popliteal.{package}.__all__ names what it does not define: {missing}"


def test_packages_import_only_public_names_of_their_siblings() -> None:
    new = sorted(_all_offenders() - KNOWN_OFFENDERS)
    listing = "\n".join(f"  src/popliteal/{file}: {bad}" for file, bad in new)
    assert not new, (
        "imports past a sibling package's __all__ (import from the package instead, and add the"
        f" name to its __all__ if a sibling really needs it):\n{listing}"
    )


def test_known_offenders_are_still_there() -> None:
    fixed = sorted(KNOWN_OFFENDERS - _all_offenders())
    assert not fixed, f"fixed: delete these from KNOWN_OFFENDERS: {fixed}"


def test_a_private_import_is_caught(tmp_path: Path) -> None:
    src = tmp_path / "popliteal"
    (src / "care").mkdir(parents=True)
    bad = src / "care" / "bad.py"
    bad.write_text(
        "from popliteal.engine.inference import posterior\n"
        "from popliteal.engine import rank, inference\n"
        "import popliteal.triage.rules\n"
        "from popliteal.care.plan import CarePlan\n"
        "from popliteal.knowledge import TriageLevel\n",
        encoding="utf-8",
    )
    assert private_imports(bad, src) == [
        "popliteal.engine.inference:posterior",
        "popliteal.engine:inference",
        "popliteal.triage.rules:",
    ]
