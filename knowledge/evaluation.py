"""Retrieval quality on a labelled question set, beside a plain BM25 baseline measured in
the same run. Needs no database: the knowledge base is read from its CSV.

A question file has lines ``KEY<TAB>buyer text``; ``-`` as the key marks a message that must
get no confident answer (greeting, complaint, the buyer's own order, off-topic)."""

from dataclasses import dataclass
from pathlib import Path

from helpdesk.spreadsheets.reading import Source

from .analysis import plain_terms
from .engine import CONFIDENT_COVERAGE, CONFIDENT_SCORE, Answer, Engine
from .index import Index
from .transfer import entry_from_cells, header_positions


def load_kb(path: Path) -> list:
    with Source(path) as source:
        rows = [cells for _line, cells in source.records()]
    positions = header_positions(rows[0])
    return [entry_from_cells(cells, positions) for cells in rows[1:] if any(cells)]


def load_questions(path: Path) -> list[tuple[str, str]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line.strip()]


def engine_for(entries) -> Engine:
    engine = Engine()
    for e in entries:
        answer = Answer("knowledge", e.key, e.answer, tuple(e.products))
        engine.put(answer, [e.question, *e.phrasings])
    return engine


@dataclass
class Figures:
    answerable: int = 0
    unanswerable: int = 0
    top1: int = 0
    top3: int = 0
    confident: int = 0
    confident_right: int = 0
    confident_on_unanswerable: int = 0

    def as_dict(self) -> dict:
        a = max(self.answerable, 1)
        return {
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "top1": round(self.top1 / a, 4),
            "top3": round(self.top3 / a, 4),
            "confident_coverage": round(self.confident / a, 4),
            "confident_precision": round(self.confident_right / max(self.confident, 1), 4),
            "confident_on_unanswerable": self.confident_on_unanswerable,
        }


def _score(figures: Figures, expected: str, ranked: list[str], confident_key: str | None):
    if expected == "-":
        figures.unanswerable += 1
        figures.confident_on_unanswerable += confident_key is not None
        return
    figures.answerable += 1
    figures.top1 += ranked[:1] == [expected]
    figures.top3 += expected in ranked[:3]
    if confident_key is not None:
        figures.confident += 1
        figures.confident_right += confident_key == expected


def evaluate(kb_path: Path, questions_path: Path) -> dict:
    entries = load_kb(kb_path)
    questions = load_questions(questions_path)
    engine = engine_for(entries)
    baseline = Index()
    for e in entries:
        for phrasing in (e.question, *e.phrasings):
            baseline.add(e.key, plain_terms(phrasing))
    ours, plain, misses = Figures(), Figures(), []
    for expected, text in questions:
        suggestions = engine.suggest(text, limit=3)
        ranked = [s.key for s in suggestions if s.source == "knowledge"]
        confident = next((s.key for s in suggestions if s.confident), None)
        _score(ours, expected, ranked, confident)
        if (expected != "-" and ranked[:1] != [expected]) or (expected == "-" and confident):
            misses.append((expected, text, ranked, confident))
        hits = baseline.search(plain_terms(text), limit=3)
        base_ranked = [h.ref for h in hits]
        base_confident = (
            hits[0].ref
            if hits and hits[0].coverage >= CONFIDENT_COVERAGE and hits[0].score >= CONFIDENT_SCORE
            else None
        )
        _score(plain, expected, base_ranked, base_confident)
    return {"retriever": ours.as_dict(), "baseline_bm25": plain.as_dict(), "misses": misses}
