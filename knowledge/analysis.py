"""Buyer text to search terms: normalisation, the shop-chat lexicon (lexicon.py), jieba words,
pinyin of words and character bigrams (so a word jieba splits differently still overlaps).
Each term carries a weight; the retriever multiplies it into BM25.

Typos and pinyin: buyers type by sound. A stretch of the message that sounds like a lexicon
phrase (起求 for 起球, 顺峰 for 顺丰, "fapiao" for 发票) counts as that phrase when it shares
at least half of its characters with it, or is typed in pinyin letters. A homophone that
shares no character (伤心 for 上新), or differs by a very common character (包有 for 包邮,
lexicon.NEVER_A_TYPO), is a different word and is left alone.
"""

import re
import unicodedata
import warnings
from functools import lru_cache

from pypinyin import lazy_pinyin

from .lexicon import (
    BODY_MEASURE,
    BODY_WORD,
    HYPERNYMS,
    NEVER_A_TYPO,
    REWRITES,
    STOPWORDS,
    SYNONYMS,
)

WORD_WEIGHT = 1.0
PINYIN_WEIGHT = 0.5
BIGRAM_WEIGHT = 0.3

_CANONICAL: dict[str, str] = {}
for _general, _specific in HYPERNYMS.items():
    _CANONICAL.update(dict.fromkeys(_specific.split(), _general))
for _word, _phrases in SYNONYMS.items():
    _CANONICAL.update(dict.fromkeys(_phrases.split(), _word))
CANONICAL_WORDS = frozenset({*_CANONICAL.values(), BODY_WORD})

_PHRASE_PATTERN = re.compile(
    "|".join(re.escape(phrase) for phrase in sorted(_CANONICAL, key=len, reverse=True))
)
_REWRITES = tuple((re.compile(pattern), replacement) for pattern, replacement in REWRITES)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_SOUND_RUN = re.compile(r"[\u4e00-\u9fffa-z]+")
_LATIN = re.compile(r"[a-z]+|.")

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q")
_INITIALS += ("x", "r", "z", "c", "s", "y", "w", "")
_FINALS = "iang iong uang ang eng ing ong ian iao uai uan ai ei ui ao ou iu ie ue ve er an en"
_FINALS += " in un vn ia ua uo a o e i u v"
_SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS.split())
"""Every initial + final: a superset of real pinyin syllables, enough to cut typed pinyin."""


def _jieba_module():
    with warnings.catch_warnings():  # jieba 0.42 predates Python 3.12's escape warnings
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(60)
    return jieba


@lru_cache(maxsize=1)
def _jieba():
    """The retriever's segmenter: jieba's dictionary plus the lexicon's canonical words."""
    tokenizer = _jieba_module().Tokenizer()
    for word in CANONICAL_WORDS:
        tokenizer.add_word(word, freq=200000)
    return tokenizer


@lru_cache(maxsize=1)
def _plain_jieba():
    """The baseline's segmenter: jieba's own dictionary, untouched by the lexicon."""
    return _jieba_module().Tokenizer()


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, one space for runs of blanks."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=50000)
def _pinyin(word: str) -> str:
    return "".join(lazy_pinyin(word))


def pinyin_syllables(letters: str) -> list[str] | None:
    """``letters`` cut into pinyin syllables (longest first), or None if they are not pinyin."""
    found, i = [], 0
    while i < len(letters):
        for size in (6, 5, 4, 3, 2, 1):
            if letters[i : i + size] in _SYLLABLES:
                found.append(letters[i : i + size])
                i += size
                break
        else:
            return None
    return found


@lru_cache(maxsize=1)
def _phrases_by_sound() -> tuple[dict[str, list[str]], frozenset[str]]:
    """Pinyin (no tones, joined) → the Chinese lexicon phrases of two or more characters,
    and every prefix of those sounds (so a window that can grow into none stops early)."""
    table: dict[str, list[str]] = {}
    for phrase in _CANONICAL:
        if len(phrase) >= 2 and _CJK.fullmatch(phrase):
            for sound in {_pinyin(phrase), "".join(_pinyin(ch) for ch in phrase)}:
                table.setdefault(sound, []).append(phrase)
    prefixes = frozenset(sound[:i] for sound in table for i in range(1, len(sound) + 1))
    return table, prefixes


def _units(run: str) -> list[tuple[str, str]]:
    """(character or '', syllable) for each syllable of a run of Chinese and pinyin; a run of
    letters that is not pinyin ends up as no unit, so nothing is heard across it."""
    units: list[tuple[str, str]] = []
    for piece in _LATIN.findall(run):
        if piece.isascii():
            units.extend(("", syllable) for syllable in pinyin_syllables(piece) or ())
        else:
            units.append((piece, _pinyin(piece)))
    return units


def _sounds_like(units: list[tuple[str, str]], phrase: str) -> bool:
    chars = [ch for ch, _ in units]
    if not any(chars):
        return len(units) >= 2  # typed in pinyin
    pairs = list(zip(chars, phrase, strict=False))
    if any(ch != p and ch in NEVER_A_TYPO for ch, p in pairs):
        return False
    same = sum(ch == p for ch, p in pairs)
    return same < len(phrase) and same * 2 >= len(phrase)


def sound_alike_words(text: str) -> list[str]:
    """Canonical words of lexicon phrases that ``text`` spells by sound (see module doc)."""
    table, prefixes = _phrases_by_sound()
    found: list[str] = []
    text = re.sub(r"(?<=[a-z]) +(?=[a-z])", "", text)  # "duojiu fahuo" is one run of pinyin
    for run in _SOUND_RUN.findall(text):
        units = _units(run)
        i = 0
        while i < len(units):
            longest, sound = None, ""
            for size in range(1, min(6, len(units) - i) + 1):
                sound += units[i + size - 1][1]
                if sound not in prefixes:
                    break
                window = units[i : i + size]
                match = next((p for p in table.get(sound, ()) if _sounds_like(window, p)), None)
                if match and size >= 2:
                    longest = (size, match)
            if longest:
                found.append(_CANONICAL[longest[1]])
                i += longest[0]
            else:
                i += 1
    return found


def canonical(text: str) -> str:
    """The text rewritten (lexicon.REWRITES), body measures and every lexicon phrase replaced
    by its canonical word (spaced apart), and words spelled by sound appended."""
    plain = normalise(text)
    for pattern, replacement in _REWRITES:
        plain = pattern.sub(replacement, plain)
    plain = BODY_MEASURE.sub(f" {BODY_WORD} ", plain)
    parts, rest, end = [], [], 0
    for match in _PHRASE_PATTERN.finditer(plain):
        rest.append(plain[end : match.start()])
        parts.append(f"{plain[end : match.start()]} {_CANONICAL[match.group(0)]} ")
        end = match.end()
    rest.append(plain[end:])
    parts.append(plain[end:])
    heard = sound_alike_words(" ".join(rest))
    return "".join(parts) + "".join(f" {word}" for word in heard)


def _segment(source: str, segmenter) -> list[str]:
    return [
        w
        for w in (w.strip() for w in segmenter.lcut(source))
        if w and w not in STOPWORDS and any(ch.isalnum() for ch in w)
    ]


def words(text: str, *, synonyms: bool = True) -> list[str]:
    """jieba words of the (canonicalised) text without stopwords and punctuation."""
    if synonyms:
        return _segment(canonical(text), _jieba())
    return _segment(normalise(text), _plain_jieba())


def terms(text: str) -> dict[str, float]:
    """Weighted search terms: words, 'py:' pinyin of Chinese words (and of words typed in
    pinyin), 'bg:' character bigrams."""
    weighted: dict[str, float] = {}
    source = canonical(text)
    for word in _segment(source, _jieba()):
        weighted[word] = max(weighted.get(word, 0.0), WORD_WEIGHT)
        key = None
        if _CJK.fullmatch(word) and len(word) > 1:
            key = "py:" + _pinyin(word)
        elif word.isascii() and word.isalpha() and len(pinyin_syllables(word) or ()) >= 2:
            key = "py:" + word
        if key:
            weighted[key] = max(weighted.get(key, 0.0), PINYIN_WEIGHT)
    for run in _CJK.findall(source):
        for i in range(len(run) - 1):
            key = "bg:" + run[i : i + 2]
            weighted[key] = max(weighted.get(key, 0.0), BIGRAM_WEIGHT)
    return weighted


def plain_terms(text: str) -> dict[str, float]:
    """The baseline's terms: jieba words only, no synonyms, pinyin or bigrams."""
    return dict.fromkeys(words(text, synonyms=False), 1.0)
