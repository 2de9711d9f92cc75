"""The general rules the retriever reads buyer text with (knowledge/lexicon.py and
analysis.py): each is checked on phrasings of our own, not on lines of the question sets,
and each test fails when its rule is taken out."""

from pathlib import Path

import pytest

from knowledge.analysis import canonical, pinyin_syllables, sound_alike_words, terms
from knowledge.evaluation import engine_for, load_kb
from knowledge.lexicon import BODY_WORD

KB = Path(__file__).parent / "eval" / "kb.csv"


@pytest.fixture(scope="module")
def engine():
    return engine_for(load_kb(KB))


def _best(engine, text):
    found = engine.suggest(text, limit=3)
    return found[0].key if found else None


@pytest.mark.parametrize(
    "text", ["我身高158，体重九十斤", "1米72的个子130斤", "腰围二尺一", "168/55", "我有点微胖"]
)
def test_a_body_measure_or_shape_becomes_one_word(text):
    assert BODY_WORD in canonical(text).split()


def test_body_measures_lead_to_the_size_advice_not_to_the_fit(engine):
    assert _best(engine, "小个子一米五二，八十八斤拿哪个") == "K04"


@pytest.mark.parametrize(
    ("text", "general"),
    [("里面有没有锦纶", "面料"), ("是天丝的吗", "面料"), ("能寄去荷兰吗", "境外寄送")],
)
def test_specific_fibres_and_countries_become_the_general_word(text, general):
    assert general in canonical(text).split()


def test_a_fibre_name_finds_the_fabric_entry(engine):
    assert _best(engine, "有莫代尔成分没") == "K06"


@pytest.mark.parametrize(
    ("text", "word"),
    [("走的哪家物流", "快递公司"), ("穿几号合适", "尺码"), ("优惠卷在哪领", "优惠")],
)
def test_surface_variants_are_rewritten_before_phrases_match(text, word):
    assert word in canonical(text).split()


def test_the_carrier_asked_as_logistics_finds_the_carrier_entry(engine):
    assert _best(engine, "一般给发啥物流呀") == "K01"


@pytest.mark.parametrize(
    ("text", "word"),
    [("衣服会起求么", "起球"), ("退货运废险有没", "运费险"), ("kaifapiao", "发票")],
)
def test_a_phrase_spelled_by_sound_counts_as_the_phrase(text, word):
    assert word in sound_alike_words(text)


@pytest.mark.parametrize("text", ["这个包有夹层吗", "好伤心啊", "现在付款吧"])
def test_a_real_word_that_only_sounds_like_a_phrase_is_left_alone(text):
    assert sound_alike_words(text) == []


def test_a_typo_by_sound_still_finds_the_entry(engine):
    assert _best(engine, "羊毛衫穿着穿着会起求不") == "K07"


def test_pinyin_typed_words_get_their_pinyin_term():
    """快递 is no lexicon phrase, so only the pinyin term can meet an entry's 快递."""
    assert pinyin_syllables("kuaidi") == ["kuai", "di"]
    assert pinyin_syllables("hello") is None
    assert terms("kuaidi")["py:kuaidi"] == terms("快递")["py:kuaidi"]


def test_a_garment_named_by_its_fibre_is_not_a_fabric_question():
    assert "面料" not in canonical("棉袄穿着暖和吗").split()
    assert "面料" in canonical("是棉的吗").split()


def test_the_models_measures_are_not_the_buyers():
    assert BODY_WORD not in canonical("模特的身高体重是多少").split()
    assert BODY_WORD in canonical("我的身高体重是160 50kg").split()
