import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def chinese_messages():
    """The readers' messages are matched in Chinese, whatever language an earlier test in
    the same thread left active."""
    with translation.override("zh-hans"):
        yield
