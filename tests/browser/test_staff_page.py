import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Membership
from accounts.roles import Role
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_removes_a_shared_agent_from_their_shop_and_switches_off_their_own(
    browser, live_server, log_in, screenshot, shop, other_shop
):
    manager = make_user(shop, Role.MANAGER, display_name="王芳")
    shared = make_user(shop, Role.PRE_SALE, username="shared", display_name="阿杰")
    Membership.objects.create(user=shared, shop=other_shop, role=Role.PRE_SALE)
    own = make_user(shop, Role.IN_SALE, username="own", display_name="小雨")
    log_in(manager)
    browser.get(f"{live_server.url}/accounts/shops/{shop.code}/staff/")

    shared_row = browser.find_element(By.CSS_SELECTOR, "[data-testid=member-shared]")
    assert "只能移出本店" in shared_row.text and "停用账号" not in shared_row.text
    screenshot("staff")
    shared_row.find_element(By.XPATH, ".//button[text()='移出本店']").click()
    WebDriverWait(browser, 10).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, 15).until(
        lambda driver: "已移出" in driver.find_element(By.TAG_NAME, "body").text
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=member-shared]")

    own_row = browser.find_element(By.CSS_SELECTOR, "[data-testid=member-own]")
    own_row.find_element(By.XPATH, ".//button[text()='停用账号']").click()
    WebDriverWait(browser, 10).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, 15).until(
        lambda driver: (
            "恢复账号" in driver.find_element(By.CSS_SELECTOR, "[data-testid=member-own]").text
        )
    )
    screenshot("after")
    shared.refresh_from_db()
    own.refresh_from_db()
    assert shared.is_active and list(shared.memberships.values_list("shop", flat=True)) == [
        other_shop.pk
    ]
    assert not own.is_active
