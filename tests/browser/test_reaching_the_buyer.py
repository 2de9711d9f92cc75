"""In the browser: a problem's script reaches the buyer's web chat, and the survey at the
end of a chat is a link the buyer can click."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import Conversation
from chats.services import conversation_close
from orders.models import ProblemCategory
from tests.chats.factories import make_channel
from tests.factories import make_order, make_user
from tests.orders.factories import make_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def buyer_chats(browser, live_server, shop, nick, text):
    browser.get(f"{live_server.url}/c/{shop.code}/")
    browser.find_element(By.NAME, "nick").send_keys(nick)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda _driver: Conversation.objects.exists())
    return Conversation.objects.get()


def test_a_problem_script_sent_from_the_pane_appears_in_the_buyers_chat(
    browser, live_server, log_in, screenshot, shop
):
    make_channel(shop)
    conversation = buyer_chats(browser, live_server, shop, "爱吃草莓的兔子", "我改一下地址")
    order = make_order(shop, buyer=conversation.buyer, address="浙江省 杭州市")
    problem = make_problem(
        shop, timezone.now(), category=ProblemCategory.ADDRESS_UNCLEAR, order=order
    )
    agent = make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001")
    browser.delete_all_cookies()
    log_in(agent)
    browser.get(f"{live_server.url}/orders/problems/?selected={problem.pk}")
    wait = WebDriverWait(browser, 10)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=send-script-ask_detail]").click()
    wait.until(lambda _driver: conversation.messages.filter(sender="agent").exists())
    screenshot("sent")
    link = browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-conversation]")
    link.click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), order.order_id))
    screenshot("conversation")


def test_the_buyer_clicks_the_survey_link_and_rates(browser, live_server, screenshot, shop):
    make_channel(shop)
    conversation = buyer_chats(browser, live_server, shop, "北方的狼1987", "谢谢")
    agent = make_user(shop, Role.PRE_SALE)
    conversation_close(
        actor=agent, conversation=conversation, outcome="no_sale", now=timezone.now()
    )
    wait = WebDriverWait(browser, 10)
    link = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=survey-link]")))
    screenshot("survey-link")
    link.click()
    browser.find_element(By.CSS_SELECTOR, "button[name=rating][value='5']").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=rated]")))
    conversation.refresh_from_db()
    assert conversation.csat_rating == 5
