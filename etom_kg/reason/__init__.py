"""Reasoning: OWL 2 consistency of the graph and clause 7.2 classification of real
processes (``classify``: HermiT via owlready2, OWL 2 RL via owlrl, or SPARQL)."""
