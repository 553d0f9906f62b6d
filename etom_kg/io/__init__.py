"""Files in and out: everything that turns bytes into RDF or RDF into bytes.

- ``reading``   RDF files of any syntax into a store, format from the name
- ``limits``    the guards applied before a parser sees a file (size, entities, literals)
- ``progress``  a progress line on stderr while a large file is read
- ``archimate`` ArchiMate Model Exchange XML ⇄ RDF
- ``canonical`` deterministic, sorted Turtle (the form of every shipped file)
- ``atomic``    writing a result file all or nothing
"""
