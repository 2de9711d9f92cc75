"""Product cards and library images end to end in headless Chromium (issue 22), in Chinese
and in English: the supervisor uploads a size chart to the shop's library on the catalogue page; the agent
finds a product by search in the composer and sends it as a card, then sends the size
chart from the library; the buyer's phone-sized web chat renders both, images loaded."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from catalogue.models import LibraryImage
from chats.models import Conversation, Message
from tests.catalogue.factories import make_product, png_upload
from tests.chats.factories import make_channel
from tests.factories import make_user

from .conftest import ARTIFACTS
from .test_chat_photos import LANGUAGES, buyer_opens_chat, loaded_images, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@LANGUAGES
def test_an_agent_sends_a_product_card_and_a_library_image_the_buyer_sees_both(
    language,
    browser,
    buyer_browser,
    live_server,
    log_in,
    screenshot,
    shop,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "private"
    make_channel(shop)
    make_product(
        shop,
        title="双面羊绒大衣 驼色",
        price="899.00",
        link="https://item.taobao.com/item.htm?id=700000000123",
    )
    make_product(shop, title="纯棉短袜 三双装", price="29.90")
    supervisor = make_user(
        shop, Role.SUPERVISOR, display_name="李静", work_number="7001", language=language
    )
    agent = make_user(
        shop, Role.PRE_SALE, display_name="小美", work_number="1001", language=language
    )

    log_in(supervisor)
    browser.get(f"{live_server.url}/catalogue/images/?shop={shop.code}")
    chart = tmp_path / "size-chart.png"
    chart.write_bytes(png_upload(size=(300, 200)).read())
    browser.find_element(By.NAME, "name").send_keys("大衣尺码表")
    browser.find_element(By.NAME, "image").send_keys(str(chart))
    browser.find_element(By.CSS_SELECTOR, "[data-testid=library-upload]").click()
    WebDriverWait(browser, 10).until(lambda d: loaded_images(d, ".library-admin img") == 1)
    assert LibraryImage.objects.get().name == "大衣尺码表"
    screenshot("library")

    buyer_opens_chat(buyer_browser, f"{live_server.url}/c/{shop.code}/", language, "爱吃草莓的兔子")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-composer-text]").send_keys("大衣有尺码表吗")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-send]").click()
    WebDriverWait(buyer_browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg-buyer"))
    conversation = Conversation.objects.get()

    browser.delete_all_cookies()  # the supervisor leaves; the agent logs in
    log_in(agent)
    browser.get(f"{live_server.url}/chats/{conversation.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=product-picker] summary").click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=product-search]").send_keys("大衣")
    choice = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=product-card-send]")
    )
    assert (
        "双面羊绒大衣" in choice.text
        and "短袜" not in browser.find_element(By.ID, "product-results").text
    )
    choice.click()
    WebDriverWait(browser, 10).until(
        lambda d: loaded_images(d, "#chat-log [data-testid=product-card-image]") == 1
    )
    browser.find_element(By.CSS_SELECTOR, "[data-testid=library-picker] summary").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=library-image-send]")
    )[0].click()
    WebDriverWait(browser, 10).until(lambda d: loaded_images(d, "#chat-log .msg-image img") == 1)
    screenshot("agent-sent-card-and-image")
    assert Message.objects.filter(sender="agent").count() == 2

    card = WebDriverWait(buyer_browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".buyer-log [data-testid=product-card]")
    )
    assert "双面羊绒大衣" in card.text and "899.00" in card.text
    assert said(language, "参考价") in card.text and said(language, "查看商品") in card.text
    link = card.find_element(By.CSS_SELECTOR, "[data-testid=product-card-link]")
    assert link.get_attribute("href") == "https://item.taobao.com/item.htm?id=700000000123"
    WebDriverWait(buyer_browser, 10).until(
        lambda d: (
            loaded_images(d, ".buyer-log [data-testid=product-card-image]") == 1
            and loaded_images(d, ".buyer-log .msg-image img") == 1
        )
    )
    # the shop's image sits on the shop's side (the left), under its card
    sent_image = buyer_browser.find_element(By.CSS_SELECTOR, ".buyer-log .msg-image img")
    assert sent_image.rect["x"] < card.rect["x"] + 20
    ARTIFACTS.mkdir(exist_ok=True)
    buyer_browser.save_screenshot(str(ARTIFACTS / f"chat-product-card-buyer-{language}.png"))
