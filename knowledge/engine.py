"""Suggested replies from three sources, ranked by one local retriever (analysis + index).

``Engine`` is plain Python over plain records, so the evaluation and the bench run it
without a database; ``sources.py`` fills and refreshes one engine per shop from the models.

Ranking: each source is searched with the same weighted terms; a hit's relevance is its
coverage (the share of the query's weighted IDF it matched). ``confident`` is set only on a
knowledge answer, and only when the message is one a machine may answer (intent.py), the
entry applies to the buyer's item, its BM25 score is high enough, enough of the question is
covered and the best entry stands clear of the next one. The three thresholds were tuned on
the development questions (tests/knowledge/eval/dev.tsv) only; the score threshold is
absolute BM25, so a much larger knowledge base (higher IDF) should re-check it.
"""

from dataclasses import dataclass, field

from .analysis import terms
from .index import Hit, Index
from .intent import never_automatic

CONFIDENT_COVERAGE = 0.2
CONFIDENT_MARGIN = 0.3
CONFIDENT_SCORE = 4.5
MIN_RELEVANCE = 0.12
SOURCE_BONUS = {"knowledge": 0.15, "script": 0.0, "history": 0.05}
CANDIDATES = 5
HISTORY_SKIP_COMMON = 0.02
"""Past answers: a term in more than 2 % of them says little and costs the most to walk."""


@dataclass(frozen=True)
class Answer:
    """What the engine knows of a knowledge entry, a script or a past answer."""

    source: str
    key: str
    text: str
    products: tuple[str, ...] = ()

    def applies_to(self, item: str) -> bool:
        if not self.products:
            return True
        item = (item or "").strip().lower()
        return bool(item) and any(p.lower() in item or item in p.lower() for p in self.products)


@dataclass
class Suggestion:
    source: str
    key: str
    text: str
    score: float
    confident: bool

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "key": self.key,
            "text": self.text,
            "score": round(self.score, 4),
            "confident": self.confident,
        }


@dataclass
class Engine:
    indexes: dict[str, Index] = field(
        default_factory=lambda: {"knowledge": Index(), "script": Index(), "history": Index()}
    )

    def put(self, answer: Answer, phrasings: list[str]) -> None:
        """Add or replace ``answer``; each phrasing becomes one document of it."""
        index = self.indexes[answer.source]
        index.remove((answer.source, answer.key))
        self._answers[(answer.source, answer.key)] = answer
        for phrasing in phrasings:
            index.add((answer.source, answer.key), terms(phrasing))

    def drop(self, source: str, key: str) -> None:
        self.indexes[source].remove((source, key))
        self._answers.pop((source, key), None)

    def __post_init__(self):
        self._answers: dict[tuple[str, str], Answer] = {}

    def knowledge_hits(self, text: str, *, item: str = "", limit: int = CANDIDATES) -> list[Hit]:
        query = terms(text)
        return self.indexes["knowledge"].search(
            query, limit=limit, accept=lambda ref: self._answers[ref].applies_to(item) or not item
        )

    def suggest(self, text: str, *, item: str = "", limit: int = 3) -> list[Suggestion]:
        query = terms(text)
        blocked = bool(never_automatic(text))
        found: list[Suggestion] = []
        for source, index in self.indexes.items():
            accept = None
            if source == "knowledge" and item:
                accept = lambda ref: self._answers[ref].applies_to(item)  # noqa: E731
            skip = HISTORY_SKIP_COMMON if source == "history" and len(index) > 1000 else None
            hits = index.search(query, limit=CANDIDATES, accept=accept, skip_common=skip)
            for rank, hit in enumerate(hits):
                if hit.coverage < MIN_RELEVANCE:
                    continue
                answer = self._answers[hit.ref]
                confident = False
                if source == "knowledge" and rank == 0 and not blocked:
                    confident = self._is_confident(hit, hits[1:2], answer, item)
                found.append(
                    Suggestion(
                        source=source,
                        key=answer.key,
                        text=answer.text,
                        score=hit.coverage + SOURCE_BONUS[source],
                        confident=confident,
                    )
                )
        found.sort(key=lambda s: (s.confident, s.score), reverse=True)
        unique: list[Suggestion] = []
        seen: set[str] = set()
        for suggestion in found:
            if suggestion.text in seen:
                continue
            seen.add(suggestion.text)
            unique.append(suggestion)
        return unique[:limit]

    @staticmethod
    def _is_confident(best: Hit, runner_up: list[Hit], answer: Answer, item: str) -> bool:
        if answer.products and not answer.applies_to(item):
            return False
        if best.coverage < CONFIDENT_COVERAGE or best.score < CONFIDENT_SCORE:
            return False
        if runner_up:
            margin = (best.score - runner_up[0].score) / best.score
            if margin < CONFIDENT_MARGIN:
                return False
        return True
