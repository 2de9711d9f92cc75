"""Demo knowledge bases, one per demo shop, matching its goods (orders/demo.py PRODUCTS):
the clothing shops get the general questions of tests/knowledge/eval/kb.csv plus size
charts and materials per product; the tea shop gets its own. The Tmall shop answers
automatically outside its hours."""

from pathlib import Path

from helpdesk.demo import DemoContext

from .models import AutoAnswerSetting
from .services import entry_save, knowledge_import
from .transfer import EntryData

GENERAL = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "eval" / "kb.csv"

CLOTHING_PRODUCTS = {
    "yunshang-tmall": [
        (
            "P-DRS-SIZE",
            "碎花连衣裙尺码表",
            ("连衣裙尺码", "连衣裙穿多大"),
            "法式碎花连衣裙尺码表：S 胸围 84 腰围 66 裙长 112；M 胸围 88 腰围 70 裙长 114；"
            "L 胸围 92 腰围 74 裙长 116（单位 cm）。",
            ("法式碎花连衣裙", "YS-DRS-001-M", "YS-DRS-001-L"),
            "尺码",
        ),
        (
            "P-DRS-MAT",
            "碎花连衣裙面料",
            ("连衣裙什么面料",),
            "法式碎花连衣裙面料为纯棉府绸，里衬为涤纶，透气轻薄，适合春夏穿着。",
            ("法式碎花连衣裙", "YS-DRS-001-M", "YS-DRS-001-L"),
            "面料",
        ),
        (
            "P-CT-MAT",
            "羊绒大衣成分",
            ("大衣什么面料", "大衣羊绒含量"),
            "双面羊绒大衣外层含羊绒 30%、羊毛 70%，手工双面缝制，无里衬，轻而保暖。",
            ("双面羊绒大衣", "YS-CT-014-S"),
            "面料",
        ),
        (
            "P-KN-SIZE",
            "针织开衫尺码",
            ("开衫穿多大",),
            "宽松圆领针织开衫为均码，适合身高 155–172 cm、体重 45–65 kg 穿着。",
            ("宽松圆领针织开衫", "YS-KN-203-F"),
            "尺码",
        ),
    ],
    "yunshang-taobao": [
        (
            "P-TS-SIZE",
            "T恤尺码表",
            ("T恤穿多大",),
            "纯棉短袖T恤：M 胸围 100 衣长 66；L 胸围 106 衣长 69；XL 胸围 112 衣长 72（cm），"
            "版型宽松。",
            ("纯棉短袖T恤", "XP-TS-01"),
            "尺码",
        ),
        (
            "P-JN-SIZE",
            "牛仔裤尺码表",
            ("牛仔裤选几码",),
            "高腰直筒牛仔裤按腰围选码：26 码腰围 66 cm，27 码 68 cm，28 码 71 cm，弹力适中。",
            ("高腰直筒牛仔裤", "XP-JN-07"),
            "尺码",
        ),
    ],
}

TEA = [
    (
        "T01",
        "怎么冲泡",
        ("水温多少", "泡几分钟"),
        "龙井建议 80℃ 左右的水，玻璃杯冲泡，每次 3 克左右，"
        "约 2 分钟即可饮用；普洱熟茶用沸水，先洗茶一次。",
        (),
        "冲泡",
    ),
    (
        "T02",
        "保质期多久",
        ("能放多久", "怎么储存"),
        "龙井密封冷藏可保存 18 个月；普洱熟茶阴凉干燥处存放，适合长期存放。",
        (),
        "储存",
    ),
    (
        "T03",
        "是今年的新茶吗",
        ("什么时候采的", "是明前茶吗"),
        "明前西湖龙井为今年清明前采摘，生产日期印在礼盒底部。",
        ("明前西湖龙井", "SY-LJ-250"),
        "商品",
    ),
    (
        "T04",
        "有礼盒包装吗",
        ("能送人吗", "有手提袋吗"),
        "龙井为礼盒装并附手提袋，适合送礼；需要贺卡可以下单时留言。",
        ("明前西湖龙井", "SY-LJ-250"),
        "包装",
    ),
    (
        "T05",
        "普洱饼怎么撬开",
        ("茶饼怎么拆",),
        "用茶针从茶饼侧面沿纹理轻轻撬开，一次取 7 克左右即可。",
        ("云南普洱熟茶饼", "SY-PE-357"),
        "冲泡",
    ),
    (
        "T06",
        "发什么快递",
        ("几天到",),
        "默认发顺丰，江浙沪一般次日达，其他地区 2–4 天送达。",
        (),
        "物流",
    ),
    (
        "T07",
        "能开发票吗",
        ("开票",),
        "可以开具电子普通发票，确认收货后在订单页申请即可。",
        (),
        "发票",
    ),
]


def seed(ctx: DemoContext) -> None:
    for code in ("yunshang-tmall", "yunshang-taobao"):
        shop = ctx.shops.get(code)
        if shop is None:
            continue
        knowledge_import(actor=None, shop=shop, path=GENERAL, now=ctx.now)
        for key, question, phrasings, answer, products, category in CLOTHING_PRODUCTS[code]:
            data = EntryData(key, question, phrasings, answer, products, category)
            _save(shop, data, ctx)
    tea = ctx.shops.get("shanye-tea")
    if tea is not None:
        for key, question, phrasings, answer, products, category in TEA:
            _save(tea, EntryData(key, question, phrasings, answer, products, category), ctx)
    tmall = ctx.shops.get("yunshang-tmall")
    if tmall is not None:
        AutoAnswerSetting.objects.create(shop=tmall, enabled=True, updated_at=ctx.now)


def _save(shop, data: EntryData, ctx: DemoContext) -> None:
    from accounts.roles import Role

    supervisor = ctx.staff[Role.SUPERVISOR][0]
    entry_save(actor=supervisor, shop=shop, data=data, now=ctx.now)
