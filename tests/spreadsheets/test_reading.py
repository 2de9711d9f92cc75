"""The one spreadsheet reader: formats, encodings, line numbers, ids, limits."""

import pytest

from helpdesk.spreadsheets.errors import SheetUnreadable, refusals_as
from helpdesk.spreadsheets.reading import Source, unwrap_cell
from helpdesk.spreadsheets.writing import PlatformId, safe_cell, write_csv, write_xlsx

from .helpers import xlsx, xlsx_bomb


def records(data, **limits):
    with Source(data, **limits) as source:
        return list(source.records())


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_csv_encodings_are_detected(encoding):
    data = "订单编号,买家\r\n1,小鹿乱撞\r\n".encode(encoding)
    assert records(data) == [(1, ["订单编号", "买家"]), (2, ["1", "小鹿乱撞"])]


def test_a_quoted_newline_keeps_the_file_lines_and_blank_rows_are_left_out():
    data = '标题,内容\n甲,"第一行\n第二行"\n\n乙,丙\n'.encode()
    assert records(data) == [
        (1, ["标题", "内容"]),
        (2, ["甲", "第一行\n第二行"]),
        (5, ["乙", "丙"]),
    ]


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_and_numbers_become_text():
    data = xlsx([["订单编号", "数量"], [None, None], ["3012345678901234567", 2.0]])
    assert records(data) == [(1, ["订单编号", "数量"]), (3, ["3012345678901234567", "2"])]


def test_a_path_reads_like_bytes(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("甲,乙\n".encode("gbk"))
    assert records(path) == [(1, ["甲", "乙"])]


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"\xd0\xcf\x11\xe0rest", "旧版 Excel"),
        (b"\xff\xfea\x00b\x00", "UTF-16"),
        (b"MZ\x90\x00\x03\x00", "不是 CSV 或 XLSX"),
        (b"", "空的"),
    ],
)
def test_what_is_not_a_spreadsheet_is_refused_with_a_reason(head, message):
    with pytest.raises(SheetUnreadable, match=message):
        records(head)


def test_an_xlsx_bomb_is_refused_before_anything_is_inflated(monkeypatch):
    bomb = xlsx_bomb()
    assert len(bomb) < 1_000_000
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    with pytest.raises(SheetUnreadable, match="压缩炸弹"):
        records(bomb)
    assert opened == []


def test_the_small_exports_inflated_limit_holds_below_the_ratio():
    honest_but_big = xlsx([["内容"], ["x" * 30_000]] + [[f"{n}" * 200] for n in range(20_000)])
    assert records(honest_but_big)  # the default limit reads it
    with pytest.raises(SheetUnreadable, match="压缩炸弹"):
        records(honest_but_big, max_inflated_bytes=1 << 20)


def test_max_rows_refuses_a_longer_file_as_a_whole():
    data = ("标题\n" + "行\n" * 4).encode()
    assert len(records(data, max_rows=4)) == 5
    with pytest.raises(SheetUnreadable, match="超过 3 行"):
        records(data, max_rows=3)


def test_refusals_as_turns_the_readers_refusal_into_the_importers_error():
    class Fatal(SheetUnreadable):
        pass

    with pytest.raises(Fatal, match="空的"), refusals_as(Fatal):
        records(b"")


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ('="3012345678901234567"', "3012345678901234567"),
        ("  小鹿  ", "小鹿"),
        ("'=1+1", "=1+1"),
        ("'-满100减10", "-满100减10"),
        ("'0571", "'0571"),  # an apostrophe before digits is the importer's to judge
    ],
)
def test_unwrap_cell_takes_off_the_export_wrappers(cell, text):
    assert unwrap_cell(cell) == text


@pytest.mark.parametrize("text", ["=1+1", "+86", "-满100减10", "@评论", "\t=1", "\r=1", " =1"])
def test_what_the_writer_quotes_the_reader_gives_back(text):
    for data in (write_csv(["列"], [[text]]), write_xlsx(["列"], [[text]])):
        (_line, header), (_line2, cells) = records(data)
        assert unwrap_cell(cells[0]) == text.strip() and header == ["列"]


def test_numbers_stay_numbers_and_long_ids_keep_their_digits_in_csv():
    assert safe_cell(-5) == -5 and safe_cell("-5") == "'-5"
    data = write_csv(["订单编号", "金额"], [[PlatformId("3012345678901234567"), -12]])
    assert data.decode("utf-8-sig") == '订单编号,金额\r\n"=""3012345678901234567""",-12\r\n'
    assert records(data)[1] == (2, ['="3012345678901234567"', "-12"])
    assert unwrap_cell(records(data)[1][1][0]) == "3012345678901234567"
