"""Shared fixtures: where the repo and the third-party test data are, and the graph."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"third-party test data expected beside the repo at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def kg():
    """The shipped knowledge graph (tests must not modify it; use etom_kg.load() for that)."""
    import etom_kg

    return etom_kg.load()
