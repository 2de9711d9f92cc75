"""Fill a benchmark database with a large shop team's year, reproducibly, with COPY.

    DATABASE_URL=postgres://…/helpdesk_bench python bench/generate.py            # full size
    DATABASE_URL=postgres://…/helpdesk_bench python bench/generate.py --small    # ~1 %
    python bench/generate.py --scale 0.25 --seed 7 --now 2026-11-23T10:30+08:00

Full size (scale 1): one team serving 10 shops (Taobao and Tmall, of uneven size), 50 agents
with the role mix of a real team (front-line pre-sale, in-sale and after-sale agents, review
specialists, supervisors, managers; each works in two or more shops), 100,000 orders over a
year in the state mix of a real shop (mostly finished or shipped; some awaiting shipment,
unpaid or closed; a few cash on delivery) with their buyers (repeat buyers, VIP, malicious
and opted-out flags), order items and SKUs, ~4 % problem orders (nearly all closed),
1,000,000 chat messages in ~100,000 conversations (response figures on each conversation
agree with its messages; a few conversations open now), 20,000 after-sale tickets across
every type and the states each type's machine reaches (open refunds on recent orders, a
year of closed history), neutral and negative reviews, payment reminders and delivery
follow-ups with their outbox messages, the default reply scripts, and a year of daily KPI
rollups per shop and per agent.

``--scale F`` multiplies the counts of orders, messages, tickets (and so everything hung on
them) and the days of rollups; shops and agents stay 10 and 50. ``--small`` is ``--scale
0.01``. The same ``--seed`` and ``--now`` give the same rows; ``--now`` defaults to the
current hour, so the open queues and deadlines are live when the benches read them.

It empties the project's tables first (TRUNCATE), so it refuses a database whose name does
not contain "bench" unless ``--force``. Every agent's password is ``bench`` (usernames
``agent01`` … ``agent50``), for load tests. Prints one JSON object: the rows written per
table and the seconds taken.
"""

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

SHANGHAI = ZoneInfo("Asia/Shanghai")
FULL = {"orders": 100_000, "messages": 1_000_000, "tickets": 20_000, "days": 365}
SHOPS = 10
CHUNK = 50_000
ORDER_ID_BASE = 3_100_000_000 * 10**9  # 19 digits, like the platform's order ids
PASSWORD = "bench"
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

# (role, how many of the 50, how many shops each works in)
ROLE_MIX = [
    ("pre_sale", 18, 2),
    ("in_sale", 8, 2),
    ("after_sale", 12, 2),
    ("review_specialist", 4, 3),
    ("supervisor", 5, 4),
    ("manager", 3, SHOPS),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "小美",
    "晓婷",
    "佳怡",
    "雨欣",
    "子涵",
    "浩然",
    "欣怡",
    "思琪",
    "俊杰",
    "梓萱",
    "诗雨",
    "一诺",
]
SHOP_NAMES = [
    ("taobao", "山野茶舍"),
    ("tmall", "轻衣女装旗舰店"),
    ("taobao", "小鹿童装"),
    ("tmall", "木语家居旗舰店"),
    ("taobao", "极客数码配件"),
    ("taobao", "花间美妆"),
    ("tmall", "跑者运动专营店"),
    ("taobao", "喵星人宠物用品"),
    ("tmall", "厨房好物旗舰店"),
    ("taobao", "南山户外"),
]
# Order state weights of a shop's year of orders (most done, a live tail of open ones).
ORDER_STATES = [
    ("finished", 62),
    ("shipped", 13),
    ("paid", 6),
    ("waiting_payment", 4),
    ("closed", 10),
    ("closed_by_platform", 1),
    ("cod_shipped", 1),
    ("cod_signed", 1),
    ("cod_settled", 2),
]
ADDRESSES = [
    ("浙江省", "杭州市", "西湖区", "文三路{n}号", "310012"),
    ("江苏省", "南京市", "鼓楼区", "中山北路{n}号", "210008"),
    ("上海市", "上海市", "浦东新区", "张江路{n}弄12号", "201203"),
    ("广东省", "深圳市", "南山区", "深南大道{n}号", "518057"),
    ("北京市", "北京市", "朝阳区", "建国路{n}号", "100022"),
    ("四川省", "成都市", "武侯区", "人民南路四段{n}号", "610041"),
    ("湖北省", "武汉市", "洪山区", "珞喻路{n}号", "430074"),
    ("山东省", "青岛市", "市南区", "香港中路{n}号", "266071"),
    ("河南省", "郑州市", "金水区", "花园路{n}号", "450003"),
    ("陕西省", "西安市", "雁塔区", "小寨东路{n}号", "710061"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放南路{n}号", "830002"),
    ("辽宁省", "大连市", "中山区", "人民路{n}号", "116001"),
]
PRODUCTS = [
    ("法式碎花连衣裙 春夏新款", 199),
    ("纯棉短袖T恤 基础款", 59),
    ("高腰直筒牛仔裤", 139),
    ("宽松圆领针织开衫", 169),
    ("明前龙井 250g 罐装", 268),
    ("儿童防晒外套", 89),
    ("实木床头柜", 459),
    ("快充数据线 两条装", 29),
    ("保湿面霜 50ml", 129),
    ("缓震跑步鞋", 399),
    ("猫抓板 瓦楞纸", 39),
    ("不粘锅炒锅 32cm", 219),
    ("轻量冲锋衣", 599),
]
COLOURS = ["黑色", "白色", "米色", "雾霾蓝", "豆沙粉"]
SIZES = ["S", "M", "L", "XL"]
COURIERS = ["圆通速递", "中通快递", "韵达快递", "顺丰速运", "申通快递"]
BUYER_LINES = [
    "在吗？这款有现货吗",
    "我平时穿M码，165cm，选哪个",
    "今天付款今天能发吗",
    "能便宜一点吗，两件一起拍",
    "颜色和图片一样吗？会不会色差",
    "发什么快递？几天能到",
    "好的，我拍了",
    "地址写错了，能帮我改一下吗",
    "还没收到货，帮我查一下物流",
    "收到了，有点小，可以换大一码吗",
]
AGENT_LINES = [
    "亲，您好，有现货的，17:00前付款当天发出哦",
    "按您的身高体重，建议选M码，版型偏宽松",
    "实物和图片一致，不同屏幕可能略有差别",
    "两件一起拍可以帮您申请包邮哦",
    "默认发圆通，江浙沪一般两天左右到",
    "好的亲，已经帮您备注好了",
    "地址已为您修改，请核对一下新地址",
    "帮您查了，包裹在转运中，预计明天到",
    "可以换的，您在订单页申请换货就好",
    "感谢您的支持，有问题随时找我们",
]
REVIEW_TEXTS = [
    "质量一般，和图片差别挺大",
    "物流太慢了，等了一个星期",
    "尺码偏小，穿着不舒服",
    "颜色有色差，不太喜欢",
    "包装破了，里面有划痕",
    "客服回复很慢",
]
TICKET_TEXTS = [
    "尺码不合适想退",
    "收到有破损",
    "少发了一件",
    "发错颜色了",
    "质量有问题",
    "降价了想补差价",
]
TICKET_TYPES = [
    ("return_refund", 30),
    ("refund_only", 20),
    ("exchange", 12),
    ("damaged", 6),
    ("missing_item", 5),
    ("wrong_item", 4),
    ("quality", 8),
    ("price_difference", 5),
    ("invoice", 4),
    ("logistics_dispute", 4),
    ("platform_dispute", 2),
]


def weighted(pairs):
    """A flat list to draw from with rng.choice (cheap and reproducible)."""
    return [value for value, weight in pairs for _ in range(weight)]


# COPY ---------------------------------------------------------------------------------------


def _escape(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


class Copier:
    """COPY rows of one model, given values for ``columns`` (attnames); every other NOT NULL
    column gets the field's default (or ``now`` for auto_now fields), computed once."""

    def __init__(self, model, columns: list[str], *, now: datetime):
        from django.db.models import NOT_PROVIDED

        self.model = model
        self.columns = list(columns)
        self.count = 0
        constants = {}
        for field in model._meta.concrete_fields:
            if field.attname in columns or field.primary_key or field.null:
                continue
            if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            if value is None:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            constants[field.column] = _escape(value)
        names = [self._column(c) for c in columns]
        self.sql = (
            f'COPY "{model._meta.db_table}" ({", ".join(names + list(constants))}) FROM STDIN'
        )
        self.suffix = "".join("\t" + v for v in constants.values()) + "\n"
        self.buffer = io.StringIO()
        self.pending = 0

    def _column(self, attname: str) -> str:
        for field in self.model._meta.concrete_fields:
            if field.attname == attname:
                return f'"{field.column}"'
        raise ValueError(f"{self.model.__name__} has no column {attname}")

    def add(self, *values) -> None:
        self.buffer.write("\t".join(map(_escape, values)) + self.suffix)
        self.pending += 1
        if self.pending >= CHUNK:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.sql, self.buffer)
        self.count += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


# The data set -------------------------------------------------------------------------------


class Generator:
    def __init__(self, *, scale: float, seed: int, now: datetime):
        self.rng = random.Random(seed)
        self.now = now
        self.n_orders = max(int(FULL["orders"] * scale), 200)
        self.n_messages = max(int(FULL["messages"] * scale), 2_000)
        self.n_tickets = max(int(FULL["tickets"] * scale), 40)
        self.days = max(int(FULL["days"] * scale), 14)
        self.counts: dict[str, int] = {}

    def copier(self, model, columns):
        return Copier(model, columns, now=self.now)

    def done(self, name: str, copier: Copier) -> None:
        copier.flush()
        self.counts[name] = self.counts.get(name, 0) + copier.count

    def run(self) -> dict:
        self.people()
        self.catalogue()
        self.buyers()
        self.orders()
        self.problems()
        self.chats()
        self.tickets()
        self.reviews()
        self.outreach()
        self.rollups()
        return self.counts

    # Shops and people
    def people(self) -> None:
        from django.contrib.auth.hashers import make_password

        from accounts.models import Membership, Shop, Team, User
        from scripts_lib.services import default_scripts_load

        rng = self.rng
        self.team = Team.objects.create(name="压测客服团队")
        self.shops = Shop.objects.bulk_create(
            Shop(team=self.team, platform=platform, code=f"bench-{n + 1:02d}", name=name)
            for n, (platform, name) in enumerate(SHOP_NAMES[:SHOPS])
        )
        # Shops differ in size: the first ones sell several times more than the last.
        self.shop_weights = [SHOPS - n for n in range(SHOPS)]
        password = make_password(PASSWORD)
        users, roles = [], []
        for role, count, _shops in ROLE_MIX:
            for _ in range(count):
                n = len(users) + 1
                users.append(
                    User(
                        username=f"agent{n:02d}",
                        password=password,
                        team=self.team,
                        work_number=str(1000 + n),
                        display_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                        date_joined=self.now - timedelta(days=400),
                    )
                )
                roles.append(role)
        users = User.objects.bulk_create(users)
        spans = {role: shops for role, _count, shops in ROLE_MIX}
        memberships = []
        self.staff: dict[tuple[int, str], list[int]] = {}
        for index, (user, role) in enumerate(zip(users, roles, strict=True)):
            first = index % SHOPS
            for step in range(spans[role]):
                shop = self.shops[(first + step * 3) % SHOPS]
                memberships.append(Membership(user=user, shop=shop, role=role))
                self.staff.setdefault((shop.pk, role), []).append(user.pk)
        Membership.objects.bulk_create(memberships)
        default_scripts_load(team=self.team, now=self.now)
        self.counts.update(shops=len(self.shops), agents=len(users), memberships=len(memberships))

    def staff_of(self, shop_id: int, role: str) -> list[int]:
        return self.staff.get((shop_id, role)) or self.staff[(shop_id, "manager")]

    def catalogue(self) -> None:
        from orders.models import Sku

        copier = self.copier(Sku, ["shop_id", "code", "title", "properties", "price", "stock"])
        self.skus = {}
        for shop in self.shops:
            codes = []
            for p, (title, price) in enumerate(PRODUCTS):
                for colour in COLOURS[:3]:
                    for size in SIZES:
                        code = f"P{p:02d}-{COLOURS.index(colour)}-{size}"
                        stock = 0 if self.rng.random() < 0.05 else self.rng.randint(5, 500)
                        copier.add(
                            shop.pk, code, title, f"颜色分类:{colour};尺码:{size}", price, stock
                        )
                        codes.append((code, title, price, colour, size))
            self.skus[shop.pk] = codes
        self.done("skus", copier)

    def buyers(self) -> None:
        from orders.models import Buyer

        rng = self.rng
        total_weight = sum(self.shop_weights)
        copier = self.copier(
            Buyer,
            [
                "id",
                "shop_id",
                "nick",
                "is_vip",
                "is_malicious",
                "opted_out",
                "height_cm",
                "weight_kg",
                "size",
                "notes",
            ],
        )
        self.buyer_ids: dict[int, list[int]] = {}
        self.nicks: dict[int, str] = {}
        next_id = 1
        for shop, weight in zip(self.shops, self.shop_weights, strict=True):
            # About 1.7 orders per buyer: most buy once, regulars buy often.
            count = max(int(self.n_orders * weight / total_weight / 1.7), 20)
            ids = []
            for n in range(count):
                sized = rng.random() < 0.2
                flag = rng.random()
                self.nicks[next_id] = f"tb{shop.pk}_{n:06d}"
                copier.add(
                    next_id,
                    shop.pk,
                    self.nicks[next_id],
                    flag < 0.05,
                    0.05 <= flag < 0.055,
                    0.055 <= flag < 0.065,
                    rng.randint(150, 185) if sized else None,
                    Decimal(rng.randint(420, 800)) / 10 if sized else None,
                    rng.choice(SIZES) if sized else "",
                    "老顾客，喜欢宽松款" if flag > 0.97 else "",
                )
                ids.append(next_id)
                next_id += 1
            self.buyer_ids[shop.pk] = ids
        self.done("buyers", copier)

    def pick_buyer(self, shop_id: int) -> int:
        ids = self.buyer_ids[shop_id]
        # Skewed: a fifth of the buyers place about half of the orders.
        if self.rng.random() < 0.5:
            return ids[self.rng.randrange(max(len(ids) // 5, 1))]
        return self.rng.choice(ids)

    # Orders
    def orders(self) -> None:
        from orders.models import Order, OrderItem

        rng, now = self.rng, self.now
        states = weighted(ORDER_STATES)
        shop_draw = weighted(zip(self.shops, self.shop_weights, strict=True))
        year = 365 * 24 * 3600
        orders = self.copier(
            Order,
            [
                "id",
                "shop_id",
                "order_id",
                "buyer_id",
                "buyer_nick",
                "state",
                "goods_amount",
                "postage",
                "total_amount",
                "paid_amount",
                "buyer_message",
                "receiver_name",
                "address",
                "province",
                "city",
                "district",
                "address_detail",
                "postcode",
                "shipping_method",
                "is_cod",
                "mobile",
                "ordered_at",
                "paid_at",
                "shipped_at",
                "received_at",
                "item_title",
                "item_count",
                "tracking_number",
                "courier",
                "close_reason",
                "updated_at",
            ],
        )
        items = self.copier(
            OrderItem,
            ["order_id", "line_key", "title", "price", "quantity", "properties", "sku_code"],
        )
        # What later steps hang on orders: (id, shop, buyer, state, ordered, paid, shipped,
        # received, province, amount)
        self.order_rows = []
        for n in range(self.n_orders):
            pk = n + 1
            shop = rng.choice(shop_draw)
            buyer = self.pick_buyer(shop.pk)
            state = rng.choice(states)
            if state == "waiting_payment":
                ordered = now - timedelta(seconds=rng.randint(60, 70 * 3600))
            elif state == "paid":
                ordered = now - timedelta(seconds=rng.randint(600, 40 * 3600))
            elif state in ("shipped", "cod_shipped"):
                ordered = now - timedelta(seconds=rng.randint(30 * 3600, 10 * 86400))
            else:
                ordered = now - timedelta(seconds=rng.randint(11 * 86400, year))
            cod = state.startswith("cod_")
            paid = shipped = received = None
            if state not in ("waiting_payment", "closed", "closed_by_platform") and not cod:
                # Most pay within minutes; a tail pays later (the reminders' audience).
                late = rng.random() < 0.15
                paid = ordered + timedelta(
                    seconds=rng.randint(1800, 3 * 3600) if late else rng.randint(20, 600)
                )
            if state in ("shipped", "finished", "cod_shipped", "cod_signed", "cod_settled"):
                shipped = ordered + timedelta(seconds=rng.randint(4 * 3600, 30 * 3600))
            if state in ("finished", "cod_signed", "cod_settled"):
                received = shipped + timedelta(days=rng.randint(2, 9))
            if state == "cod_settled":
                paid = received
            lines = rng.choice((1, 1, 1, 1, 2, 2, 3))
            picked = [rng.choice(self.skus[shop.pk]) for _ in range(lines)]
            quantities = [rng.choice((1, 1, 1, 2)) for _ in picked]
            goods = sum(p[2] * q for p, q in zip(picked, quantities, strict=True))
            postage = 0 if goods >= 99 else 10
            total = goods + postage
            province, city, district, detail, postcode = rng.choice(ADDRESSES)
            detail = detail.format(n=rng.randint(1, 999))
            orders.add(
                pk,
                shop.pk,
                str(ORDER_ID_BASE + pk * 7919),
                buyer,
                self.nicks[buyer],
                state,
                goods,
                postage,
                total,
                total if paid else 0,
                "请发顺丰，谢谢" if rng.random() < 0.03 else "",
                rng.choice(["张伟", "王秀英", "李娜", "刘洋", "陈静"]),
                f"{province} {city} {district} {detail} ({postcode})",
                province,
                city,
                district,
                detail,
                postcode,
                "货到付款" if cod else "快递",
                cod,
                f"13{rng.randint(100000000, 999999999)}",
                ordered,
                paid,
                shipped,
                received,
                picked[0][1],
                sum(quantities),
                f"YT{rng.randint(10**11, 10**12 - 1)}" if shipped else "",
                rng.choice(COURIERS) if shipped else "",
                "买家不想买了" if state == "closed" else "",
                now,
            )
            for line, (code, title, price, colour, size) in enumerate(picked):
                items.add(
                    pk, f"{line + 1}", title, price, quantities[line], f"{colour};{size}", code
                )
            self.order_rows.append(
                (pk, shop.pk, buyer, state, ordered, paid, shipped, received, province, total)
            )
        self.done("orders", orders)
        self.done("order_items", items)

    def problems(self) -> None:
        from orders.models import Problem, ProblemCategory

        rng, now = self.rng, self.now
        categories = list(ProblemCategory.values)
        copier = self.copier(
            Problem,
            [
                "shop_id",
                "order_id",
                "category",
                "state",
                "assignee_id",
                "resolution",
                "cancel_reason",
                "opened_at",
                "claimed_at",
                "due_at",
                "closed_at",
            ],
        )
        for pk, shop, _buyer, state, _ordered, paid, _s, _r, _p, _t in self.order_rows:
            if paid is None or rng.random() >= 0.04:
                continue
            opened = paid + timedelta(minutes=rng.randint(1, 120))
            active = state == "paid" and opened < now
            agent = rng.choice(self.staff_of(shop, "in_sale"))
            if active:
                problem_state = rng.choice(["open", "open", "contacting", "waiting_buyer"])
                assignee = None if problem_state == "open" else agent
                closed, resolution, cancel = None, "", ""
            else:
                closed = opened + timedelta(minutes=rng.randint(10, 600))
                cancelled = rng.random() < 0.15
                problem_state = "cancelled" if cancelled else "resolved"
                assignee = agent
                resolution = "" if cancelled else "已与买家确认，按新要求处理"
                cancel = "not_a_problem" if cancelled else ""
            copier.add(
                shop,
                pk,
                rng.choice(categories),
                problem_state,
                assignee,
                resolution,
                cancel,
                opened,
                None if assignee is None else opened + timedelta(minutes=5),
                opened + timedelta(hours=2),
                closed,
            )
        self.done("problems", copier)

    # Chats
    def chats(self) -> None:
        from chats.models import Channel, Conversation, Message

        rng, now = self.rng, self.now
        channels = Channel.objects.bulk_create(
            Channel(shop=shop, name="千牛消息桥", kind="bridge") for shop in self.shops
        )
        channel_of = {c.shop_id: c.pk for c in channels}
        shop_draw = weighted(zip(self.shops, self.shop_weights, strict=True))
        conversations = self.copier(
            Conversation,
            [
                "id",
                "shop_id",
                "channel_id",
                "buyer_id",
                "queue",
                "state",
                "assignee_id",
                "created_at",
                "last_message_at",
                "awaiting_reply_since",
                "first_response_seconds",
                "response_seconds_total",
                "response_count",
                "responses_within_3min",
                "buyer_message_count",
                "agent_message_count",
                "outcome",
                "closed_at",
                "csat_rating",
                "last_buyer_message_at",
                "unread_count",
                "assigned_at",
            ],
        )
        messages = self.copier(
            Message,
            ["conversation_id", "sender", "author_id", "text", "channel_id", "sent_at"],
        )
        queue_draw = weighted([("pre_sale", 80), ("in_sale", 10), ("after_sale", 10)])
        outcomes = weighted(
            [
                ("paid", 35),
                ("ordered_unpaid", 10),
                ("no_sale", 45),
                ("not_sale_question", 8),
                ("spam", 2),
            ]
        )
        year = 365 * 24 * 3600
        written, pk = 0, 0
        while written < self.n_messages:
            pk += 1
            shop = rng.choice(shop_draw)
            queue = rng.choice(queue_draw)
            agent = rng.choice(self.staff_of(shop.pk, queue))
            is_open = rng.random() < 0.01
            if is_open:
                created = now - timedelta(seconds=rng.randint(60, 3600))
            else:
                created = now - timedelta(seconds=rng.randint(3600, year))
            count = min(rng.randint(2, 18), self.n_messages - written)
            moment = created
            first_response = None
            response_total = response_count = within = buyers = agents = 0
            waiting_since = last_buyer = None
            state = "closed"
            for n in range(count):
                if is_open and moment > now:
                    break
                if n % 2 == 0:
                    sender, author, text = "buyer", None, rng.choice(BUYER_LINES)
                    buyers += 1
                    waiting_since = waiting_since or moment
                    last_buyer = moment
                else:
                    sender, author, text = "agent", agent, rng.choice(AGENT_LINES)
                    agents += 1
                    waited = int((moment - waiting_since).total_seconds())
                    first_response = waited if first_response is None else first_response
                    response_total += waited
                    response_count += 1
                    within += waited <= 180
                    waiting_since = None
                messages.add(pk, sender, author, text, channel_of[shop.pk], moment)
                written += 1
                last = moment
                moment += timedelta(seconds=rng.randint(5, 150))
            if is_open:
                state = "active" if agents else "queued"
            assignee = agent if state != "queued" else None
            conversations.add(
                pk,
                shop.pk,
                channel_of[shop.pk],
                self.pick_buyer(shop.pk),
                queue,
                state,
                assignee,
                created,
                last,
                waiting_since if is_open else None,
                first_response,
                response_total,
                response_count,
                within,
                buyers,
                agents,
                "" if is_open or queue != "pre_sale" else rng.choice(outcomes),
                None if is_open else last + timedelta(minutes=30),
                rng.randint(3, 5) if not is_open and rng.random() < 0.3 else None,
                last_buyer,
                (1 if waiting_since else 0) if is_open else 0,
                None if assignee is None else created,
            )
        self.done("conversations", conversations)
        self.done("messages", messages)

    # After-sale
    def tickets(self) -> None:
        from tickets.models import Ticket, TicketEvent
        from tickets.states import OPEN_STATES, SIMPLE_TYPES, TRANSITIONS

        rng, now = self.rng, self.now
        types = weighted(TICKET_TYPES)
        reachable = {
            kind: sorted({step.to for step in table.values()} & OPEN_STATES | {"requested"})
            for kind, table in TRANSITIONS.items()
        }
        delivered = [row for row in self.order_rows if row[6] is not None]
        tickets = self.copier(
            Ticket,
            [
                "id",
                "shop_id",
                "type",
                "state",
                "buyer_id",
                "order_id",
                "reason",
                "description",
                "assignee_id",
                "created_at",
                "updated_at",
                "closed_at",
                "resolved_by_id",
                "refund_amount",
                "sla_due_at",
                "first_replied_at",
            ],
        )
        events = self.copier(
            TicketEvent, ["ticket_id", "kind", "actor_id", "from_state", "to_state", "created_at"]
        )
        reasons = ["no_reason", "size", "quality", "damaged", "wrong", "missing", "other"]
        for pk in range(1, self.n_tickets + 1):
            order_pk, shop, buyer, _st, _o, _p, shipped, _r, _pr, total = rng.choice(delivered)
            kind = rng.choice(types)
            created = shipped + timedelta(days=rng.randint(1, 12), minutes=rng.randint(0, 1440))
            if created > now:
                created = now - timedelta(minutes=rng.randint(5, 600))
            agent = rng.choice(self.staff_of(shop, "after_sale"))
            recent = (now - created).days < 20
            if recent and rng.random() < 0.7:
                state = rng.choice(reachable[kind])
            else:
                state = "closed" if rng.random() < 0.85 else "refused"
            closed = state in ("closed", "refused")
            hours = 24 if kind in SIMPLE_TYPES else 48
            due = None if closed else created + timedelta(hours=hours)
            if due is not None and state != "requested":
                due = now + timedelta(hours=rng.randint(-6, hours))
            refund = (
                Decimal(total)
                if kind in ("return_refund", "refund_only") and state == "closed"
                else Decimal(0)
            )
            updated = created + timedelta(hours=rng.randint(1, 72)) if closed else created
            updated = min(updated, now)
            tickets.add(
                pk,
                shop,
                kind,
                state,
                buyer,
                order_pk,
                rng.choice(reasons),
                rng.choice(TICKET_TEXTS),
                None if state == "requested" and rng.random() < 0.5 else agent,
                created,
                updated,
                updated if closed else None,
                agent if closed else None,
                refund,
                due,
                None if state == "requested" else created + timedelta(hours=2),
            )
            events.add(pk, "created", None, "", "requested", created)
            if state != "requested":
                events.add(pk, "transition", agent, "requested", state, updated)
        self.done("tickets", tickets)
        self.done("ticket_events", events)

    def reviews(self) -> None:
        from reviews.models import Review

        rng, now = self.rng, self.now
        copier = self.copier(
            Review,
            [
                "shop_id",
                "order_id",
                "platform_order_id",
                "buyer_id",
                "rating",
                "text",
                "item_title",
                "dsr_description",
                "dsr_service",
                "dsr_logistics",
                "reviewed_at",
                "state",
                "assignee_id",
                "created_at",
                "state_changed_at",
            ],
        )
        final = ["revised", "revised", "unchanged", "unchanged", "unchanged", "appealed"]
        working = ["new", "new", "contacted", "resolved", "revision_requested"]
        for pk, shop, buyer, _st, _o, _p, _s, received, _pr, _t in self.order_rows:
            if received is None or rng.random() >= 0.03:
                continue
            reviewed = min(received + timedelta(days=rng.randint(0, 10)), now)
            state = rng.choice(working if (now - reviewed).days < 15 else final)
            copier.add(
                shop,
                pk,
                str(ORDER_ID_BASE + pk * 7919),
                buyer,
                "negative" if rng.random() < 0.6 else "neutral",
                rng.choice(REVIEW_TEXTS),
                PRODUCTS[pk % len(PRODUCTS)][0],
                rng.randint(1, 3),
                rng.randint(1, 5),
                rng.randint(1, 5),
                reviewed,
                state,
                None if state == "new" else rng.choice(self.staff_of(shop, "review_specialist")),
                reviewed + timedelta(hours=rng.randint(1, 20)),
                reviewed + timedelta(days=1),
            )
        self.done("reviews", copier)

    # Scheduled messaging
    def outreach(self) -> None:
        from chats.models import OutboxMessage
        from outreach.models import FollowUp, Reminder

        rng, now = self.rng, self.now
        outbox = self.copier(
            OutboxMessage,
            [
                "id",
                "shop_id",
                "kind",
                "key",
                "buyer_id",
                "order_id",
                "text",
                "status",
                "attempts",
                "created_at",
                "next_attempt_at",
                "sent_at",
            ],
        )
        reminders = self.copier(
            Reminder, ["shop_id", "order_id", "outbox_id", "agent_id", "sent_at", "paid_at"]
        )
        followups = self.copier(
            FollowUp, ["shop_id", "order_id", "region", "expected_at", "followed_up_at"]
        )
        fast = {"江苏省", "浙江省", "上海市"}
        remote = {"新疆维吾尔自治区"}
        outbox_id = 0
        for pk, shop, buyer, state, ordered, paid, shipped, _r, province, _t in self.order_rows:
            sent = ordered + timedelta(minutes=30)
            late_payer = paid is not None and paid > sent and rng.random() < 0.5
            unpaid = state in ("waiting_payment", "closed") and sent < now
            if late_payer or (unpaid and rng.random() < 0.8):
                outbox_id += 1
                outbox.add(
                    outbox_id,
                    shop,
                    "payment_reminder",
                    f"payment_reminder:{pk}",
                    buyer,
                    pk,
                    "亲，您拍下的宝贝还没付款哦，17:00前付款今天就能发出",
                    "sent",
                    1,
                    sent,
                    sent,
                    sent,
                )
                reminders.add(shop, pk, outbox_id, None, sent, paid)
            if shipped is None:
                continue
            region = "fast" if province in fast else "remote" if province in remote else "default"
            expected = shipped + timedelta(days={"fast": 3, "remote": 7, "default": 5}[region])
            done = expected if expected < now else None
            followups.add(shop, pk, region, expected, done)
            if done is not None:
                outbox_id += 1
                outbox.add(
                    outbox_id,
                    shop,
                    "delivery_followup",
                    f"delivery_followup:{pk}",
                    buyer,
                    pk,
                    "亲，包裹应该到了，收到后请检查一下，有问题随时找我们",
                    "sent",
                    1,
                    done,
                    done,
                    done,
                )
        self.done("outbox_messages", outbox)
        self.done("reminders", reminders)
        self.done("followups", followups)
        self._settle_reminders()

    def _settle_reminders(self) -> None:
        """催付成功: paid within 24 hours after the reminder."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE outreach_reminder SET succeeded = true "
                "WHERE paid_at IS NOT NULL AND paid_at <= sent_at + interval '24 hours'"
            )

    # KPI rollups
    def rollups(self) -> None:
        from kpi.days import local_day
        from kpi.models import AgentDay, ShopDay, counter_names

        rng, now = self.rng, self.now
        today = local_day(now)
        # The counters a shop and an agent share, in the rollup model's order, which is the
        # order counters() gives their values in; QA scores come from quality reviews, which
        # the data set does not have.
        shared = [
            name for name in counter_names(AgentDay) if name not in {"qa_score_total", "qa_n"}
        ]
        shop_columns = ["shop_id", "day", "computed_at", *shared]
        shop_days = self.copier(
            ShopDay,
            [
                *shop_columns,
                "orders",
                "sales",
                "followups_sent",
                "refund_amount",
                "after_sale_cost",
                "after_sale_tickets",
                "new_negative_reviews",
                "problems_by_category",
            ],
        )
        agent_days = self.copier(AgentDay, [*shop_columns, "agent_id"])
        front_line = ("pre_sale", "in_sale", "after_sale", "review_specialist")

        def counters(size: int) -> list:
            inquiries = rng.randint(8, 30) * size
            paying = rng.randint(inquiries // 4, inquiries // 2)
            responses = inquiries * rng.randint(4, 7)
            sent = rng.randint(2, 9) * size
            resolved = rng.randint(0, 4) * size
            return [
                inquiries + rng.randint(0, 10) * size,
                inquiries,
                paying,
                paying,
                Decimal(paying * rng.randint(90, 260)),
                inquiries * rng.randint(6, 25),
                inquiries,
                responses * rng.randint(20, 70),
                responses,
                int(responses * rng.uniform(0.9, 0.99)),
                responses + rng.randint(0, 3) * size,
                responses,
                rng.randint(0, 10) * size * 4,
                rng.randint(0, 10) * size,
                sent,
                rng.randint(0, sent // 2),
                resolved,
                resolved - rng.randint(0, resolved // 4 + 1) if resolved else 0,
                rng.randint(0, 2),
            ]

        for shop, weight in zip(self.shops, self.shop_weights, strict=True):
            agents = [user for role in front_line for user in self.staff.get((shop.pk, role), [])]
            for back in range(1, self.days + 1):
                day = today - timedelta(days=back)
                values = counters(weight * 2)
                shop_days.add(
                    shop.pk,
                    day,
                    now,
                    *values,
                    rng.randint(20, 45) * weight,
                    Decimal(rng.randint(2_000, 9_000) * weight),
                    rng.randint(10, 40) * weight,
                    Decimal(rng.randint(0, 400) * weight),
                    Decimal(rng.randint(0, 600) * weight),
                    rng.randint(0, 3) * weight,
                    rng.randint(0, 2),
                    {"address_change": rng.randint(0, 9), "out_of_stock": rng.randint(0, 4)},
                )
                for agent in agents:
                    agent_days.add(shop.pk, day, now, *counters(1), agent)
        self.done("shop_days", shop_days)
        self.done("agent_days", agent_days)


# Running it ---------------------------------------------------------------------------------


def database_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def ensure_database() -> None:
    """Create the configured PostgreSQL database when it does not exist, and migrate it."""
    import psycopg2
    from django.core.management import call_command
    from django.db import connection

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name()])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database_name()}"')
    admin.close()
    call_command("migrate", verbosity=0)


def empty_tables() -> None:
    from django.db import connection

    tables = [
        name
        for name in connection.introspection.django_table_names(only_existing=True)
        if name not in KEEP_TABLES and not name.startswith("django_celery_beat")
    ]
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of rows written earlier in the same transaction
        # would otherwise block the TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )


def reset_sequences() -> None:
    """Rows written with explicit ids leave the sequences behind; move them past the rows."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def generate(*, scale: float, seed: int, now: datetime) -> dict:
    """Empty the tables and write the data set in one transaction; returns rows per table."""
    from django.db import connection, transaction

    with transaction.atomic():
        empty_tables()
        counts = Generator(scale=scale, seed=seed, now=now).run()
        reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="about 1 %% of full size")
    parser.add_argument("--scale", type=float, help="multiply the full counts (default 1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--now", help="ISO time the data set ends at (default: this hour)")
    parser.add_argument("--force", action="store_true", help="allow a name without 'bench'")
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (0.01 if args.small else 1.0)
    if scale <= 0:
        parser.error("--scale must be positive")

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/generate.py writes with COPY: DATABASE_URL must point at PostgreSQL.")
    if "bench" not in database_name() and not args.force:
        sys.exit(
            f"refusing to empty and fill database {database_name()!r}: its name does not "
            "contain 'bench' (use --force if you really mean it)"
        )
    ensure_database()
    started = time.perf_counter()
    counts = generate(scale=scale, seed=args.seed, now=parse_now(args.now))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "database": database_name(),
                "scale": scale,
                "seed": args.seed,
                "rows": counts,
                "seconds": round(seconds, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
