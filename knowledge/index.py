"""A small in-memory BM25 index that takes documents in and out one at a time, so a change
to one knowledge entry or one new past answer updates it without a rebuild.

Each document belongs to a ``ref`` (an entry, a script, a past answer); a ref may have
several documents (an entry's question and each similar phrasing) and scores as its best one.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

K1 = 1.2
B = 0.75


@dataclass
class Hit:
    ref: object
    score: float
    coverage: float
    """Share of the query's weighted IDF that the best document matched (0..1)."""


class Index:
    def __init__(self):
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._docs: dict[int, tuple[object, dict[str, float], float]] = {}
        self._by_ref: dict[object, list[int]] = defaultdict(list)
        self._next_id = 0
        self._total_length = 0.0

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, ref, terms: dict[str, float]) -> None:
        if not terms:
            return
        doc_id = self._next_id
        self._next_id += 1
        length = sum(terms.values())
        self._docs[doc_id] = (ref, terms, length)
        self._by_ref[ref].append(doc_id)
        self._total_length += length
        for term, weight in terms.items():
            self._postings[term][doc_id] = weight

    def remove(self, ref) -> None:
        for doc_id in self._by_ref.pop(ref, []):
            _ref, terms, length = self._docs.pop(doc_id)
            self._total_length -= length
            for term in terms:
                posting = self._postings[term]
                posting.pop(doc_id, None)
                if not posting:
                    del self._postings[term]

    def idf(self, term: str) -> float:
        n = len(self._docs)
        df = len(self._postings.get(term, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(
        self,
        query: dict[str, float],
        *,
        limit: int = 10,
        accept=None,
        skip_common: float | None = None,
    ) -> list[Hit]:
        """The best ``limit`` refs by BM25 (query term weights multiply in); ``accept(ref)``
        filters refs (products an entry applies to). ``skip_common``: terms found in more
        than that share of the documents are not walked (their IDF is low and their
        postings long); a large index of past answers uses it to stay fast."""
        if not self._docs or not query:
            return []
        count = len(self._docs)
        average = self._total_length / count
        docs = self._docs
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, float] = defaultdict(float)
        total_idf = 0.0
        longest = count * skip_common if skip_common else count + 1
        for term, q_weight in query.items():
            posting = self._postings.get(term)
            idf = self.idf(term)
            total_idf += idf * q_weight
            if not posting or len(posting) > longest:
                continue
            weight = q_weight * idf
            k_short, k_long = K1 * (1 - B), K1 * B / average
            for doc_id, tf in posting.items():
                norm = tf * (K1 + 1) / (tf + k_short + k_long * docs[doc_id][2])
                scores[doc_id] += weight * norm
                matched[doc_id] += weight
        best: dict[object, Hit] = {}
        for doc_id, score in scores.items():
            ref = self._docs[doc_id][0]
            if accept is not None and not accept(ref):
                continue
            coverage = matched[doc_id] / total_idf if total_idf else 0.0
            held = best.get(ref)
            if held is None or score > held.score:
                best[ref] = Hit(ref=ref, score=score, coverage=coverage)
        return sorted(best.values(), key=lambda h: h.score, reverse=True)[:limit]
