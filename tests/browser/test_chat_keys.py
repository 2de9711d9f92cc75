"""The queue pane from the keyboard, in headless Chromium at 1,400 px: an agent opens the
chat that has waited longest (Alt+N), picks a script (Alt+S, ↓, Enter) and sends (Enter)
without the mouse; and the pane in English keeps every button on one line."""

from datetime import timedelta

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import ChannelKind, Message, Sender
from helpdesk import clock
from tests.chats.factories import make_channel, make_conversation
from tests.factories import make_buyer, make_user
from tests.scripts_lib.factories import make_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# How many lines the element's text takes: the distinct tops of its text boxes.
LINES_OF_TEXT = """
var range = document.createRange();
range.selectNodeContents(arguments[0]);
var tops = Array.prototype.map.call(range.getClientRects(), function (r) { return r.top; });
var lines = 0, last = null;
tops.sort(function (a, b) { return a - b; }).forEach(function (top) {
  if (last === null || top - last > 8) { lines += 1; }
  last = top;
});
return lines;
"""


def alt(browser, key):
    ActionChains(browser).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()


def test_an_agent_opens_the_next_waiting_chat_picks_a_script_and_sends_by_keys(
    browser, live_server, log_in, screenshot, shop
):
    now = clock.now()
    bridge = make_channel(shop, ChannelKind.BRIDGE)
    make_conversation(shop, now=now - timedelta(seconds=20), channel=bridge)
    longest = make_conversation(
        shop, now=now - timedelta(seconds=150), channel=bridge, buyer=make_buyer(shop, "等最久的")
    )
    make_script(shop.team, code="dd", title="稍等", body="您好，请稍等，马上为您查询")
    agent = make_user(shop, Role.PRE_SALE)
    log_in(agent)
    browser.get(live_server.url + "/chats/?view=all")
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".queue-row.age-nearing"))
    )
    screenshot("queue")

    alt(browser, "n")
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located(
            (By.CSS_SELECTOR, f".conversation[data-conversation='{longest.pk}']")
        )
    )
    alt(browser, "s")
    search = browser.switch_to.active_element
    assert search.get_attribute("data-script-search") is not None
    search.send_keys("/dd")
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#script-results .script-choice"))
    )
    search.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    box = browser.switch_to.active_element
    assert box.get_attribute("data-composer-text") is not None
    assert box.get_attribute("value") == "您好，请稍等，马上为您查询"
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda _: Message.objects.filter(conversation=longest, sender=Sender.AGENT).exists()
    )
    sent = Message.objects.get(conversation=longest, sender=Sender.AGENT)
    assert (sent.text, sent.author_id) == ("您好，请稍等，马上为您查询", agent.pk)
    screenshot("sent")


def test_the_queue_pane_in_english_keeps_its_buttons_on_one_line(
    browser, live_server, log_in, screenshot, shop
):
    now = clock.now()
    make_conversation(shop, now=now - timedelta(seconds=200))
    agent = make_user(shop, Role.SUPERVISOR, language="en")
    log_in(agent)
    browser.get(live_server.url + "/chats/?view=all")
    browser.find_element(By.CSS_SELECTOR, ".queue-row").click()
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#assign-action"))
    )
    screenshot("english")
    browser.find_element(By.CSS_SELECTOR, "[data-key-help] summary").click()
    screenshot("english-help")
    buttons = browser.find_elements(
        By.CSS_SELECTOR,
        ".queue-pane button, .queue-pane .button, .queue-tabs a, .conversation-actions button,"
        " .conversation-actions summary",
    )
    wrapped = [
        b.text for b in buttons if b.is_displayed() and browser.execute_script(LINES_OF_TEXT, b) > 1
    ]
    assert not wrapped
    assert "Load 0/8" in browser.find_element(By.CSS_SELECTOR, "[data-testid=load]").text
