"""Every role's day without a dead end: no link a page shows answers 403 to that role.

Walks the demo from the workbench, two links deep, as each demo login; a link to a page
the role may not open should not have been shown."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')
NOT_PAGES = ("/admin/", "/accounts/logout/", "/static/", "/api/v1/docs/", "/c/", "/i18n/")
MAX_PAGES = 150
LOGINS = ["xiaomei", "xiaoyu", "dafei", "lingling", "lijing", "wangfang"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo")
        yield
        call_command("flush", "--no-input")


def _shape(url: str) -> str:
    """One visit per kind of page: /tickets/12/ and /tickets/13/ are the same page."""
    return re.sub(r"\d+", "N", url)


def _walk(client: Client) -> dict[str, int]:
    answers: dict[str, int] = {}
    queue, depth, shapes = ["/"], {"/": 0}, {"/"}
    while queue and len(answers) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        answers[url] = response.status_code
        if depth[url] >= 2 or response.status_code != 200:
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if _shape(link) not in shapes and not link.startswith(NOT_PAGES):
                shapes.add(_shape(link))
                depth[link] = depth[url] + 1
                queue.append(link)
    return answers


@pytest.mark.parametrize("username", LOGINS)
def test_no_link_a_role_is_shown_refuses_it(demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    answers = _walk(client)
    assert len(answers) > 10
    refused = {url: code for url, code in answers.items() if code in (403, 404, 500)}
    assert not refused, refused
