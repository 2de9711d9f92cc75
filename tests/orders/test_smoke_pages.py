import pytest

from accounts.roles import Role
from orders.models import ProblemCategory
from tests.factories import make_buyer, make_order

from .factories import make_problem, make_sku

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_an_in_sale_agent(login, shop, staff, now):
    client = login(staff[Role.IN_SALE])
    buyer = make_buyer(shop)
    order = make_order(shop, buyer=buyer)
    sku = make_sku(shop)
    problems = [
        make_problem(shop, now, category=c, order=order if c == "cod_confirm" else None)
        for c in ProblemCategory.values
    ]
    urls = [
        "/orders/",
        f"/orders/{order.pk}/",
        f"/orders/buyers/{buyer.pk}/",
        "/orders/stock/",
        "/orders/digest/",
        f"/orders/problems/new/?order={order.pk}&category=address_change",
        "/orders/problems/",
    ]
    urls += [f"/orders/problems/?selected={p.pk}" for p in problems]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert sku
    response = client.get(f"/orders/problems/{problems[0].pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
