from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accounts.roles import Role
from orders.importing.runs import import_run_execute
from orders.models import ImportRun, ImportStatus
from orders.tasks import import_run_task
from tests.factories import make_shop, make_team, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parents[2] / "orders/fixtures/ExportOrderList202611231030.csv"


def test_in_sale_agent_uploads_an_export_and_watches_the_report(
    browser, live_server, log_in, screenshot, settings, tmp_path, monkeypatch, now
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(import_run_task, "delay_on_commit", lambda run_id: None)
    shop = make_shop(make_team(), code="yunshang-tmall", name="云裳女装天猫旗舰店")
    log_in(make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001"))
    browser.get(live_server.url + "/orders/import/")
    Select(browser.find_element(By.NAME, "shop")).select_by_value("yunshang-tmall")
    browser.find_element(By.NAME, "file").send_keys(str(FIXTURE))
    screenshot("form")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    assert browser.find_element(By.CSS_SELECTOR, "progress.import-progress")
    screenshot("queued")

    run = import_run_execute(run_id=ImportRun.objects.get().pk, now=now)
    assert run.status == ImportStatus.DONE
    counts = browser.find_element(By.CSS_SELECTOR, ".import-counts")  # htmx poll swaps it in
    assert "11" in counts.text
    assert "科学计数法" in browser.find_element(By.ID, "import-status").text
    screenshot("report")
