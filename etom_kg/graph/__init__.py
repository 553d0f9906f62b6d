"""The graph: the shipped ontology plus the user's sources, and the ways to ask it.

- ``shipped``  which files ship, their graph names, parsed once per process
- ``kg``       KnowledgeGraph: one pyoxigraph store of named graphs; ``load()``
- ``derive``   what every element with an ID gets on load (typed notation, level,
               ID components, inverse links, inherited verticals)
- ``guard``    the parsed-query guard: no SERVICE or LOAD, the dataset clause honoured
- ``store``    the on-disk store: manifest, per-file reloads, repair of shipped graphs
- ``queries``  the named SPARQL queries of queries/ (header, parameters, safe binding)
- ``results``  typed result rows
- ``model``    a process element as a Python object (``kg.process(id)``)
- ``remote``   the same questions to a SPARQL 1.1 endpoint; ``push`` via the Graph Store Protocol
"""
