"""Who may take whom off a shop, and who may switch a whole account off or on.

A shop's manager ends a person's membership of that shop; the account is the person's
access to every shop, so switching it needs authority over all of them; nobody but a
superuser touches a superuser."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.errors import StaffChangeRefused
from accounts.models import Membership
from accounts.roles import Role
from accounts.services import membership_end, membership_set_role, user_deactivate
from audit.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# session, user, roles, the shop, its members, their other shops
QUERIES = 6


@pytest.fixture
def shared_agent(shop, other_shop):
    """Works pre-sale in shop A and after-sale in shop B (another team's shop)."""
    agent = make_user(shop, Role.PRE_SALE, username="shared")
    Membership.objects.create(user=agent, shop=other_shop, role=Role.AFTER_SALE)
    return agent


def _post(client, name, shop, user):
    return client.post(reverse(f"accounts:{name}", args=[shop.code, user.pk]))


def test_manager_of_one_shop_cannot_deactivate_someone_who_also_works_elsewhere(
    login, staff, shop, shared_agent
):
    response = _post(login(staff[Role.MANAGER]), "staff_deactivate", shop, shared_agent)
    assert response.status_code == 403
    assert "您不管理的店铺" in response.content.decode()
    shared_agent.refresh_from_db()
    assert shared_agent.is_active
    assert not AuditEvent.objects.filter(verb="user.deactivated").exists()


def test_manager_ends_the_membership_of_their_own_shop_only(
    login, staff, shop, other_shop, shared_agent
):
    response = _post(login(staff[Role.MANAGER]), "staff_remove", shop, shared_agent)
    assert response.status_code == 302
    shared_agent.refresh_from_db()
    assert shared_agent.is_active
    assert list(shared_agent.memberships.values_list("shop", flat=True)) == [other_shop.pk]
    event = AuditEvent.objects.get(verb="membership.ended")
    assert event.changes == {"role": [Role.PRE_SALE.value, None]} and event.shop_id == shop.pk


def test_a_manager_of_every_shop_of_the_person_may_deactivate_and_reactivate(
    login, staff, shop, other_shop, shared_agent
):
    manager = staff[Role.MANAGER]
    Membership.objects.create(user=manager, shop=other_shop, role=Role.MANAGER)
    client = login(manager)
    assert _post(client, "staff_deactivate", shop, shared_agent).status_code == 302
    shared_agent.refresh_from_db()
    assert not shared_agent.is_active

    page = client.get(reverse("accounts:shop_staff", args=[shop.code])).content.decode()
    assert reverse("accounts:staff_reactivate", args=[shop.code, shared_agent.pk]) in page
    assert _post(client, "staff_reactivate", shop, shared_agent).status_code == 302
    shared_agent.refresh_from_db()
    assert shared_agent.is_active
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs[-3:] == ["user.deactivated", "user.access_revoked", "user.reactivated"]


def test_reactivation_needs_the_same_authority(login, staff, shop, shared_agent):
    shared_agent.is_active = False
    shared_agent.save()
    response = _post(login(staff[Role.MANAGER]), "staff_reactivate", shop, shared_agent)
    assert response.status_code == 403
    shared_agent.refresh_from_db()
    assert not shared_agent.is_active


def test_nobody_but_a_superuser_touches_a_superuser(login, staff, shop, now):
    root = make_user(shop, Role.MANAGER, username="root", is_superuser=True, is_staff=True)
    client = login(staff[Role.MANAGER])
    assert _post(client, "staff_deactivate", shop, root).status_code == 403
    assert _post(client, "staff_remove", shop, root).status_code == 403
    with pytest.raises(StaffChangeRefused):
        membership_set_role(
            actor=staff[Role.MANAGER], user=root, shop=shop, role=Role.PRE_SALE, now=now
        )
    root.refresh_from_db()
    assert root.is_active and root.memberships.get().role == Role.MANAGER
    page = client.get(reverse("accounts:shop_staff", args=[shop.code])).content.decode()
    assert reverse("accounts:staff_deactivate", args=[shop.code, root.pk]) not in page
    assert reverse("accounts:staff_remove", args=[shop.code, root.pk]) not in page

    other_root = make_user(shop, Role.MANAGER, is_superuser=True)
    user_deactivate(actor=root, user=other_root, shop=shop, now=now)
    other_root.refresh_from_db()
    assert not other_root.is_active


def test_a_superuser_may_switch_off_someone_of_shops_they_do_not_manage(
    staff, shop, shared_agent, now
):
    root = make_user(shop, Role.MANAGER, username="root", is_superuser=True)
    user_deactivate(actor=root, user=shared_agent, shop=shop, now=now)
    shared_agent.refresh_from_db()
    assert not shared_agent.is_active


def test_nobody_switches_off_or_removes_themselves(staff, shop, now):
    manager = staff[Role.MANAGER]
    with pytest.raises(StaffChangeRefused):
        user_deactivate(actor=manager, user=manager, shop=shop, now=now)
    with pytest.raises(StaffChangeRefused):
        membership_end(actor=manager, user=manager, shop=shop, now=now)
    manager.refresh_from_db()
    assert manager.is_active and manager.memberships.exists()


def test_a_supervisor_may_not_remove_anyone(staff, shop, now):
    with pytest.raises(PermissionDenied):
        membership_end(actor=staff[Role.SUPERVISOR], user=staff[Role.PRE_SALE], shop=shop, now=now)
    assert staff[Role.PRE_SALE].memberships.exists()


def test_the_staff_page_says_who_can_only_be_removed(login, staff, shop, shared_agent):
    page = login(staff[Role.MANAGER]).get(reverse("accounts:shop_staff", args=[shop.code]))
    html = page.content.decode()
    assert reverse("accounts:staff_remove", args=[shop.code, shared_agent.pk]) in html
    assert reverse("accounts:staff_deactivate", args=[shop.code, shared_agent.pk]) not in html
    agent = staff[Role.PRE_SALE]
    assert reverse("accounts:staff_deactivate", args=[shop.code, agent.pk]) in html


@pytest.mark.parametrize("extra", [0, 6])
def test_the_staff_page_runs_a_fixed_number_of_queries(
    login, staff, shop, other_shop, extra, django_assert_num_queries
):
    for n in range(extra):
        member = make_user(shop, Role.PRE_SALE)
        if n % 2:
            Membership.objects.create(user=member, shop=other_shop, role=Role.PRE_SALE)
    client = login(staff[Role.MANAGER])
    client.get(reverse("home"))
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("accounts:shop_staff", args=[shop.code])).status_code == 200
