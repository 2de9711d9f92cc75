import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.importing import ImportFatal, reviews_import
from reviews.models import Rating, Review, ReviewState
from tests.exports import REVIEW_HEADER as HEADER
from tests.exports import generated_review_rows, review_export
from tests.factories import at, make_order

pytestmark = pytest.mark.django_db

ROWS = (
    '="3012345678901234567",小鹿乱撞的猫,差评,"衣服起球，洗一次就变形",2026-11-20 10:00:00,1,2,3\n'
    "3012345678901234568,tb_晴天娃娃88,中评,颜色和图片有点差别,2026/11/21 9:05,3,,\n"
    "3012345678901234569,阳光下的向日葵,好评,很好,2026-11-21 10:00:00,5,5,5\n"
)


def run(tmp_path, content: bytes, *args) -> dict:
    path = tmp_path / "reviews.csv"
    path.write_bytes(content)
    from io import StringIO

    out = StringIO()
    call_command("import_reviews", str(path), "--shop", "shop-a", "--json", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("gbk"),
        lambda s: s.encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030"],
)
def test_import_detects_the_encoding(tmp_path, shop, encode):
    report = run(tmp_path, encode(HEADER + ROWS))
    assert report == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 1, "errors": []}
    negative = Review.objects.get(rating=Rating.NEGATIVE)
    assert negative.buyer.nick == "小鹿乱撞的猫" and negative.text == "衣服起球，洗一次就变形"
    assert negative.platform_order_id == "3012345678901234567"
    assert (negative.dsr_description, negative.dsr_service, negative.dsr_logistics) == (1, 2, 3)
    assert negative.reviewed_at == at(2026, 11, 20, 10, 0)
    assert negative.state == ReviewState.NEW
    assert Review.objects.get(rating=Rating.NEUTRAL).reviewed_at == at(2026, 11, 21, 9, 5)


def test_reimport_is_idempotent_and_a_later_export_updates(tmp_path, shop):
    run(tmp_path, (HEADER + ROWS).encode())
    assert run(tmp_path, (HEADER + ROWS).encode())["unchanged"] == 2
    changed = ROWS.replace("颜色和图片有点差别", "颜色和图片有点差别，客服态度还行")
    report = run(tmp_path, (HEADER + changed).encode())
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    assert Review.objects.count() == 2


def test_review_id_column_identifies_reviews_and_links_known_orders(tmp_path, shop):
    order = make_order(shop, order_id="3012345678901234567")
    content = (
        "评价ID,订单号,买家会员名,评价,评论内容,评论时间\n"
        f"R1,{order.order_id},{order.buyer.nick},差评,太慢了,2026-11-20 10:00:00\n"
        f"R2,{order.order_id},{order.buyer.nick},中评,一般,2026-11-20 10:00:00\n"
    )
    assert run(tmp_path, content.encode())["created"] == 2
    assert run(tmp_path, content.encode())["unchanged"] == 2
    review = Review.objects.get(external_id="R1")
    assert review.order == order and review.buyer == order.buyer


def test_a_later_export_with_review_ids_adopts_the_reviews_imported_without(tmp_path, shop):
    run(tmp_path, (HEADER + ROWS).encode())
    with_ids = (
        "评价ID,"
        + HEADER.replace("\n", "")
        + "\n"
        + "".join(f"R{n}," + line + "\n" for n, line in enumerate(ROWS.splitlines()))
    )
    report = run(tmp_path, with_ids.encode())
    assert (report["created"], report["updated"]) == (0, 2)
    assert sorted(Review.objects.values_list("external_id", flat=True)) == ["R0", "R1"]
    without_ids = run(tmp_path, (HEADER + ROWS).encode())
    assert (without_ids["created"], without_ids["unchanged"]) == (0, 2)


def test_row_errors_are_numbered_by_the_line_the_record_starts_on(tmp_path, shop):
    content = (
        HEADER
        + '3012345678901234567,小鹿,差评,"第一行\n第二行",2026-11-20 10:00:00,,,\n'
        + "3.01235E+18,小鹿,差评,坏,2026-11-20 10:00:00,,,\n"
        + "3012345678901234568,小鹿,很差,坏,2026-11-20 10:00:00,,,\n"
        + "3012345678901234569,小鹿,差评,坏,昨天,,,\n"
        + "3012345678901234570,小鹿,差评,坏,2026-11-20 10:00:00,6,,\n"
        + "3012345678901234567,小鹿,差评,重复,2026-11-20 10:00:00,,,\n"
    )
    report = run(tmp_path, content.encode())
    lines = [(e["line"], e["message"]) for e in report["errors"]]
    assert [line for line, _ in lines] == [4, 5, 6, 7, 8]
    assert "科学计数法" in lines[0][1]
    assert "很差" in lines[1][1]
    assert "昨天" in lines[2][1]
    assert "1–5" in lines[3][1]
    assert "第 2 行" in lines[4][1]
    assert report["created"] == 1


def test_missing_column_is_fatal_and_writes_nothing(tmp_path, shop):
    path = tmp_path / "bad.csv"
    path.write_bytes("订单编号,买家昵称,评价内容\n3012345678901234567,小鹿,坏\n".encode())
    with pytest.raises(CommandError, match="评价结果"):
        call_command("import_reviews", str(path), "--shop", "shop-a")
    assert not Review.objects.exists()


def test_fatal_error_exits_1_from_the_command_line(tmp_path, shop):
    import os
    import subprocess
    import sys

    from django.db import connection

    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    result = subprocess.run(
        [sys.executable, "manage.py", "import_reviews", str(path), "--shop", "nope", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1 and "nope" in result.stderr


def test_strict_turns_a_row_error_into_a_fatal_one(tmp_path, shop):
    content = HEADER + ROWS + "123,小鹿,差评,坏,2026-11-20 10:00:00,,,\n"
    path = tmp_path / "r.csv"
    path.write_bytes(content.encode())
    with pytest.raises(CommandError, match="第 5 行"):
        call_command("import_reviews", str(path), "--shop", "shop-a", "--strict")
    assert not Review.objects.exists()


def test_dry_run_reports_without_writing(tmp_path, shop):
    report = run(tmp_path, (HEADER + ROWS).encode(), "--dry-run")
    assert report["created"] == 2
    assert not Review.objects.exists()


def test_import_queries_do_not_grow_with_rows(shop, now, django_assert_max_num_queries):
    def rows(n):
        return review_export(list(generated_review_rows(n)))

    with django_assert_max_num_queries(12):
        reviews_import(actor=None, shop=shop, data=rows(10), now=now)
    Review.objects.all().delete()
    with django_assert_max_num_queries(12):
        reviews_import(actor=None, shop=shop, data=rows(300), now=now)


def test_undecodable_file_is_fatal(shop, now):
    with pytest.raises(ImportFatal):
        reviews_import(actor=None, shop=shop, data=b"\x81", now=now)


def test_good_review_rows_are_recorded_for_the_thanks_only(tmp_path, shop):
    from reviews.models import GoodReview

    run(tmp_path, (HEADER + ROWS).encode())
    run(tmp_path, (HEADER + ROWS).encode())
    [good] = GoodReview.objects.all()
    assert (good.shop, good.platform_order_id) == (shop, "3012345678901234569")
    assert good.reviewed_at == at(2026, 11, 21, 10, 0)
    assert not Review.objects.filter(platform_order_id="3012345678901234569").exists()


def test_a_dry_run_records_no_good_review(tmp_path, shop):
    from reviews.models import GoodReview

    run(tmp_path, (HEADER + ROWS).encode(), "--dry-run")
    assert not GoodReview.objects.exists()
