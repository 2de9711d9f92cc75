"""The rollup's counters are listed once, by the rollup models; sources fill exactly them."""

from collections import Counter
from decimal import Decimal

from kpi.figures import COMMON_COUNTERS, SHOP_COUNTERS
from kpi.models import AgentDay, ShopDay, counter_zero
from kpi.sources import SOURCES


def test_the_counters_are_the_rollup_models_columns():
    assert COMMON_COUNTERS[:3] == ["reception_count", "inquiry_count", "paying_count"]
    assert SHOP_COUNTERS[: len(COMMON_COUNTERS)] == COMMON_COUNTERS
    assert {"orders", "sales", "problems_by_category", "orders_30d"} <= set(SHOP_COUNTERS)
    assert not {"id", "shop", "day", "computed_at", "generated"} & set(SHOP_COUNTERS)
    assert "orders_updated_at" not in SHOP_COUNTERS and "agent" not in COMMON_COUNTERS


def test_each_counter_is_filled_by_exactly_one_source():
    shop = Counter(field for source in SOURCES for field in source.SHOP_FIELDS)
    agent = Counter(field for source in SOURCES for field in source.AGENT_FIELDS)
    assert sorted(shop) == sorted(SHOP_COUNTERS) and set(shop.values()) == {1}
    assert sorted(agent) == sorted(COMMON_COUNTERS) and set(agent.values()) == {1}


def test_a_quiet_day_counts_zero_in_each_columns_own_type():
    assert counter_zero(ShopDay, "sales") == Decimal("0.00")
    assert str(counter_zero(ShopDay, "sales")) == "0.00"
    assert str(counter_zero(AgentDay, "qa_score_total")) == "0.0"
    assert counter_zero(ShopDay, "problems_by_category") == {}
    assert counter_zero(AgentDay, "reception_count") == 0
