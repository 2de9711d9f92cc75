"""Plain factory functions for tests: each makes one valid object with sensible defaults."""

import itertools
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import Membership, Platform, Shop, Team, User
from accounts.roles import Role
from orders.models import Buyer, Order
from orders.states import OrderState

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"
_serial = itertools.count(1)


def at(*args) -> datetime:
    """A time in Asia/Shanghai: at(2026, 11, 23, 10, 30)."""
    return datetime(*args, tzinfo=SHANGHAI)


def make_team(name: str = "测试团队") -> Team:
    return Team.objects.create(name=name)


def make_shop(team: Team | None = None, code: str | None = None, **fields) -> Shop:
    n = next(_serial)
    return Shop.objects.create(
        team=team or make_team(),
        code=code or f"shop-{n}",
        name=fields.pop("name", f"测试店铺{n}"),
        platform=fields.pop("platform", Platform.TAOBAO),
        **fields,
    )


def make_user(shop: Shop | None = None, role: Role = Role.PRE_SALE, **fields) -> User:
    n = next(_serial)
    user = User.objects.create_user(
        username=fields.pop("username", f"agent{n}"),
        password=PASSWORD,
        display_name=fields.pop("display_name", f"客服{n}"),
        work_number=fields.pop("work_number", str(1000 + n)),
        team=shop.team if shop else None,
        **fields,
    )
    if shop is not None:
        Membership.objects.create(user=user, shop=shop, role=role)
    return user


def make_buyer(shop: Shop, nick: str | None = None, **fields) -> Buyer:
    return Buyer.objects.create(shop=shop, nick=nick or f"买家{next(_serial)}", **fields)


def make_order(shop: Shop, buyer: Buyer | None = None, **fields) -> Order:
    buyer = buyer or make_buyer(shop)
    fields.setdefault("state", OrderState.PAID)
    fields.setdefault("total_amount", Decimal("199.00"))
    fields.setdefault("paid_amount", fields["total_amount"])
    return Order.objects.create(
        shop=shop,
        order_id=fields.pop("order_id", str(3_000_000_000_000_000_000 + next(_serial))),
        buyer=buyer,
        buyer_nick=buyer.nick,
        **fields,
    )
