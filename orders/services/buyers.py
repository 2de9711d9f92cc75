"""Buyer files (客户档案) and out-of-stock wishes (到货通知); setting a stock figure, which may
message the waiting buyers, is chats' (chats/services/stock.py)."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit, changed_fields

from ..errors import ProblemError
from ..models import Buyer, Sku, StockWish

NOTE_FIELDS = ["height_cm", "weight_kg", "size", "style", "notes", "opted_out"]
"""Any agent records what a buyer tells them (including "stop messaging me")."""
FLAG_FIELDS = ["is_vip", "is_malicious"]
"""Marking a VIP or a malicious buyer changes how everyone treats them: in-sale and up."""


def _clean(field: str, value):
    if field == "height_cm":
        if value in (None, ""):
            return None
        try:
            height = int(value)
        except (TypeError, ValueError):
            raise ProblemError(_("身高请填写整数（厘米）。")) from None
        if not 50 <= height <= 250:
            raise ProblemError(_("身高应在 50–250 厘米之间。"))
        return height
    if field == "weight_kg":
        if value in (None, ""):
            return None
        try:
            weight = Decimal(str(value)).quantize(Decimal("0.1"))
        except InvalidOperation:
            raise ProblemError(_("体重请填写数字（公斤）。")) from None
        if not Decimal(10) <= weight <= Decimal(300):
            raise ProblemError(_("体重应在 10–300 公斤之间。"))
        return weight
    if field in ("opted_out", "is_vip", "is_malicious"):
        return bool(value)
    limit = Buyer._meta.get_field(field).max_length
    return (value or "").strip()[:limit]


@transaction.atomic
def buyer_update(*, actor: User, buyer: Buyer, values: dict, now: datetime) -> Buyer:
    """Change the buyer file. Only the fields present in ``values`` change; flags need
    ``buyers.flag``, notes ``buyers.edit``."""
    unknown = set(values) - set(NOTE_FIELDS) - set(FLAG_FIELDS)
    if unknown:
        raise ProblemError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if set(values) & set(NOTE_FIELDS):
        require(actor, "buyers.edit", buyer)
    if set(values) & set(FLAG_FIELDS):
        require(actor, "buyers.flag", buyer)
    buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
    fields = list(values)
    before = {f: getattr(buyer, f) for f in fields}
    for field, value in values.items():
        setattr(buyer, field, _clean(field, value))
    changes = changed_fields(before, buyer, fields)
    if changes:
        buyer.save(update_fields=list(changes))
        audit(actor, "buyer.updated", buyer, changes=changes, now=now)
    return buyer


def stock_wish_add(*, actor: User, buyer: Buyer, sku: Sku, now: datetime) -> tuple[StockWish, bool]:
    """Record that the buyer wants to hear when ``sku`` is back. One waiting wish per buyer
    and SKU: a second call returns the first and created=False."""
    require(actor, "buyers.edit", buyer)
    if sku.shop_id != buyer.shop_id:
        raise ProblemError(_("请选择本店的商品。"))
    existing = StockWish.objects.filter(buyer=buyer, sku=sku, notified_at__isnull=True).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            wish = StockWish.objects.create(buyer=buyer, sku=sku, created_by=actor, created_at=now)
            audit(
                actor, "buyer.stock_wish_added", buyer, changes={"sku": [None, sku.code]}, now=now
            )
    except IntegrityError:
        return StockWish.objects.get(buyer=buyer, sku=sku, notified_at__isnull=True), False
    return wish, True
