"""Where the shipped data files are: inside the installed package, or the source tree."""
from __future__ import annotations

from pathlib import Path

_KINDS = ("ontology", "shapes", "queries")
_PACKAGE = Path(__file__).resolve().parent.parent   # etom_kg/


def data_dir(kind: str) -> Path:
    """Folder of shipped ``ontology``, ``shapes`` or ``queries`` files."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {_KINDS}")
    # pip installs a wheel as plain files, so a path beside this module is
    # enough; importlib.resources would add ~10 ms to every start.
    packaged = _PACKAGE / "_data" / kind
    if packaged.is_dir():  # a normal (wheel) install
        return packaged
    # An editable install or a checkout: the folders at the top of the repo.
    return _PACKAGE.parent / kind


def data_files(kind: str, pattern: str) -> list[Path]:
    """Shipped files of ``kind`` matching ``pattern`` (recursive), in sorted order."""
    return sorted(data_dir(kind).rglob(pattern))
