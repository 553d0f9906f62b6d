"""Ranking inventory rows against the candidates with BM25 (the ``bm25s`` library).

Each candidate is one BM25 document built from its graph texts (fields weighted
by repetition, see :data:`index.FIELDS`). The raw BM25 score of a row is turned
into a score in [0, 1] in two steps: divide it by the most the same row could
score against any document (every term saturated), which is the share of the
row's information that the element explains; then divide by what an element's
own name scores that way against the element (the median over the elements,
computed from the graph at start-up), so that 1.0 reads "as good a match as
the element's own name". Terms unknown to the graph count in the maximum with
the highest IDF, so a row about base stations or payroll, whose words the CRM
texts never use, scores low even when one word matches.
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


class Matcher:
    """Scores texts against the CRM elements of one graph (built once, used for many rows)."""

    def __init__(self, kg, *, root: str = "1.1.1", fields: dict | None = None):
        import bm25s

        self.fields = dict(FIELDS if fields is None else fields)
        self.candidates: list[Candidate] = read_candidates(kg, root)
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
        self._postings = []               # per candidate: term → numbers of its snippets
        for snips in self._snippet_terms:
            postings = defaultdict(list)
            for k, (_, snip_terms) in enumerate(snips):
                for term in snip_terms:
                    postings[term].append(k)
            self._postings.append(dict(postings))
        n = len(corpus)
        df = Counter(t for d in self._doc_terms for t in d)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
        self._bm25.index(corpus, show_progress=False)
        self._roots = [self._level2(c) for c in self.candidates]
        self._reference = 1.0
        own = sorted(self._share(t, i)[0] for i, c in enumerate(self.candidates)
                     for t in c.labels.values())
        if own and own[len(own) // 2] > 0:
            self._reference = own[len(own) // 2]

    def _share(self, text: str, index: int | None = None):
        """(share of the text's information explained, raw scores) for one text."""
        query = list(dict.fromkeys(tokens(text)))
        if not query:
            return 0.0, None
        ceiling = sum(self.idf(t) for t in query) * (K1 + 1)
        scores = self._bm25.get_scores(query) / ceiling
        return (float(scores[index]) if index is not None else 0.0), scores

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
        if query:
            ceiling = sum(self.idf(t) for t in query) * (K1 + 1) * self._reference
            scores = [min(1.0, float(raw) / ceiling) for raw in self._bm25.get_scores(query)]
        else:
            scores = [0.0] * len(self.candidates)
        if semantic is not None:
            scores = semantic.blend(scores)
        best_per_branch: dict[str, tuple[float, int]] = {}
        for i, score in enumerate(scores):
            if score <= 0:
                continue
            branch = self._roots[i].iri
            if branch not in best_per_branch or score > best_per_branch[branch][0]:
                best_per_branch[branch] = (score, i)
        ranked = sorted(best_per_branch.values(), key=lambda p: (-p[0], self.candidates[p[1]].id))
        out = []
        for score, i in ranked[:top]:
            cand = self.candidates[i]
            parent = self._roots[i] if self._roots[i] is not cand else None
            evidence = self._evidence(i, row_terms)
            if semantic is not None:
                evidence = (evidence + (semantic.evidence(i),))[:MAX_EVIDENCE]
            out.append(Suggestion(
                id=cand.id, iri=cand.iri, score=score,
                label=dict(cand.labels), evidence=evidence,
                parent_id=parent.id if parent else None,
                parent_label=dict(parent.labels) if parent else None))
        return out

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
        words_of = defaultdict(list)
        for t in row_terms:
            if t.word not in words_of[t.term]:
                words_of[t.term].append(t.word)
        hits = defaultdict(list)          # snippet number → shared terms
        postings = self._postings[index]
        for term in words_of:
            for k in postings.get(term, ()):
                hits[k].append(term)
        snippets = self._snippet_terms[index]
        found = []
        for k, shared in hits.items():
            snip = snippets[k][0]
            weight = sum(self.idf(t) for t in shared) * self.fields.get(snip.field, 1)
            found.append((-weight, snip.field, snip.text, k, shared))
        found.sort(key=lambda f: f[:3])
        out = []
        for _, _, _, k, shared in found[:MAX_EVIDENCE]:
            snip = snippets[k][0]
            words = tuple(w for t in shared for w in words_of[t])
            out.append(Evidence(words, snip.field, snip.text, snip.lang, snip.source))
        return tuple(out)


def _natural(iri: str):
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", iri)]
