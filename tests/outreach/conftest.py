import pytest

from .scripts import install_scripts


@pytest.fixture
def scripts(shop):
    """Shop A's 催付 / 回访 / 好评 scripts."""
    return install_scripts(shop)


@pytest.fixture(autouse=True)
def scripts_library(monkeypatch):
    """Stands in for scripts_lib until its interface is merged."""
    from outreach import texts

    from . import scripts as fake

    fake._scripts.clear()
    monkeypatch.setattr(
        texts, "shop_script", lambda shop, category: fake._scripts.get((shop.pk, category))
    )
    monkeypatch.setattr(texts, "render", lambda script, context: script.format(**context))
