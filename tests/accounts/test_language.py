"""The language switch follows the person, not the computer."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_english_chosen_on_one_computer_greets_the_agent_on_another(staff, now):
    agent = staff[Role.PRE_SALE]
    first = Client()
    first.force_login(agent)
    first.post(reverse("set_language"), {"language": "en", "next": "/"})

    second = Client()  # another shop computer: no language cookie
    second.force_login(agent)
    page = second.get(reverse("home")).content.decode()
    assert "Log out" in page and "退出" not in page
    assert AuditEvent.objects.get(verb="user.language_set").changes == {"language": ["", "en"]}


def test_a_colleague_on_the_same_computer_keeps_their_own_language(staff, now):
    shared = Client()
    shared.force_login(staff[Role.PRE_SALE])
    shared.post(reverse("set_language"), {"language": "en", "next": "/"})
    shared.force_login(staff[Role.IN_SALE])  # the cookie still says English
    staff[Role.IN_SALE].language = "zh-hans"
    staff[Role.IN_SALE].save(update_fields=["language"])
    assert "退出" in shared.get(reverse("home")).content.decode()


def test_the_login_page_follows_the_cookie(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_an_unknown_language_or_a_foreign_next_is_refused(client, staff):
    client.force_login(staff[Role.PRE_SALE])
    assert client.post(reverse("set_language"), {"language": "xx"}).status_code == 400
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
