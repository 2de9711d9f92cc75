import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Photos land in a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def agent(staff):
    from accounts.roles import Role

    return staff[Role.AFTER_SALE]


@pytest.fixture
def supervisor(staff):
    from accounts.roles import Role

    return staff[Role.SUPERVISOR]
