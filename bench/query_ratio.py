"""Named queries: etom-kg (Oxigraph) against rdflib's own SPARQL engine on the same data.

Usage: python bench/query_ratio.py EA_FILE NAME,NAME,...   (EA_FILE from bench/generate.py)
Prints one table row per query: etom-kg median of 5, rows, rdflib one run (30 s budget), ratio.
"""
import sys, time, statistics, signal, etom_kg, rdflib
from etom_kg.graph.queries import library, bind
from etom_kg.core.namespaces import PREFIXES
kg = etom_kg.load(extra=[sys.argv[1]])
mem = rdflib.Dataset(default_union=True)
for q in kg.graph.quads((None, None, None, None)):
    mem.add(q)
prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
ex = {"process": "1.1.1.5", "application": "TMFC003", "text": "заказ", "vertical": "Fulfillment"}
def stop(*_): raise TimeoutError
signal.signal(signal.SIGALRM, stop)
for name in sys.argv[2].split(","):
    q = library()[name]
    params = {p.name: ex.get(p.name, "1.1.1.5") for p in q.params if p.required}
    ts = []
    for _ in range(5):
        t = time.perf_counter(); n = len(kg.query(name, **params)); ts.append(time.perf_counter() - t)
    text = prologue + bind(q.text, q.bindings(params))
    signal.alarm(30)
    try:
        t = time.perf_counter(); m = len(list(mem.query(text))); r = time.perf_counter() - t
        base = f"{1000*r:10.1f} ms {m:5} rows  ratio {r/statistics.median(ts):7.1f}x"
    except TimeoutError:
        base = "   > 30 s (stopped)"
    finally:
        signal.alarm(0)
    print(f"| {name} | {1000*statistics.median(ts):.1f} ms | {n} | {base} |", flush=True)
