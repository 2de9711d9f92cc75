"""Out-of-stock wishes: recorded once from the chat, one outbox message when stock rises."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.models import OutboxMessage
from chats.services import stock_notices, stock_wish_record
from orders.models import Sku, StockWish

from .factories import make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(shop):
    return Sku.objects.create(
        shop=shop, code="YS-CT-014-S", title="双面羊绒大衣", price=Decimal("1299"), stock=0
    )


def test_the_buyer_gets_one_message_when_stock_rises(login, shop, staff, now, sku):
    conversation = make_conversation(shop, now=now)
    client = login(staff[Role.PRE_SALE])
    url = reverse("chats:stock_wish", args=[conversation.pk])
    assert client.post(url, {"sku": sku.pk}).status_code == 302
    client.post(url, {"sku": sku.pk})
    assert StockWish.objects.count() == 1
    assert stock_notices(shop=None, now=now) == {"sent": 0, "skipped": 0}
    Sku.objects.filter(pk=sku.pk).update(stock=5)
    assert stock_notices(shop=None, now=now) == {"sent": 1, "skipped": 0}
    assert stock_notices(shop=shop, now=now) == {"sent": 0, "skipped": 0}
    row = OutboxMessage.objects.get()
    assert row.kind == "stock_notice" and "双面羊绒大衣" in row.text
    assert row.conversation == conversation


def test_a_sku_of_another_shop_is_refused(shop, other_shop, staff, now):
    from chats.errors import ChatError

    foreign = Sku.objects.create(shop=other_shop, code="X", title="别家商品", price=1, stock=0)
    conversation = make_conversation(shop, now=now)
    with pytest.raises(ChatError):
        stock_wish_record(
            actor=staff[Role.PRE_SALE], conversation=conversation, sku=foreign, now=now
        )
