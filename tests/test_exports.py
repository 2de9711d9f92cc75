"""The generated exports the benches time are files the importers take whole: a generator
that drifted from the layouts would make the benches time the error path."""

import pytest

from orders.models import Order
from reviews.importing import reviews_import
from reviews.models import Review
from tests.exports import (
    CLASSIC_ALL,
    generated_order_rows,
    generated_review_rows,
    review_export,
    write_csv,
)
from tests.orders.test_import_command import run

pytestmark = pytest.mark.django_db


def test_generated_order_report_imports_every_row(tmp_path, shop):
    path = write_csv(tmp_path / "orders.csv", generated_order_rows(60), header=CLASSIC_ALL)

    report = run(path)

    assert (report["created"], report["errors"]) == (60, [])
    assert Order.objects.filter(shop=shop).count() == 60


def test_generated_order_rows_are_the_same_for_the_same_seed():
    assert list(generated_order_rows(5, seed=3)) == list(generated_order_rows(5, seed=3))
    assert list(generated_order_rows(5, seed=3)) != list(generated_order_rows(5, seed=4))


def test_generated_review_export_imports_every_row(shop, now):
    report = reviews_import(
        actor=None, shop=shop, data=review_export(list(generated_review_rows(40))), now=now
    )

    assert Review.objects.filter(shop=shop).count() == 40
    assert not report.errors
