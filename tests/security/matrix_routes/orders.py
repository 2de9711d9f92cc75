"""Orders, the import, in-sale problems, buyers, stock, the digest, and their API."""

from .base import Route, pk_of, shop_query

order_pk = pk_of("order")
problem_pk = pk_of("problem")
buyer_pk = pk_of("buyer")
sku_pk = pk_of("sku")
# Writes an allowed role may see answered 400/409 once an earlier role already acted.
SETTLED = frozenset({400, 409})


def order_query(ctx, shop):
    return {"order": ctx.obj("order", shop).pk}


def problem_note(ctx, shop):
    return {"pk": ctx.obj("problem", shop).pk, "action": "note"}


def sku_of_shop(ctx, shop):
    return {"sku": ctx.obj("sku", shop).pk}


NOTE = {"text": "请发顺丰", "flag": "red"}

ROUTES: dict[str, Route] = {
    "orders:list": Route("orders.view"),
    "orders:detail": Route("orders.view", order_pk, shop_scoped=True),
    "orders:memo": Route("problems.work", order_pk, method="post", shop_scoped=True, data=NOTE),
    "orders:import": Route("orders.import"),
    # No file: the allowed roles get the form back with a 400.
    "orders:import#upload": Route(
        "orders.import", method="post", data=shop_query, shop_scoped=True, also_ok=frozenset({400})
    ),
    "orders:import_run": Route("orders.import", pk_of("import_run"), shop_scoped=True),
    "orders:import_sample": Route("orders.import"),
    "orders:import_items_sample": Route("orders.import"),
    "orders:problems": Route("problems.view"),
    "orders:problem_new": Route("problems.open", data=order_query, shop_scoped=True),
    "orders:problem_new#open": Route(
        "problems.open",
        method="post",
        data=lambda ctx, shop: {**order_query(ctx, shop), "category": "address_change"},
        shop_scoped=True,
    ),
    "orders:claim_next": Route("problems.view", method="post"),
    "orders:problem": Route("problems.view", problem_pk, shop_scoped=True),
    "orders:problem_action": Route(
        "problems.work", problem_note, method="post", shop_scoped=True, data=NOTE
    ),
    "orders:buyer": Route("buyers.view", buyer_pk, shop_scoped=True),
    # The buyer file's two forms: anyone edits notes, in-sale and up set the flags.
    "orders:buyer#notes": Route(
        "buyers.edit",
        buyer_pk,
        method="post",
        shop_scoped=True,
        data={"part": "notes", "size": "M"},
    ),
    "orders:buyer#flags": Route(
        "buyers.flag",
        buyer_pk,
        method="post",
        shop_scoped=True,
        data={"part": "flags", "is_vip": "on"},
    ),
    "orders:buyer_wish_add": Route(
        "buyers.edit", buyer_pk, method="post", shop_scoped=True, data=sku_of_shop
    ),
    "orders:stock": Route("stock.manage"),
    "orders:stock_set": Route(
        "stock.manage", sku_pk, method="post", shop_scoped=True, data={"stock": 5}
    ),
    "orders:digest": Route("problems.view", data=shop_query, shop_scoped=True),
    "orders:digest_build": Route("problems.view", method="post", data=shop_query, shop_scoped=True),
    "orders:digest_xlsx": Route("problems.view", pk_of("digest"), shop_scoped=True),
    "api-orders": Route("orders.view", data=shop_query, shop_scoped=True),
    "api-order": Route("orders.view", order_pk, shop_scoped=True),
    "api-problems": Route("problems.view", data=shop_query, shop_scoped=True),
    "api-problem-claim-next": Route(
        "problems.work", method="post", data=shop_query, shop_scoped=True
    ),
    "api-problem-claim": Route(
        "problems.work", problem_pk, method="post", shop_scoped=True, also_ok=SETTLED
    ),
    "api-problem-transition": Route(
        "problems.work",
        problem_pk,
        method="post",
        shop_scoped=True,
        data={"action": "contact"},
        also_ok=SETTLED,
    ),
    "api-problem-memo": Route(
        "problems.work",
        problem_pk,
        method="post",
        shop_scoped=True,
        data={"reason": "请发顺丰", "flag": "red"},
        also_ok=SETTLED,
    ),
}
