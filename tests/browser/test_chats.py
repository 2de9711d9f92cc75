"""The chat end to end in headless Chromium: a buyer on the web chat page and an agent in
the workspace, each in their own browser; and the automatic greeting sent by a real Celery
worker when nobody answers."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import AgentPresence, Message, PresenceStatus
from tests.chats.factories import make_channel
from tests.factories import make_user

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
LIVE_WITHIN_SECONDS = 2


def save_buyer_screenshot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"chats-{name}.png"))


def stored_at() -> float:
    """When the buyer's message is in the database: the 2 s count starts there."""
    deadline = time.monotonic() + 10
    while not Message.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return time.monotonic()


def buyer_starts(browser, live_server, shop, nick):
    browser.get(f"{live_server.url}/c/{shop.code}/")
    browser.find_element(By.NAME, "nick").send_keys(nick)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()


def buyer_says(browser, text):
    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def test_buyer_message_reaches_the_agent_live_and_the_reply_comes_back(
    browser, buyer_browser, live_server, log_in, screenshot, shop
):
    make_channel(shop)
    agent = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1001")
    log_in(agent)
    browser.get(live_server.url + "/chats/?view=all")

    buyer_starts(buyer_browser, live_server, shop, "爱吃草莓的兔子")
    buyer_says(buyer_browser, "这款连衣裙M码还有货吗？")
    sent = stored_at()
    row = WebDriverWait(browser, LIVE_WITHIN_SECONDS + 0.5).until(
        EC.presence_of_element_located((By.XPATH, "//a[contains(., '爱吃草莓的兔子')]"))
    )
    assert time.monotonic() - sent <= LIVE_WITHIN_SECONDS
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=unread]").text == "1"
    screenshot("agent-queue")

    row.click()
    WebDriverWait(browser, 3).until(
        EC.text_to_be_present_in_element((By.ID, "chat-log"), "M码还有货吗")
    )
    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    box.send_keys("您好，M码有现货，今天下单今天就能发出哦")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 3).until(
        EC.text_to_be_present_in_element((By.ID, "chat-log"), "今天就能发出")
    )
    WebDriverWait(browser, 3).until(  # replying claimed it: the pane shows who holds it
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".conversation-head"), "小美 (1001)")
    )
    screenshot("agent-replied")

    WebDriverWait(buyer_browser, LIVE_WITHIN_SECONDS + 0.5).until(
        EC.text_to_be_present_in_element((By.ID, "chat-log"), "今天就能发出")
    )
    save_buyer_screenshot(buyer_browser, "buyer-sees-reply")

    buyer_says(buyer_browser, '<img src=x onerror="alert(1)">')
    WebDriverWait(browser, 3).until(
        EC.text_to_be_present_in_element((By.ID, "chat-log"), "onerror")
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "#chat-log img")
    logs = browser.get_log("browser") + buyer_browser.get_log("browser")
    assert not [e for e in logs if "Content Security Policy" in e["message"]]


@pytest.fixture
def celery_worker():
    """A real worker on this test's database and broker (greeting countdowns need one)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "HELPDESK_TESTING": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "helpdesk",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database through PostgreSQL")
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_the_greeting_fires_when_nobody_answers(
    celery_worker, browser, buyer_browser, live_server, log_in, screenshot, shop
):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the Redis broker")
    shop.greeting_delay_seconds = 3
    shop.save()
    make_channel(shop)
    agent = make_user(shop, Role.PRE_SALE, display_name="阿杰", work_number="1002")
    AgentPresence.objects.create(
        user=agent,
        status=PresenceStatus.ONLINE,
        changed_at=timezone.now(),
        last_seen_at=timezone.now(),
    )

    buyer_starts(buyer_browser, live_server, shop, "北方的狼1987")
    buyer_says(buyer_browser, "在吗？想问下这件大衣怎么洗")
    greeting = WebDriverWait(buyer_browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".msg-auto .bubble"))
    )
    assert "1002" in greeting.text
    save_buyer_screenshot(buyer_browser, "buyer-greeted")

    log_in(agent)
    browser.get(live_server.url + "/chats/?view=mine")
    browser.find_element(By.XPATH, "//a[contains(., '北方的狼1987')]").click()
    WebDriverWait(browser, 3).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".conversation-head"), "已自动问候")
    )
    screenshot("agent-sees-auto-greeting")


def test_composer_inserts_a_script_and_marks_etiquette_problems(
    browser, live_server, log_in, screenshot, shop
):
    from decimal import Decimal

    from scripts_lib.models import ReplyScript
    from tests.chats.factories import make_conversation
    from tests.factories import make_buyer, make_order

    agent = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1001")
    buyer = make_buyer(shop, "静待花开0521")
    make_order(shop, buyer, state="waiting_payment", total_amount=Decimal("368.00"))
    conversation = make_conversation(
        shop, now=timezone.now(), buyer=buyer, assignee=agent, state="active"
    )
    now = timezone.now()
    script = ReplyScript.objects.create(
        team=shop.team,
        category="payment",
        title="付款提醒",
        code="cf",
        body="{buyer_nick}您好，订单 {order_amount} 元在 {cutoff_time} 前付款，当天就能发出",
        created_at=now,
        updated_at=now,
    )
    log_in(agent)
    browser.get(f"{live_server.url}/chats/{conversation.pk}/")
    box = browser.find_element(By.CSS_SELECTOR, "[data-composer-text]")
    box.send_keys("/cf")
    choice = WebDriverWait(browser, 5).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, ".script-choice"))
    )
    choice.click()
    assert (
        box.get_attribute("value")
        == "静待花开0521您好，订单 368.00 元在 17:00 前付款，当天就能发出"
    )
    box.send_keys("，我不知道能不能便宜")
    WebDriverWait(browser, 5).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#draft-findings li"))
    )
    screenshot("findings")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        script.refresh_from_db()
        if script.use_count:
            break
        time.sleep(0.1)
    assert script.use_count == 1
