"""Each rule code: phrases it must catch, and the exempt phrases it must leave alone."""

import pytest

from scripts_lib.etiquette import RULES, Finding, check, check_review_reply, similarity


def rules(text, **kwargs):
    return {f.rule for f in check(text, **kwargs)}


CASES = {
    "bare_particle": (
        ["哦", "嗯嗯", "恩。", "噢～", "哦哦！"],
        ["哦，好的，亲，已经帮您记下了", "嗯嗯好的，马上为您安排"],
    ),
    "dont_know": (
        ["这个嘛我不知道呢", "尺码的事我也不太清楚", "这边没人可以问", "您看着挑吧，我也不懂", "这边不了解哦"],
        ["不知道您平时穿多大码呢？", "图片不太清楚，麻烦您重拍一张", "有不清楚的地方随时问我哦"],
    ),
    "negative_word": (
        ["不能便宜了", "这个价格不行", "偏远地区到不了", "我们不支持货到付款", "特价款不退"],
        [
            "不客气，应该的",
            "不好意思让您久等了",
            "不用谢～",
            "这款质量很不错",
            "您看能不能接受呢？",
        ],
    ),
    "refusal_without_apology": (
        ["这个价格无法再低了", "这里没办法改地址了", "这个做不到"],
        [
            "非常抱歉，这个价格无法再低了",
            "不好意思，这边没办法改地址了",
            "如果您无法收货请告诉我们",
        ],
    ),
    "absolute_promise": (
        ["我保证明天发货", "肯定不会掉色", "绝对正品", "百分百满意", "一定会准时到"],
        ["我们会尽量明天发货", "感谢您的肯定", "请一定当面验货", "保证金由平台收取，放心"],
    ),
    "cash_rebate": (
        ["好评返5元", "给个好评返您3元红包", "晒图好评送您10元现金", "五星好评有返现"],
        ["五星好评送您一张5元优惠券", "红色款很显白哦"],
    ),
    "off_platform": (
        ["加我微信聊吧", "方便加个vx吗", "我的QQ号是123456", "有事直接打我电话", "加Q详聊"],
        ["我们已经在旺旺上为您登记了", "快递员会电话联系您确认地址"],
    ),
    "data_leak": (
        ["另一位买家13912345678也买了", "订单3512345678901234567已经发货"],
        ["您的手机号尾号5678对吗", "订单已经发货，单号稍后同步给您"],
    ),
    "informal_you": (
        ["你好，在的", "你可以先拍下", "你们放心"],
        ["您好，在的", "这款迷你包很能装哦"],
    ),
    "one_word_reply": (
        ["在", "没有", "卖完了。", "不行", "亲，在的"],
        ["在的，您稍等，我马上查", "非常抱歉，这款卖完了，给您看看相近的款式？", "没有问题"],
    ),
    "transfer_address": (
        ["我们中转仓的地址是广州市白云区机场路88号", "请把退货寄到我们的转运仓"],
        ["您的包裹已到中转仓，正在分拣", "包裹在中转站停留了一天"],
    ),
    "insult": (
        ["您是不是有病", "神经病", "买不起就别买", "给我滚", "TMD"],
        ["这款滚筒收纳袋很耐用", "宝宝生病了要多休息", "您的心情我很理解"],
    ),
}


@pytest.mark.parametrize("rule", [r for r in RULES if r != "duplicate_review_reply"])
def test_rule_catches_its_phrases_and_spares_the_exempt_ones(rule):
    positives, negatives = CASES[rule]
    for text in positives:
        assert rule in rules(text), text
    for text in negatives:
        assert rule not in rules(text), text


def test_finding_has_span_message_and_suggestion():
    [finding] = check("您这单不包邮的，非常抱歉")
    assert finding == Finding(
        rule="negative_word",
        start=3,
        end=6,
        suggestion="无法包邮",
        params={"word": "不包邮", "instead": "“无法包邮”"},
    )
    assert "无法包邮" in finding.message


def test_a_stored_finding_reads_in_the_readers_language_and_old_rows_as_written():
    from django.utils import translation

    from scripts_lib.etiquette import finding_message

    [finding] = check("您这单不包邮的，非常抱歉")
    stored = finding.as_stored()
    assert "message" not in stored
    assert finding_message(stored) == "避免用带“不”的否定词“不包邮”，请改说“无法包邮”，语气更委婉。"
    with translation.override("en"):
        assert finding_message(stored).startswith("Avoid the blunt negative “不包邮”")
        old_row = {"rule": "negative_word", "message": "旧的提示"}
        assert finding_message(old_row) == "旧的提示"


def test_duplicate_review_reply_uses_recent_replies_of_the_shop():
    recent = ["感谢亲的支持，期待您下次光临小店，祝您生活愉快！", "亲，衣服洗后不变形，放心穿～"]
    draft = "感谢亲的支持！期待您下次光临小店，祝您生活愉快"
    assert [f.rule for f in check_review_reply(draft, shop=None, recent_replies=recent)] == [
        "duplicate_review_reply"
    ]
    fresh = "谢谢您细心地写下尺码建议，我们会把偏小半码的提示加到详情页里。"
    assert check_review_reply(fresh, shop=None, recent_replies=recent) == []
    assert "duplicate_review_reply" not in rules(draft, recent_replies=recent)  # chat replies
    assert similarity(draft, recent[0]) >= 0.8


@pytest.mark.django_db
def test_data_leak_knows_the_buyers_other_orders_with_one_query(shop, django_assert_num_queries):
    from tests.factories import make_buyer, make_order

    buyer = make_buyer(shop)
    current = make_order(shop, buyer, order_id="3500000000000000001", mobile="13900000001")
    make_order(shop, buyer, order_id="3500000000000000002", mobile="13900000002")
    make_order(shop, make_buyer(shop), order_id="3500000000000000003", receiver_name="王建国")
    text = "您另一单3500000000000000002和手机13900000002都没问题；3500000000000000003是别人的"
    with django_assert_num_queries(1):
        findings = check(text, buyer=buyer, order=current)
    assert [(f.rule, text[f.start : f.end]) for f in findings] == [
        ("data_leak", "3500000000000000003")
    ]
    with django_assert_num_queries(0):
        assert check("您的订单3500000000000000001已发出", buyer=buyer, order=current) == []
    assert rules("收货人是王建国吗", buyer=buyer, order=current) == {"data_leak"}
    assert rules("收货人是王建国吗") == set()  # no conversation: names are not judged
