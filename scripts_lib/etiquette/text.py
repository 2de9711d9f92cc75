"""Text helpers the rules share: clause boundaries, and masking of polite 不-phrases.

Polite fixed phrases (不客气, 不好意思 …) and A-not-A questions (能不能, 可不可以) are
blanked out (same length) before the refusal rules look at the text."""

import re

BOUNDARY = set("，。！？!?,.;；:：~～…、 \n\t\"'“”‘’（）()【】[]")
MASK = "\u3000"

# Fixed phrases with 不 that are polite or describe a product's good qualities.
POLITE_PHRASES = (
    "不客气",
    "不好意思",
    "不用谢",
    "不谢",
    "不错",
    "不用担心",
    "不要担心",
    "不必担心",
    "不用着急",
    "不要着急",
    "不着急",
    "不麻烦",
    "不辛苦",
    "不见不散",
    "不定期",
    "不满意",
    "不合适",
    "不掉色",
    "不褪色",
    "不退色",
    "不脱色",
    "不变色",
    "不掉毛",
    "不起皱",
    "不透",
    "不起球",
    "不变形",
    "不缩水",
    "不刺激",
    "不过敏",
    "不闷",
    "不容错过",
    "不能错过",
    "要不",
)
_POLITE_RE = re.compile("|".join(sorted(POLITE_PHRASES, key=len, reverse=True)))
_A_NOT_A_RE = re.compile(r"(能|行|可|是|要|会|好|对|退|换|发|送|到|支持|包)不\1")


def masked(text: str) -> str:
    """``text`` with polite 不-phrases and A-not-A questions blanked out (same length)."""

    def blank(match):
        return MASK * len(match.group(0))

    return _A_NOT_A_RE.sub(blank, _POLITE_RE.sub(blank, text))


def clause_before(text: str, index: int) -> str:
    start = index
    while start > 0 and text[start - 1] not in BOUNDARY:
        start -= 1
    return text[start:index]


def sentence_after(text: str, index: int) -> str:
    end = index
    while end < len(text) and text[end] not in "。！!\n":
        end += 1
        if text[end - 1] in "？?":
            break
    return text[index:end]
