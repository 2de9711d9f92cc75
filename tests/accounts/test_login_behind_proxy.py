"""Login lockout counts per client behind the TLS proxy: the client's address comes from
X-Forwarded-For, as many hops from the right as there are trusted proxies."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from helpdesk.client_ip import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"


def _login(client, username, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_one_clients_failures_behind_the_proxy_do_not_lock_out_the_others(client, staff, settings):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 1
    username = staff[Role.PRE_SALE].username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong", "203.0.113.7")
    assert _login(client, username, PASSWORD, "203.0.113.7").status_code == 429
    # The attacker cannot slip out by prepending an address of their choosing.
    assert _login(client, username, PASSWORD, "198.51.100.1, 203.0.113.7").status_code == 429

    colleague = _login(client, username, PASSWORD, "198.51.100.20")
    assert colleague.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, staff, settings):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 0
    username = staff[Role.PRE_SALE].username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong", "203.0.113.7")
    assert _login(client, username, PASSWORD, "198.51.100.20").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: only the connection is known
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_ip_takes_the_hop_the_trusted_proxies_wrote(
    settings, count, forwarded_for, expected
):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected
