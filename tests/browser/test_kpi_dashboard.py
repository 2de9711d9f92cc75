from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from kpi.days import local_day
from kpi.models import ShopDsr
from tests.factories import make_user
from tests.kpi.factories import make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_dashboard_draws_its_charts(browser, live_server, log_in, screenshot, shop):
    owner = make_user(shop, Role.MANAGER, display_name="王芳", work_number="8001")
    make_history(shop, [make_user(shop, Role.PRE_SALE) for _ in range(4)], days=40)
    today = local_day(timezone.now())
    for n, (description, service, logistics) in enumerate(
        [("4.83", "4.86", "4.80"), ("4.82", "4.86", "4.79"), ("4.80", "4.85", "4.79")]
    ):
        ShopDsr.objects.create(
            shop=shop,
            day=today - timedelta(days=1 + 10 * n),
            description=Decimal(description),
            service=Decimal(service),
            logistics=Decimal(logistics),
            source="form",
            recorded_at=timezone.now(),
        )
    log_in(owner)
    browser.set_window_size(1400, 2400)
    browser.get(live_server.url + "/kpi/?days=30")
    wait = WebDriverWait(browser, 10)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#chart-sales canvas")))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#chart-response canvas")))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#chart-problems canvas")))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#chart-dsr canvas")))
    cards = browser.find_element(By.CSS_SELECTOR, "[data-testid=dsr-cards]").text
    assert "4.83" in cards and "较7天前" in cards
    refunds = browser.find_element(By.CSS_SELECTOR, "#chart-refunds .kpi-no-data")
    assert refunds.text == "无数据"
    label = browser.find_element(
        By.XPATH, "//table[contains(@class, 'kpi-figures')]//th[normalize-space()='询单转化率']"
    )
    assert label.get_attribute("title").startswith("付款人数")
    screenshot("dashboard")
    errors = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
    ]
    assert not errors, errors


def test_manager_records_todays_dsr_and_the_dashboard_shows_it(
    browser, live_server, log_in, screenshot, shop
):
    owner = make_user(shop, Role.MANAGER, display_name="王芳", work_number="8001")
    log_in(owner)
    browser.set_window_size(1280, 900)
    browser.get(live_server.url + "/kpi/dsr/")
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=dsr-form]")
    for name, value in (("description", "4.83"), ("service", "4.86"), ("logistics", "4.8")):
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
    assert "4.80" in browser.find_element(By.CSS_SELECTOR, "table.grid").text
    screenshot("dsr-page")
    browser.get(live_server.url + "/kpi/?days=7")
    cards = WebDriverWait(browser, 10).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=dsr-cards]"))
    )
    assert "4.83" in cards.text and "4.86" in cards.text


def test_owner_of_two_shops_sees_the_combined_figures_first_then_each_shop(
    browser, live_server, log_in, screenshot, team, shop
):
    from accounts.models import Membership
    from kpi.models import ShopDay
    from tests.factories import make_shop

    second = make_shop(team, code="shop-a2", name="二号店")
    owner = make_user(shop, Role.MANAGER, display_name="王芳", work_number="8001")
    Membership.objects.create(user=owner, shop=second, role=Role.MANAGER)
    yesterday = local_day(timezone.now()) - timedelta(days=1)
    for each, orders, inquiries, paying in ((shop, 10, 20, 5), (second, 30, 5, 5)):
        ShopDay.objects.create(
            shop=each,
            day=yesterday,
            computed_at=timezone.now(),
            orders=orders,
            sales=Decimal(orders * 50),
            inquiry_count=inquiries,
            paying_count=paying,
            orders_30d=orders * 10,
            refunded_30d=orders,
            after_sale_30d=orders,
        )
    log_in(owner)
    browser.set_window_size(1400, 2400)
    browser.get(live_server.url + "/kpi/")
    sections = browser.find_elements(
        By.CSS_SELECTOR, "[data-testid=kpi-combined], [data-testid=kpi-shop]"
    )
    assert [s.get_attribute("data-testid") for s in sections] == [
        "kpi-combined",
        "kpi-shop",
        "kpi-shop",
    ]
    assert "全部店铺合计（2 家）" in sections[0].text
    assert [s.get_attribute("data-shop") for s in sections[1:]] == ["shop-a", "shop-a2"]
    conversion = sections[0].find_element(By.CSS_SELECTOR, "[data-key=inquiry_conversion] strong")
    assert conversion.text == "40.0%"  # 10 of 25 inquiring buyers, not an average of 25 % and 100 %
    assert sections[0].find_element(By.CSS_SELECTOR, "[data-key=orders] strong").text == "40"
    assert sections[2].find_element(By.CSS_SELECTOR, "[data-key=orders] strong").text == "30"
    screenshot("overview")
    sections[2].find_element(By.PARTIAL_LINK_TEXT, "查看店铺看板").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "chart-sales")))
    assert "二号店 · 数据看板" in browser.find_element(By.TAG_NAME, "h1").text
