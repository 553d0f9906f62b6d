"""The on-disk store (``--store DIR``): a RocksDB store plus a small manifest beside it.

The manifest (``etom-kg-store.json``, written atomically) says three things:

- that the folder is an etom-kg store: a folder that is neither empty nor an
  etom-kg store is refused, so RocksDB never writes among the user's files;
- what the shipped graphs must contain: a digest of their *content* (blank
  nodes aside) is compared with the store's actual shipped graphs on every
  open, and a store whose standard differs from the package's (an older
  release, or triples written there by hand) gets the package's graphs back;
- which graphs each user file put there, and whether its last load finished:
  reloading a file replaces exactly the graphs it held, and a load cut short
  (Ctrl-C, a kill) is said on every later run until the file is loaded again.

The bookkeeping stays out of the RDF store, so a query sees the same dataset
with ``--store`` as without it.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import InputError, UsageError
from ..core.namespaces import SHIPPED_PREFIX, STORE_PREFIX
from ..io.atomic import atomic_write
from .shipped import shipped_digest, shipped_quads

MANIFEST = "etom-kg-store.json"
FORMAT = 1
_LEGACY_META = ox.NamedNode(STORE_PREFIX)   # where stores of 0.1 kept the shipped digest


def content_digest(quads) -> str:
    """A digest of a multiset of quads, independent of their order and blank-node labels."""
    total, count = 0, 0
    for q in quads:
        parts = [("_:" if isinstance(t, ox.BlankNode) else str(t))
                 for t in (q.subject, q.predicate, q.object)]
        key = " ".join(parts) + " " + q.graph_name.value
        total += int.from_bytes(hashlib.blake2b(key.encode(), digest_size=16).digest(), "big")
        count += 1
    return f"{count}:{total % (1 << 128):032x}"


def _shipped_in(store: ox.Store):
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(SHIPPED_PREFIX):
            yield from store.quads_for_pattern(None, None, None, graph)


def _looks_like_rocksdb(folder: Path) -> bool:
    return (folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*"))


class DiskStore:
    """An opened store folder: the pyoxigraph store and its manifest."""

    def __init__(self, folder: Path, store: ox.Store, manifest: dict):
        self.folder = folder
        self.store = store
        self.manifest = manifest

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, directory, *, links: bool = True, levels: int = 3) -> "DiskStore":
        folder = Path(directory)
        manifest_path = folder / MANIFEST
        legacy = False
        if folder.exists() and not folder.is_dir():
            raise InputError("cannot open the store: not a directory", path=folder)
        if folder.is_dir() and any(folder.iterdir()) and not manifest_path.is_file():
            legacy = _looks_like_rocksdb(folder) and _has_legacy_meta(folder)
            if not legacy:
                what = ("an Oxigraph store that etom-kg did not create"
                        if _looks_like_rocksdb(folder) else "a folder of other files")
                raise InputError(f"not an etom-kg store but {what}; give --store a new or "
                                 "empty folder (etom-kg never writes among your files)",
                                 path=folder)
        manifest = {"format": FORMAT, "shipped": {}, "sources": {}}
        if manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
                if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                    raise ValueError("unknown format")
                manifest.setdefault("shipped", {})
                manifest.setdefault("sources", {})
            except (ValueError, OSError) as exc:
                raise InputError(f"the store's {MANIFEST} is unreadable ({exc}); remove the "
                                 "store folder and load again", path=folder) from None
        else:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot create the store: {exc.strerror or exc}",
                                 path=folder) from None
            atomic_write(manifest_path, json.dumps(manifest))  # before any RocksDB file
        try:
            store = ox.Store(str(folder))
        except OSError as exc:
            raise InputError(f"cannot open the store: {str(exc).splitlines()[0]}",
                             path=folder) from None
        disk = cls(folder, store, manifest)
        if legacy:
            store.remove_graph(_LEGACY_META)
        disk._check_shipped(links, levels)
        for source, record in sorted(disk.manifest["sources"].items()):
            if record.get("state") != "complete":
                print(f"etom-kg: warning: {folder}: the last load of {_file_of(source)} did "
                      "not finish (interrupted); its graphs may be incomplete: load it again "
                      "with --data", file=sys.stderr)
        return disk

    def _save(self) -> None:
        atomic_write(self.folder / MANIFEST, json.dumps(self.manifest, ensure_ascii=False,
                                                         sort_keys=True, indent=1))

    def _check_shipped(self, links: bool, levels: int) -> None:
        """Give the store the package's shipped graphs when it holds anything else."""
        files = shipped_digest(links, levels)
        recorded = self.manifest["shipped"]
        if recorded.get("files") == files and \
                recorded.get("content") == content_digest(_shipped_in(self.store)):
            return
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(SHIPPED_PREFIX):
                self.store.remove_graph(graph)
        self.store.bulk_extend(shipped_quads(core_only=not links, levels=levels))
        self.store.flush()
        # Read back rather than digest the package's quads: the store encodes some
        # literals its own way (xsd:positiveInteger comes back as xsd:integer).
        self.manifest["shipped"] = {"files": files,
                                    "content": content_digest(_shipped_in(self.store))}
        self._save()

    # -- user files ------------------------------------------------------------------
    def owner(self, graph: str) -> str | None:
        for source, record in self.manifest["sources"].items():
            if graph in record.get("graphs", ()):
                return source
        return None

    def replace_source(self, source: str, scratch: ox.Store, path: Path,
                       replace: bool) -> None:
        """Put the graphs parsed into ``scratch`` in place of those ``source`` held before.

        The manifest marks the source as loading before the store changes and as
        complete after: a load cut short is known (and said) on the next open.
        """
        record = self.manifest["sources"].get(source)
        if record is not None and not replace:
            raise UsageError(f"a graph named {source} is already loaded")
        old = set(record["graphs"]) if record else set()
        new = {g.value for g in scratch.named_graphs()}
        existing = {g.value for g in self.store.named_graphs()
                    if isinstance(g, ox.NamedNode)}
        for graph in sorted(new):
            owner = self.owner(graph)
            if owner not in (None, source):
                raise InputError(f"its graph {graph} is already in the store, loaded from "
                                 f"{_file_of(owner)}; a graph belongs to one file", path=path)
            if owner is None and graph in existing and graph != source:
                raise InputError(f"its graph {graph} is already in the store (not from this "
                                 "file); a file's graphs never merge into others", path=path)
        self.manifest["sources"][source] = {"graphs": sorted(old | new), "state": "loading"}
        self._save()
        for graph in sorted(old | ({source} if source in existing else set())):
            self.store.remove_graph(ox.NamedNode(graph))
        self.store.bulk_extend(scratch)
        self.store.flush()
        self.manifest["sources"][source] = {"graphs": sorted(new), "state": "complete"}
        self._save()


def _file_of(source: str) -> str:
    if source.startswith("file://"):
        from urllib.parse import unquote, urlsplit

        return unquote(urlsplit(source).path)
    return source


def _has_legacy_meta(folder: Path) -> bool:
    """True for a store written by etom-kg 0.1 (its digest graph is there)."""
    try:
        store = ox.Store.read_only(str(folder))
    except (OSError, AttributeError):
        return False
    try:
        return next(store.quads_for_pattern(None, None, None, _LEGACY_META), None) is not None
    finally:
        del store
