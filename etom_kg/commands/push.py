"""``etom-kg push --endpoint URL``: upload the graph(s) with the SPARQL 1.1 Graph Store Protocol."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("push", help="upload the shipped graph (and --data files) to a "
                                    "SPARQL graph store",
                       description="Upload the shipped graphs (plus --data files) to a SPARQL "
                                   "1.1 Graph Store Protocol endpoint, e.g. Oxigraph's "
                                   "http://HOST:7878/store or Fuseki's http://HOST:3030/DS/data. "
                                   "Each target graph is replaced. Credentials: set the "
                                   "ETOM_KG_AUTHORIZATION environment variable to the value "
                                   "of the Authorization header (never on the command line); "
                                   "a URL's user:password@ is sent as Basic or Digest (as "
                                   "Virtuoso's /sparql-graph-crud-auth asks) and never "
                                   "printed. A redirect to another host, port or scheme is "
                                   "not followed.")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="Graph Store Protocol endpoint URL")
    p.add_argument("--graph", metavar="IRI",
                   help="put everything into this one graph ('default' = the default "
                        "graph); without it each graph keeps its own name")
    p.add_argument("--data", action="extend", nargs="+", default=[], metavar="FILE",
                   help="RDF files to upload too, each as its own named graph")
    p.set_defaults(run=_run)


def _run(args) -> int:
    from ..graph.remote import push
    from ..graph.kg import load

    kg = load(extra=args.data)
    sent = push(args.endpoint, args.graph, kg=kg)
    for graph, count in sent.items():
        print(f"{count:>8} triples → {graph}")
    return 0
