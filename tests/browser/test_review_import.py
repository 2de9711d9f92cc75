from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.roles import Role
from reviews.models import Review
from tests.factories import make_shop, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "orders/fixtures/ExportRateList202611231030.csv"


def test_review_specialist_previews_then_imports_the_review_export(
    browser, live_server, log_in, screenshot
):
    team = make_team()
    shop = make_shop(team, code="yunshang-tmall", name="云裳女装天猫旗舰店", platform="tmall")
    make_shop(team, code="yunshang-taobao", name="云裳女装淘宝店")
    specialist = make_user(shop, Role.REVIEW_SPECIALIST, display_name="玲玲", work_number="4001")
    log_in(specialist)
    browser.get(live_server.url + "/reviews/")
    browser.find_element(By.LINK_TEXT, "导入评价报表").click()
    shops = Select(browser.find_element(By.NAME, "shop"))
    assert [option.text for option in shops.options] == ["云裳女装天猫旗舰店（天猫）"]

    browser.find_element(By.NAME, "file").send_keys(str(SAMPLE))
    browser.find_element(By.NAME, "dry_run").click()
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    result = WebDriverWait(browser, 20).until(
        shown.presence_of_element_located((By.CSS_SELECTOR, ".import-result.import-preview"))
    )
    assert "预览" in result.text and "没有写入任何数据" in result.text
    assert not Review.objects.exists()
    screenshot("preview")

    browser.find_element(By.NAME, "file").send_keys(str(SAMPLE))
    browser.find_element(By.NAME, "dry_run").click()
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    result = WebDriverWait(browser, 20).until(
        shown.presence_of_element_located((By.CSS_SELECTOR, ".import-result.import-imported"))
    )
    counts = [e.text for e in result.find_elements(By.CSS_SELECTOR, ".import-counts dd")]
    assert counts == ["4", "0", "0", "1", "0"]
    assert Review.objects.filter(shop=shop).count() == 4
    screenshot("report")

    browser.get(live_server.url + "/reviews/")
    assert (
        "裙子腰线做工粗糙"
        in browser.find_element(By.CSS_SELECTOR, "[data-testid=review-rows]").text
    )
