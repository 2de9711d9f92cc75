import pytest
from django.core.management import call_command

from knowledge.models import AutoAnswerSetting, KnowledgeEntry
from knowledge.sources import engine_for, forget_engines


@pytest.mark.django_db
def test_every_demo_shop_gets_a_knowledge_base_matching_its_goods(capsys):
    forget_engines()
    call_command("seed_demo")
    counts = {
        code: KnowledgeEntry.objects.filter(shop__code=code).count()
        for code in ("yunshang-tmall", "yunshang-taobao", "shanye-tea")
    }
    assert all(n >= 7 for n in counts.values()), counts
    tea = KnowledgeEntry.objects.filter(shop__code="shanye-tea").first().shop
    best = engine_for(tea).suggest("龙井用多少度的水泡", item="明前西湖龙井 250g 礼盒")[0]
    assert best.key == "T01"
    assert AutoAnswerSetting.objects.filter(shop__code="yunshang-tmall", enabled=True).exists()
    forget_engines()
