"""The held-out figures, measured on every run: floors under today's results, so a change
that makes retrieval worse fails. Tuning is done on dev.tsv only, never on these sets.

test.tsv was seen by earlier tuning; test2.tsv was written before the lexicon was broadened
(by the same hand); test3.tsv after the retriever was frozen (bench/RESULTS.md)."""

from pathlib import Path

import pytest

from knowledge.evaluation import evaluate

EVAL = Path(__file__).parent / "eval"

FLOORS = {
    # set: (top-1, top-3, confident coverage, confident precision, confident on negatives)
    "test": (0.86, 0.90, 0.65, 0.97, 1),
    "test2": (0.79, 0.83, 0.58, 0.96, 0),
    "test3": (0.80, 0.84, 0.55, 0.96, 2),
}


@pytest.mark.parametrize("name", FLOORS)
def test_held_out_set_beats_plain_bm25_and_stays_above_its_floor(name):
    figures = evaluate(EVAL / "kb.csv", EVAL / f"{name}.tsv")
    ours, plain = figures["retriever"], figures["baseline_bm25"]
    top1, top3, coverage, precision, on_negatives = FLOORS[name]
    assert ours["answerable"] >= 300 and ours["unanswerable"] >= 60
    assert ours["top1"] >= top1 and ours["top1"] > plain["top1"] + 0.2
    assert ours["top3"] >= top3 and ours["top3"] > plain["top3"] + 0.15
    assert ours["confident_coverage"] >= coverage
    assert ours["confident_precision"] >= precision
    assert ours["confident_on_unanswerable"] <= on_negatives
