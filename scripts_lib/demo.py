"""Demo: the default library for the demo team, a tea shop's own scripts, and usage counts."""

from accounts.roles import Role
from helpdesk.demo import DemoContext

from .models import ReplyScript
from .services import ScriptData, default_scripts_load, script_create, script_record_use

TEA_SHOP_SCRIPTS = (
    (
        "greeting",
        "hy",
        "茶舍欢迎",
        "{buyer_nick}您好，欢迎来到{shop_name}，今年的春茶刚到，想喝清爽的还是醇厚的？我帮您挑挑。",
    ),
    (
        "receipt_followup",
        "hfxh",
        "冲泡提醒",
        "您好，茶叶收到了，绿茶建议用80度左右的水冲泡，第一泡稍快出汤，口感会更鲜爽。",
    ),
)


def seed(ctx: DemoContext) -> None:
    default_scripts_load(team=ctx.team, now=ctx.now)
    tea = ctx.shops.get("shanye-tea")
    if tea is not None:
        for category, code, title, body in TEA_SHOP_SCRIPTS:
            data = ScriptData(category=category, title=title, code=code, body=body)
            script_create(actor=None, team=ctx.team, shop=tea, data=data, now=ctx.now)
    scripts = list(ReplyScript.objects.filter(team=ctx.team, shop__isnull=True))
    agents = ctx.staff.get(Role.PRE_SALE, []) + ctx.staff.get(Role.IN_SALE, [])
    for agent in agents:
        for script in ctx.rng.sample(scripts, k=min(12, len(scripts))):
            for _ in range(ctx.rng.randint(1, 6)):
                script_record_use(actor=agent, script=script, now=ctx.now)
