"""Delivery estimates by destination province, read from the shop's ``delivery_regions``.

The table is a shop setting (accounts.models.default_delivery_regions):
``{"fast": {"days": 3, "provinces": [...]}, "remote": {"days": 7, ...}, "default_days": 5}``;
any other key holding ``days`` and ``provinces`` is a region too. Province names are
compared without their administrative suffix, so 上海, 上海市 and 上海 上海市 all match.
A destination that is not a known province gets the longest estimate in the table: a
follow-up that comes a little late is better than one that asks about a parcel still on
its way.
"""

from dataclasses import dataclass

PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
]
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")

DEFAULT_REGION = "default"
UNKNOWN_REGION = "unknown"


@dataclass(frozen=True)
class Estimate:
    region: str
    days: int


def province_key(name: str) -> str | None:
    """The bare province name (浙江) of 浙江省 / 浙江 / 新疆维吾尔自治区, or None."""
    name = (name or "").strip()
    for province in PROVINCES:
        if name.startswith(province):
            return province
    return None


def destination_province(province: str, address: str) -> str | None:
    """The destination province: the imported 省 column first, else the address's first
    words (Taobao writes ``省 市 区 详细地址``)."""
    return province_key(province) or province_key(address)


def _regions(table: dict) -> dict[str, dict]:
    return {
        name: spec
        for name, spec in table.items()
        if isinstance(spec, dict) and "days" in spec and "provinces" in spec
    }


def estimate_for(shop, order) -> Estimate:
    """Days from shipping until the parcel should have arrived at the order's destination."""
    return estimate_for_destination(shop, order.province, order.address)


def estimate_for_destination(shop, province_column: str, address: str) -> Estimate:
    table = shop.delivery_regions or {}
    regions = _regions(table)
    default_days = int(table.get("default_days", 5))
    province = destination_province(province_column, address)
    if province is None:
        return Estimate(UNKNOWN_REGION, longest_days(shop))
    for name, spec in regions.items():
        if province in {province_key(p) for p in spec["provinces"]}:
            return Estimate(name, int(spec["days"]))
    return Estimate(DEFAULT_REGION, default_days)


def _all_days(shop) -> list[int]:
    table = shop.delivery_regions or {}
    return [int(table.get("default_days", 5)), *(int(s["days"]) for s in _regions(table).values())]


def shortest_days(shop) -> int:
    return min(_all_days(shop))


def longest_days(shop) -> int:
    return max(_all_days(shop))
