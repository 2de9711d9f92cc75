import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from orders.models import Memo, OrderItem, Problem, ProblemCategory, ProblemState
from tests.factories import make_buyer, make_order, make_user
from tests.orders.factories import make_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_in_sale_agent_claims_from_the_queue_and_resolves(
    browser, live_server, log_in, screenshot, shop, now
):
    agent = make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001")
    buyer = make_buyer(shop, nick="小鹿乱撞的猫", is_vip=True, size="M")
    order = make_order(
        shop,
        buyer=buyer,
        receiver_name="李娜",
        address="浙江省 杭州市 西湖区 文三路 478号 (310012)",
        item_title="法式碎花连衣裙",
    )
    OrderItem.objects.create(
        order=order, line_key="1", title="法式碎花连衣裙", price="269.00", quantity=1
    )
    problem = make_problem(shop, now, category=ProblemCategory.MESSAGE_UNMET, order=order)
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    log_in(agent)
    browser.get(live_server.url + "/orders/problems/")
    wait = WebDriverWait(browser, 10)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-problem]")))
    first_row = browser.find_elements(By.CSS_SELECTOR, "[data-problem-row]")[0]
    if first_row.get_attribute("data-problem-row") != str(problem.pk):
        browser.find_element(By.CSS_SELECTOR, f"[data-problem-row='{problem.pk}'] a").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-problem='{problem.pk}']")))
    assert "法式碎花连衣裙" in browser.find_element(By.CLASS_NAME, "card-pane").text
    browser.find_element(By.TAG_NAME, "body").send_keys("c")
    wait.until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=assignee]"), "小雨")
    )
    reason = browser.find_element(By.CSS_SELECTOR, "input[name=reason][required]")
    reason.send_keys("已与买家确认，留言要求可以满足")
    screenshot("claimed")
    browser.find_element(By.CSS_SELECTOR, "button[data-action=resolve]").click()
    wait.until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=problem-state]"), "已解决")
    )
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=memos]"), "2001"))
    screenshot("resolved")
    problem.refresh_from_db()
    assert problem.state == ProblemState.RESOLVED and problem.assignee == agent
    assert Memo.objects.filter(order=order, work_number="2001").exists()
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-problem-row]")
    assert str(problem.pk) not in [r.get_attribute("data-problem-row") for r in rows]
    assert Problem.objects.filter(state=ProblemState.OPEN).count() == 1
    errors = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]
    assert not errors, errors


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_problem_filters_fold_into_one_line_and_stay_as_left(
    browser, live_server, log_in, screenshot, shop, now, language
):
    from selenium.webdriver.support.ui import Select

    agent = make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001")
    agent.language = language
    agent.save(update_fields=["language"])
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    log_in(agent)
    browser.get(live_server.url + "/orders/problems/?assignee=none")
    box = browser.find_element(By.CSS_SELECTOR, "[data-testid=problem-filters]")
    assert box.get_attribute("open") is None
    assert box.size["height"] < 60  # a summary line, not four rows of selects
    unclaimed = "未认领" if language == "zh-hans" else "Unclaimed"
    assert unclaimed in box.find_element(By.TAG_NAME, "summary").text
    screenshot("folded")
    box.find_element(By.TAG_NAME, "summary").click()
    Select(browser.find_element(By.NAME, "state")).select_by_value("all")
    WebDriverWait(browser, 10).until(EC.url_contains("state=all"))
    browser.refresh()
    box = browser.find_element(By.CSS_SELECTOR, "[data-testid=problem-filters]")
    WebDriverWait(browser, 5).until(lambda _: box.get_attribute("open") is not None)
    screenshot("open-after-reload")


def test_the_queue_keeps_every_filter_through_save_address_and_claim_next(
    browser, live_server, log_in, screenshot, shop, team, now
):
    """Filters set in the filter block survive claiming, saving an address (the list
    reloads itself) and 认领下一个 (a redirect): the list never jumps to 负责人=我的."""
    from urllib.parse import parse_qs, urlsplit

    from selenium.webdriver.support.ui import Select

    from tests.factories import make_shop

    second = make_shop(team, code="shop-c", name="C店")
    agent = make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001")
    agent.memberships.create(shop=second, role=Role.IN_SALE)
    problems = [make_problem(shop, now) for _ in range(3)]
    make_problem(second, now)
    make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK)
    log_in(agent)
    browser.get(live_server.url + "/orders/problems/")
    wait = WebDriverWait(browser, 10)
    browser.find_element(By.CSS_SELECTOR, "[data-category=address_change]").click()
    wait.until(EC.url_contains("category=address_change"))
    browser.find_element(By.CSS_SELECTOR, "[data-testid=problem-filters] summary").click()
    for name, value, marker in [
        ("state", "all", "state=all"),
        ("shop", str(shop.pk), f"shop={shop.pk}"),
        ("assignee", "none", "assignee=none"),
        ("per_page", "20", "per_page=20"),
    ]:
        Select(browser.find_element(By.NAME, name)).select_by_value(value)
        wait.until(EC.url_contains(marker))
    chosen = {
        "category": ["address_change"],
        "state": ["all"],
        "shop": [str(shop.pk)],
        "assignee": ["none"],
        "per_page": ["20"],
    }

    def filters_kept():
        query = parse_qs(urlsplit(browser.current_url).query)
        query.pop("selected", None)
        assert query == chosen, query
        for name in ("state", "shop", "assignee", "per_page"):
            select = Select(browser.find_element(By.NAME, name))
            assert select.first_selected_option.get_attribute("value") == chosen[name][0]
        rows = browser.find_elements(By.CSS_SELECTOR, "[data-problem-row]")
        assert rows and all(
            int(r.get_attribute("data-problem-row")) in {p.pk for p in problems} for r in rows
        )

    first = problems[0]
    browser.find_element(By.CSS_SELECTOR, f"[data-problem-row='{first.pk}'] a").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-problem='{first.pk}']")))
    browser.find_element(By.CSS_SELECTOR, "[data-hotkey=claim]").click()
    wait.until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=assignee]"), "小雨")
    )
    # The claimed problem leaves the unclaimed list: the list reloaded with its filters.
    wait.until(
        EC.invisibility_of_element_located((By.CSS_SELECTOR, f"[data-problem-row='{first.pk}']"))
    )
    for name, value in [("province", "浙江省"), ("city", "杭州市"), ("district", "西湖区")]:
        field = browser.find_element(By.CSS_SELECTOR, f"#problem-work [name={name}]")
        field.clear()
        field.send_keys(value)
    detail = browser.find_element(By.CSS_SELECTOR, "#problem-work [name=detail]")
    detail.clear()
    detail.send_keys("文三路 100号")
    save = browser.find_element(
        By.XPATH, "//div[@id='problem-work']//button[normalize-space()='保存地址']"
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", save)
    save.click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=memos]"), "文三路"))
    wait.until(lambda _: browser.execute_script("return !document.querySelector('.htmx-request')"))
    filters_kept()
    screenshot("after-save-address")

    browser.find_element(By.CSS_SELECTOR, "[data-hotkey=claim-next]").click()
    wait.until(EC.url_contains("selected="))
    claimed = int(parse_qs(urlsplit(browser.current_url).query)["selected"][0])
    assert claimed in {p.pk for p in problems[1:]}
    assert Problem.objects.get(pk=claimed).assignee == agent
    filters_kept()
    screenshot("after-claim-next")
