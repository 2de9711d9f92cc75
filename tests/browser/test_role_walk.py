"""Every demo role's main flow in headless Chromium, in every CI run: each step opens what
the role works on (a waiting chat, a problem, a ticket, a review, an approval's chat,
a QA sample, the dashboard, shop settings and staff), and every link a step shows is checked for
that role through an authenticated in-process client, never 403/404/500.

Fetching the links through the test client instead of navigating Chromium to each keeps
the walk cheap (tests/browser/test_roles.py has the slow all-navigation walk, on demand)."""

import re
import time

import pytest
from django.test import Client
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WALK_BUDGET_SECONDS = 90
NOT_PAGES = ("/admin/", "/accounts/logout/", "/static/", "/api/v1/docs/", "/c/", "/i18n/")
VISIBLE_LINKS = """
return [...document.querySelectorAll("a[href]")]
  .filter((a) => a.offsetParent !== null)
  .map((a) => new URL(a.href, location.href))
  .filter((u) => u.origin === location.origin)
  .map((u) => u.pathname + u.search);
"""
OPEN_FIRST = """
const link = [...document.querySelectorAll(arguments[0])].find((a) => a.offsetParent !== null);
if (!link) return null;
link.scrollIntoView({block: "center"});
link.click();
return link.href;
"""

# Per role: (page, the link to open on it or None, a button to press afterwards or None,
# what shows once the step is done).
WAITING_CHAT = "a.queue-row[data-state=queued]"
FLOWS = {
    "xiaomei": [
        ("/", None, None, ".mainnav"),
        ("/chats/?view=waiting", WAITING_CHAT, None, "#conversation-pane"),
        ("/orders/", "main a[href^='/orders/'][href$='/']", None, "main"),
    ],
    "xiaoyu": [
        ("/orders/problems/", "[data-problem-row] a", None, "[data-problem]"),
        ("/orders/import/", None, None, "[data-testid=import-columns]"),
    ],
    "dafei": [
        ("/tickets/", "[data-testid=ticket-queue] a[href^='/tickets/']", None, "main"),
        ("/chats/?view=waiting", WAITING_CHAT, None, "#conversation-pane"),
    ],
    "lingling": [
        ("/reviews/", "main td.review-text a", None, "[data-testid=review-state]"),
    ],
    "lijing": [
        ("/tickets/inbox/", "main a[href^='/chats/']", None, "#conversation-pane"),
        ("/kpi/qa/", "main a[href^='/kpi/qa/'][href$='/']", None, "main"),
        ("/kpi/", None, None, "main"),
        ("/audit/", None, None, "main"),
    ],
    "wangfang": [
        ("/kpi/", None, None, "main"),
        ("/accounts/shops/yunshang-tmall/", None, None, "main"),
        ("/accounts/shops/yunshang-tmall/staff/", None, None, "main"),
    ],
}


def _shape(url: str) -> str:
    """One check per kind of link: /tickets/12/ and /tickets/13/ are the same page."""
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def _log_in(browser, live_server, username):
    from helpdesk.demo import DEMO_PASSWORD

    browser.delete_all_cookies()
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    WebDriverWait(browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".userbox .who"))
    )


def _shows(browser, selector: str) -> bool:
    try:
        WebDriverWait(browser, 10).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, selector))
        )
    except TimeoutException:
        return False
    return True


def _walk(browser, live_server, username, steps) -> tuple[list[str], set[str]]:
    """Drive the role's flow; return the steps that did not complete and the links seen."""
    links, stuck = set(), []
    _log_in(browser, live_server, username)
    for page, open_link, press, shows in steps:
        browser.get(live_server.url + page)
        links.update(browser.execute_script(VISIBLE_LINKS))
        if open_link and browser.execute_script(OPEN_FIRST, open_link) is None:
            stuck.append(f"{page}: no {open_link} to open")
            continue
        if press:
            if not _shows(browser, press):
                stuck.append(f"{page}: no {press}")
                continue
            button = browser.find_element(By.CSS_SELECTOR, press)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
            button.click()
        if not _shows(browser, shows):
            stuck.append(f"{page}: {shows} did not show")
        if browser.title.startswith(("没有权限", "找不到页面", "Server Error")):
            stuck.append(f"{page}: {browser.title}")
        links.update(browser.execute_script(VISIBLE_LINKS))
    return stuck, links


def _refused(user, links) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    checked, refused = set(), {}
    for link in sorted(links):
        if link.startswith(NOT_PAGES) or _shape(link) in checked:
            continue
        checked.add(_shape(link))
        status = client.get(link).status_code
        if status in (403, 404, 500):
            refused[link] = status
    assert len(checked) >= 10, checked
    return refused


def test_each_demo_role_does_its_main_flow_and_no_visible_link_refuses_it(
    browser, live_server, screenshot, settings
):
    from django.core.management import call_command

    from accounts.models import User

    # Polling instead of pushed events: with push on, pages opened after a chat page took
    # tens of seconds to load in the test server (seen in this walk, not yet explained).
    settings.LIVE_PUSH = False
    started = time.monotonic()
    call_command("seed_demo")
    stuck, seen = {}, {}
    for username, steps in FLOWS.items():
        role_stuck, seen[username] = _walk(browser, live_server, username, steps)
        screenshot(username)
        if role_stuck:
            stuck[username] = role_stuck
    # The links are checked once every walk is over: the in-process client and the live
    # server share the database, and the walk must not wait on the checks.
    refused = {}
    for username, links in seen.items():
        role_refused = _refused(User.objects.get(username=username), links)
        if role_refused:
            refused[username] = role_refused
    elapsed = time.monotonic() - started
    assert not stuck, stuck
    assert not refused, refused
    assert elapsed < WALK_BUDGET_SECONDS, f"the walk took {elapsed:.0f}s"
