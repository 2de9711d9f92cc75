"""An agent sees suggested replies for the buyer's message in the workspace within a moment,
inserts one with a click and sends it; the side panel shows the product's knowledge."""

import time
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import Message, Sender
from chats.services.intake import buyer_message_receive
from knowledge.services import knowledge_import
from knowledge.sources import forget_engines
from tests.chats.factories import make_channel
from tests.factories import make_order, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KB = Path(__file__).resolve().parents[1] / "knowledge" / "eval" / "kb.csv"
SHOWN_WITHIN_SECONDS = 5


def test_agent_inserts_a_suggested_reply_and_sends_it(
    browser, live_server, log_in, screenshot, shop
):
    forget_engines()
    knowledge_import(actor=None, shop=shop, path=KB, now=timezone.now())
    channel = make_channel(shop)
    message, _ = buyer_message_receive(
        channel=channel, buyer_nick="爱吃草莓的兔子", text="在吗", now=timezone.now()
    )
    conversation = message.conversation
    make_order(shop, buyer=conversation.buyer, item_title="双面羊绒大衣 中长款 驼色")
    agent = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1001")
    log_in(agent)
    browser.get(f"{live_server.url}/chats/{conversation.pk}/")
    side = WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=product-knowledge]"))
    )
    assert "羊绒大衣怎么保养" in side.text

    buyer_message_receive(
        channel=channel, buyer_nick="爱吃草莓的兔子", text="穿久了会起毛球吗", now=timezone.now()
    )
    asked = time.monotonic()
    suggestion = WebDriverWait(browser, 10).until(
        EC.presence_of_element_located(
            (By.XPATH, "//*[@data-testid='suggestion'][contains(., '抗起球')]")
        )
    )
    assert time.monotonic() - asked <= SHOWN_WITHIN_SECONDS
    screenshot("suggestions")
    suggestion.click()
    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    assert "抗起球" in box.get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=send]").click()
    WebDriverWait(browser, 10).until(
        lambda _driver: Message.objects.filter(
            sender=Sender.AGENT, text__contains="抗起球"
        ).exists()
    )
    screenshot("sent")
