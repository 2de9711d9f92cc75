import pytest

from .scripts import install_scripts


@pytest.fixture
def scripts(shop):
    """Shop A's 催付 / 回访 / 好评 scripts."""
    return install_scripts(shop)
