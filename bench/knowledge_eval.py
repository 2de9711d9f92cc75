"""Retrieval quality of suggested replies on the labelled question sets, beside a plain BM25
baseline in the same run (knowledge/evaluation.py).

    python bench/knowledge_eval.py              # the first held-out set (test.tsv; seen since)
    python bench/knowledge_eval.py --set test2  # the fresh held-out set (test2.tsv)
    python bench/knowledge_eval.py --set dev    # the development set the tuning was done on
    python bench/knowledge_eval.py --misses     # also list the questions answered wrong

``--set NAME`` reads tests/knowledge/eval/NAME.tsv (``--dev`` is ``--set dev``).
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
    parser.add_argument("--set", default="test", help="question set: test, test2, dev")
    parser.add_argument("--dev", action="store_true", help="same as --set dev")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    name = "dev" if args.dev else args.set
    questions = EVAL / f"{name}.tsv"
    if not questions.is_file():
        parser.error(f"no question set {questions}")
    figures = evaluate(EVAL / "kb.csv", questions)
    print(
        json.dumps(
            {
                "set": name,
                "retriever": figures["retriever"],
                "baseline_bm25": figures["baseline_bm25"],
            }
        )
    )
    if args.misses:
        for expected, text, ranked, confident in figures["misses"]:
            print(f"{expected}\t{text}\t{ranked}\t{confident or ''}")
