"""A day in every role without a dead end, in headless Chromium: the hand-over from pre-sale
to after-sale, histories that read as words with links, and a walk over each role's main
navigation where no visible link answers 403."""

import os
import re

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import Conversation
from chats.services import conversation_claim
from tests.chats.factories import make_conversation
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_pre_sale_agent_hands_a_chat_to_after_sale_from_the_side_panel(
    browser, live_server, log_in, screenshot, shop
):
    agent = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1001")
    conversation = make_conversation(shop, now=timezone.now())
    conversation_claim(actor=agent, conversation=conversation, now=timezone.now())
    log_in(agent)
    browser.get(f"{live_server.url}/chats/{conversation.pk}/")
    _click(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=hand-to-after-sale]"))
    form = browser.find_element(By.CSS_SELECTOR, "#transfer-action form")
    assert form.find_element(By.NAME, "to_queue").get_attribute("value") == "after_sale"
    form.find_element(By.NAME, "reason").send_keys("买家收到的衣服开线")
    form.find_element(By.NAME, "wants").send_keys("想退货")
    form.find_element(By.NAME, "todo").send_keys("请售后跟进退货")
    screenshot("handover-form")
    _click(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    WebDriverWait(browser, 15).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "会话已转接")
    )
    screenshot("handed-over")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "403" not in browser.title and "没有权限" not in body
    conversation = Conversation.objects.get(pk=conversation.pk)
    assert conversation.queue == "after_sale" and conversation.assignee is None


STATUSES_OF_VISIBLE_LINKS = """
const seen = new Set(arguments[0]);
const done = arguments[arguments.length - 1];
const skip = ["/admin/", "/accounts/logout/", "/static/", "/api/v1/docs/", "/c/", "/i18n/"];
// One fetch per URL shape (ids as N): a list of fifty tickets is one link to check.
const shape = (u) => u.pathname.replace(/[0-9]+/g, "N") + "?" + [...u.searchParams.keys()].sort();
const byShape = new Map();
[...document.querySelectorAll("a[href]")]
  .filter((a) => a.offsetParent !== null)
  .map((a) => new URL(a.href, location.href))
  .filter((u) => u.origin === location.origin && !skip.some((s) => u.pathname.startsWith(s)))
  .forEach((u) => { if (!seen.has(shape(u)) && !byShape.has(shape(u))) byShape.set(shape(u), u); });
Promise.all([...byShape].map(([key, u]) =>
  fetch(u.pathname + u.search, {credentials: "same-origin"})
    .then((r) => [u.pathname + u.search, r.status, key])))
  .then(done, (error) => done([["error", String(error), ""]]));
"""


def _log_in_as_demo(browser, live_server, username):
    from helpdesk.demo import DEMO_PASSWORD

    browser.delete_all_cookies()
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    WebDriverWait(browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".userbox .who"))
    )


@pytest.mark.skipif(
    os.environ.get("HELPDESK_FULL_BROWSER_WALK") != "1",
    reason="12 minutes on the shared CI machine; tests/test_no_dead_links.py checks the same "
    "links per role through the test client in every run. Set HELPDESK_FULL_BROWSER_WALK=1.",
)
def test_each_demo_role_walks_its_main_navigation_without_a_refused_link(
    browser, live_server, screenshot
):
    """Every page of the main navigation, as each demo login: the page opens, and every link
    the page shows (fetched by the browser with the login's session, once per URL shape)
    answers, never 403."""
    from django.core.management import call_command

    call_command("seed_demo")
    browser.set_script_timeout(60)
    refused, walked = {}, {}
    for username in ("xiaomei", "xiaoyu", "dafei", "lingling", "lijing", "wangfang"):
        _log_in_as_demo(browser, live_server, username)
        nav = [
            a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".mainnav a")
        ]
        walked[username], shapes = 0, []
        for url in nav:
            browser.get(url)
            if browser.title.startswith(("没有权限", "找不到页面", "Server Error")):
                refused[(username, url)] = browser.title
            for href, status, shape in browser.execute_async_script(
                STATUSES_OF_VISIBLE_LINKS, shapes
            ):
                shapes.append(shape)
                walked[username] += 1
                if status in (403, 404, 500) or href == "error":
                    refused[(username, url, href)] = status
        screenshot(username)
    assert all(count >= 20 for count in walked.values()), walked
    assert not refused, refused


WEB_ADDRESS = re.compile(r"https?://\S+")
INTERNAL_CODE = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b"  # cash_rebate, idle_closed
    r"|\b[a-z]+\.[a-z_]+\b"  # conversation.idle_closed
    r"|\b[a-z]+ → [a-z]+\b"  # requested → approved
    r"|#\d+ \d+\b"  # "#6 6": an object named by its id twice
)


def _codes_on_page(browser) -> list[str]:
    """Codes in the page's words; a web address (a product's link) is content, not a code."""
    text = browser.find_element(By.TAG_NAME, "main").text
    return INTERNAL_CODE.findall(WEB_ADDRESS.sub(" ", text))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_histories_and_review_warnings_read_as_words_with_links(
    browser, live_server, screenshot, language
):
    """The audit log, a ticket's history and a review draft's warnings, in both languages:
    labels, not internal codes, and the audit rows link to what they are about."""
    from django.core.management import call_command

    from accounts.models import User
    from helpdesk import clock
    from reviews.models import Review
    from reviews.services import draft_save
    from tickets.models import TicketEvent

    call_command("seed_demo")
    specialist = User.objects.get(username="lingling")
    review = Review.objects.filter(shop__memberships__user=specialist).first()
    draft_save(
        actor=specialist,
        review=review,
        kind="public_reply",
        text="亲，给个五星好评返您3元红包",
        now=clock.now(),
    )
    User.objects.filter(username="wangfang").update(language=language)
    _log_in_as_demo(browser, live_server, "wangfang")

    browser.get(live_server.url + "/audit/")
    assert not _codes_on_page(browser), _codes_on_page(browser)
    linked = browser.find_elements(By.CSS_SELECTOR, "main table a[href]")
    assert len(linked) >= 5
    screenshot("audit-log")

    ticket_id = (
        TicketEvent.objects.exclude(from_state="").values_list("ticket_id", flat=True).first()
    )
    browser.get(f"{live_server.url}/tickets/{ticket_id}/")
    assert not _codes_on_page(browser), _codes_on_page(browser)
    screenshot("ticket-history")

    browser.get(f"{live_server.url}/reviews/{review.pk}/")
    warnings = browser.find_element(By.CSS_SELECTOR, "[data-testid=saved-drafts]").text
    assert "cash_rebate" not in warnings
    assert ("返现" in warnings) == (language == "zh-hans")
    assert ("cash" in warnings.lower()) == (language == "en")
    assert not _codes_on_page(browser), _codes_on_page(browser)
    screenshot("review-warnings")


def test_chat_tools_do_not_wrap_inside_their_buttons_in_english(
    browser, live_server, log_in, screenshot, shop
):
    supervisor = make_user(shop, Role.SUPERVISOR, display_name="李静", work_number="7001")
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    log_in(supervisor)
    browser.set_window_size(1400, 900)
    browser.get(live_server.url + "/chats/")
    for label in ("Go online", "Overdue alerts"):
        tool = browser.find_element(
            By.XPATH, f"//*[contains(@class, 'queue-tools')]//*[normalize-space()='{label}']"
        )
        line = float(
            browser.execute_script(
                "return parseFloat(getComputedStyle(arguments[0]).lineHeight) || 20", tool
            )
        )
        assert tool.size["height"] < 2 * line + 12, (label, tool.size)
    screenshot("chat-tools-en")
