"""etom-kg: eTOM CRM (ГОСТ Р 53633.3-2009) as an OWL 2 + SKOS knowledge graph.

Files → KnowledgeGraph → query / validate / classify / merge → results.
"""
from importlib.metadata import PackageNotFoundError, version as _version

from .errors import EtomKgError, InputError, InvalidProcessId, UnknownProcess

try:
    __version__ = _version("etom-kg")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "EtomKgError",
    "InputError",
    "InvalidProcessId",
    "UnknownProcess",
    "load",
    "validate",
    "__version__",
]


def load(*args, **kwargs):
    """Return the knowledge graph (see :func:`etom_kg.kg.load`)."""
    from .kg import load as _load

    return _load(*args, **kwargs)


def validate(*args, **kwargs):
    """Validate data with the shipped shapes (see :func:`etom_kg.validation.validate`)."""
    from .validation import validate as _validate

    return _validate(*args, **kwargs)
