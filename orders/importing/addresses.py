"""Split a receiving address into province / city / district / detail / postcode.

Taobao writes addresses as ``省 市 区 详细地址(邮编)``: the levels are already separated
by spaces, so that structure is trusted first and cpca (a parser made for Chinese
addresses) only validates and normalises the names (``上海`` → ``上海市``). cpca leaves
districts empty for Hong Kong, Macao, Taiwan and for the towns of cities without districts
(东莞 东城街道); the space-separated token is kept there, so such a well-formed address is
not called unclear. An address without that structure is parsed by cpca as a whole.

cpca loads pandas and its tables on import (≈1.5 s): it is loaded once, on first use, and
each distinct ``省 市 区`` triple is looked up once per process.
"""

import functools
import re
import warnings
from dataclasses import dataclass

_POSTCODE = re.compile(r"\s*[(（]\s*(\d{6})\s*[)）]\s*$")
_NOT_A_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_CACHE_LIMIT = 20_000
_regions: dict[str, tuple[str, str, str, str]] = {}


@dataclass(frozen=True)
class ParsedAddress:
    province: str = ""
    city: str = ""
    district: str = ""
    address_detail: str = ""
    postcode: str = ""

    def as_fields(self) -> dict[str, str]:
        return {
            "province": self.province[:32],
            "city": self.city[:32],
            "district": self.district[:32],
            "address_detail": self.address_detail[:200],
            "postcode": self.postcode[:10],
        }


@functools.cache
def _cpca():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns
        import cpca
    return cpca


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lookup(texts: set[str]) -> None:
    """cpca's (province, city, district, rest) for each text not yet known, in one call."""
    missing = [text for text in texts if text not in _regions]
    if not missing:
        return
    frame = _cpca().transform(missing)
    for text, row in zip(missing, frame.itertuples(index=False), strict=True):
        _regions[text] = (_text(row[0]), _text(row[1]), _text(row[2]), _text(row[3]))


def _split(address: str) -> tuple[list[str], str]:
    match = _POSTCODE.search(address)
    if match:
        return address[: match.start()].split(), match.group(1)
    return address.split(), ""


def parse_addresses(addresses: list[str]) -> list[ParsedAddress]:
    """Parse a batch (one import chunk) with at most one cpca call."""
    if len(_regions) > _CACHE_LIMIT:
        _regions.clear()
    splits = [_split(address.strip()) for address in addresses]
    _lookup({" ".join(tokens[:3]) for tokens, _postcode in splits if len(tokens) >= 3})
    unstructured = {" ".join(tokens) for tokens, _postcode in splits if not _structured(tokens)}
    _lookup(unstructured - {""})
    return [_parse(tokens, postcode) for tokens, postcode in splits]


def _structured(tokens: list[str]) -> bool:
    """Does the address start with ``省 市 区`` tokens? cpca must read the first token as
    the province itself (not infer the province from a city name)."""
    if len(tokens) < 3:
        return False
    province = _regions[" ".join(tokens[:3])][0]
    return bool(province) and province.startswith(tokens[0][:2])


def parse_address(address: str) -> ParsedAddress:
    return parse_addresses([address])[0]


def _parse(tokens: list[str], postcode: str) -> ParsedAddress:
    if not tokens:
        return ParsedAddress(postcode=postcode)
    if _structured(tokens):
        province, city, district, _rest = _regions[" ".join(tokens[:3])]
        return ParsedAddress(
            province=province,
            city=city if city and city not in _NOT_A_CITY else tokens[1],
            district=district or tokens[2],
            address_detail=" ".join(tokens[3:]),
            postcode=postcode,
        )
    province, city, district, rest = _regions[" ".join(tokens)]
    if city in _NOT_A_CITY:
        city = district if city.endswith("县级行政区划") else province
    return ParsedAddress(
        province=province, city=city, district=district, address_detail=rest, postcode=postcode
    )
