"""Median time of each named query on the shipped graph (a timing script, not a test).

    python bench/link_queries.py                 # the shipped queries, example parameters
    python bench/link_queries.py --sweep         # every process / application as parameter
    python bench/link_queries.py --dir OLD/ --only impact-of-application
    python bench/link_queries.py --data bench/results/data/ea-1000000.nt   # merged with an EA graph

The example parameter of a query is the one its ``# param:`` header names
("e.g. 1.1.1.5"); ``--sweep`` instead runs a query once per process ID of the
standard or per application ID and reports the median and the maximum over all
of them. ``--dir`` times the ``.rq`` files of another directory (an older
version of ``queries/``) on the same graph; ``--data FILE`` adds an RDF file
(e.g. a synthetic EA graph from ``bench/generate.py ea 1e6``) as a named graph first.
Queries run in the form ``kg.query`` gives the embedded engine
(``NamedQuery.embedded_text``); ``--standard`` runs the text as written, as a
remote endpoint gets it.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import etom_kg
from etom_kg.graph import queries as Q

DEFAULTS = {"process": "1.1.1.5", "application": "TMFC003", "text": "заказ",
            "vertical": "Fulfillment"}


def example(param: Q.Param) -> str | None:
    """The example value in the header ("e.g. X"), else a default; None for optional ones."""
    if not param.required:
        return None
    match = re.search(r"e\.g\.\s+([^\s,;()]+)", param.description)
    return match.group(1) if match else DEFAULTS.get(param.name, "x")


def timed(kg, query: Q.NamedQuery, params: dict, repeat: int, budget: float,
          standard: bool = False) -> list[float]:
    """Run times in seconds: ``repeat`` runs, fewer if they exceed ``budget`` seconds."""
    bindings = query.bindings(params)
    text = query.text if standard else query.embedded_text
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget:
        start = time.perf_counter()
        kg.sparql(text, bindings)
        times.append(time.perf_counter() - start)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, help="time the .rq files of this directory instead")
    ap.add_argument("--only", help="comma-separated query names")
    ap.add_argument("--repeat", type=int, default=11)
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per query at most")
    ap.add_argument("--data", action="append", default=[], metavar="FILE",
                    help="add this RDF file to the graph first (repeatable)")
    ap.add_argument("--standard", action="store_true",
                    help="run the .rq text as written (as a remote endpoint gets it), "
                         "not the embedded engine's form")
    ap.add_argument("--sweep", action="store_true", help="every process/application as parameter")
    args = ap.parse_args(argv)

    if args.dir:
        queries = {q.name: q for q in map(Q.parse_query_file, sorted(args.dir.glob("*.rq")))}
    else:
        queries = dict(Q.library())
    if args.only:
        wanted = set(args.only.split(","))
        queries = {n: q for n, q in queries.items() if n in wanted}

    t0 = time.perf_counter()
    kg = etom_kg.load()
    for path in args.data:
        kg.add(path)
    what = "shipped graph" + (" + " + ", ".join(args.data) if args.data else "")
    print(f"{what}: {len(kg.store)} triples, loaded in {time.perf_counter() - t0:.2f} s")
    kg.sparql("SELECT * WHERE { ?s skos:narrower* ?o } LIMIT 1")  # first query pays one-off set-up
    processes = [str(r["n"]) for r in kg.sparql(
        "SELECT ?n WHERE { ?p skos:inScheme scheme:etom ; skos:notation ?n } ORDER BY ?n")]
    applications = [str(r["n"]) for r in kg.sparql(
        "SELECT DISTINCT ?n WHERE { { ?a a etom:OdaComponent } UNION { ?a a etom:TamApplicationType } "
        "?a dcterms:identifier ?n } ORDER BY ?n")]

    print(f"{'query':42} {'params':>22} {'median ms':>10} {'max ms':>9}")
    for name, query in sorted(queries.items()):
        names = [p.name for p in query.params]
        if args.sweep and "process" in names:
            runs = [{"process": v} for v in processes]
        elif args.sweep and "application" in names:
            runs = [{"application": v} for v in applications]
        else:
            runs = [{p.name: v for p in query.params if (v := example(p)) is not None}]
        per_run = []
        spent = 0.0
        for params in runs:
            times = timed(kg, query, params, args.repeat if len(runs) == 1 else 3,
                          max(args.budget - spent, 0.0) or 0.001, args.standard)
            spent += sum(times)
            per_run.append(statistics.median(times))
            if spent > args.budget:
                break
        label = "all" if len(runs) > 1 and len(per_run) == len(runs) else \
            f"{len(per_run)}/{len(runs)}" if len(runs) > 1 else \
            ",".join(f"{k}={v}" for k, v in runs[0].items()) or "-"
        print(f"{name:42} {label:>22} {statistics.median(per_run) * 1000:10.1f} "
              f"{max(per_run) * 1000:9.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
