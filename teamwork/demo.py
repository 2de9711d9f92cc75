"""Demo: the team's tags (VIP, 大码, 易纠纷, 双11) with a few buyers tagged, and in each shop a
pre-sale group (all pre-sale agents) with a routing rule for size questions."""

from accounts.roles import Role
from helpdesk.demo import DemoContext

from .models import AgentGroup, RoutingRule, Tag, TagLink, TagTarget

TAGS = [
    ("VIP", "#7a3cff", "年消费较高的老顾客，优先接待"),
    ("大码", "#1664ff", "常买大码，推荐时先看尺码表"),
    ("易纠纷", "#d92d20", "有过投诉或恶意差评，回复前先看备注"),
    ("双11", "#d48806", "双11期间下单的订单和咨询"),
]


def seed(ctx: DemoContext) -> None:
    tags = {
        name: Tag.objects.create(
            team=ctx.team, name=name, colour=colour, description=text, created_at=ctx.now
        )
        for name, colour, text in TAGS
    }
    buyers = ctx.data.get("buyers", [])
    TagLink.objects.bulk_create(
        TagLink(
            tag=tags["VIP" if n % 2 == 0 else "大码"],
            shop_id=buyer.shop_id,
            target_type=TagTarget.BUYER,
            target_id=buyer.pk,
            created_at=ctx.now,
        )
        for n, buyer in enumerate(buyers[:6])
    )
    pre_sale = ctx.staff.get(Role.PRE_SALE, [])
    for shop in ctx.shops.values():
        group = AgentGroup.objects.create(shop=shop, name="大码专席", created_at=ctx.now)
        group.members.set(pre_sale)
        RoutingRule.objects.create(
            shop=shop,
            name="尺码咨询",
            position=1,
            keywords=["大码", "加大", "尺码"],
            group=group,
            examples="有没有大码的\n这件衣服尺码偏小吗",
            created_at=ctx.now,
        )
