"""Sections other apps register in the supervisors' inbox speak the reader's language:
their titles are registered at start-up, so they must stay lazy until a page renders them."""

import pytest

from accounts.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "titles"),
    [("zh-hans", ["差评要挟", "中差评超时"]), ("en", ["Review extortion", "Overdue reviews"])],
)
def test_registered_inbox_sections_are_titled_in_the_readers_language(
    shop, login, language, titles
):
    supervisor = make_user(shop, Role.SUPERVISOR, language=language)
    page = login(supervisor).get("/tickets/inbox/").content.decode()
    for title in titles:
        assert f"<h2>{title} " in page
