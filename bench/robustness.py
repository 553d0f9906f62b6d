"""Growth of the work that used to be super-linear (run by hand, not part of the tests).

    python bench/robustness.py [--quick]

For each job and size: seconds and peak memory of a fresh ``etom-kg`` child
process, and the ratio of seconds to the smallest size's (linear growth: the
ratio follows the size). Jobs:

* ``classify --engine owlrl`` of an owl:unionOf of N classes (owlrl tested
  every triple against a *list* of blank nodes: quadratic in the list length);
* ``merge`` of RDF/XML nested N deep (refused above ETOM_KG_MAX_NESTING, so
  measured with the limit raised: the engine is quadratic; etom-kg's check linear);
* ``validate`` of an extension chain N long (the cycle shape is quadratic in
  the depth: refused above ETOM_KG_MAX_HIERARCHY; measured with the limit raised);
* add/remove cycles of a 40 000-quad graph through the API: memory growth.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.hostile.cases import RDF_NS, chain, union  # noqa: E402


def _run(args, env=None) -> tuple[float, float, int]:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "etom_kg.cli", *map(str, args)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _table(title, rows):
    print(f"\n{title}")
    print(f"{'size':>8}  {'seconds':>8}  {'ratio':>6}  {'peak MB':>8}  exit")
    base = rows[0][1] if rows else 1
    for size, seconds, peak, code in rows:
        print(f"{size:>8}  {seconds:8.2f}  {seconds / base:6.2f}  {peak:8.0f}  {code}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    quick = parser.parse_args().quick
    folder = Path(tempfile.mkdtemp(prefix="etom-kg-bench-"))
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}  load average {os.getloadavg()[0]:.1f}")

    rows = []
    for n in ((1000, 2000, 4000) if quick else (2000, 5000, 10_000, 20_000)):
        path = folder / f"union{n}.ttl"
        path.write_text(union(n), encoding="utf-8")
        rows.append((n, *_run(["classify", path, "--engine", "owlrl"])))
    _table("classify --engine owlrl, owl:unionOf of N classes", rows)

    rows = []
    raised = {"ETOM_KG_MAX_NESTING": "1000000000"}
    for n in ((5000, 10_000, 20_000) if quick else (5000, 10_000, 20_000, 40_000)):
        path = folder / f"deep{n}.rdf"
        path.write_text(f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">'
                        + "<rdf:Description><ex:p>" * n + "</ex:p></rdf:Description>" * n
                        + "</rdf:RDF>", encoding="utf-8")
        rows.append((n, *_run(["merge", path, "-o", folder / "out.trig"], env=raised)))
    _table("merge of RDF/XML nested N deep, limit raised (the engine's own growth)", rows)
    rows = []
    for n in (50_000, 200_000):
        path = folder / f"deep{n}.rdf"
        path.write_text(f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">'
                        + "<rdf:Description><ex:p>" * n + "</ex:p></rdf:Description>" * n
                        + "</rdf:RDF>", encoding="utf-8")
        rows.append((n, *_run(["merge", path, "-o", folder / "out.trig"])))
    _table("merge of RDF/XML nested N deep, default limit (refused, exit 2)", rows)

    rows = []
    raised = {"ETOM_KG_MAX_HIERARCHY": "1000000000"}
    for n in ((250, 500, 1000) if quick else (500, 1000, 2000, 4000)):
        path = folder / f"chain{n}.ttl"
        path.write_text(chain(n), encoding="utf-8")
        rows.append((n, *_run(["validate", path], env=raised)))
    _table("validate of a chain N long, limit raised (quadratic cycle shape)", rows)

    script = (
        "import etom_kg, sys\nfrom etom_kg.io import guard\n"
        "if sys.argv[2] == 'off': guard.compact = lambda kg, removed: None\n"
        "kg = etom_kg.load(links=False)\n"
        "for i in range(int(sys.argv[3])):\n"
        "    kg.remove(kg.add(sys.argv[1], name='https://operator.example/graph/m'))\n"
        "    if i in (4, int(sys.argv[3]) - 1): print(guard.memory_used() / 2**20)\n")
    model = folder / "model.ttl"
    model.write_text("@prefix ex: <https://operator.example/x/> .\n" + "".join(
        f'ex:s{i} ex:p "value {i} of the operator model" ; ex:q ex:o{i % 100} .\n'
        for i in range(20_000)), encoding="utf-8")
    print("\nadd/remove of a 40 000-quad graph through the API: resident MiB after 5 and N cycles")
    for mode in ("on", "off"):
        cycles = 100 if quick else 300
        out = subprocess.run([sys.executable, "-c", script, model, mode, str(cycles)],
                             capture_output=True, text=True).stdout.split()
        label = "compaction" if mode == "on" else "without it"
        print(f"  {label:>10}: {float(out[0]):.0f} → {float(out[1]):.0f} MiB "
              f"after {cycles} cycles")


if __name__ == "__main__":
    main()
