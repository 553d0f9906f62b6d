"""Validation: data judged against the SHACL shapes of shapes/.

- ``api``       ``validate()`` and its ``Report``: data + shipped context → results
- ``fastshacl`` the fast engine: SHACL Core shapes compiled to SPARQL on pyoxigraph,
                pySHACL for what it does not compile
"""
