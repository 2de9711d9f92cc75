"""Retrieval quality of suggested replies on the labelled question sets, beside a plain BM25
baseline in the same run (knowledge/evaluation.py).

    python bench/knowledge_eval.py              # the held-out set (tests/knowledge/eval/test.tsv)
    python bench/knowledge_eval.py --dev        # the development set the thresholds were tuned on
    python bench/knowledge_eval.py --misses     # also list the questions answered wrong
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from knowledge.evaluation import evaluate  # noqa: E402

EVAL = ROOT / "tests" / "knowledge" / "eval"

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", action="store_true")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    figures = evaluate(EVAL / "kb.csv", EVAL / ("dev.tsv" if args.dev else "test.tsv"))
    print(
        json.dumps({"retriever": figures["retriever"], "baseline_bm25": figures["baseline_bm25"]})
    )
    if args.misses:
        for expected, text, ranked, confident in figures["misses"]:
            print(f"{expected}\t{text}\t{ranked}\t{confident or ''}")
