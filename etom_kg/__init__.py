"""etom-kg: eTOM CRM (ГОСТ Р 53633.3-2009) as an OWL 2 + SKOS knowledge graph.

Files → KnowledgeGraph → query / validate / classify / merge → results.
"""
from .core.errors import EtomKgError, InputError, InvalidProcessId, UnknownProcess

__all__ = [
    "EtomKgError",
    "InputError",
    "InvalidProcessId",
    "UnknownProcess",
    "load",
    "map_inventory",
    "validate",
    "__version__",
]


def load(*args, **kwargs):
    """Return the knowledge graph (see :func:`etom_kg.graph.kg.load`)."""
    from .graph.kg import load as _load

    return _load(*args, **kwargs)


def validate(*args, timeout: float | None = None, **kwargs):
    """Validate data with the shipped shapes (see :func:`etom_kg.validation.api.validate`).

    ``timeout`` (seconds) raises :class:`etom_kg.io.guard.Timeout` when exceeded.
    """
    from .io import guard
    from .validation.api import validate as _validate

    return guard.call(_validate, *args, timeout=timeout, what="validation", **kwargs)


def map_inventory(source, top: int = 3, **kwargs):
    """Suggest CRM elements for an inventory (see :func:`etom_kg.mapping.map_inventory`)."""
    from .graph.kg import load as _load
    from .mapping import map_inventory as _map

    return _map(_load(), source, top, **kwargs)


def __getattr__(name: str):
    # importlib.metadata costs ~70 ms: read the version only when asked for.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("etom-kg")
        except PackageNotFoundError:  # a source tree without install
            return "0.0.0"
    raise AttributeError(f"module 'etom_kg' has no attribute {name!r}")
