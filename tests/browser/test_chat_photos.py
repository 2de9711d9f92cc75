"""Buyers' photos end to end in headless Chromium, in Chinese and in English: a buyer on a
phone-sized web chat page attaches a photo, the after-sale agent sees its thumbnail,
enlarges it and makes it evidence on the buyer's ticket in one click; a photo that came
through the bridge reaches the agent without EXIF, and its address answers only the shop's
staff. The order card goes out and renders for the buyer."""

import io

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from chats.models import ChannelKind, MessageImage
from tests.chats.factories import make_channel, signed_post
from tests.chats.test_media import jpeg_with_gps, payload
from tests.factories import make_buyer, make_user
from tests.tickets.factories import make_ticket, received_order
from tickets.models import TicketPhoto
from tickets.states import TicketType

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = pytest.mark.parametrize("language", ["zh-hans", "en"])


def said(language: str, text: str, **values) -> str:
    """What the page says for ``text`` (a msgid) in ``language``."""
    with translation.override(language):
        return translation.gettext(text) % values if values else translation.gettext(text)


def buyer_opens_chat(driver, url: str, language: str, nick: str) -> None:
    """The buyer's page in ``language`` (the switch's cookie), a conversation started."""
    driver.get(url)
    driver.add_cookie({"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language})
    driver.get(url)
    driver.find_element(By.NAME, "nick").send_keys(nick)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()


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


@LANGUAGES
def test_a_buyer_photo_reaches_the_agent_and_becomes_ticket_evidence(
    browser, buyer_browser, live_server, log_in, screenshot, shop, settings, tmp_path, language
):
    settings.MEDIA_ROOT = tmp_path / "private"
    make_channel(shop)
    buyer = make_buyer(shop, nick="爱吃草莓的兔子")
    ticket = make_ticket(
        shop, TicketType.DAMAGED, _now(), order=received_order(shop, _now(), buyer=buyer)
    )
    agent = make_user(
        shop, Role.AFTER_SALE, display_name="大飞", work_number="3001", language=language
    )

    buyer_opens_chat(buyer_browser, f"{live_server.url}/c/{shop.code}/", language, "爱吃草莓的兔子")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-image]").send_keys(
        str(photo_file(tmp_path))
    )
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-composer-text]").send_keys("收到就是这样的")
    buyer_browser.find_element(By.CSS_SELECTOR, "[data-testid=buyer-send]").click()
    WebDriverWait(buyer_browser, 10).until(
        lambda d: loaded_images(d, ".buyer-log .msg-image img") == 1
    )
    ARTIFACTS.mkdir(exist_ok=True)
    buyer_browser.save_screenshot(str(ARTIFACTS / f"chat-photos-buyer-{language}.png"))
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
    attached = said(language, "已作为凭证附到工单 #%(id)s。", id=ticket.pk)
    WebDriverWait(browser, 10).until(
        lambda d: attached in d.find_element(By.ID, "conversation-pane").text
    )
    screenshot("attached")


def _now():
    from helpdesk import clock

    return clock.now()


@LANGUAGES
def test_the_order_card_goes_out_and_renders_for_the_buyer(
    browser, buyer_browser, live_server, log_in, screenshot, shop, language
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
    agent = make_user(
        shop, Role.PRE_SALE, display_name="小美", work_number="1001", language=language
    )

    buyer_opens_chat(buyer_browser, f"{live_server.url}/c/{shop.code}/", language, "爱吃草莓的兔子")
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
    assert said(language, "订单信息确认") in card.text and said(language, "收货人") in card.text
    ARTIFACTS.mkdir(exist_ok=True)
    buyer_browser.save_screenshot(str(ARTIFACTS / f"chat-order-card-buyer-{language}.png"))


def fetched(driver, url: str) -> dict:
    """{"status": n, "bytes": [...]}: what ``url`` answers this browser's session (fetched
    by the page itself, with its cookies)."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) {"
        "  return r.arrayBuffer().then(function (b) {"
        "    done({status: r.status, bytes: Array.from(new Uint8Array(b))}); }); });",
        url,
    )


@LANGUAGES
def test_a_bridge_photo_reaches_the_agent_without_exif_and_only_the_shops_staff(
    browser,
    second_browser,
    live_server,
    log_in,
    screenshot,
    shop,
    other_shop,
    settings,
    tmp_path,
    language,
):
    settings.MEDIA_ROOT = tmp_path / "private"
    bridge = make_channel(shop, ChannelKind.BRIDGE)
    sent = jpeg_with_gps()
    assert b"Exif" in sent
    response = signed_post(Client(), bridge, payload(sent))
    assert response.status_code == 201
    image = MessageImage.objects.get()
    agent = make_user(shop, Role.PRE_SALE, display_name="小美", language=language)

    log_in(agent)
    browser.get(f"{live_server.url}/chats/?view=all")
    preview = browser.find_element(By.CSS_SELECTOR, "[data-testid=preview]")
    assert preview.text == said(language, "[图片]")
    preview.click()
    WebDriverWait(browser, 10).until(lambda d: loaded_images(d, "#chat-log .msg-image img") == 1)
    screenshot("bridge-photo")
    url = f"{live_server.url}/api/v1/chat-images/{image.pk}/"
    answer = fetched(browser, url)
    stored = bytes(answer["bytes"])
    assert answer["status"] == 200
    assert stored[:2] == b"\xff\xd8" and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()

    stranger = make_user(other_shop, Role.MANAGER, language=language)
    log_in(stranger, second_browser)
    assert fetched(second_browser, url)["status"] == 404
