"""Enterprise architecture: an operator's EA model beside the standard.

- ``merge``     add an EA model (ArchiMate exchange XML or RDF) as a named graph, with
                provenance; conflicts; remove; write the merged dataset
- ``alignment`` find the eTOM elements an EA model's elements stand for (IDs, names)
"""
