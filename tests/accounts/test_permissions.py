import pytest
from django.core.exceptions import PermissionDenied

from accounts.permissions import ACTIONS, can, require, restrict, shop_ids_for
from accounts.roles import Role
from accounts.selectors import shop_for, shops_for
from orders.models import Order
from tests.factories import make_order, make_user

pytestmark = pytest.mark.django_db


def test_in_sale_agent_of_shop_a_sees_nothing_of_shop_b(shop, other_shop):
    agent = make_user(shop, Role.IN_SALE)
    mine, foreign = make_order(shop), make_order(other_shop)

    visible = restrict(Order.objects.all(), agent, "orders.view")

    assert list(visible) == [mine]
    assert can(agent, "orders.view", mine)
    assert not can(agent, "orders.view", foreign)
    assert list(shops_for(agent)) == [shop]
    with pytest.raises(type(other_shop).DoesNotExist):
        shop_for(agent, other_shop.code)


def test_role_ladder_grants_in_sale_work_to_in_sale_and_up_only(shop, staff):
    allowed = {role for role, user in staff.items() if can(user, "problems.work", shop)}
    assert allowed == {
        Role.IN_SALE,
        Role.AFTER_SALE,
        Role.REVIEW_SPECIALIST,
        Role.SUPERVISOR,
        Role.MANAGER,
    }


def test_reviews_are_for_review_specialists_supervisors_and_managers(shop, staff):
    allowed = {role for role, user in staff.items() if can(user, "reviews.work", shop)}
    assert allowed == {Role.REVIEW_SPECIALIST, Role.SUPERVISOR, Role.MANAGER}


def test_require_refuses_with_permission_denied(shop, staff):
    with pytest.raises(PermissionDenied):
        require(staff[Role.PRE_SALE], "audit.view", shop)
    require(staff[Role.SUPERVISOR], "audit.view", shop)


def test_a_user_with_no_membership_may_do_nothing(shop):
    outsider = make_user()
    assert not any(can(outsider, action, shop) for action in ACTIONS)
    assert shop_ids_for(outsider, "orders.view") == []


def test_inactive_shop_grants_nothing(shop):
    agent = make_user(shop, Role.MANAGER)
    shop.is_active = False
    shop.save()
    agent = type(agent).objects.get(pk=agent.pk)
    assert not can(agent, "orders.view", shop)


def test_unknown_action_is_a_programming_error(shop, staff):
    with pytest.raises(ValueError):
        can(staff[Role.MANAGER], "orders.teleport", shop)


def test_anonymous_user_may_do_nothing(shop):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "orders.view", shop)
