from decimal import Decimal

from helpdesk.demo import DEMO_PASSWORD, DEMO_TEAM, DemoContext

from .models import Membership, Platform, Shop, Team, User
from .roles import Role

SHOPS = [
    ("yunshang-tmall", "云裳女装天猫旗舰店", Platform.TMALL, Decimal("99.00")),
    ("yunshang-taobao", "云裳小铺", Platform.TAOBAO, Decimal("59.00")),
    ("shanye-tea", "山野茶舍", Platform.TAOBAO, Decimal("88.00")),
]

STAFF = [
    ("wangfang", "王芳", "8001", Role.MANAGER),
    ("lijing", "李静", "7001", Role.SUPERVISOR),
    ("xiaomei", "小美", "1001", Role.PRE_SALE),
    ("ajie", "阿杰", "1002", Role.PRE_SALE),
    ("xiaoyu", "小雨", "2001", Role.IN_SALE),
    ("dafei", "大飞", "3001", Role.AFTER_SALE),
    ("lingling", "玲玲", "4001", Role.REVIEW_SPECIALIST),
]


def seed(ctx: DemoContext) -> None:
    ctx.team = Team.objects.create(name=DEMO_TEAM)
    for code, name, platform, threshold in SHOPS:
        ctx.shops[code] = Shop.objects.create(
            team=ctx.team,
            code=code,
            name=name,
            platform=platform,
            free_shipping_threshold=threshold,
        )
    for username, display, number, role in STAFF:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            display_name=display,
            work_number=number,
            team=ctx.team,
            is_staff=role == Role.MANAGER,
            is_superuser=role == Role.MANAGER,
        )
        ctx.staff.setdefault(role, []).append(user)
        for shop in ctx.shops.values():
            Membership.objects.create(user=user, shop=shop, role=role)
