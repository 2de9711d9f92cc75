"""Buyer text to search terms: normalisation, domain synonyms, jieba words, pinyin of words
(so a homophone typo such as 起求 still meets 起球) and character bigrams (so a word jieba
splits differently still overlaps). Each term carries a weight; the retriever multiplies it
into BM25. The synonyms and stopwords are in vocabulary.py.
"""

import re
import unicodedata
import warnings
from functools import lru_cache

from pypinyin import lazy_pinyin

from .vocabulary import STOPWORDS, SYNONYMS

WORD_WEIGHT = 1.0
PINYIN_WEIGHT = 0.5
BIGRAM_WEIGHT = 0.3

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
