"""Classification engines side by side, and the cost of preparing an extension on load.

Run by hand (never in the tests)::

    python bench/classify_engines.py [--repeat 3]

1. ``etom-kg classify`` on tests/fixtures/classify/operator-processes.ttl with each
   engine, each run a fresh process (what a user waits for); checks that every engine
   prints the same rows and gives each one's median wall time and its ratio to HermiT.
2. Loading a generated extension of 10,100 elements under 1.1.1.5 (plain-string IDs,
   two levels) and the time of one ``derive.prepare`` pass on it.
"""
from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "classify" / "operator-processes.ttl"


def run_classify(engine: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "etom_kg.cli", "classify", str(FIXTURE),
                           "--engine", engine, "--format", "csv"], capture_output=True,
                          text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start, done.stdout


def extension(path: Path, top: int = 100, below: int = 100) -> None:
    lines = ["@prefix etom: <https://w3id.org/etom-kg/ontology#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix ex: <https://op.example/p/> ."]
    parent = "<https://w3id.org/etom-kg/process/P1-1-1-5>"
    for i in range(1, top + 1):
        lines.append(f'ex:E{i} a etom:ProcessElement ; skos:notation "2.1.1.5.{i}" ; '
                     f'skos:prefLabel "Элемент {i}"@ru ; skos:broader {parent} .')
        for j in range(1, below + 1):
            lines.append(f'ex:E{i}-{j} a etom:ProcessElement ; skos:notation "2.1.1.5.{i}.{j}" '
                         f'; skos:prefLabel "Элемент {i}.{j}"@ru ; skos:broader ex:E{i} .')
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# {datetime.date.today()}  {sys.version.split()[0]}  repeat={args.repeat}")
    times, outputs = {}, {}
    for engine in ("sparql", "owlrl", "hermit"):
        runs = [run_classify(engine) for _ in range(args.repeat)]
        times[engine] = statistics.median(t for t, _ in runs)
        outputs[engine] = {out for _, out in runs}
    same = len(set().union(*outputs.values())) == 1
    print(f"classify: identical rows from all engines: {same}")
    for engine, seconds in times.items():
        print(f"  {engine:<7} {seconds:6.2f} s   ratio to hermit {seconds / times['hermit']:.2f}")

    sys.path.insert(0, str(ROOT))
    import etom_kg
    from etom_kg.graph import derive

    etom_kg.load()  # the shipped graph parsed once, as in any later call
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extension.ttl"
        extension(path)
        loads, passes = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            kg = etom_kg.load([path])
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            derive.prepare(kg.store)
            passes.append(time.perf_counter() - start)
    print(f"extension of 10,100 elements: load {statistics.median(loads):.2f} s, "
          f"one prepare pass {statistics.median(passes):.2f} s")


if __name__ == "__main__":
    main()
