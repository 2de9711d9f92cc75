"""Pinyin initials of script titles, so 催付 is found by typing ``cf``."""

import re

from pypinyin import Style, lazy_pinyin

_ASCII_KEY = re.compile(r"^[a-z0-9]+$")


def title_initials(title: str) -> str:
    """催付提醒 -> cftx. Letters and digits in the title are kept (lower case)."""
    letters = lazy_pinyin(title, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch.lower() for part in letters for ch in part if ch.isascii() and ch.isalnum())


def search_key(query: str) -> str:
    """The query as pinyin initials when it is plain letters/digits, else ''."""
    key = query.strip().lower().replace(" ", "")
    return key if _ASCII_KEY.match(key) else ""
