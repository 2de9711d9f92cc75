"""Two agents on one conversation, each in their own Chromium: the one who does not hold
it sees the holder viewing and is warned when typing; the holder's reply written before
the buyer's newest message is held until the holder has seen it."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import Message, Sender
from chats.services import buyer_message_receive
from tests.chats.factories import make_channel, make_conversation
from tests.factories import make_buyer, make_user

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shows(driver, selector, text, within=12):
    WebDriverWait(driver, within).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text)
    )


def test_second_agent_sees_the_holder_is_warned_and_a_stale_reply_is_held(
    browser, second_browser, live_server, log_in, screenshot, shop
):
    channel = make_channel(shop)
    buyer = make_buyer(shop, "爱吃草莓的兔子")
    holder = make_user(shop, Role.PRE_SALE, username="xm", display_name="小美", work_number="1001")
    other = make_user(shop, Role.PRE_SALE, username="aj", display_name="阿杰", work_number="1002")
    conversation = make_conversation(
        shop, now=timezone.now(), channel=channel, buyer=buyer, assignee=holder, state="active"
    )
    page = f"{live_server.url}/chats/{conversation.pk}/"

    log_in(holder)
    browser.get(page)
    shows(browser, "#chat-log", "在吗？第0条")
    log_in(other, second_browser)
    second_browser.get(page)

    shows(second_browser, "[data-testid=watcher]", "小美 (1001)")
    assert not second_browser.find_elements(By.CSS_SELECTOR, "[data-testid=collision]")
    second_browser.find_element(By.CSS_SELECTOR, "[data-composer-text]").send_keys("亲")
    shows(second_browser, "[data-testid=collision]", "小美 (1001) 正在接待这个会话")
    ARTIFACTS.mkdir(exist_ok=True)
    second_browser.save_screenshot(str(ARTIFACTS / "presence-second-agent-warned.png"))

    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    box.send_keys("您好，这款有现货，今天下单今天就能发出哦")
    buyer_message_receive(
        channel=channel, buyer_nick=buyer.nick, text="我想换成蓝色的", now=timezone.now()
    )
    shows(browser, "#chat-log", "我想换成蓝色的", within=5)
    box.send_keys(Keys.ENTER)
    shows(browser, "[data-testid=unseen]", "我想换成蓝色的", within=5)
    assert not Message.objects.filter(sender=Sender.AGENT).exists()
    screenshot("reply-held")

    browser.find_element(By.CSS_SELECTOR, "[data-testid=send-unseen]").click()
    shows(browser, "#chat-log", "今天就能发出", within=5)
    assert Message.objects.filter(sender=Sender.AGENT, author=holder).count() == 1
    shows(browser, "[data-testid=watcher-typing], [data-testid=watcher]", "阿杰 (1002)")
    screenshot("reply-sent")
    logs = browser.get_log("browser") + second_browser.get_log("browser")
    assert not [e for e in logs if "Content Security Policy" in e["message"]]


def test_a_page_gone_without_saying_so_leaves_the_others_at_once(
    browser, second_browser, live_server, log_in, shop
):
    """The holder's browser goes away without its leave beacon (it crashed or was
    killed): its event stream ending removes its mark, announced, long before the mark
    would have expired (VIEWING_SECONDS after its last heartbeat)."""
    holder = make_user(shop, Role.PRE_SALE, username="xm", display_name="小美", work_number="1001")
    other = make_user(shop, Role.PRE_SALE, username="aj", display_name="阿杰", work_number="1002")
    conversation = make_conversation(shop, now=timezone.now(), assignee=holder, state="active")
    page = f"{live_server.url}/chats/{conversation.pk}/"
    log_in(holder)
    browser.get(page)
    shows(browser, "#chat-log", "在吗？第0条")
    log_in(other, second_browser)
    second_browser.get(page)
    shows(second_browser, "[data-testid=watcher]", "小美 (1001)")

    browser.execute_script("navigator.sendBeacon = function () { return true; };")
    browser.quit()

    WebDriverWait(second_browser, 10).until_not(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-presence-beat]"), "小美")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    second_browser.save_screenshot(str(ARTIFACTS / "presence-page-gone.png"))
