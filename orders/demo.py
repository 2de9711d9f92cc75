from datetime import timedelta
from decimal import Decimal

from helpdesk.demo import DemoContext

from .models import Buyer, MemoFlag, Order, OrderItem, ProblemCategory, ProblemState, Sku, StockWish
from .services import memo_write, problem_digest_build, problem_open
from .states import AWAITING_SHIPMENT_STATES, SHIPPED_STATES, OrderState

NICKS = [
    "小鹿乱撞的猫",
    "tb_晴天娃娃88",
    "阳光下的向日葵",
    "爱吃草莓的兔子",
    "jiang_lili2019",
    "北方的狼1987",
    "糖糖不吃糖",
    "一只安静的美少女",
    "z王大锤z",
    "木子李ly",
    "快乐小厨娘",
    "walking_in_rain",
    "夏天的风_",
    "陈小二的店",
    "柠檬不萌",
    "吃货一枚啊",
    "静待花开0521",
    "蓝色多瑙河hz",
    "tb8837261_11",
    "星星点灯2020",
]

ADDRESSES = [
    "浙江省 杭州市 西湖区 文三路 478号 华星时代广场 A座 1203 (310012)",
    "上海 上海市 浦东新区 张江路 665弄 12号 301室 (201203)",
    "江苏省 南京市 鼓楼区 中山北路 30号 (210008)",
    "广东省 深圳市 南山区 科技园 深南大道 9988号 (518057)",
    "北京 北京市 朝阳区 建国路 88号 SOHO现代城 2号楼 (100022)",
    "四川省 成都市 武侯区 人民南路四段 11号 (610041)",
    "湖北省 武汉市 洪山区 珞喻路 1037号 (430074)",
    "新疆维吾尔自治区 乌鲁木齐市 天山区 解放南路 128号 (830002)",
    "山东省 青岛市 市南区 香港中路 76号 (266071)",
    "香港特别行政区 香港岛 中西区 德辅道中 188号 (999077)",
    "河南省 郑州市 金水区",
]

PRODUCTS = {
    "yunshang-tmall": [
        ("YS-DRS-001-M", "法式碎花连衣裙 春夏新款", "颜色:米白;尺码:M", "269.00", 40),
        ("YS-DRS-001-L", "法式碎花连衣裙 春夏新款", "颜色:米白;尺码:L", "269.00", 0),
        ("YS-CT-014-S", "双面羊绒大衣 中长款", "颜色:驼色;尺码:S", "1299.00", 8),
        ("YS-KN-203-F", "宽松圆领针织开衫", "颜色:燕麦;尺码:均码", "199.00", 120),
    ],
    "yunshang-taobao": [
        ("XP-TS-01", "纯棉短袖T恤 基础款", "颜色:白;尺码:L", "49.00", 300),
        ("XP-JN-07", "高腰直筒牛仔裤", "颜色:浅蓝;尺码:27", "139.00", 2),
    ],
    "shanye-tea": [
        ("SY-LJ-250", "明前西湖龙井 250g 礼盒", "规格:250g", "368.00", 25),
        ("SY-PE-357", "云南普洱熟茶饼 357g", "规格:357g", "158.00", 60),
    ],
}

STATE_MIX = [
    (OrderState.WAITING_PAYMENT, 6),
    (OrderState.PAID, 8),
    (OrderState.SHIPPED, 8),
    (OrderState.FINISHED, 10),
    (OrderState.CLOSED, 2),
    (OrderState.COD_WAITING_CONFIRM, 1),
]


def _split(address: str) -> dict:
    parts = address.split(" ")
    postcode = address[address.rfind("(") + 1 : -1] if address.endswith(")") else ""
    detail = " ".join(parts[3:]).rsplit(" (", 1)[0] if len(parts) > 3 else ""
    return {
        "province": parts[0] if parts else "",
        "city": parts[1] if len(parts) > 1 else "",
        "district": parts[2] if len(parts) > 2 else "",
        "address_detail": detail,
        "postcode": postcode,
    }


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    buyers, orders, order_skus = [], [], []
    serial = 3_900_000_000_000_000_000 // 1000
    for code, shop in ctx.shops.items():
        skus = [
            Sku.objects.create(
                shop=shop, code=c, title=t, properties=p, price=Decimal(price), stock=stock
            )
            for c, t, p, price, stock in PRODUCTS[code]
        ]
        shop_buyers = [Buyer.objects.create(shop=shop, nick=nick) for nick in NICKS]
        shop_buyers[0].is_vip = True
        shop_buyers[0].size = "M"
        shop_buyers[0].notes = "身高165，体重52kg，偏爱简约通勤风"
        shop_buyers[0].save()
        shop_buyers[-1].is_malicious = True
        shop_buyers[-1].notes = "曾以差评要挟退款"
        shop_buyers[-1].save()
        buyers += shop_buyers
        for state, count in STATE_MIX:
            for _ in range(count):
                serial += rng.randint(1, 9999)
                buyer = rng.choice(shop_buyers)
                sku = rng.choice(skus)
                quantity = rng.choice([1, 1, 1, 2])
                goods = sku.price * quantity
                postage = (
                    Decimal("0.00")
                    if goods >= (shop.free_shipping_threshold or 0)
                    else Decimal("10.00")
                )
                ordered_at = ctx.now - timedelta(hours=rng.randint(1, 24 * 12))
                address = rng.choice(ADDRESSES)
                paid = state not in (OrderState.WAITING_PAYMENT, OrderState.COD_WAITING_CONFIRM)
                shipped = state in (OrderState.SHIPPED, OrderState.FINISHED)
                order_skus.append((sku, quantity))
                orders.append(
                    Order(
                        shop=shop,
                        order_id=str(serial),
                        buyer=buyer,
                        buyer_nick=buyer.nick,
                        state=state,
                        goods_amount=goods,
                        postage=postage,
                        total_amount=goods + postage,
                        paid_amount=goods + postage if paid else Decimal("0.00"),
                        receiver_name=rng.choice(["张伟", "王秀英", "李娜", "刘洋", "陈静"]),
                        address=address,
                        **_split(address),
                        shipping_method="货到付款"
                        if state == OrderState.COD_WAITING_CONFIRM
                        else "快递",
                        is_cod=state == OrderState.COD_WAITING_CONFIRM,
                        mobile=f"13{rng.randint(100000000, 999999999)}",
                        ordered_at=ordered_at,
                        paid_at=ordered_at + timedelta(minutes=rng.randint(1, 90))
                        if paid
                        else None,
                        shipped_at=ordered_at + timedelta(days=1) if shipped else None,
                        item_title=f"{sku.title} {sku.properties}",
                        item_count=quantity,
                        tracking_number=f"YT{rng.randint(10**11, 10**12 - 1)}" if shipped else "",
                        courier="圆通速递" if shipped else "",
                        buyer_message=rng.choice(
                            ["", "", "", "请发顺丰，谢谢", "周末不在家，工作日送"]
                        ),
                    )
                )
    Order.objects.bulk_create(orders)
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            line_key="1",
            title=sku.title,
            price=sku.price,
            quantity=quantity,
            properties=sku.properties,
            sku_code=sku.code,
        )
        for order, (sku, quantity) in zip(orders, order_skus, strict=True)
    )
    ctx.data["buyers"] = buyers
    ctx.data["orders"] = orders
    _seed_problems(ctx, orders)


WORKED = [
    # (category, state, memo written while working it)
    (ProblemCategory.ADDRESS_CHANGE, ProblemState.OPEN, None),
    (ProblemCategory.ADDRESS_UNCLEAR, ProblemState.CONTACTING, "地址缺门牌号，已旺旺留言询问"),
    (
        ProblemCategory.OUT_OF_STOCK,
        ProblemState.WAITING_BUYER,
        "缺货：已给出换款/退款/等待三个方案",
    ),
    (ProblemCategory.MESSAGE_UNMET, ProblemState.OPEN, None),
    (ProblemCategory.SHIPPING_CONDITION, ProblemState.CONTACTING, "未满包邮，已请买家补运费差价"),
    (ProblemCategory.OUT_OF_AREA, ProblemState.OPEN, None),
    (ProblemCategory.DUPLICATE_ORDERS, ProblemState.OPEN, None),
]
SHIPPED_WORK = [
    (ProblemCategory.LOGISTICS_DELAY, ProblemState.OPEN, None),
    (ProblemCategory.LOGISTICS_STUCK, ProblemState.CONTACTING, "已联系圆通网点催派"),
    (ProblemCategory.ADDRESS_CHANGE, ProblemState.OPEN, None),
]


def _seed_problems(ctx: DemoContext, orders: list[Order]) -> None:
    """A queue that looks like a working day: open problems in most categories, some
    claimed and in progress, memos on them, stock wishes waiting for restock."""
    from accounts.roles import Role

    agent = (ctx.staff.get(Role.IN_SALE) or [None])[0]
    for shop in ctx.shops.values():
        shop_orders = [o for o in orders if o.shop_id == shop.pk]
        waiting = [o for o in shop_orders if o.state in AWAITING_SHIPMENT_STATES]
        shipped = [o for o in shop_orders if o.state in SHIPPED_STATES]
        plan = list(zip(waiting, WORKED, strict=False)) + list(
            zip(shipped, SHIPPED_WORK, strict=False)
        )
        # Cash on delivery is confirmed on the orders that are COD, never on paid ones.
        plan += [
            (order, (ProblemCategory.COD_CONFIRM, ProblemState.OPEN, None))
            for order in shop_orders
            if order.is_cod
        ]
        for n, (order, (category, state, memo)) in enumerate(plan):
            opened = ctx.now - timedelta(minutes=20 + 25 * n)
            problem, _ = problem_open(actor=None, order=order, category=category, now=opened)
            if state != ProblemState.OPEN and agent is not None:
                problem.state, problem.assignee, problem.claimed_at = state, agent, opened
                problem.save(update_fields=["state", "assignee", "claimed_at"])
            if memo and agent is not None:
                memo_write(
                    actor=agent,
                    order=order,
                    reason=memo,
                    flag=MemoFlag.YELLOW,
                    now=opened + timedelta(minutes=5),
                )
        for order in shop_orders[:3]:
            if order.buyer_message:
                memo_write(
                    actor=None, order=order, reason=f"买家留言：{order.buyer_message}", now=ctx.now
                )
        out = Sku.objects.filter(shop=shop, stock__lte=0).first()
        if out is not None:
            for buyer in Buyer.objects.filter(shop=shop).order_by("pk")[1:4]:
                StockWish.objects.create(
                    buyer=buyer, sku=out, created_by=agent, created_at=ctx.now - timedelta(days=1)
                )
        problem_digest_build(shop=shop, now=ctx.now)
