"""Per-app rows of the URL classification and the permission matrix.

Each module here defines ``ENDPOINTS: dict[str, Endpoint]`` and ``MATRIX: dict[(name, method),
tuple[int, ...]]`` for the URLs of one app (same columns as ``test_permission_matrix``), so that
features built in parallel do not edit one shared table.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def app_tables() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
