"""Problem detection on import: which paid, not yet shipped orders need an agent first.

Rules (DOMAIN.md, issue 4); what they find is opened as the system by
``problems_open_detected`` (the rows and audit events of ``problem_open``, in bulk):

- cod_confirm: 运送方式 says 货到付款, or the order is COD by its state alone (the COD
  texts of 订单状态, kept as ``Order.is_cod`` at import); orders still in
  等待买家确认货到付款订单信息 are checked too, for this rule only: the buyer must agree to
  the COD cost before anything ships.
- address_unclear: no district, or no street detail, after parsing the address.
- out_of_area: Hong Kong, Macao or Taiwan by a courier other than SF Express (or none
  chosen yet), or a region the shop excludes (Shop.excluded_regions: names matched
  against the start of the province, city or district, so "新疆" excludes 新疆维吾尔自治区).
- message_unmet: a buyer message, for an agent to confirm it can be met.
- duplicate_orders: a buyer with two or more such orders at different addresses; each
  of them is flagged (several orders to one address are not a problem).
- shipping_condition: goods below the shop's free-shipping threshold and no postage paid.
- out_of_stock: the shop's stock of a SKU (matched by the line's 商家编码, or by the
  order's title when the item report has not been imported) cannot cover the paid,
  unshipped quantity. Stock goes to orders in the order they were paid; the orders
  beyond it are flagged.

Idempotent: a category is opened at most once per order by detection. An order that
already has a problem of that category, active or closed, is left alone, so re-importing a
file opens nothing new and a problem an agent resolved is not opened again.
"""

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, QuerySet

from accounts.models import Shop

from .models import Order, OrderItem, Problem, ProblemCategory, Sku
from .services import problems_open_detected
from .states import AWAITING_SHIPMENT_STATES, OrderState

BATCH = 2000
DETECTION_STATES = AWAITING_SHIPMENT_STATES | {OrderState.COD_WAITING_CONFIRM}
GREATER_CHINA_SF_ONLY = ("香港", "澳门", "台湾")
SF_NAMES = ("顺丰", "SF")

# What the rules read of an order (and what opening a problem needs).
READ_FIELDS = (
    "shop_id",
    "order_id",
    "buyer_id",
    "state",
    "shipping_method",
    "is_cod",
    "courier",
    "address",
    "province",
    "city",
    "district",
    "address_detail",
    "buyer_message",
    "postage",
    "goods_amount",
    "total_amount",
)
Finding = tuple[str, dict]
DUPLICATE: Finding = (
    ProblemCategory.DUPLICATE_ORDERS,
    {"reason": "同一买家有多个待发货订单，收货地址不同"},
)


def detect_problems(*, shop: Shop, orders: Iterable[Order], now: datetime) -> dict[str, int]:
    """Open the problems the rules find among ``orders`` (a queryset or a list, of a few
    thousand at most) that are paid and not shipped; return {category: number opened}.

    A handful of queries per batch of 2,000 orders; only flat queries (no nested IN-subqueries), because inside the import's
    transaction the planner has no statistics for the rows just written."""
    # No shop condition in SQL: the orders come from the shop already, and a shop
    # condition makes the planner walk every order of a shop its statistics do not know
    # yet (a new shop's first big import) instead of probing the primary keys.
    candidates = _as_queryset(orders).filter(state__in=DETECTION_STATES)
    shortages = dict(_shortages(shop, candidates))
    opened: Counter = Counter()
    seen: set[int] = set()
    peers: dict[int, list[Finding]] = {}
    rows = [o for o in candidates.only(*READ_FIELDS).order_by("pk") if o.shop_id == shop.pk]
    for batch in itertools.batched(rows, BATCH):
        duplicates = _duplicates({order.buyer_id for order in batch} - {None})
        findings = {}
        for order in batch:
            seen.add(order.pk)
            findings[order.pk] = (
                _order_findings(order, shop)
                if order.state in AWAITING_SHIPMENT_STATES
                else _cod_finding(order)
            )
            if order.pk in shortages:
                findings[order.pk].append(shortages[order.pk])
            if order.pk in duplicates:
                findings[order.pk].append(DUPLICATE)
        peers.update((pk, [DUPLICATE]) for pk in duplicates)
        _open(batch, findings, now, opened)
    for pk in seen:
        peers.pop(pk, None)
    for pk in shortages.keys() - seen:
        peers.setdefault(pk, []).append(shortages[pk])
    for pks in itertools.batched(sorted(peers), BATCH):
        others = list(Order.objects.filter(pk__in=pks).only(*READ_FIELDS))
        _open(others, {order.pk: peers[order.pk] for order in others}, now, opened)
    return dict(opened)


def _as_queryset(orders: Iterable[Order]) -> QuerySet:
    if isinstance(orders, QuerySet):
        return orders
    return Order.objects.filter(pk__in=[order.pk for order in orders])


def _open(batch, findings: dict[int, list[Finding]], now: datetime, opened: Counter) -> None:
    """Open what is found, skipping (order, category) pairs that ever had a problem."""
    if not any(findings.values()):
        return
    known = set(
        Problem.objects.filter(order__in=[o.pk for o in batch if findings.get(o.pk)]).values_list(
            "order_id", "category"
        )
    )
    fresh = []
    for order in batch:
        for category, detail in findings.get(order.pk, []):
            if (order.pk, category) not in known:
                known.add((order.pk, category))
                fresh.append((order, category, detail))
    opened.update(problems_open_detected(findings=fresh, now=now))


def _cod_finding(order: Order) -> list[Finding]:
    if order.is_cod or "货到付款" in order.shipping_method:
        return [(ProblemCategory.COD_CONFIRM, {"reason": "买家选择货到付款，需确认"})]
    return []


def _order_findings(order: Order, shop: Shop) -> list[Finding]:
    found = _cod_finding(order)
    if not order.district or len(order.address_detail.strip()) < 2:
        found.append((ProblemCategory.ADDRESS_UNCLEAR, {"reason": f"地址不完整：{order.address}"}))
    region = courier_unreachable(order, shop)
    if region:
        found.append((ProblemCategory.OUT_OF_AREA, {"reason": region}))
    if order.buyer_message.strip():
        found.append(
            (ProblemCategory.MESSAGE_UNMET, {"reason": f"买家留言：{order.buyer_message[:200]}"})
        )
    if _below_free_shipping(order, shop):
        found.append(
            (
                ProblemCategory.SHIPPING_CONDITION,
                {"reason": f"未满包邮门槛 {shop.free_shipping_threshold} 元且未付邮费"},
            )
        )
    return found


def courier_unreachable(order: Order, shop: Shop) -> str:
    """Why the shop's courier cannot deliver to the order's address, or "" (the
    out_of_area rule, and the COD workflow's check before shipping cash on delivery)."""
    if order.province.startswith(GREATER_CHINA_SF_ONLY):
        carrier = f"{order.courier} {order.shipping_method}".upper()
        if not any(name in carrier for name in SF_NAMES):
            return f"{order.province} 仅能发顺丰，当前快递：{order.courier or '未指定'}"
    for region in shop.excluded_regions or []:
        region = str(region).strip()
        if region and any(
            name.startswith(region) for name in (order.province, order.city, order.district)
        ):
            return f"店铺不发货地区：{region}"
    return ""


def _below_free_shipping(order: Order, shop: Shop) -> bool:
    threshold = shop.free_shipping_threshold
    if threshold is None or (order.postage or 0) > 0:
        return False
    goods = order.goods_amount
    if goods is None and order.total_amount is not None:
        goods = order.total_amount - (order.postage or 0)
    return goods is not None and goods < threshold


def _duplicates(buyer_ids: set[int]) -> set[int]:
    """The awaiting-shipment orders of those buyers who have them at several addresses
    (a buyer file belongs to one shop, so the buyer ids say which shop)."""
    if not buyer_ids:
        return set()
    orders_by_buyer = defaultdict(list)
    addresses_by_buyer = defaultdict(set)
    for pk, buyer_id, *parts in Order.objects.filter(
        state__in=AWAITING_SHIPMENT_STATES, buyer_id__in=buyer_ids
    ).values_list("pk", "buyer_id", "province", "city", "district", "address_detail"):
        orders_by_buyer[buyer_id].append(pk)
        addresses_by_buyer[buyer_id].add("".join(parts).replace(" ", ""))
    return {
        pk
        for buyer_id, addresses in addresses_by_buyer.items()
        if len(addresses) >= 2
        for pk in orders_by_buyer[buyer_id]
    }


def _shortages(shop: Shop, candidates: QuerySet) -> Iterable[tuple[int, Finding]]:
    """Orders beyond the stock of a SKU the candidates bought, first paid first served."""
    stock_by_code = dict(Sku.objects.filter(shop=shop).values_list("code", "stock"))
    if not stock_by_code:
        return
    stock_by_title: Counter = Counter()
    for title, stock in Sku.objects.filter(shop=shop).values_list("title", "stock"):
        stock_by_title[title] += stock
    awaiting = {"order__shop": shop, "order__state__in": AWAITING_SHIPMENT_STATES}
    codes = set(
        OrderItem.objects.filter(order__in=candidates, sku_code__in=list(stock_by_code))
        .values_list("sku_code", flat=True)
        .distinct()
    )
    if codes:
        lines = (
            OrderItem.objects.filter(sku_code__in=codes, **awaiting)
            .order_by("sku_code", F("order__paid_at").asc(nulls_last=True), "order_id")
            .values_list("sku_code", "order_id", "quantity")
        )
        yield from _allocate(lines.iterator(chunk_size=BATCH), stock_by_code, "商家编码")
    titles = set(
        candidates.filter(items__isnull=True, item_title__in=list(stock_by_title))
        .values_list("item_title", flat=True)
        .distinct()
    )
    if titles:
        untitled = (
            Order.objects.filter(
                shop=shop,
                state__in=AWAITING_SHIPMENT_STATES,
                items__isnull=True,
                item_title__in=titles,
            )
            .order_by("item_title", F("paid_at").asc(nulls_last=True), "pk")
            .values_list("item_title", "pk", "item_count")
        )
        yield from _allocate(untitled.iterator(chunk_size=BATCH), stock_by_title, "商品")


def _allocate(lines, stock: dict, label: str) -> Iterable[tuple[int, Finding]]:
    demand: Counter = Counter()
    for key, order_pk, quantity in lines:
        demand[key] += max(quantity, 1)
        if demand[key] > stock[key]:
            yield (
                order_pk,
                (
                    ProblemCategory.OUT_OF_STOCK,
                    {"reason": f"{label} {key} 库存 {stock[key]}，待发货需 {demand[key]}"},
                ),
            )
