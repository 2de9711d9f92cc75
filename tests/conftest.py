import pytest

from accounts.roles import Role

from .factories import at, make_shop, make_team, make_user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters, dashboard figures and
    import progress of one test must not decide another's outcome."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now():
    """A fixed moment: Monday 2026-11-23 10:30 in Shanghai."""
    return at(2026, 11, 23, 10, 30)


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def shop(team):
    return make_shop(team, code="shop-a", name="A店")


@pytest.fixture
def other_shop(db):
    """A shop of another team: nothing of it may ever show in shop A's pages."""
    return make_shop(make_team("别家团队"), code="shop-b", name="B店")


@pytest.fixture
def staff(shop):
    """One member of shop A for every role."""
    return {role: make_user(shop, role, username=f"{role.value}_a") for role in Role}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
