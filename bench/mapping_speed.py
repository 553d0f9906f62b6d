"""Speed of ``etom-kg map`` from a cold process: 1,000 and 10,000 rows, peak memory.

    python bench/mapping_speed.py [--rows 1000 10000] [--repeat 3]

Each run is a fresh ``python -m etom_kg.cli map INVENTORY.csv --format json -o OUT``
(imports, graph load, index build and mapping all counted). The inventory is made
from the rows of bench/mapping_eval_set.csv with row-specific words mixed in, so the
lemma cache cannot serve every row from memory. A cold ``etom-kg show 1.1.1.5`` is
run in the same batch as the baseline; the ratio says how the machine was doing.
Targets (issue 20): 1,000 rows ≤ 3 s, 10,000 rows ≤ 15 s.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXTRA = ("по региону", "филиал", "этап", "в рамках проекта", "для сегмента", "по договору",
         "ежедневно", "ежемесячно", "regional", "weekly", "for enterprise", "pilot")


def make_inventory(path: Path, n: int, seed: int = 20) -> None:
    with open(HERE / "mapping_eval_set.csv", encoding="utf-8", newline="") as handle:
        base = list(csv.DictReader(handle, delimiter=";"))
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["№", "Наименование процесса", "Описание"])
        for i in range(1, n + 1):
            row = rng.choice(base)
            tail = f"{rng.choice(EXTRA)} {i % 97}"
            writer.writerow([i, f"{row['name']} ({tail})", row["description"]])


def run(argv) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one cold CLI process."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "etom_kg.cli", *argv], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--semantic", action="store_true",
                    help="also time map --semantic (the sentence encoder)")
    args = ap.parse_args(argv)
    print(f"# {datetime.date.today()}  python {sys.version.split()[0]}  "
          f"(best of {args.repeat} cold runs; peak RSS is the largest child so far)")
    with tempfile.TemporaryDirectory() as tmp:
        base = min(run(["show", "1.1.1.5"])[0] for _ in range(args.repeat))
        print(f"baseline  etom-kg show 1.1.1.5       {base:6.2f} s")
        for n in args.rows:
            inventory = Path(tmp) / f"inventory-{n}.csv"
            make_inventory(inventory, n)
            out = Path(tmp) / "out.json"
            results = [run(["map", str(inventory), "--format", "json", "-o", str(out)])
                       for _ in range(args.repeat)]
            wall = min(r[0] for r in results)
            peak = max(r[1] for r in results)
            print(f"map {n:>6} rows                   {wall:6.2f} s  ({wall / base:4.1f}× "
                  f"baseline, {n / wall:,.0f} rows/s)  peak RSS {peak:6.0f} MiB")
            if args.semantic:
                wall, peak = min(run(["map", str(inventory), "--semantic", "--format", "json",
                                      "-o", str(out)]) for _ in range(args.repeat))
                print(f"map {n:>6} rows --semantic        {wall:6.2f} s  ({wall / base:4.1f}× "
                      f"baseline, {n / wall:,.0f} rows/s)  peak RSS {peak:6.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
