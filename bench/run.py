"""The etom-kg benchmark suite (run by hand: ``make bench``; not part of the tests).

Prints one table — size, operation, etom-kg median, baseline median, ratio, peak
memory — and writes it to ``bench/results/results.{md,json}``. Each timed
operation runs in a fresh subprocess (cold caches, honest peak memory from
``resource.getrusage``). Sizes: ``--sizes 1e4,1e5``; a baseline slower than
``--baseline-limit`` seconds is stopped and reported as "> limit".

    python bench/run.py [--sizes 1e4,1e5] [--repeat 3] [--only validate,query,show,import] [--dense]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PY = sys.executable
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/ is not a package)

# One measured job, run in a child process: prints {"seconds": s, "peak_mb": m, ...}.
CHILD = r"""
import json, resource, sys, time
job, arg = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
extra = {}
if job == "validate":
    import etom_kg
    report = etom_kg.validate(arg[0])
    extra["results"] = len(report.results)
    extra["keys"] = sorted(f"{r.focus} {r.path} {r.value} {r.severity} {r.source_shape}"
                           for r in report.results)
elif job == "validate-plain":
    # Reference semantics: plain pyshacl (in-memory rdflib graphs, its own SPARQL engine,
    # no focus filter) on the same shapes and the same working copy as etom-kg's
    # validate() builds (shipped graph + the user's file + inverse hierarchy links);
    # its results are then restricted to the user's nodes, as validate() restricts them.
    import pyshacl, rdflib
    from oxrdflib._converter import from_ox
    from etom_kg.validation.api import _path_text, _plain, prepare
    prep = prepare(arg[0])
    data = rdflib.Graph()
    for q in prep.work:
        data.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=prep.shapes_with_targets(),
                                           advanced=True, inference="none",
                                           allow_warnings=False)
    SH = rdflib.SH
    keep = prep.user_nodes()
    keys = set()
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        if focus in keep:
            keys.add(" ".join(str(x) for x in (
                _plain(focus), _path_text(report, report.value(r, SH.resultPath)),
                _plain(report.value(r, SH.value)),
                str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                _plain(report.value(r, SH.sourceShape)))))
    extra["results"] = len(keys)
    extra["keys"] = sorted(keys)
elif job in ("query-ox", "query-rdflib"):
    RDFLIB_BUDGET = 30  # seconds per query; one run each (rdflib on 10^6 triples is slow)
    import etom_kg
    from etom_kg.graph.queries import library
    kg = etom_kg.load()
    kg.add(arg[0])
    names = arg[1].split(",")
    load_s = time.perf_counter() - t0
    times = {}
    for name in names:
        q = library()[name]
        examples = {"process": "1.1.1.5", "application": "TMFC003", "text": "заказ",
                    "vertical": "Fulfillment"}
        params = {p.name: examples.get(p.name, "1.1.1.5") for p in q.params if p.required}
        runs = []
        for _ in range(int(arg[2]) if job == "query-ox" else 1):
            t = time.perf_counter()
            if job == "query-ox":
                n = len(kg.query(name, **params))
            else:
                from etom_kg.graph.queries import bind
                from etom_kg.core.namespaces import PREFIXES
                import rdflib
                graph = kg.graph  # the same data, queried by rdflib's own SPARQL engine
                text = bind(q.text, q.bindings(params))
                prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
                # rdflib evaluates over its Memory store copy (its own engine, not Oxigraph's)
                if not hasattr(sys, "_mem"):
                    mem = rdflib.Dataset(default_union=True)
                    for quad in graph.quads((None, None, None, None)):
                        mem.add((quad[0], quad[1], quad[2], quad[3]))
                    sys._mem = mem
                    t = time.perf_counter()
                import signal

                def _stop(*_):
                    raise TimeoutError
                signal.signal(signal.SIGALRM, _stop)
                signal.alarm(RDFLIB_BUDGET)  # rdflib is pure Python: the alarm interrupts it
                try:
                    n = len(list(sys._mem.query(prologue + text)))
                except TimeoutError:
                    n, t = None, float("-inf")  # over budget: the run counts as infinite
                finally:
                    signal.alarm(0)
            runs.append(time.perf_counter() - t)
        times[name] = {"median_ms": 1000 * sorted(runs)[len(runs) // 2], "rows": n}
    extra = {"queries": times, "load_s": load_s, "triples": len(kg)}
elif job == "import":
    import pyoxigraph as ox
    from etom_kg.io.reading import load_file
    store = ox.Store()
    load_file(store, arg[0], ox.NamedNode("urn:bench"))
seconds = time.perf_counter() - t0
if job == "import":
    extra["triples"] = len(store)  # counted after the clock stopped
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, **extra}))
"""


def child(job: str, *args, timeout: float | None = None) -> dict | None:
    """Run one job in a fresh interpreter; None if it exceeded ``timeout``."""
    try:
        out = subprocess.run([PY, "-c", CHILD, job, *map(str, args)], capture_output=True,
                             text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"bench job {job} failed:\n{exc.stderr[-3000:]}") from None
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


ROWS: list[dict] = []


def row(size, operation, ours, baseline=None, peak_mb=None, unit="s", note=""):
    ratio = (baseline / ours) if (baseline and ours) else None
    ROWS.append({"size": size, "operation": operation, "etom_kg": ours, "baseline": baseline,
                 "ratio": ratio, "peak_mb": peak_mb, "unit": unit, "note": note})
    print(format_row(ROWS[-1]), flush=True)


def _fmt(value, unit):
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return f"{value:,.0f} {unit}" if unit in ("ms", "triples/s") else f"{value:.2f} {unit}"


def format_row(r) -> str:
    ratio = f"{r['ratio']:.1f}×" if r["ratio"] else "—"
    peak = f"{r['peak_mb']:.0f} MB" if r["peak_mb"] else "—"
    return (f"| {r['size']} | {r['operation']} | {_fmt(r['etom_kg'], r['unit'])} | "
            f"{_fmt(r['baseline'], r['unit'])} | {ratio} | {peak} | {r['note']} |")


def bench_validate(sizes, repeat, limit):
    for n in sizes:
        path = generate.extension(n)
        ours = [child("validate", path, timeout=limit) for _ in range(repeat)]
        ours = [r for r in ours if r]
        plain = child("validate-plain", path, timeout=limit)
        base = plain["seconds"] if plain else None
        if not ours:
            note = f"etom-kg stopped after {limit:.0f} s"
        elif plain:
            same = "identical" if plain["keys"] == ours[0]["keys"] else "DIFFERENT"
            note = (f"{ours[0]['results']} results; plain pyshacl: {plain['results']}, "
                    f"{same}; plain peak {plain['peak_mb']:.0f} MB")
        else:
            note = f"{ours[0]['results']} results; plain pyshacl stopped after {limit:.0f} s"
        row(f"{n:,} elements", "validate, all shapes", median_of(ours) if ours else None,
            base, max(r["peak_mb"] for r in ours) if ours else None, note=note)


def bench_queries(ea_size, repeat, dense=False, limit=1800.0):
    """Every named query on the shipped graph + an EA graph: Oxigraph against rdflib."""
    from etom_kg.graph.queries import library

    names = ",".join(sorted(q for q in library()))
    path = (generate.ea_dense if dense else generate.ea)(ea_size)
    kind = "dense stress EA" if dense else "EA"
    ox_run = child("query-ox", path, names, repeat, timeout=limit)
    if ox_run is None:
        row(f"shipped + {ea_size:,}-triple {kind}", "named queries", None,
            note=f"stopped after {limit:.0f} s")
        return
    rdf_run = child("query-rdflib", path, names, repeat, timeout=limit)
    for name, result in ox_run["queries"].items():
        base = rdf_run["queries"][name] if rdf_run else {"rows": None}
        over = base["rows"] is None
        note = f"{result['rows']} rows" + (
            "; rdflib stopped after 30 s" if over else
            ("" if base["rows"] == result["rows"] else f"; rdflib rows: {base['rows']}"))
        row(f"shipped + {ea_size:,}-triple {kind}", f"query {name}", result["median_ms"],
            None if over else base["median_ms"], unit="ms", note=note)
    row(f"shipped + {ea_size:,}-triple {kind}", "load shipped + EA (pyoxigraph)",
        ox_run["load_s"], None, ox_run["peak_mb"], note=f"{ox_run['triples']:,} quads")


def bench_show(repeat):
    import etom_kg

    exe = Path(PY).with_name("etom-kg")
    # Byte-compile etom_kg as pip does for an installed wheel: an editable install
    # under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every
    # start (about 30 ms of the cold start measured here).
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(etom_kg.__file__).parent)],
                   stdout=subprocess.DEVNULL, check=True)
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([str(exe), "show", "1.1.1.5"], stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - t)
    python = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([PY, "-c", "pass"], check=True)
        python.append(time.perf_counter() - t)
    rdflib = subprocess.run([PY, "-c", "import sys, etom_kg.cli as c, io, contextlib\n"
                             "with contextlib.redirect_stdout(io.StringIO()): "
                             "c.main(['show','1.1.1.5'])\nprint('rdflib' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    row("cold process", "etom-kg show 1.1.1.5", 1000 * statistics.median(runs),
        1000 * statistics.median(python), unit="ms",
        note=f"baseline = bare `python -c pass`; rdflib imported: {rdflib}")


def bench_import(size, repeat):
    import pyoxigraph as ox

    nt = generate.ea(size)
    ttl = nt.with_suffix(".ttl")
    if not ttl.exists():
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)]
        ttl.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                     prefixes={"ea": generate.EA_BASE,
                                               "archimate": "https://purl.org/archimate#",
                                               "rdf": generate.RDF,
                                               "dcterms": generate.DCTERMS}))
    for path in (nt, ttl):
        runs = [child("import", path) for _ in range(repeat)]
        n = runs[0]["triples"]
        rates = [n / r["seconds"] for r in runs]
        row(f"{n:,} triples", f"import {path.suffix[1:]} (reading.load_file)",
            statistics.median(rates), None, max(r["peak_mb"] for r in runs), unit="triples/s")


def plot(rows, out: Path) -> Path | None:
    """Time against size (log-log) for validation: etom-kg and plain pyshacl."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (make bench installs it)")
        return None
    points = [(int(r["size"].split()[0].replace(",", "")), r["etom_kg"], r["baseline"])
              for r in rows if r["operation"] == "validate, all shapes" and r["etom_kg"]]
    if not points:
        return None
    points.sort()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog([p[0] for p in points], [p[1] for p in points], "o-", label="etom-kg (fast engine)")
    base = [(p[0], p[2]) for p in points if p[2]]
    if base:
        ax.loglog([b[0] for b in base], [b[1] for b in base], "s--", label="plain pySHACL")
    ax.set_xlabel("elements in the extension")
    ax.set_ylabel("validation time, all shapes (s)")
    ax.set_title("SHACL validation: time against size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1e4,1e5")
    ap.add_argument("--ea", default="1e6", help="EA graph size in triples")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-limit", type=float, default=1800.0,
                    help="stop a validation run after this many seconds")
    ap.add_argument("--only", default="show,import,query,validate")
    ap.add_argument("--dense", action="store_true",
                    help="queries on the dense stress EA graph (every process aligned) instead")
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    only = set(args.only.split(","))
    RESULTS.mkdir(parents=True, exist_ok=True)
    print(f"etom-kg benchmarks — {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}")
    print("| size | operation | etom-kg | baseline | ratio | peak memory | note |")
    print("|---|---|---|---|---|---|---|")
    if "show" in only:
        bench_show(max(args.repeat, 10))
    if "import" in only:
        bench_import(int(float(args.ea)), args.repeat)
    if "query" in only:
        bench_queries(int(float(args.ea)), max(args.repeat, 5), dense=args.dense)
    if "validate" in only:
        bench_validate(sizes, args.repeat, args.baseline_limit)
    table = ["| size | operation | etom-kg | baseline | ratio | peak memory | note |",
             "|---|---|---|---|---|---|---|"] + [format_row(r) for r in ROWS]
    (RESULTS / "results.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    (RESULTS / "results.json").write_text(json.dumps(ROWS, indent=2), encoding="utf-8")
    print(f"written to {RESULTS / 'results.md'}")
    png = plot(ROWS, RESULTS / "validation.png")
    if png:
        print(f"plot written to {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
