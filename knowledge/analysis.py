"""Buyer text to search terms: normalisation, domain synonyms, jieba words, pinyin of words
(so a homophone typo such as 起求 still meets 起球) and character bigrams (so a word jieba
splits differently still overlaps). Each term carries a weight; the retriever multiplies it
into BM25.

The synonym table maps the many ways buyers say one thing to one canonical word. It was
written from the domain and the development questions (tests/knowledge/eval/dev.tsv), never
from the held-out set.
"""

import re
import unicodedata
import warnings
from functools import lru_cache

from pypinyin import lazy_pinyin

WORD_WEIGHT = 1.0
PINYIN_WEIGHT = 0.5
BIGRAM_WEIGHT = 0.3

# canonical word: the phrasings that mean it (longest first when applied)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "到货时效": (
        "几天到",
        "几天能到",
        "多久到",
        "多久能到",
        "多久可以到",
        "多长时间到",
        "多久能收到",
        "几天能收到",
        "几天可以收到",
        "几天收到",
        "什么时候到",
        "什么时候能到",
        "啥时候到",
        "啥时候能到",
        "多少天到",
        "多少天能到",
        "几日到",
        "到货时间",
        "送达时间",
        "多久送到",
        "几天送到",
        "要几天",
        "要多久",
        "需要几天",
        "需要多久",
        "多久收到",
        "几号能到",
        "几号到",
        "时效",
        "多少天",
        "几天",
    ),
    "发货时间": (
        "什么时候发货",
        "啥时候发货",
        "多久发货",
        "几天发货",
        "多久发",
        "什么时候发",
        "啥时候发",
        "当天发",
        "今天发",
        "今天能发",
        "今天可以发",
        "几点发",
        "发货快吗",
        "马上发",
        "多快发",
        "发货时间",
        "48小时",
        "24小时内发",
        "多长时间发货",
        "多久发货",
        "几天内发货",
        "发出去",
        "寄出",
    ),
    "快递公司": (
        "发什么快递",
        "什么快递",
        "哪家快递",
        "哪个快递",
        "啥快递",
        "快递公司",
        "发哪个快递",
        "用什么快递",
        "走什么快递",
        "走哪个快递",
        "中通",
        "圆通",
        "韵达",
        "申通",
        "顺丰",
        "京东快递",
        "邮政",
        "ems",
        "快递是哪家",
    ),
    "起球": ("起毛球", "起球球", "掉毛", "掉球", "球球", "起毛", "会不会球", "毛球"),
    "退换货": (
        "七天无理由",
        "7天无理由",
        "无理由退",
        "退货",
        "换货",
        "退换",
        "能退吗",
        "可以退吗",
        "能换吗",
        "可以换吗",
        "包退",
        "包换",
        "退回去",
        "不合适怎么办",
        "不喜欢怎么办",
        "退款",
        "退掉",
    ),
    "运费险": (
        "自己出",
        "邮费谁",
        "谁出",
        "退货险",
        "运险",
        "退运费",
        "来回运费",
        "退货运费",
        "运费谁出",
        "运费险",
    ),
    "发票": ("开票", "开发票", "专票", "普票", "电子发票", "增值税", "抬头", "报销"),
    "尺码": (
        "码数",
        "尺码",
        "尺寸",
        "穿多大",
        "选多大",
        "拿多大",
        "买多大",
        "什么码",
        "哪个码",
        "几码",
        "大码",
        "小码",
        "偏大",
        "偏小",
        "正码",
        "码子",
        "多大码",
        "标准码",
    ),
    "面料": (
        "材质",
        "面料",
        "成分",
        "料子",
        "布料",
        "什么料",
        "纯棉吗",
        "含棉",
        "羊毛含量",
        "含量",
        "质地",
        "什么做的",
    ),
    "包邮": ("包邮", "免邮", "邮费", "运费", "快递费", "要运费", "包不包邮"),
    "优惠": (
        "便宜点",
        "便宜",
        "优惠",
        "打折",
        "折扣",
        "优惠券",
        "券",
        "少点",
        "降价",
        "活动",
        "满减",
    ),
    "洗涤": (
        "洗的时候",
        "怎么洗",
        "洗涤",
        "机洗",
        "手洗",
        "水洗",
        "干洗",
        "洗衣机",
        "清洗",
        "洗了",
        "洗后",
    ),
    "褪色": ("掉色", "褪色", "褪", "会褪", "染色", "串色", "退色"),
    "缩水": ("缩水", "变小", "变短", "短了", "缩"),
    "现货": ("现货", "有货", "有没有货", "缺货", "断货", "补货", "库存", "还有吗", "卖完"),
    "地址修改": (
        "地址填错",
        "填错",
        "改地址",
        "修改地址",
        "换地址",
        "地址写错",
        "地址错了",
        "更改地址",
        "改收货",
    ),
    "颜色": ("色差", "颜色", "实物颜色", "图片颜色", "拍照颜色"),
    "厚薄": ("厚吗", "薄吗", "厚不厚", "薄不薄", "透不透", "透吗", "厚度", "保暖", "冷不冷"),
    "正品": ("正品", "真的吗", "假货吗", "保真", "真假", "专柜"),
    "保质期": ("保质期", "过期", "放多久", "能放多久", "储存", "保存", "存放", "生产日期"),
    "冲泡": (
        "怎么泡",
        "冲泡",
        "泡法",
        "水温",
        "几度水",
        "多少度",
        "几度",
        "泡几次",
        "泡多久",
        "泡茶",
    ),
    "尺码偏差": (
        "偏大",
        "偏小",
        "正码",
        "标准码",
        "码数准",
        "尺码准",
        "码子偏",
        "大一码",
        "小一码",
        "偏瘦",
        "偏肥",
        "版型",
        "码数标准",
        "尺码正",
        "尺码标准",
        "大一号",
        "小一号",
    ),
    "货到付款": (
        "货到付款",
        "到付",
        "收到货再付",
        "先收货后付",
        "货到付钱",
        "到了再付",
        "收货再付",
    ),
    "上新": ("上新", "新品", "新款", "出新"),
    "境外寄送": (
        "香港",
        "澳门",
        "台湾",
        "港澳台",
        "国外",
        "海外",
        "美国",
        "日本",
        "新加坡",
        "境外",
        "出国",
    ),
    "售后": ("售后", "找谁", "联系谁", "找哪个"),
    "预留": (
        "留一件",
        "留着",
        "保留",
        "预留",
        "占库存",
        "占个库存",
        "过两天付",
        "先拍",
        "晚点付",
        "明天付",
        "留几天",
    ),
    "寄回地址": ("寄哪", "寄回", "退回", "寄到哪", "寄什么地方", "退货地址"),
    "会员": ("会员", "积分", "入会", "老客户", "vip"),
    "验货": ("验货", "签收", "当面", "拒收", "当着快递员"),
    "赠品": ("赠品", "送什么", "有送", "小礼物", "送不送", "礼品袋", "手提袋"),
}

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "嗯",
        "么",
        "嘛",
        "哈",
        "是",
        "我",
        "你",
        "您",
        "亲",
        "在",
        "有",
        "这",
        "那",
        "个",
        "和",
        "就",
        "都",
        "也",
        "还",
        "要",
        "请问",
        "问一下",
        "问下",
        "想问",
        "一下",
        "这个",
        "那个",
        "这件",
        "那件",
        "这款",
        "宝贝",
        "东西",
        "可以",
        "能",
        "会",
        "不会",
        "衣服",
        "裙子",
        "啥",
        "能不能",
        "可不可以",
        "是不是",
        "有没有",
        "怎么",
        "怎么样",
        "如何",
        "什么",
        "多少",
        "老板",
        "掌柜",
        "客服",
        "你好",
        "您好",
        "在吗",
        "谢谢",
        "好的",
        "?",
        "？",
        ",",
        "，",
        "。",
        "!",
        "！",
        "~",
        "～",
        "…",
    ]
)

_SYNONYM_PATTERN = re.compile(
    "|".join(
        re.escape(phrase)
        for phrase in sorted(
            {p for phrases in SYNONYMS.values() for p in phrases}, key=len, reverse=True
        )
    )
)
_CANONICAL = {p: canonical for canonical, phrases in SYNONYMS.items() for p in phrases}
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _jieba():
    with warnings.catch_warnings():  # jieba 0.42 predates Python 3.12's escape warnings
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(60)
    for canonical in SYNONYMS:
        jieba.add_word(canonical, freq=200000)
    return jieba


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, one space for runs of blanks."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\s+", " ", text).strip()


def canonical(text: str) -> str:
    """The text with every synonym phrase replaced by its canonical word (spaced apart)."""
    return _SYNONYM_PATTERN.sub(lambda m: f" {_CANONICAL[m.group(0)]} ", normalise(text))


def words(text: str, *, synonyms: bool = True) -> list[str]:
    """jieba words of the (canonicalised) text without stopwords and punctuation."""
    source = canonical(text) if synonyms else normalise(text)
    return [
        w
        for w in (w.strip() for w in _jieba().lcut(source))
        if w and w not in STOPWORDS and any(ch.isalnum() for ch in w)
    ]


@lru_cache(maxsize=50000)
def _pinyin(word: str) -> str:
    return "".join(lazy_pinyin(word))


def terms(text: str) -> dict[str, float]:
    """Weighted search terms: words, 'py:' pinyin of Chinese words, 'bg:' character bigrams."""
    weighted: dict[str, float] = {}
    found = words(text)
    for word in found:
        weighted[word] = max(weighted.get(word, 0.0), WORD_WEIGHT)
        if _CJK.fullmatch(word) and len(word) > 1:
            key = "py:" + _pinyin(word)
            weighted[key] = max(weighted.get(key, 0.0), PINYIN_WEIGHT)
    for run in _CJK.findall(canonical(text)):
        for i in range(len(run) - 1):
            key = "bg:" + run[i : i + 2]
            weighted[key] = max(weighted.get(key, 0.0), BIGRAM_WEIGHT)
    return weighted


def plain_terms(text: str) -> dict[str, float]:
    """The baseline's terms: jieba words only, no synonyms, pinyin or bigrams."""
    return dict.fromkeys(words(text, synonyms=False), 1.0)
