"""The held-out figures, measured on every run: a floor under today's result, so a change
that makes retrieval worse fails. The thresholds were tuned on dev.tsv, never on test.tsv."""

from pathlib import Path

from knowledge.evaluation import evaluate

EVAL = Path(__file__).parent / "eval"


def test_held_out_set_beats_plain_bm25_and_confident_answers_stay_right():
    figures = evaluate(EVAL / "kb.csv", EVAL / "test.tsv")
    ours, plain = figures["retriever"], figures["baseline_bm25"]
    assert ours["answerable"] >= 300
    assert ours["top1"] >= 0.80 and ours["top1"] > plain["top1"] + 0.1
    assert ours["top3"] >= 0.83 and ours["top3"] > plain["top3"]
    assert ours["confident_coverage"] >= 0.5
    assert ours["confident_precision"] >= 0.97
    assert ours["confident_on_unanswerable"] <= 1
