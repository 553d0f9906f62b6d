"""Validation speed of this tree against another checkout, in one batch (run by hand).

    python bench/validate_ratio.py BASELINE_TREE [--sizes 1e4,1e5] [--repeat 5]

Each run validates a generated extension (``bench/generate.py``) with all shipped
shapes in a fresh process (``bench/run.py``'s "validate" job), alternating the two
trees so both see the same machine load; prints the medians, their ratio (baseline
/ this tree: above 1 is faster) and whether both found the same results.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/ is not a package)
from run import CHILD  # noqa: E402


def job(tree: Path, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, "-c", CHILD, "validate", str(path)], env=env,
                         cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline", type=Path, help="another checkout of etom-kg")
    ap.add_argument("--sizes", default="1e4,1e5")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    ours = HERE.parent
    print(f"{datetime.date.today()} — {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"this tree {ours}, baseline {args.baseline.resolve()}")
    print("| elements | this tree (median) | baseline (median) | ratio | same results |")
    print("|---|---|---|---|---|")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        path = generate.extension(size)
        mine, base = [], []
        for _ in range(args.repeat):
            mine.append(job(ours, path))
            base.append(job(args.baseline.resolve(), path))
        a = statistics.median(r["seconds"] for r in mine)
        b = statistics.median(r["seconds"] for r in base)
        same = mine[0]["keys"] == base[0]["keys"]
        print(f"| {size:,} | {a:.2f} s | {b:.2f} s | {b / a:.2f}× | "
              f"{'yes' if same else 'NO'} ({mine[0]['results']} results) |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
