"""Ranking inventory rows against the candidates with BM25 (the ``bm25s`` library).

A *branch* is a level-2 element (or an extension element directly below 1.1.1)
with its sub-elements. Each branch is one BM25 document built from its graph
texts, its sub-elements' names included (fields weighted by repetition, see
:data:`index.FIELDS`); rows are ranked over the branches, so loading level 3
changes neither the number of documents nor the IDF the scores rest on. A
second index over the sub-elements picks, within a branch, the sub-element to
name instead of its parent when it explains words of the row the parent's own
texts do not.

The raw BM25 score of a row is turned into a score in [0, 1] in two steps:
divide it by the most the same row could score against any document (every
term saturated), which is the share of the row's information that the element
explains; then divide by what an element's own name scores that way against
the element (the median over the branches, computed from the graph at
start-up), so that 1.0 reads "as good a match as the element's own name".
Terms unknown to the graph count in the maximum with the highest IDF, so a row
about base stations or payroll, whose words the CRM texts never use, scores
low even when one word matches.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from .index import FIELDS, Candidate, read_candidates
from .results import Evidence, Suggestion
from .text import terms as text_terms
from .text import tokens

K1, B = 1.2, 0.75
MAX_EVIDENCE = 3
_CACHE: dict = {}        # candidate texts → Matcher (see Matcher.for_graph)


class Matcher:
    """Scores texts against the CRM elements of one graph (built once, used for many rows)."""

    def __init__(self, kg, *, root: str = "1.1.1", fields: dict | None = None,
                 candidates: list[Candidate] | None = None):
        import bm25s

        self.fields = dict(FIELDS if fields is None else fields)
        self.candidates: list[Candidate] = (read_candidates(kg, root) if candidates is None
                                            else candidates)
        if not self.candidates:
            from ..core.errors import UsageError

            raise UsageError(f"the graph has no process elements below {root} to map onto")
        self._by_iri = {c.iri: c for c in self.candidates}
        self._snippet_terms = []   # per candidate: [(snippet, set of terms)]
        corpus = []
        for cand in self.candidates:
            doc, snips = [], []
            for snip in cand.snippets:
                weight = self.fields.get(snip.field, 0)
                if not weight:
                    continue
                toks = tokens(snip.text)
                doc.extend(toks * weight)
                snips.append((snip, set(toks)))
            corpus.append(doc)
            self._snippet_terms.append(snips)
        self._doc_terms = [set(d) for d in corpus]
        self._own_terms = [set().union(*(t for sn, t in snips if sn.field != "level3"))
                           for snips in self._snippet_terms]
        self._field_weights = [[self.fields.get(sn.field, 1) for sn, _ in snips]
                               for snips in self._snippet_terms]
        self._postings = []               # per candidate: term → numbers of its snippets
        for snips in self._snippet_terms:
            postings = defaultdict(list)
            for k, (_, snip_terms) in enumerate(snips):
                for term in snip_terms:
                    postings[term].append(k)
            self._postings.append(dict(postings))
        position = {c.iri: n for n, c in enumerate(self.candidates)}
        self._root_index = [position[self._level2(c).iri] for c in self.candidates]
        self._branches = [i for i, r in enumerate(self._root_index) if r == i]
        self._subs = [i for i, r in enumerate(self._root_index) if r != i]
        self._branch_set = set(self._branches)
        self._order = [_natural(c.id) for c in self.candidates]
        n = len(self._branches)
        df = Counter(t for i in self._branches for t in set(corpus[i]))
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
        self._bm25.index([corpus[i] for i in self._branches], show_progress=False)
        self._sub_bm25 = None
        if self._subs:
            self._sub_bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
            self._sub_bm25.index([corpus[i] for i in self._subs], show_progress=False)
        self._reference = 1.0
        own = sorted(self._shares(list(dict.fromkeys(tokens(t))))[k]
                     for k, i in enumerate(self._branches)
                     for t in self.candidates[i].labels.values() if tokens(t))
        if own and own[len(own) // 2] > 0:
            self._reference = own[len(own) // 2]

    @classmethod
    def for_graph(cls, kg, *, root: str = "1.1.1") -> "Matcher":
        """A matcher for ``kg``, reused while the graph's candidate texts are the same.

        Reading the candidates is quick; lemmatising their texts and indexing them is
        not, and a program (or a test suite) maps many sheets against the same graph.
        """
        candidates = read_candidates(kg, root)
        key = (root, tuple((c.iri, c.parent, c.level, tuple(
            (s.field, s.text, s.lang, s.source) for s in c.snippets)) for c in candidates))
        matcher = _CACHE.get(key)
        if matcher is None:
            matcher = cls(kg, root=root, candidates=candidates)
            if len(_CACHE) >= 4:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = matcher
        return matcher

    def _shares(self, query: list[str]) -> list[float]:
        """Per branch: the share of the query's information that its document explains."""
        ceiling = sum(self.idf(t) for t in query) * (K1 + 1)
        return [float(raw) / ceiling for raw in self._bm25.get_scores(query)]

    def _level2(self, cand: Candidate) -> Candidate:
        seen = set()
        while cand.parent in self._by_iri and cand.level > 2 and cand.iri not in seen:
            seen.add(cand.iri)
            cand = self._by_iri[cand.parent]
        return cand

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    def suggest(self, text: str, top: int = 3, semantic=None) -> list[Suggestion]:
        """The ``top`` best elements for ``text``, best first (distinct level-2 branches).

        ``semantic``: optionally, this row's :class:`~.semantic.RowSimilarity`
        (sentence-encoder similarities per candidate), blended into the score.
        """
        row_terms = text_terms(text)
        query = list(dict.fromkeys(t.term for t in row_terms))
        if not query and semantic is None:
            return []
        scores = [0.0] * len(self.candidates)
        if query:
            for i, share in zip(self._branches, self._shares(query)):
                scores[i] = min(1.0, share / self._reference)
        if semantic is not None:
            blended = semantic.blend(scores)
            scores = [blended[i] if i in self._branch_set else 0.0
                      for i in range(len(scores))]
        ranked = sorted(((scores[i], i) for i in self._branches if scores[i] > 0),
                        key=lambda p: (-p[0], self._order[p[1]]))[:top]
        children = self._best_children(query, {i for _, i in ranked})
        row_set = set(query)
        out = []
        for score, root in ranked:
            i = root
            child = children.get(root)
            if child is not None and self._names_child(row_set, root, child):
                i = child
            cand = self.candidates[i]
            parent = self.candidates[root] if i != root else None
            evidence = self._evidence(i, row_terms)
            if parent is not None:
                evidence = (evidence + tuple(e for e in self._evidence(root, row_terms)
                                             if e not in evidence))[:MAX_EVIDENCE]
            if semantic is not None:
                evidence = (evidence + (semantic.evidence(i),))[:MAX_EVIDENCE]
            out.append(Suggestion(
                id=cand.id, iri=cand.iri, score=score,
                label=cand.labels, evidence=evidence,   # shared, not copied: 10⁵ rows
                parent_id=parent.id if parent else None,
                parent_label=parent.labels if parent else None))
        return out

    def _names_child(self, row: set, root: int, child: int) -> bool:
        """Name the sub-element instead of its parent? Yes when it explains words of the row
        that the parent's own texts do not, and at least half of what made the branch match."""
        own = row & self._own_terms[child]
        if not own - self._own_terms[root]:
            return False
        weight = lambda terms: sum(self.idf(t) for t in terms)  # noqa: E731
        return weight(own) >= 0.5 * weight(row & self._doc_terms[root])

    def _best_children(self, query, roots) -> dict[int, int]:
        """For each root in ``roots``: its sub-element that best matches the query."""
        if not query or self._sub_bm25 is None or not roots:
            return {}
        best: dict[int, tuple[float, int]] = {}
        for i, raw in zip(self._subs, self._sub_bm25.get_scores(query)):
            root = self._root_index[i]
            if raw > 0 and root in roots and (root not in best or raw > best[root][0]):
                best[root] = (float(raw), i)
        return {root: i for root, (_, i) in best.items()}

    def candidate(self, process_id: str) -> Candidate | None:
        """The candidate with this ID (level 2 or below), or None."""
        for cand in self.candidates:
            if cand.id == process_id:
                return cand
        return None

    def best_function(self, cand: Candidate, text: str) -> tuple[str | None, bool]:
        """The function of ``cand`` (or of its level-2 parent) whose text best matches ``text``.

        Returns (function IRI, True) when words matched, (first function, False)
        when none did, and (None, False) when the element has no functions.
        """
        for owner in (cand, self._level2(cand)):
            index = self.candidates.index(owner)
            functions = defaultdict(float)
            order = []
            row = set(tokens(text))
            for snip, snip_terms in self._snippet_terms[index]:
                if snip.field in ("function", "function definition"):
                    if snip.source not in order:
                        order.append(snip.source)
                    functions[snip.source] += sum(self.idf(t) for t in row & snip_terms)
            if order:
                order.sort(key=_natural)
                best = max(order, key=lambda f: (functions[f], -order.index(f)))
                return best, functions[best] > 0
        return None, False

    def _evidence(self, index: int, row_terms) -> tuple[Evidence, ...]:
        """The graph texts of candidate ``index`` that share terms with the row, strongest first."""
        import heapq

        words_of = defaultdict(list)
        for t in row_terms:
            if t.word not in words_of[t.term]:
                words_of[t.term].append(t.word)
        postings = self._postings[index]
        idf, unknown = self._idf, self._unknown_idf
        weight: dict[int, float] = defaultdict(float)   # snippet number → shared IDF
        shared: dict[int, list] = defaultdict(list)
        for term in words_of:
            w = idf.get(term, unknown)
            for k in postings.get(term, ()):
                weight[k] += w
                shared[k].append(term)
        snippets = self._snippet_terms[index]
        field_weight = self._field_weights[index]
        best = heapq.nsmallest(MAX_EVIDENCE, weight, key=lambda k: (
            -weight[k] * field_weight[k], snippets[k][0].field, snippets[k][0].text))
        out = []
        for k in best:
            snip = snippets[k][0]
            words = tuple(w for t in shared[k] for w in words_of[t])
            out.append(Evidence(words, snip.field, snip.text, snip.lang, snip.source))
        return tuple(out)


def _natural(iri: str):
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", iri)]
