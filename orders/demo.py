from datetime import timedelta
from decimal import Decimal

from helpdesk.demo import DemoContext

from .models import Buyer, Order, Sku
from .states import OrderState

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
    buyers, orders = [], []
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
    ctx.data["buyers"] = buyers
    ctx.data["orders"] = orders
