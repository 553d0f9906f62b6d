"""Archi's native ``.archimate`` files, read with the mapping of :mod:`etom_kg.io.archimate`."""
from __future__ import annotations

from ..core.errors import InputError


def read_native(root, path, base):
    raise InputError("an Archi .archimate file; export it from Archi as Open Exchange format "
                     "(File › Export › Model to Open Exchange File…) and give that .xml file",
                     path=path)
