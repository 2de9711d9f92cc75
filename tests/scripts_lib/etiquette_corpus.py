"""A labelled corpus of agent replies (written for these tests) for the etiquette checker.

Each entry: (text, the rule codes it should raise separated by spaces, and optionally
the keyword arguments of ``check``: the conversation's order, or a review reply's context). Clean sentences are as important as faulty ones: they are
what keeps the checker from crying wolf. ``report()`` gives precision and recall per rule.
"""

from types import SimpleNamespace

from scripts_lib.etiquette import RULES, check

OWN_ORDER = {
    "order": SimpleNamespace(
        order_id="3588120045671234567",
        mobile="13905711234",
        phone="",
        tracking_number="75312345678901",
        receiver_name="陈晓雯",
    )
}
RECENT_REVIEW_REPLIES = [
    "感谢亲的支持，期待您下次光临小店，祝您生活愉快！",
    "谢谢您的好评，衣服洗后如有变形请随时联系我们。",
    "您喜欢就好，我们会继续把好茶带给大家。",
]
REVIEW = {"review_reply": True, "recent_replies": RECENT_REVIEW_REPLIES}

CORPUS: list[tuple] = [
    # bare_particle
    ("哦", "bare_particle"),
    ("嗯", "bare_particle"),
    ("嗯嗯", "bare_particle"),
    ("恩。", "bare_particle"),
    ("哦哦哦～", "bare_particle"),
    ("噢！", "bare_particle"),
    ("喔...", "bare_particle"),
    ("嗯嗯，好的，马上给您安排发货", ""),
    ("哦，明白了，我帮您备注一下颜色", ""),
    ("恩恩，收到您的地址了", ""),
    ("好的呢，亲", ""),
    # dont_know
    ("我不知道", "dont_know"),
    ("这个我也不知道呢", "dont_know"),
    ("我不太清楚这款什么时候补货", "dont_know"),
    ("这边也不清楚哦", "dont_know"),
    ("不清楚呢，亲", "dont_know"),
    ("我找不到人问，您等等吧", "dont_know"),
    ("您自己选吧，我也不懂", "dont_know"),
    ("我们也不了解这个功能", "dont_know"),
    ("这个不归我管", "dont_know"),
    ("客服不太懂技术参数", "dont_know"),
    ("不知道您平时穿多大码呢？", ""),
    ("不知道亲是送人还是自己用呢？", ""),
    ("您发的照片有点模糊，看不清楚，麻烦重新拍一张", ""),
    ("图片不太清楚，能再拍近一点吗？", ""),
    ("有不清楚的地方随时问我哦", ""),
    ("如果还有不明白的地方，随时找我", ""),
    ("您稍等，我帮您确认一下", ""),
    ("我去仓库问清楚再回复您", ""),
    ("您可以自己选择喜欢的颜色，每种都有现货", ""),
    # negative_word (often with refusal_without_apology: both are right)
    ("不能便宜了", "negative_word refusal_without_apology"),
    ("这个价格不行的", "negative_word refusal_without_apology"),
    ("新疆那边到不了", "negative_word"),
    ("我们不支持货到付款", "negative_word refusal_without_apology"),
    ("特价商品不退不换", "negative_word refusal_without_apology"),
    ("这单不包邮哦", "negative_word refusal_without_apology"),
    ("非常抱歉，这个价格不能再少了", "negative_word"),
    ("抱歉，我们不接受议价", "negative_word"),
    ("不好意思，这款不可以改颜色了", "negative_word"),
    ("抱歉亲，定制款不退", "negative_word"),
    ("对不起，这个我们做不到", "negative_word"),
    ("非常抱歉，店里不议价的", "negative_word"),
    ("抱歉，赠品不能单独拍", "negative_word"),
    ("不客气，这是我们应该做的", ""),
    ("不好意思让您久等了", ""),
    ("不用谢，祝您生活愉快", ""),
    ("这款的做工很不错", ""),
    ("不用担心，坏了我们包售后", ""),
    ("您看能不能接受这个价格呢？", ""),
    ("这样可不可以呢？", ""),
    ("您觉得行不行？", ""),
    ("亲，这款面料不起球，也不掉色", ""),
    ("收到后如有不满意，可以先联系我们", ""),
    ("尺码不合适可以换，运费我们承担一半", ""),
    ("不着急，您慢慢挑", ""),
    ("限时优惠不容错过哦", ""),
    # refusal_without_apology (without a 不 word)
    ("这个价格无法再低了", "refusal_without_apology"),
    ("已经发货了，没办法改地址", "refusal_without_apology"),
    ("赠品没有办法再加了", "refusal_without_apology"),
    ("这款无法开发票", "refusal_without_apology"),
    ("您这个要求我们恕难从命", "refusal_without_apology"),
    ("非常抱歉，这个价格无法再低了", ""),
    ("实在抱歉，已经发货了，没办法改地址，我帮您联系快递改派", ""),
    ("对不起亲，赠品已经送完了，无法再加", ""),
    ("很抱歉，这款无法开发票，我给您申请一张优惠券作为补偿", ""),
    ("如果您无法签收，请告诉我们改个时间送", ""),
    ("是无法登录吗？您把截图发我看看", ""),
    ("要是快递无法送达，快递员会先给您打电话", ""),
    ("担心您无法按时收到，我们帮您换成顺丰", ""),
    # absolute_promise
    ("我保证明天一早发货", "absolute_promise"),
    ("肯定不会掉色的", "absolute_promise"),
    ("绝对是正品，放心", "absolute_promise"),
    ("百分百纯棉，百分百满意", "absolute_promise absolute_promise"),
    ("快递一定会准时送到的", "absolute_promise"),
    ("这个尺码您穿肯定合适", "absolute_promise"),
    ("包您满意", "absolute_promise"),
    ("质量保证，请放心", "absolute_promise"),
    ("我们会尽量今天发出", ""),
    ("我们会努力在周五前送到", ""),
    ("争取明天上午发出", ""),
    ("感谢您的肯定，我们会继续努力", ""),
    ("谢谢亲的肯定和支持", ""),
    ("收货时请一定当面验货", ""),
    ("请一定要保留好吊牌", ""),
    ("参加活动需要交保证金的是商家，不影响您", ""),
    ("得到您的肯定我们很开心", ""),
    # cash_rebate
    ("好评返5元", "cash_rebate"),
    ("给个五星好评返您3元红包", "cash_rebate"),
    ("晒图好评送您10元现金", "cash_rebate"),
    ("五星好评有返现哦", "cash_rebate"),
    ("确认收货后好评，返您两块钱", "cash_rebate"),
    ("追评发红包给您", "cash_rebate"),
    ("给您发个红包，麻烦给个好评", "cash_rebate"),
    ("收货后联系我领返利", "cash_rebate"),
    ("五星好评送您一张5元优惠券", ""),
    ("这款红色很显白", ""),
    ("店铺首页可以领取满199减20的优惠券", ""),
    ("期待您的好评，您的支持对我们很重要", ""),
    ("退款的5元已经原路返回", ""),
    # off_platform
    ("加我微信聊吧", "off_platform"),
    ("方便加个vx吗，发您实拍图", "off_platform"),
    ("我的QQ号是12345678", "off_platform"),
    ("有问题直接打我电话", "off_platform"),
    ("加Q详聊", "off_platform"),
    ("我们私聊吧", "off_platform"),
    ("您可以电话联系我们，号码在店铺首页", "off_platform"),
    ("添加客服微信可以领取小礼物", "off_platform"),
    ("V信上发您视频", "off_platform"),
    ("我们已经在旺旺上为您登记了", ""),
    ("快递员会电话联系您确认地址", ""),
    ("请保持手机畅通，方便快递员联系", ""),
    ("电话里跟您说好的补偿，这里再确认一下：补发一双袜子", ""),
    ("您可以在订单页点击联系客服找我们", ""),
    ("这款Q弹的面料很舒服", ""),
    # data_leak (no conversation given: any mobile or order id)
    ("另一位买家13912345678也买了同款", "data_leak"),
    ("订单3512345678901234567已经发货了", "data_leak"),
    ("您是138-1234-5678这个号码吗", "data_leak"),
    ("您的手机号尾号5678对吗", ""),
    ("您的订单已经发货，单号稍后同步给您", ""),
    ("订单号是不是138****5678开头的那个", ""),
    ("快递单号75312345678901，您可以查一下", ""),
    ("满199减20，299减40", ""),
    # data_leak with the conversation's own order
    ("您的订单3588120045671234567已经发货了", "", OWN_ORDER),
    ("收货人陈晓雯，电话13905711234，对吗？", "", OWN_ORDER),
    ("订单3588120045679999999也是您的吗？", "data_leak", OWN_ORDER),
    ("收货人是王建国吗？", "data_leak", OWN_ORDER),
    ("刚才13800001111那位顾客也问了", "data_leak", OWN_ORDER),
    ("收货人是陈晓雯吗？", "", OWN_ORDER),
    ("收货人姓名需要和身份证一致吗？", "", OWN_ORDER),
    # informal_you
    ("你好，在的", "informal_you"),
    ("你可以先拍下", "informal_you"),
    ("你们放心，我们都是正品", "informal_you"),
    ("谢谢你的耐心", "informal_you"),
    ("你是要黑色还是白色？", "informal_you"),
    ("您好，在的", ""),
    ("这款迷你包很能装", ""),
    ("您可以先拍下，我帮您改价", ""),
    # combinations and everyday clean replies
    (
        "你好，这个不能便宜，加我微信吧",
        "informal_you negative_word refusal_without_apology off_platform",
    ),
    ("我不知道，你自己选吧", "dont_know informal_you dont_know"),
    ("亲，您好！请问有什么可以帮您？", ""),
    ("这款今天下单，明天就能发出", ""),
    ("您的包裹已经到上海转运中心了", ""),
    ("收到商品7天内都可以申请退换", ""),
    ("麻烦您拍一下破损的地方，我马上为您处理", ""),
    ("您的退款已经同意，1到3个工作日到账", ""),
    ("这款有S、M、L三个码，您平时穿什么码？", ""),
    ("感谢您的耐心等待，换货已经寄出了", ""),
    ("亲，这件是纯棉的，夏天穿很透气", ""),
    ("店里满99包邮，您再凑一件就够了", ""),
    ("赠品会和商品一起发出", ""),
    ("您的地址已经改好了，请核对一下", ""),
    ("现在付款，今天17:00前就能发出", ""),
    ("我们会在48小时内给您答复", ""),
    ("请问您收到的是哪个颜色？", ""),
    ("这边帮您申请了一张10元优惠券", ""),
    ("为了不让您久等，我们先给您补发", ""),
    ("如果尺码不对可以换", ""),
    ("这款不是纯棉的，是棉麻混纺", ""),
    ("请问还有其他需要帮忙的吗？", ""),
    ("好的，已经帮您备注：周末送货", ""),
    ("谢谢亲的支持，欢迎下次光临", ""),
    ("您好，工号1001为您服务", ""),
    ("实在抱歉，这个颜色卖完了，给您推荐一款相近的", ""),
    ("快递已经在派送了，预计下午到", ""),
    ("您的宝贝已打包完毕，等待快递揽收", ""),
    ("麻烦您确认一下收货地址：浙江省杭州市西湖区", ""),
    ("我帮您查一下物流，稍等", ""),
    # a second batch, labelled before the checker ran on it (2 of 40 were missed then fixed)
    ("亲，这个真的不能再便宜了，已经是成本价", "negative_word refusal_without_apology"),
    ("我也搞不清楚物流为什么不动", "dont_know"),
    ("这个问题我不太了解，要问一下仓库", "dont_know"),
    ("你要的那款没货了", "informal_you"),
    ("我们家的东西肯定是最好的", "absolute_promise"),
    ("保证正品，假一赔十", "absolute_promise"),
    ("五星好评截图发我，返您5元", "cash_rebate"),
    ("好评后联系客服领取2元红包", "cash_rebate"),
    ("扫码加好友，微信下单更便宜", "off_platform"),
    ("有事加我QQ", "off_platform"),
    ("这个地址我们发不到", "negative_word"),
    ("亲，活动商品不支持退换哦", "negative_word refusal_without_apology"),
    ("这款没办法再送赠品了", "refusal_without_apology"),
    ("嗯嗯嗯", "bare_particle"),
    ("哦。", "bare_particle"),
    ("我们这边查不到您的订单", "negative_word"),
    ("收件人是李明，电话13612345678", "data_leak data_leak", OWN_ORDER),
    ("您好，您的订单号3588120045671234567，收货人陈晓雯", "", OWN_ORDER),
    ("非常抱歉，这款暂时无法发顺丰，可以给您发EMS", ""),
    ("不好意思，您拍的这款要明天才能发货", ""),
    ("请问您方便什么时候收货呢？", ""),
    ("这款裤子不会起球的，您放心", ""),
    ("您收到后有任何不满意的地方，都可以随时联系我", ""),
    ("亲，我们会尽力帮您争取今天发出", ""),
    ("感谢您一直以来的支持和肯定", ""),
    ("满两件可以打九折，您可以再挑一件", ""),
    ("您的补发订单已经安排好了，单号出来第一时间告诉您", ""),
    ("这件的版型偏大，建议拍小一码", ""),
    ("好的，已经帮您改成白色了", ""),
    ("如果收到有破损，请拍照联系我们", ""),
    ("您是需要开发票吗？可以在订单里申请", ""),
    ("这个颜色很百搭，配牛仔裤很好看", ""),
    ("您放心，售后我们全程跟进", ""),
    ("店铺会员可以享受积分抵扣", ""),
    ("您好，工号2001为您服务，请问有什么可以帮您？", ""),
    ("晒图好评的买家可以参加月底抽奖，奖品是店铺优惠券", ""),
    ("宝贝已经在路上了，请耐心等待", ""),
    ("这款是不是您要的那个尺码？", ""),
    ("谢谢您的理解与支持", ""),
    ("亲，可以先收藏加购，降价会提醒您", ""),
    # a third batch, labelled before the checker ran on it (7 of 30 were missed then fixed)
    ("亲，不是我们不想发，是快递停运了", "negative_word"),
    ("这个我真不知道怎么弄", "dont_know"),
    ("您不知道怎么退货的话，我一步步教您", ""),
    ("我们这里不能开专票，只能开普票", "negative_word refusal_without_apology"),
    ("这个没法便宜", "refusal_without_apology"),
    ("绝对不会让您失望", "absolute_promise"),
    ("您穿上一定很好看", ""),
    ("我们一定会给您一个满意的答复", "absolute_promise"),
    ("放心，这款百分之百羊毛", "absolute_promise"),
    ("确认收货给五星，我私下转您10块", "cash_rebate off_platform"),
    ("评价满15字带图返2元", "cash_rebate"),
    ("加个微信好友，以后有新款第一时间通知您", "off_platform"),
    ("您直接拨打我们客服热线吧", "off_platform"),
    ("我手机号发您，有事直接打", "off_platform"),
    ("您的订单和另一位顾客（13588886666）的搞混了", "data_leak"),
    ("你稍等", "informal_you"),
    ("妳好呀", "informal_you"),
    ("这款迷你风扇很静音", ""),
    ("呃", ""),
    ("嗯？", "bare_particle"),
    ("哦好的", ""),
    ("对不起，这个颜色不能单独购买", "negative_word"),
    ("抱歉让您久等了，刚才系统有点卡", ""),
    ("这件衣服不退色，不起球，放心穿", ""),
    ("今天下单，明天发货，后天就能到江浙沪", ""),
    ("您说的问题我记下了，会反馈给仓库", ""),
    ("运费险会自动理赔，退货运费不用您承担", ""),
    ("新品上市，不定期有优惠活动", ""),
    ("我们的客服时间是早上9点到晚上11点", ""),
    ("需要帮您备注送货前电话联系吗？", ""),
    # one_word_reply (a curt word alone; the full sentence is fine)
    ("在", "one_word_reply"),
    ("在的", "one_word_reply"),
    ("在。", "one_word_reply"),
    ("没有", "one_word_reply"),
    ("没有了", "one_word_reply"),
    ("卖完了", "one_word_reply"),
    ("卖完了！", "one_word_reply"),
    ("没货了哦", "one_word_reply"),
    ("不行", "one_word_reply negative_word refusal_without_apology"),
    ("亲，在的，请问有什么可以帮您？", ""),
    ("在的呢，您想看哪一款？我帮您介绍", ""),
    ("非常抱歉，这款卖完了，给您看看刚到的相近款式吧", ""),
    ("没有问题，我这就帮您备注", ""),
    ("仓库里还在打包，今天会发出", ""),
    # transfer_address (a transfer warehouse's address never goes to a buyer)
    ("我们中转仓的地址是广州市白云区机场路88号", "transfer_address"),
    ("退货直接寄到我们的转运仓就行", "transfer_address"),
    ("转运仓：东莞市长安镇振安路12号，收件人写客服部", "transfer_address"),
    ("集运仓地址我发您，您记一下", "transfer_address"),
    ("您的包裹已经到了中转仓，正在分拣", ""),
    ("包裹在中转站停留了一天，我们已经在催了", ""),
    ("退货地址以退货申请页面上显示的为准", ""),
    ("中转仓发货会比平时慢一天，请您谅解", ""),
    # insult (insults, sarcasm or swearing at the buyer)
    ("您是不是有病啊", "insult"),
    ("神经病，说了没货还问", "insult"),
    ("买不起就别问了", "insult"),
    ("爱买不买", "insult"),
    ("妈的，又是这单", "insult"),
    ("滚远点", "insult"),
    ("这款滚筒收纳袋很耐用", ""),
    ("宝宝生病了要多休息，祝早日康复", ""),
    ("这支笔写字很顺滑，不会断墨", ""),
    ("您的心情我非常理解，我来帮您处理", ""),
    # duplicate_review_reply (replies to reviews, against the shop's recent replies)
    ("感谢亲的支持，期待您下次光临小店，祝您生活愉快！", "duplicate_review_reply", REVIEW),
    ("感谢亲的支持！期待您下次光临小店，祝您生活愉快", "duplicate_review_reply", REVIEW),
    ("感谢亲的支持，期待您下次光临本店，祝您生活愉快！", "duplicate_review_reply", REVIEW),
    ("谢谢您的好评，衣服洗后如有变形请随时联系我们", "duplicate_review_reply", REVIEW),
    ("谢谢您细心写下尺码建议，偏小半码的提示我们已经加到详情页。", "", REVIEW),
    ("看到您说茶汤清亮回甘，我们也很高兴，新茶到了第一时间告诉您。", "", REVIEW),
    ("感谢您的支持，包装压坏的问题我们已经和快递沟通，下次会加厚纸箱。", "", REVIEW),
    ("感谢亲的支持，期待您下次光临小店，祝您生活愉快！", ""),
]


def _findings(entry) -> set[str]:
    kwargs = entry[2] if len(entry) > 2 else {}
    return {f.rule for f in check(entry[0], **kwargs)}


def report() -> dict[str, dict[str, float]]:
    """Per rule: true/false positives, false negatives, precision and recall over the corpus
    (a finding counts once per rule and sentence; the labels say which rules a sentence
    should raise)."""
    counts = {rule: {"tp": 0, "fp": 0, "fn": 0} for rule in RULES}
    for entry in CORPUS:
        labels, found = set(entry[1].split()), _findings(entry)
        for rule in RULES:
            if rule in found and rule in labels:
                counts[rule]["tp"] += 1
            elif rule in found:
                counts[rule]["fp"] += 1
            elif rule in labels:
                counts[rule]["fn"] += 1
    for c in counts.values():
        c["precision"] = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        c["recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return counts


def mistakes() -> list[tuple[str, set[str], set[str]]]:
    """(text, expected, found) for every sentence the checker gets wrong."""
    wrong = []
    for entry in CORPUS:
        labels, found = set(entry[1].split()), _findings(entry)
        if found != labels:
            wrong.append((entry[0], labels, found))
    return wrong


def format_report(counts) -> str:
    lines = [f"{'rule':26} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for rule, c in counts.items():
        lines.append(
            f"{rule:26} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4}"
            f" {c['precision']:>10.1%} {c['recall']:>8.1%}"
        )
    return "\n".join(lines)
