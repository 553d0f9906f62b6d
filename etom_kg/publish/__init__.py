"""What comes out for people: tables, pictures and a documentation site.

- ``tables``   result rows as text/CSV/JSON/Markdown tables for the terminal
- ``diagrams`` SVG pictures: the level-1 matrix, a decomposition, the pictogram
- ``docs``     a static HTML site of the graph (process pages with a ru/en switch,
               schemes, glossary, ontology, SHACL rules, search); assets in ``site/``
- ``i18n``     the words of every output in Russian and English
"""
