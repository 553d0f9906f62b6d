"""Files in and out: everything that turns bytes into RDF or RDF into bytes.

- ``reading``   RDF files of any syntax into a store, format from the name
- ``limits``    the guards applied before a parser sees a file (size, entities, literals)
- ``progress``  a progress line on stderr while a large file is read
- ``archimate`` ArchiMate Model Exchange XML → RDF (views and diagrams included)
- ``archimate_export``  RDF → exchange XML (the model back, with its eTOM alignment)
- ``archimate_native``  Archi's own ``.archimate`` files, read through the same mapping
- ``spreadsheet``  operator inventories: CSV (encodings, delimiters) and XLSX
- ``canonical`` deterministic, sorted Turtle (the form of every shipped file)
- ``atomic``    writing a result file all or nothing
- ``guard``     long work on a worker thread: Ctrl-C, timeouts, memory and row limits
"""
