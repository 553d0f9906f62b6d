"""``etom-kg queries``: list the named queries with their parameters."""
from __future__ import annotations

from ._options import add_format_argument


def register(sub) -> None:
    p = sub.add_parser("queries", help="list the named queries, their parameters and results",
                       description="List the shipped named SPARQL queries (queries/*.rq) "
                                   "with their descriptions, parameters and result columns.")
    add_format_argument(p)
    p.set_defaults(run=_run)


def _param_text(param) -> str:
    return f"{param.name} ({param.type}{'' if param.required else ', optional'})"


def _run(args) -> int:
    import json

    from ..publish.tables import render
    from ..graph.queries import library

    queries = sorted(library().values(), key=lambda q: q.name)
    if args.format == "json":
        data = [{"name": q.name, "description": q.description,
                 "params": [{"name": p.name, "type": p.type, "required": p.required,
                             "description": p.description} for p in q.params],
                 "returns": list(q.returns)} for q in queries]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    rows = [{"name": q.name, "parameters": ", ".join(_param_text(p) for p in q.params),
             "returns": ", ".join(q.returns), "description": q.description} for q in queries]
    columns = ["name", "parameters", "description"]
    if args.format == "csv":
        columns.insert(2, "returns")
    print(render(columns, rows, args.format), end="")
    return 0
