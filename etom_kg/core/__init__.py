"""The bottom layer: pure helpers that every stage uses and that use no RDF engine.

- ``errors``     the exceptions users see (one line each, exit codes for the CLI)
- ``ids``        the process-ID grammar of clause 5.2 (``aaaaaa.b.x.c.d.e``)
- ``namespaces`` IRIs and prefixes of the ontology, graph names
- ``resources``  where the shipped ontology/, shapes/ and queries/ files are
"""
