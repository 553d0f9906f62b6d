"""A normal (non-editable) install ships the data folders and the console script works."""
from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(REPO)], check=True)
    (built,) = out.glob("etom_kg-*.whl")
    return built


def test_wheel_contains_every_data_file_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as archive:
        packaged = {name: archive.read(name) for name in archive.namelist()
                    if name.startswith("etom_kg/_data/")}
    expected = {f"etom_kg/_data/{p.relative_to(REPO).as_posix()}": p.read_bytes()
                for kind in ("ontology", "shapes", "queries")
                for p in sorted((REPO / kind).rglob("*")) if p.is_file()}
    assert packaged.keys() == expected.keys()
    for name, data in expected.items():
        assert packaged[name] == data, name


def test_installed_wheel_shows_order_handling_from_a_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    shown = subprocess.run([str(env_dir / "bin" / "etom-kg"), "show", "1.1.1.5", "--lang", "en"],
                           capture_output=True, text=True, cwd=tmp_path, check=True)
    assert shown.stdout.startswith("1.1.1.5  Order handling")
    assert "Customer credit check" in shown.stdout
    # The data was found inside the installed package, not in this checkout.
    where = subprocess.run([str(python), "-c", "from etom_kg.core.resources import data_dir; "
                            "print(data_dir('ontology'))"],
                           capture_output=True, text=True, cwd=tmp_path, check=True)
    assert "site-packages/etom_kg/_data/ontology" in where.stdout
