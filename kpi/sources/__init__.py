"""One module per source of figures. Each exposes:

- ``SHOP_FIELDS`` / ``AGENT_FIELDS``: the counters (kpi.figures) it fills;
- ``AVAILABLE``: whether its source exists on this installation. When it does not, its
  counters stay None ("无数据") — never zero, never guessed;
- ``collect(shop, start, end) -> Collected``: the counters of [start, end) for the shop and
  for each agent (by user id).

Wiring a new source is local: fill its module and flip ``AVAILABLE``.
"""

from . import after_sale, chats, orders, outreach, quality, reviews, tickets

SOURCES = [chats, orders, outreach, tickets, after_sale, reviews, quality]
