"""Addresses split by their space-separated structure, validated by cpca."""

import pytest

from orders.importing.addresses import parse_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "浙江省 杭州市 西湖区 文三路 478号 华星时代广场 (310012)",
            ("浙江省", "杭州市", "西湖区", "文三路 478号 华星时代广场", "310012"),
        ),
        (
            "上海 上海市 浦东新区 张江路 665弄 (201203)",
            ("上海市", "上海市", "浦东新区", "张江路 665弄", "201203"),
        ),
        (
            "香港特别行政区 香港岛 中西区 德辅道中 188号 (999077)",
            ("香港特别行政区", "香港岛", "中西区", "德辅道中 188号", "999077"),
        ),
        (
            "澳门 澳门半岛 花地玛堂区 xx街 1号",
            ("澳门特别行政区", "澳门半岛", "花地玛堂区", "xx街 1号", ""),
        ),
        ("台湾 台北市 中正区 忠孝东路 1号", ("台湾省", "台北市", "中正区", "忠孝东路 1号", "")),
        (
            "广东省 东莞市 东城街道 东纵路 1号（523000）",
            ("广东省", "东莞市", "东城街道", "东纵路 1号", "523000"),
        ),
        ("浙江省杭州市西湖区文三路478号", ("浙江省", "杭州市", "西湖区", "文三路478号", "")),
        ("河南省 郑州市 金水区", ("河南省", "郑州市", "金水区", "", "")),
        ("", ("", "", "", "", "")),
    ],
)
def test_parse_address(text, expected):
    parsed = parse_address(text)
    assert (
        parsed.province,
        parsed.city,
        parsed.district,
        parsed.address_detail,
        parsed.postcode,
    ) == expected


def test_order_state_texts_are_read_the_same_whatever_language_is_active():
    from django.utils import translation

    from orders.importing.parsing import parse_state
    from orders.states import OrderState

    with translation.override("en"):
        assert parse_state("等待买家付款") == OrderState.WAITING_PAYMENT
        assert parse_state('="交易成功"') == OrderState.FINISHED
