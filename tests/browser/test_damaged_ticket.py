import pytest
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.roles import Role
from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from tests.factories import make_user
from tests.tickets.factories import received_order
from tickets.models import Ticket
from tickets.states import TicketState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _state(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, "[data-testid=ticket-state]").text


def _submit(browser, selector, within=None):
    """Click a submit button and wait for the next page to load in its place. The button is
    looked up again when Chromium reports it detached (the page was still settling under
    load); a click that went through replaces the page, so it is never clicked twice."""
    page = browser.find_element(By.TAG_NAME, "html")

    def click(driver):
        try:
            (within or driver).find_element(By.CSS_SELECTOR, selector).click()
        except StaleElementReferenceException:
            return False
        except WebDriverException as error:
            if "does not belong to the document" not in str(error):
                raise
            return False
        return True

    WebDriverWait(browser, 15).until(click)
    WebDriverWait(browser, 15).until(EC.staleness_of(page))
    WebDriverWait(browser, 15).until(
        lambda driver: driver.execute_script("return document.readyState") == "complete"
    )


def _action_form(browser, action):
    return browser.find_element(By.XPATH, f"//button[@data-action='{action}']/ancestor::form")


def test_agent_works_a_damaged_item_from_creation_to_closed(
    browser, live_server, log_in, screenshot, shop, now, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private"
    agent = make_user(shop, Role.AFTER_SALE, display_name="大飞", work_number="3001")
    order = received_order(shop, now, item_title="青瓷茶杯 两只装")
    photo = tmp_path / "broken-cup.jpg"
    Image.new("RGB", (800, 600), (180, 200, 190)).save(photo, format="JPEG")
    log_in(agent)

    browser.get(f"{live_server.url}/tickets/new/?order={order.pk}")
    Select(browser.find_element(By.NAME, "type")).select_by_value("damaged")
    Select(browser.find_element(By.NAME, "reason")).select_by_value("damaged")
    browser.find_element(By.NAME, "description").send_keys("收到时外箱压扁，一只杯子碎了。")
    _submit(browser, "[data-testid=create-ticket]")
    assert _state(browser) == "待处理"

    _submit(browser, "button[data-action=approve]")
    assert "请先上传至少一张照片" in browser.find_element(By.CLASS_NAME, "flash").text
    browser.find_element(By.CSS_SELECTOR, "button[data-step=soothe]").click()
    WebDriverWait(browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#complaint-steps li.done"))
    )

    browser.find_element(By.NAME, "photo").send_keys(str(photo))
    _submit(browser, "[data-testid=upload-photo]")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=photos] img")
    _submit(browser, "button[data-action=approve]")
    assert _state(browser) == "已同意"
    screenshot("approved-with-photo")

    form = _action_form(browser, "compensate")
    form.find_element(By.NAME, "amount").send_keys("30")
    form.find_element(By.NAME, "reason").send_keys("买家同意补偿30元")
    _submit(browser, "button[data-action=compensate]", within=form)
    assert "外包装是否完好" in browser.find_element(By.CLASS_NAME, "flash").text

    fact = browser.find_element(By.CSS_SELECTOR, "[data-testid=signed-intact]")
    Select(fact.find_element(By.NAME, "signed_intact")).select_by_value("no")
    _submit(
        browser,
        "button[type=submit]",
        within=browser.find_element(By.CSS_SELECTOR, "[data-testid=signed-intact]"),
    )
    assert "否" in browser.find_element(By.CSS_SELECTOR, "[data-testid=signed-intact]").text
    form = _action_form(browser, "compensate")
    form.find_element(By.NAME, "amount").send_keys("30")
    form.find_element(By.NAME, "reason").send_keys("买家同意补偿30元")
    _submit(browser, "button[data-action=compensate]", within=form)
    assert _state(browser) == "待主管审批"
    screenshot("claim-awaits-supervisor")

    supervisor = make_user(shop, Role.SUPERVISOR, display_name="李静", work_number="7001")
    request = ApprovalRequest.objects.get()
    assert "签收时已发现包装破损" in request.reason
    approval_decide(actor=supervisor, request=request, approve=True, reason="", now=now)
    browser.refresh()
    assert _state(browser) == "已补偿"
    _submit(browser, "button[data-action=close]")
    assert _state(browser) == "已关闭"
    screenshot("closed")

    ticket = Ticket.objects.get()
    assert ticket.state == TicketState.CLOSED and ticket.photos.count() == 1
    assert str(ticket.compensation_amount) == "30.00" and "soothe" in ticket.complaint_steps
    assert all(
        "Content Security Policy" not in entry["message"] for entry in browser.get_log("browser")
    )
