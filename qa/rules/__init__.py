"""The built-in rules: each module registers its rules and checks with
:mod:`qa.engine.registry` when imported."""
from __future__ import annotations


def load_builtin_rules() -> None:
    """Import the modules that register rules (idempotent)."""
    import importlib
    import pkgutil

    for m in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{m.name}")
