"""Where the shipped data files are: inside the installed package, or the source tree."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_KINDS = ("ontology", "shapes", "queries")


def data_dir(kind: str) -> Path:
    """Folder of shipped ``ontology``, ``shapes`` or ``queries`` files."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {_KINDS}")
    packaged = files("etom_kg") / "_data" / kind
    if packaged.is_dir():  # a normal (wheel) install
        return Path(str(packaged))
    # An editable install or a checkout: the folders at the top of the repo.
    return Path(__file__).resolve().parent.parent / kind


def data_files(kind: str, pattern: str) -> list[Path]:
    """Shipped files of ``kind`` matching ``pattern`` (recursive), in sorted order."""
    return sorted(data_dir(kind).rglob(pattern))
