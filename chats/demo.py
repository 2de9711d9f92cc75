"""Demo chats: a web-chat and a bridge channel per shop, and conversations in every state
(waiting, overdue and red, being served, greeted automatically, transferred, bargained,
closed with each outcome and a rating), played through the services so every figure on
the rows is what real traffic would leave."""

from datetime import timedelta
from decimal import Decimal

from accounts.roles import Role
from helpdesk.demo import DemoContext
from orders.states import UNPAID_STATES

from .models import Channel, ChannelKind, Outcome, PresenceStatus, Queue
from .services import (
    buyer_message_receive,
    concession_offer,
    conversation_auto_greet,
    conversation_claim,
    conversation_close,
    conversation_reply,
    conversation_transfer,
    presence_set,
    survey_answer,
    survey_token,
)

# Each story: who speaks ("b" buyer, "a" agent) and what, seconds after the first message.
# The clothing shops' buyers ask about clothes, the tea shop's about tea.
APPAREL_STORIES = {
    "size": [
        (0, "b", "你好，这条碎花裙我平时穿M，165/52kg，选哪个码合适？"),
        (15, "a", "您好，按您的身高体重建议选M码，腰部有松紧，穿着不会勒。"),
        (70, "b", "面料会不会透？夏天穿热不热"),
        (95, "a", "是双层雪纺，里面有衬，不透的，透气性也不错，您放心。"),
    ],
    "stock": [
        (0, "b", "大衣驼色S码还有吗？页面上显示没货了"),
        (20, "a", "非常抱歉，驼色S码暂时售罄，预计下周三补货，到货后第一时间通知您可以吗？"),
        (60, "b", "好的，那到了告诉我一声"),
    ],
    "bargain": [
        (0, "b", "两件一起拍能便宜点吗？零头抹了吧"),
        (12, "a", "亲，两件一起拍我帮您把零头抹掉，您看可以吗？"),
        (40, "b", "行，那我现在拍"),
    ],
    "discount": [
        (0, "b", "我是老顾客了，这件能打个九折吗"),
        (18, "a", "感谢您一直支持，九折超出我的权限，我帮您向主管申请一下，请稍等。"),
    ],
    "shipping": [
        (0, "b", "今天付款今天能发吗？我在杭州"),
        (9, "a", "您好，17:00 前付款当天发出，江浙沪一般两到三天就能收到。"),
        (50, "b", "好的，已经付了"),
        (65, "a", "收到，已经帮您备注优先发货，感谢您的支持！"),
    ],
    "after_sale": [
        (0, "b", "上周买的开衫收到有个小洞，怎么处理？"),
        (25, "a", "非常抱歉给您添麻烦了，麻烦您拍一张破损处的照片，我帮您转给售后同事处理。"),
    ],
    "spam": [(0, "b", "加微信领返现红包，日赚三百")],
    "waiting": [(0, "b", "在吗？这件风衣有没有加厚的款")],
    "overdue": [
        (0, "b", "我下的单怎么还没发货？"),
        (40, "b", "有人吗？？"),
    ],
    "ignored": [(0, "b", "包邮吗？")],
}
TEA_STORIES = {
    **APPAREL_STORIES,
    "size": [
        (0, "b", "你好，这饼普洱是生茶还是熟茶？一个人喝多久能喝完"),
        (15, "a", "您好，这款是熟茶，357克一饼，每天一泡大约能喝两个月。"),
        (70, "b", "熟茶存放有什么讲究吗"),
        (95, "a", "放在通风、避光、没有异味的地方就好，别放冰箱，越放口感越醇和。"),
    ],
    "stock": [
        (0, "b", "明前龙井250克的还有吗？页面显示没货"),
        (
            20,
            "a",
            "非常抱歉，明前龙井250克暂时售罄，新一批预计下周到，到货后第一时间通知您可以吗？",
        ),
        (60, "b", "好的，到了告诉我"),
    ],
    "bargain": [
        (0, "b", "买两饼能便宜点吗？零头抹了吧"),
        (12, "a", "亲，两饼一起拍我帮您把零头抹掉，您看可以吗？"),
        (40, "b", "行，那我现在拍"),
    ],
    "discount": [
        (0, "b", "我每年都在你家买茶，这次能打个九折吗"),
        (18, "a", "感谢您一直支持，九折超出我的权限，我帮您向主管申请一下，请稍等。"),
    ],
    "after_sale": [
        (0, "b", "收到的茶饼边上碎了一块，怎么处理？"),
        (25, "a", "非常抱歉给您添麻烦了，麻烦您拍一张茶饼和外包装的照片，我帮您转给售后同事处理。"),
    ],
    "waiting": [(0, "b", "在吗？想问问这款茶叶是今年的新茶吗")],
}
STORIES_BY_SHOP = {"shanye-tea": TEA_STORIES}


def stories_for(shop) -> dict:
    return STORIES_BY_SHOP.get(shop.code, APPAREL_STORIES)


def _play(ctx, channel, nick, story, *, start, agent=None):
    conversation = None
    for offset, who, text in story:
        at = start + timedelta(seconds=offset)
        if who == "b":
            message, _ = buyer_message_receive(
                channel=channel, buyer_nick=nick, text=text, now=at, external_id=None
            )
            conversation = message.conversation
        else:
            conversation_reply(actor=agent, conversation=conversation, text=text, now=at)
    conversation.refresh_from_db()
    return conversation


def seed(ctx: DemoContext) -> None:
    agents = ctx.staff.get(Role.PRE_SALE, [])
    if not agents:
        return
    presence_set(actor=agents[0], status=PresenceStatus.ONLINE, now=ctx.now)
    orders_by_buyer = {}
    for order in ctx.data.get("orders", []):
        if order.buyer_id:
            orders_by_buyer.setdefault(order.buyer_id, []).append(order)
    for shop in ctx.shops.values():
        webchat = Channel.objects.create(shop=shop, name="网页咨询", kind=ChannelKind.WEBCHAT)
        # A bridge without a webhook URL: replies go to the console sender in the demo.
        bridge = Channel.objects.create(shop=shop, name="千牛消息桥", kind=ChannelKind.BRIDGE)
        buyers = [b for b in ctx.data.get("buyers", []) if b.shop_id == shop.pk]
        if len(buyers) < len(stories_for(shop)):
            continue
        _seed_shop(ctx, shop, webchat, bridge, buyers, orders_by_buyer, agents)


def _seed_shop(ctx, shop, webchat, bridge, buyers, orders_by_buyer, agents):
    rng = ctx.rng
    now = ctx.now
    stories = stories_for(shop)
    mei, jie = agents[0], agents[-1]
    nick = iter(buyers)

    def story(name, minutes_ago, agent=None, channel=None):
        return _play(
            ctx,
            channel or rng.choice([webchat, bridge]),
            next(nick).nick,
            stories[name],
            start=now - timedelta(minutes=minutes_ago),
            agent=agent,
        )

    def buyer_order(conversation, unpaid=None):
        orders = orders_by_buyer.get(conversation.buyer_id, [])
        if unpaid is not None:
            orders = [o for o in orders if (o.state in UNPAID_STATES) == unpaid]
        return orders[0] if orders else None

    # Waiting: one just arrived, one overdue (red), one auto-greeted because nobody answered.
    # Every waiting chat and every chat of the online agent (xiaomei) is on the web chat:
    # automatic assignment fills only half an agent's limit from the web chat
    # (webchat_share), so she already holds her share and the rest of her limit stays free
    # for 接入 by hand, however long the demo runs (demo_buyers_write writes there too).
    story("waiting", 0.2, channel=webchat)
    story("overdue", 4, channel=webchat)
    ignored = story("ignored", 12, channel=webchat)
    conversation_auto_greet(
        conversation_id=ignored.pk, now=ignored.created_at + timedelta(seconds=8)
    )

    # Being served.
    story("size", 6, agent=jie, channel=webchat)
    stock = story("stock", 9, agent=jie)
    bargain = story("bargain", 15, agent=mei, channel=webchat)
    order = buyer_order(bargain, unpaid=True) or buyer_order(bargain)
    if order is not None and order.total_amount:
        small = (order.total_amount * Decimal("0.005")).quantize(Decimal("0.01"))
        concession_offer(
            actor=mei, conversation=bargain, order=order, amount=small, reason="", now=now
        )
    discount = story("discount", 20, agent=mei, channel=webchat)
    order = buyer_order(discount)
    if order is not None and order.total_amount:
        concession_offer(
            actor=mei,
            conversation=discount,
            order=order,
            amount=(order.total_amount * Decimal("0.10")).quantize(Decimal("0.01")),
            reason="老顾客第三次购买，希望九折",
            now=now,
        )

    # Transferred to after-sale with a handover note.
    broken = story("after_sale", 30, agent=jie)
    conversation_transfer(
        actor=jie,
        conversation=broken,
        now=broken.last_message_at + timedelta(seconds=40),
        reason="收到的商品有破损",
        wants="换一件新的或者退款",
        todo="看照片确认破损，按买家意愿办换货或退款",
        to_queue=Queue.AFTER_SALE,
    )

    # Closed: paid (rated 5), no sale, spam.
    paid = story("shipping", 90, agent=mei)
    paid_order = buyer_order(paid, unpaid=False)
    conversation_close(
        actor=mei,
        conversation=paid,
        outcome=Outcome.PAID if paid_order and paid_order.paid_at else Outcome.ORDERED_UNPAID,
        order=paid_order if paid_order and paid_order.paid_at else None,
        now=paid.last_message_at + timedelta(minutes=2),
    )
    survey_answer(token=survey_token(paid), rating=5, now=now - timedelta(minutes=80))
    conversation_close(
        actor=jie, conversation=stock, outcome=Outcome.NO_SALE, now=now - timedelta(minutes=5)
    )
    spam = story("spam", 50)
    conversation_claim(actor=jie, conversation=spam, now=spam.created_at + timedelta(seconds=30))
    conversation_close(
        actor=jie,
        conversation=spam,
        outcome=Outcome.SPAM,
        now=spam.created_at + timedelta(minutes=1),
    )


# What buyers write while the demo runs: the queue never empties under a visitor's eyes.
LIVE_OPENERS = {
    "shanye-tea": ["这款白茶可以煮着喝吗？", "送长辈的话哪款茶合适？", "茶叶保质期多久？"],
    None: ["这件有没有大一码的？", "160/50kg 穿什么码？", "今天下单明天能到上海吗？"],
}


def demo_buyers_write(*, shop, now) -> dict:
    """One new buyer message on the demo shop's web chat, from a demo buyer with no open
    conversation. Acts only on the demo team's shops, so it can never reach a real shop.

    Only the web chat: automatic assignment gives an agent at most ``webchat_share`` web
    chats, so however many buyers write, an online demo agent keeps room to 接入 by hand."""
    from helpdesk.demo import DEMO_TEAM
    from orders.models import Buyer

    from .models import Conversation, ConversationState

    if shop.team.name != DEMO_TEAM:
        return {"sent": 0, "skipped": 1}
    channel = Channel.objects.filter(shop=shop, kind=ChannelKind.WEBCHAT).first()
    busy = Conversation.objects.filter(shop=shop).exclude(state=ConversationState.CLOSED)
    buyer = (
        Buyer.objects.filter(shop=shop)
        .exclude(pk__in=busy.values("buyer_id"))
        .order_by("?")
        .first()
    )
    if channel is None or buyer is None:
        return {"sent": 0, "skipped": 1}
    openers = LIVE_OPENERS.get(shop.code, LIVE_OPENERS[None])
    text = openers[int(now.timestamp()) // 60 % len(openers)]
    buyer_message_receive(
        channel=channel, buyer_nick=buyer.nick, text=text, now=now, external_id=None
    )
    return {"sent": 1, "skipped": 0}
