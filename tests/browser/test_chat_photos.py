"""Buyers' photos end to end in headless Chromium: a buyer on a phone-sized web chat page
attaches a photo, the after-sale agent sees its thumbnail, enlarges it and makes it
evidence on the buyer's ticket in one click."""

import io

import pytest
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import MessageImage
from tests.chats.factories import make_channel
from tests.factories import make_buyer, make_user
from tests.tickets.factories import make_ticket, received_order
from tickets.models import TicketPhoto
from tickets.states import TicketType

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(tmp_path):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 2.0), 3: "E", 4: (121.0, 28.0, 5.0)}
    path = tmp_path / "IMG_0042.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (220, 60, 60)).save(buffer, format="JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def loaded_images(driver, selector):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(function (img) { return img.complete && img.naturalWidth > 0; }).length;",
        selector,
    )


def test_a_buyer_photo_reaches_the_agent_and_becomes_ticket_evidence(
    browser, buyer_browser, live_server, log_in, screenshot, shop, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private"
    make_channel(shop)
    buyer = make_buyer(shop, nick="爱吃草莓的兔子")
    ticket = make_ticket(
        shop, TicketType.DAMAGED, _now(), order=received_order(shop, _now(), buyer=buyer)
    )
    agent = make_user(shop, Role.AFTER_SALE, display_name="大飞", work_number="3001")

    buyer_browser.get(f"{live_server.url}/c/{shop.code}/")
    buyer_browser.find_element(By.NAME, "nick").send_keys("爱吃草莓的兔子")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-image]").send_keys(
        str(photo_file(tmp_path))
    )
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-composer-text]").send_keys("收到就是这样的")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-send]").click()
    WebDriverWait(buyer_browser, 10).until(
        lambda d: loaded_images(d, ".buyer-log .msg-image img") == 1
    )
    ARTIFACTS.mkdir(exist_ok=True)
    buyer_browser.save_screenshot(str(ARTIFACTS / "chat-photos-buyer.png"))
    image = MessageImage.objects.get()
    assert not Image.open(image.file.open("rb")).getexif()

    log_in(agent)
    browser.get(f"{live_server.url}/chats/{image.message.conversation_id}/")
    WebDriverWait(browser, 10).until(lambda d: loaded_images(d, "#chat-log .msg-image img") == 1)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=chat-image]").click()
    viewer = browser.find_element(By.CSS_SELECTOR, "[data-testid=image-viewer]")
    WebDriverWait(browser, 5).until(lambda d: loaded_images(d, "#image-viewer img") == 1)
    assert viewer.get_attribute("open") is not None
    screenshot("enlarged")
    viewer.click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=image-to-ticket]").click()
    WebDriverWait(browser, 10).until(lambda d: TicketPhoto.objects.filter(ticket=ticket).exists())
    WebDriverWait(browser, 10).until(
        lambda d: "已作为凭证附到工单" in d.find_element(By.ID, "conversation-pane").text
    )
    screenshot("attached")


def _now():
    from helpdesk import clock

    return clock.now()


def test_the_order_card_goes_out_and_renders_for_the_buyer(
    browser, buyer_browser, live_server, log_in, screenshot, shop
):
    from orders.models import OrderItem
    from tests.factories import make_order

    make_channel(shop)
    buyer = make_buyer(shop, nick="爱吃草莓的兔子")
    order = make_order(
        shop,
        buyer=buyer,
        order_id="3811223344556677",
        receiver_name="王小丽",
        address="浙江省杭州市西湖区文三路 90 号",
    )
    OrderItem.objects.create(
        order=order, line_key="1", title="羊毛混纺大衣 驼色 M", price="199.00", quantity=1
    )
    agent = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1001")

    buyer_browser.get(f"{live_server.url}/c/{shop.code}/")
    buyer_browser.find_element(By.NAME, "nick").send_keys("爱吃草莓的兔子")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-composer-text]").send_keys("付好款了")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-send]").click()
    WebDriverWait(buyer_browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg-buyer"))

    from chats.models import Conversation

    conversation = Conversation.objects.get()
    log_in(agent)
    browser.get(f"{live_server.url}/chats/{conversation.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=order-card-send]").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log [data-testid=order-card]")
    )
    screenshot("order-card-sent")
    card = WebDriverWait(buyer_browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".buyer-log [data-testid=order-card]")
    )
    assert "王小丽" in card.text and "文三路 90 号" in card.text
    ARTIFACTS.mkdir(exist_ok=True)
    buyer_browser.save_screenshot(str(ARTIFACTS / "chat-order-card-buyer.png"))
