"""Demo reviews: a few neutral and negative reviews on finished demo orders in each shop,
one of them an extortion case with the buyer's own chat messages ready to be selected.

Chats has no demo data on this branch, so the extortion buyer's conversation is made
here with the chats models (one bridge channel per shop, created if missing)."""

from datetime import timedelta

from accounts.roles import Role
from chats.models import Channel, ChannelKind, Conversation, ConversationState, Message, Sender
from helpdesk.demo import DemoContext
from orders.states import OrderState

from .deadlines import review_due_at
from .models import Rating, Review, ReviewState

REVIEWS = [
    (Rating.NEGATIVE, "收到的裙子腰线开线了，做工太粗糙，很失望。", 2, 3, 4, ReviewState.NEW),
    (Rating.NEUTRAL, "颜色比图片暗一些，面料还可以。", 3, 4, 4, ReviewState.CONTACTED),
    (Rating.NEGATIVE, "快递五天才到，包装盒都压扁了。", 4, 4, 1, ReviewState.RESOLVED),
    (Rating.NEUTRAL, "尺码偏小一号，建议买大一码。", 3, 5, 5, ReviewState.REVISION_REQUESTED),
]

# The tea shop's buyers write about tea, the clothing shops' about clothes.
TEA_REVIEWS = [
    (Rating.NEGATIVE, "茶饼到手碎成好几块，外包装也太薄了。", 2, 3, 4, ReviewState.NEW),
    (Rating.NEUTRAL, "龙井的香气比去年那批淡一些，还能喝。", 3, 4, 4, ReviewState.CONTACTED),
    (Rating.NEGATIVE, "快递五天才到，包装盒都压扁了。", 4, 4, 1, ReviewState.RESOLVED),
    (Rating.NEUTRAL, "一盒的分量比想象中少，价格有点高。", 3, 5, 5, ReviewState.REVISION_REQUESTED),
]

EXTORTION_REVIEW = "东西一般，客服不给退款，差评！"
EXTORTION_CHAT = [
    (Sender.BUYER, "你们这个衣服我不想要了，直接退我全款，不用寄回。"),
    (Sender.AGENT, "非常抱歉给您带来不便，衣服有质量问题的话请拍照给我们看看，我们马上处理。"),
    (Sender.BUYER, "没什么问题，就是不想要。不退全款我就给差评，再去投诉你们。"),
    (Sender.AGENT, "亲，七天无理由退货需要把商品寄回，运费我们可以帮您申请补贴。"),
    (Sender.BUYER, "我说了不寄回。今天不给我退200块，差评马上就到。"),
]
TEA_EXTORTION_CHAT = [
    (Sender.BUYER, "这饼茶我喝了两泡就不想要了，直接退我全款，茶我留着。"),
    (Sender.AGENT, "非常抱歉给您带来不便，茶叶如果受潮或有异味，请拍照给我们看看，我们马上处理。"),
    (Sender.BUYER, "没什么问题，就是不想要。不退全款我就给差评，再去投诉你们。"),
    (Sender.AGENT, "亲，茶叶拆封冲泡后无法再次销售，有质量问题的话我们一定负责到底。"),
    (Sender.BUYER, "我说了不寄回。今天不给我退200块，差评马上就到。"),
]
BY_SHOP = {"shanye-tea": (TEA_REVIEWS, TEA_EXTORTION_CHAT)}


def seed(ctx: DemoContext) -> None:
    finished = [o for o in ctx.data.get("orders", []) if o.state == OrderState.FINISHED]
    for shop in ctx.shops.values():
        reviews, chat = BY_SHOP.get(shop.code, (REVIEWS, EXTORTION_CHAT))
        orders = [o for o in finished if o.shop_id == shop.pk]
        if len(orders) < len(reviews) + 1:
            continue
        for index, (rating, text, desc, service, logistics, state) in enumerate(reviews):
            _review(ctx, orders[index], rating, text, (desc, service, logistics), state, index)
        _extortion_case(ctx, shop, orders[len(reviews)], chat)


def _review(ctx, order, rating, text, dsr, state, index, *, hours_ago=None) -> Review:
    reviewed_at = ctx.now - timedelta(hours=hours_ago or 6 + 11 * index)
    specialist = _specialist(ctx)
    return Review.objects.create(
        shop_id=order.shop_id,
        order=order,
        platform_order_id=order.order_id,
        buyer=order.buyer,
        rating=rating,
        text=text,
        item_title=order.item_title,
        dsr_description=dsr[0],
        dsr_service=dsr[1],
        dsr_logistics=dsr[2],
        reviewed_at=reviewed_at,
        state=state,
        assignee=specialist if state != ReviewState.NEW else None,
        created_at=reviewed_at,
        state_changed_at=reviewed_at,
        due_at=review_due_at(order.shop, reviewed_at) if state == ReviewState.NEW else None,
    )


def _specialist(ctx):
    return (ctx.staff.get(Role.REVIEW_SPECIALIST) or [None])[0]


def _extortion_case(ctx, shop, order, chat) -> None:
    """Marked as extortion, its evidence not yet selected: the demo's next step."""
    review = _review(
        ctx,
        order,
        Rating.NEGATIVE,
        EXTORTION_REVIEW,
        (1, 1, 3),
        ReviewState.CONTACTED,
        0,
        hours_ago=2,
    )
    review.is_extortion = True
    review.extortion_note = "买家要求不退货直接退款200元，否则给差评并投诉"
    review.extortion_marked_at = review.reviewed_at + timedelta(minutes=40)
    review.extortion_marked_by = _specialist(ctx)
    review.save()
    channel = Channel.objects.filter(shop=shop).first() or Channel.objects.create(
        shop=shop, name="千牛消息", kind=ChannelKind.BRIDGE
    )
    started = review.reviewed_at - timedelta(hours=5)
    conversation = Conversation.objects.create(
        shop=shop,
        channel=channel,
        buyer=order.buyer,
        queue="after_sale",
        state=ConversationState.CLOSED,
        created_at=started,
        last_message_at=started + timedelta(minutes=len(chat) * 3),
        closed_at=started + timedelta(minutes=30),
    )
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            sender=sender,
            text=text,
            channel=channel,
            external_id=f"demo-review-{review.pk}-{n}",
            sent_at=started + timedelta(minutes=3 * n),
        )
        for n, (sender, text) in enumerate(chat)
    )
