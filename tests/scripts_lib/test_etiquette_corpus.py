"""Precision and recall of every rule over the labelled corpus (printed with ``pytest -s``;
bench/etiquette.py prints the same report)."""

from scripts_lib.etiquette import RULES

from .etiquette_corpus import CORPUS, format_report, mistakes, report


def test_corpus_is_large_enough_and_covers_every_rule():
    assert len(CORPUS) >= 150
    labelled = {rule for entry in CORPUS for rule in entry[1].split()}
    assert labelled == set(RULES)


def test_every_rule_reaches_95_percent_precision_and_recall():
    counts = report()
    print("\n" + format_report(counts))
    assert mistakes() == []  # listed in full when something regresses
    for rule, c in counts.items():
        assert c["precision"] >= 0.95 and c["recall"] >= 0.95, rule
